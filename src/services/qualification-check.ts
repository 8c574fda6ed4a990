// 個別照会 (OQSsiquc01): a checked request in, the person's result out. A search key that fails
// its own check is answered for the person (ProcessingResultStatus 2), not as the whole message.
import type { Db } from "../db/client.ts";
import type { Alongside } from "../store/alongside.ts";
import { parseInsurerNumber } from "../domain/insurer-number.ts";
import { decideValidity } from "../domain/validity.ts";
import { isTree, type XmlTree } from "../oqs/message-tree.ts";
import { SEARCH_INFO, type QualificationCheckRequest, type SearchInfo } from "../oqs/messages/qualification-check.ts";
import type { Problem } from "../oqs/messages/schema.ts";
import { Reference, Segment, message, responseHeader, searchErrorBody, searchResultBody } from "../oqs/response-builder.ts";
import { findQualificationsForFacility, type SearchKey } from "../store/qualification-store.ts";
import { dateInJapan } from "../subsidy/engine.ts";
import type { KindHandler } from "./pipeline/types.ts";
import { recordCheck } from "./usage-recording.ts";
import { attachMedicalTickets } from "./welfare.ts";

export interface SearchRequest {
  key: SearchKey;
  birthdate: string;
  limitConsent: boolean;
}

export type SearchReading = { ok: true; search: SearchRequest } | { ok: false; problems: Problem[] };

/** One search key, checked against its schema and read into the stored forms; never throws. */
export function readSearch(info: unknown): SearchReading {
  const parsed = SEARCH_INFO.parse(info);
  if (!parsed.ok) return parsed;
  const key = parsed.value;
  return { ok: true, search: { key: insuranceKey(key), birthdate: key.Birthdate, limitConsent: key.LimitApplicationCertificateRelatedConsFlg === "1" } };
}

/** The quartet of a checked search key or registration, in the stored forms. */
export function insuranceKey(info: Pick<SearchInfo, "InsurerNumber" | "InsuredCardSymbol" | "InsuredIdentificationNumber" | "InsuredBranchNumber">): SearchKey {
  const insurer = parseInsurerNumber(info.InsurerNumber);
  if (!insurer.ok) throw new Error("insuranceKey of an unchecked InsurerNumber");
  return {
    insurerNumber: insurer.value,
    insuredIdentificationNumber: info.InsuredIdentificationNumber,
    insuredCardSymbol: info.InsuredCardSymbol || undefined,
    insuredBranchNumber: info.InsuredBranchNumber || undefined,
  };
}

export const QUALIFICATION_CHECK: KindHandler<QualificationCheckRequest> = {
  async answer(request, { ctx, caller, now }) {
    const { MessageHeader: header, MessageBody: body } = request.XmlMsg;
    const info = body.QualificationConfirmSearchInfo;
    const reading = readSearch(info);
    const facilityCode = header.MedicalInstitutionCode;
    // Counted by the lookup, found or not; a search key refused for its own form looks nobody up and counts nothing.
    const usage = { facilityCode, day: dateInJapan(now), method: "insurance_number", transport: caller.transport, count: 1 } as const;
    const result = reading.ok
      ? await searchBody(ctx.db, reading.search, header.QualificationConfirmationDate, facilityCode, recordCheck(ctx, usage, true))
      : searchErrorBody(reading.problems[0]!.code, reading.problems[0]!.element!);
    const head = responseHeader({
      now,
      characterCode: ctx.characterCode,
      segment: Segment.Normal,
      confirmationDate: header.QualificationConfirmationDate,
      facilityCode: header.MedicalInstitutionCode,
      arbitraryFileIdentifier: header.ArbitraryFileIdentifier || undefined,
      referenceClassification: Reference.InsuranceCard,
    });
    return { message: message(head, { ...result, QualificationConfirmSearchInfo: isTree(info) ? info : {} }) };
  },
  partProblems(request) {
    const at = ["MessageBody", "QualificationConfirmSearchInfo"];
    return SEARCH_INFO.check(request.XmlMsg.MessageBody.QualificationConfirmSearchInfo).map((p) => ({ ...p, path: [...at, ...p.path] }));
  },
};

/**
 * One person's search result, with the requesting facility's 照会番号 (no other facility's);
 * `record` (the usage record of the check) is written by the lookup's own statement.
 */
export async function searchBody(db: Db, search: SearchRequest, date: string, facilityCode: string, record: readonly Alongside[]): Promise<XmlTree> {
  const { records, referenceNumbers } = await findQualificationsForFacility(db, search.key, facilityCode, record);
  const shown = await attachMedicalTickets(db, records, facilityCode, date);
  return searchResultBody(decideValidity(shown, search.birthdate, date), date, search.limitConsent, referenceNumbers);
}
