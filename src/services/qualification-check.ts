// 個別照会 (OQSsiquc01): one request tree in, one response tree out, for every transport.
import type { Db } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { decideValidity } from "../domain/validity.ts";
import { OqsError, type ErrorCode } from "../errors/catalogue.ts";
import { isTree, type XmlTree } from "../oqs/message-tree.ts";
import { readCheckHeader, readEnvelope, readSearchInfo, type CheckHeader, type SearchRequest } from "../oqs/request-reader.ts";
import {
  Reference,
  Segment,
  message,
  responseHeader,
  searchErrorBody,
  searchResultBody,
  type CharacterCode,
} from "../oqs/response-builder.ts";
import type { FacilityDirectory } from "../store/facility-directory.ts";
import { findQualificationsForFacility } from "../store/qualification-store.ts";
import type { ReceptionSource } from "../store/reception-store.ts";
import type { BulkSettings } from "./bulk-settings.ts";

export interface OqsContext {
  db: Db;
  facilities: FacilityDirectory;
  /** The clock, passed in so any scenario can be replayed at a fixed time. */
  now: () => Date;
  characterCode: CharacterCode;
  /** 一括照会 and other two-phase bulk settings; the environment's (bulk-settings.ts) when absent. */
  bulk?: BulkSettings;
}

export interface Answer {
  message: XmlTree;
  /** Set when the whole message failed (SegmentOfResult 9). */
  error?: ErrorCode;
  /** An unexpected failure behind an E9001 or E9002 answer, for the transport to log. */
  cause?: unknown;
}

export interface CallerOptions {
  /** The facility an authenticated caller acts for; it must match MedicalInstitutionCode. */
  authorizedFacility?: string;
  /** The request file a message came from (folder gateway): a bulk upload read again continues its reception. */
  source?: ReceptionSource;
}

export async function answerQualificationCheck(ctx: OqsContext, request: unknown, caller: CallerOptions = {}): Promise<Answer> {
  const now = ctx.now();
  let header: CheckHeader | undefined;
  try {
    const envelope = readEnvelope(request);
    header = readCheckHeader(envelope.header);
    if (caller.authorizedFacility !== undefined && caller.authorizedFacility !== header.facilityCode) {
      throw new OqsError("E2005");
    }
    if (!(await ctx.facilities.exists(header.facilityCode))) throw new OqsError("E2001", "MedicalInstitutionCode");
    const info = envelope.body.QualificationConfirmSearchInfo;
    if (info === undefined || info === "") throw new OqsError("E1005", "QualificationConfirmSearchInfo");
    if (!isTree(info)) throw new OqsError("E1004", "QualificationConfirmSearchInfo");
    const reading = readSearchInfo(info);
    const body = reading.ok
      ? await searchBody(ctx.db, reading.search, header.confirmationDate, header.facilityCode)
      : searchErrorBody(reading.code, reading.element);
    const responseHead = responseHeader({
      now,
      characterCode: ctx.characterCode,
      segment: Segment.Normal,
      confirmationDate: header.confirmationDate,
      facilityCode: header.facilityCode,
      arbitraryFileIdentifier: header.arbitraryFileIdentifier,
      referenceClassification: Reference.InsuranceCard,
    });
    return { message: message(responseHead, { ...body, QualificationConfirmSearchInfo: info }) };
  } catch (error) {
    return failureAnswer(ctx, now, error, request, header);
  }
}

/**
 * A whole-message failure as an answer: an OqsError as itself, a database that cannot be reached
 * as E9002 (the client retries), anything else as E9001.
 */
export function failureAnswer(ctx: Pick<OqsContext, "characterCode">, now: Date, error: unknown, request: unknown, header?: CheckHeader): Answer {
  const failure = error instanceof OqsError ? error : new OqsError(isDatabaseUnavailable(error) ? "E9002" : "E9001");
  return {
    message: failureMessage(ctx, now, failure, request, header),
    error: failure.code,
    cause: error instanceof OqsError ? undefined : error,
  };
}

/** One person's search result, with the requesting facility's 照会番号 (no other facility's). */
export async function searchBody(db: Db, search: SearchRequest, date: string, facilityCode: string): Promise<XmlTree> {
  const { records, referenceNumbers } = await findQualificationsForFacility(db, search.key, facilityCode);
  return searchResultBody(decideValidity(records, search.birthdate, date), date, search.limitConsent, referenceNumbers);
}

/** SegmentOfResult 9, echoing what could be read of the request header. */
export function failureMessage(ctx: Pick<OqsContext, "characterCode">, now: Date, failure: OqsError, request: unknown, header?: CheckHeader): XmlTree {
  const raw = isTree(request) && isTree(request.XmlMsg) && isTree(request.XmlMsg.MessageHeader) ? request.XmlMsg.MessageHeader : {};
  const echo = (name: string) => (typeof raw[name] === "string" ? (raw[name] as string) : undefined);
  return message(
    responseHeader({
      now,
      characterCode: ctx.characterCode,
      segment: Segment.Failed,
      confirmationDate: header?.confirmationDate,
      facilityCode: header?.facilityCode ?? echo("MedicalInstitutionCode"),
      arbitraryFileIdentifier: header?.arbitraryFileIdentifier ?? echo("ArbitraryFileIdentifier"),
      error: { code: failure.code, element: failure.element },
    }),
    {},
  );
}
