// The two-phase bulk messages (spec §2), whatever their rows hold: an upload (…01req) is checked
// and stored as a reception whose rows the background worker (bulk-worker.ts) answers; the
// answer (…01res) is its ReceptionNumber; a download (…02req) answers 処理中 (SegmentOfResult 2)
// until the worker is done, then the counts and one unit per row in input order. Each kind
// (一括照会 in bulk-check.ts, 照会番号一括登録 in bulk-registration.ts) says what its rows are
// through a ReceptionSpec.
import { jstTimestamp } from "../domain/dates.ts";
import { OqsError } from "../errors/catalogue.ts";
import { compact, type XmlTree } from "../oqs/message-tree.ts";
import { readEnvelope, readFacilityCode, requiredLeaf } from "../oqs/request-reader.ts";
import { Segment, message, responseHeader } from "../oqs/response-builder.ts";
import { createReception, findReception, storedRows, type Reception, type ReceptionKind, type ReceptionSource } from "../store/reception-store.ts";
import { bulkSettingsFromEnv, type BulkSettings } from "./bulk-settings.ts";
import type { HandlerAnswer, Problem } from "./message-handlers.ts";
import { failureAnswer, type CallerOptions, type OqsContext } from "./qualification-check.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const RECEPTION_NUMBER = /^[0-9]{20}$/;

/** What one kind of two-phase message carries. */
export interface ReceptionSpec {
  kind: ReceptionKind;
  /** The repeated element of the upload's body, one per row, echoed first in each result unit. */
  rowElement: string;
  /** The element of the download's body holding one row's result. */
  unitElement: string;
  /** The upload's header; throws OqsError. */
  readHeader(header: XmlTree): { facilityCode: string; confirmationDate?: string; arbitraryFileIdentifier?: string };
  /** A row's problems, elements relative to the row (none: the row itself). */
  rowProblems(row: XmlTree | string): Problem[];
}

/** The settings in force: the context's, else the environment's. */
function settingsOf(ctx: OqsContext): BulkSettings {
  return ctx.bulk ?? bulkSettingsFromEnv();
}

/** Runs `answer`, turning a thrown error into SegmentOfResult 9 (never an exception). */
async function guarded(ctx: OqsContext, request: unknown, answer: (now: Date) => Promise<HandlerAnswer>): Promise<HandlerAnswer> {
  const now = ctx.now();
  try {
    return await answer(now);
  } catch (error) {
    return failureAnswer(ctx, now, error, request);
  }
}

async function checkFacility(ctx: OqsContext, facilityCode: string, caller: CallerOptions): Promise<void> {
  if (caller.authorizedFacility !== undefined && caller.authorizedFacility !== facilityCode) throw new OqsError("E2005");
  if (!(await ctx.facilities.exists(facilityCode))) throw new OqsError("E2001", "MedicalInstitutionCode");
}

/** The repeated body element of an upload as a list of rows; E1005 when there is none. */
export function uploadRows(body: XmlTree, element: string, settings: Pick<BulkSettings, "rowLimit">): (XmlTree | string)[] {
  const value = body[element];
  if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) throw new OqsError("E1005", element);
  const rows = Array.isArray(value) ? value : [value];
  if (rows.length > settings.rowLimit) throw new OqsError("E5004", element);
  return rows;
}

/** The upload's answer (…01res): ReceptionNumber and ReceptionDateTime. */
export function receptionMessage(ctx: OqsContext, now: Date, reception: Reception): XmlTree {
  const head = responseHeader({
    now,
    characterCode: ctx.characterCode,
    segment: Segment.Normal,
    facilityCode: reception.facilityCode,
    arbitraryFileIdentifier: reception.arbitraryFileIdentifier ?? undefined,
  });
  return message(head, { ReceptionNumber: reception.receptionNumber, ReceptionDateTime: jstTimestamp(reception.receivedAt) });
}

/** Stores an upload of `kind` as a reception, with the retention and delay of the settings. */
export function receive(
  ctx: OqsContext,
  now: Date,
  upload: {
    kind: ReceptionKind;
    facilityCode: string;
    confirmationDate?: string;
    arbitraryFileIdentifier?: string;
    rows: (XmlTree | string)[];
    source?: ReceptionSource;
  },
): Promise<Reception> {
  const settings = settingsOf(ctx);
  return createReception(ctx.db, {
    ...upload,
    receivedAt: now,
    readyAt: new Date(now.getTime() + settings.processingDelaySeconds * 1000),
    expiresAt: new Date(now.getTime() + settings.retentionDays * DAY_MS),
  });
}

/**
 * An upload (…01req): checks the header and the row count, stores the rows, answers the
 * ReceptionNumber; the same request file read again answers the reception it already made.
 */
export function answerUpload(spec: ReceptionSpec, ctx: OqsContext, request: XmlTree, caller: CallerOptions = {}): Promise<HandlerAnswer> {
  return guarded(ctx, request, async (now) => {
    const envelope = readEnvelope(request);
    const header = spec.readHeader(envelope.header);
    await checkFacility(ctx, header.facilityCode, caller);
    const rows = uploadRows(envelope.body, spec.rowElement, settingsOf(ctx));
    const reception = await receive(ctx, now, { kind: spec.kind, ...header, rows, source: caller.source });
    return { message: receptionMessage(ctx, now, reception) };
  });
}

/**
 * The reception a download (…02req) names, for its facility; throws E5001, E5002, E5005. A reception
 * past its retention period is refused even before the worker has deleted its rows.
 */
export async function requestedReception(ctx: OqsContext, now: Date, request: XmlTree, kind: ReceptionKind, caller: CallerOptions): Promise<Reception> {
  const envelope = readEnvelope(request);
  const facilityCode = readFacilityCode(envelope.header);
  await checkFacility(ctx, facilityCode, caller);
  const receptionNumber = readReceptionNumber(envelope.body);
  const reception = await findReception(ctx.db, receptionNumber);
  // Another facility's number is answered as an unknown one: no facility learns which numbers exist.
  if (reception === undefined || reception.facilityCode !== facilityCode) throw new OqsError("E5001", "ReceptionNumber");
  if (reception.kind !== kind) throw new OqsError("E5005", "ReceptionNumber");
  if (reception.expired || reception.expiresAt <= now) throw new OqsError("E5002", "ReceptionNumber");
  return reception;
}

function readReceptionNumber(body: XmlTree): string {
  const value = requiredLeaf(body, "ReceptionNumber");
  if (!/^[0-9]*$/.test(value)) throw new OqsError("E1007", "ReceptionNumber");
  if (!RECEPTION_NUMBER.test(value)) throw new OqsError("E1006", "ReceptionNumber");
  return value;
}

/** Whether the download must still answer 処理中. */
export function stillProcessing(reception: Reception, now: Date): boolean {
  return reception.finishedAt === null || reception.readyAt > now;
}

/** The download's header (…02res), in the real element order, with the counts once done. */
export function downloadHeader(
  ctx: OqsContext,
  now: Date,
  reception: Reception,
  counts?: { total: number; normal: number; errors: number },
): XmlTree {
  return compact({
    ProcessExecutionTime: jstTimestamp(now),
    QualificationConfirmationDate: reception.confirmationDate ?? undefined,
    MedicalInstitutionCode: reception.facilityCode,
    ArbitraryFileIdentifier: reception.arbitraryFileIdentifier ?? undefined,
    ReceptionNumber: reception.receptionNumber,
    SegmentOfResult: counts ? Segment.Normal : Segment.Processing,
    NumberOfProcessingResult: counts && String(counts.total),
    NumberOfNormalProcessing: counts && String(counts.normal),
    NumberOfError: counts && String(counts.errors),
    CharacterCodeIdentifier: ctx.characterCode,
  });
}

/**
 * The finished download of a reception: the header counts and one unit element per row in
 * input order, the row's own request element first; zipped above the settings' threshold.
 */
export async function downloadAnswer(spec: ReceptionSpec, ctx: OqsContext, now: Date, reception: Reception): Promise<HandlerAnswer> {
  const rows = await storedRows(ctx.db, reception.receptionNumber);
  const normal = rows.filter((r) => r.status === 1).length;
  const header = downloadHeader(ctx, now, reception, { total: rows.length, normal, errors: rows.length - normal });
  const units = rows.map((r) => ({ [spec.rowElement]: r.request, ...r.result }) as XmlTree);
  const threshold = settingsOf(ctx).zipThreshold;
  return { message: message(header, units.length > 0 ? { [spec.unitElement]: units } : {}), zip: threshold > 0 && rows.length > threshold };
}

/** A download (…02req): 処理中 until the worker is done, then the results. */
export function answerDownload(spec: ReceptionSpec, ctx: OqsContext, request: XmlTree, caller: CallerOptions = {}): Promise<HandlerAnswer> {
  return guarded(ctx, request, async (now) => {
    const reception = await requestedReception(ctx, now, request, spec.kind, caller);
    if (stillProcessing(reception, now)) return { message: message(downloadHeader(ctx, now, reception), {}) };
    return downloadAnswer(spec, ctx, now, reception);
  });
}

/** Problems of an upload file that need no database: header, row count, every row by position. */
export function validateUpload(spec: ReceptionSpec, request: XmlTree): Problem[] {
  const problems: Problem[] = [];
  let body: XmlTree;
  try {
    const envelope = readEnvelope(request);
    body = envelope.body;
    spec.readHeader(envelope.header);
  } catch (error) {
    if (!(error instanceof OqsError)) throw error;
    problems.push({ code: error.code, element: error.element });
    if (error.element === "XmlMsg" || error.element === "MessageHeader" || error.element === "MessageBody") return problems;
  }
  let rows: (XmlTree | string)[];
  try {
    rows = uploadRows(body!, spec.rowElement, bulkSettingsFromEnv());
  } catch (error) {
    if (!(error instanceof OqsError)) throw error;
    const value = body![error.element!];
    return [...problems, { code: error.code, element: error.element, value: Array.isArray(value) ? `${value.length}件` : undefined }];
  }
  rows.forEach((row, i) => {
    const at = `${spec.rowElement}[${i + 1}]`;
    for (const problem of spec.rowProblems(row)) {
      problems.push({ ...problem, element: problem.element === undefined ? at : `${at}.${problem.element}` });
    }
  });
  return problems;
}

/** Problems of a download request (…02req) that need no database. */
export function validateDownload(request: XmlTree): Problem[] {
  try {
    const envelope = readEnvelope(request);
    const problems: Problem[] = [];
    for (const read of [() => readFacilityCode(envelope.header), () => readReceptionNumber(envelope.body)]) {
      try {
        read();
      } catch (error) {
        if (!(error instanceof OqsError)) throw error;
        problems.push({ code: error.code, element: error.element });
      }
    }
    return problems;
  } catch (error) {
    if (!(error instanceof OqsError)) throw error;
    return [{ code: error.code, element: error.element }];
  }
}
