// A 取りまとめ者's batch (第8 3, docs/subsidy-office.md 「取りまとめ者の一括申請」): the text is read
// line by line (src/subsidy/batch-lines.ts), each application checked and calculated as a single
// application is (prepareApplication, at the day the batch is received), a facility the vendor did not register beforehand refused,
// a second application for a facility, programme and kind refused (an earlier line of the batch, or
// a case already live); then, in one transaction, the batch row and every accepted line's case and
// opening transition in bulk (COPY). Mode partial: the valid lines become cases and the rest are
// listed; all_or_nothing: any refused line and no case is opened, every refused line listed.
import type { Db } from "../db/client.ts";
import { OqsError, type ErrorCode } from "../errors/catalogue.ts";
import { BatchTextError, lineError, readBatch, type BatchFormat, type BatchMode, type LineError } from "../subsidy/batch-lines.ts";
import { dateInJapan } from "../subsidy/engine.ts";
import { batchCases, copyBatchCases, findBatch, insertBatch, listBatches, liveCaseKeys, type BatchCase, type BatchCaseRow, type BatchRow } from "../store/subsidy-batch-store.ts";
import { registeredFacilityKinds } from "../store/vendor-facility-store.ts";
import { prepareApplication, type PreparedApplication } from "../subsidy/office-application.ts";
import { idempotent, type CaseActor, type OfficeAnswer } from "./subsidy-office.ts";
import { loadPrograms } from "../subsidy/program-data.ts";

export interface BatchVendor {
  accountId: number;
  name: string;
}

/** A batch as stored, with the cases it opened (line, case id, state now) beside its refused lines. */
export interface BatchAnswer {
  batchId: number;
  mode: BatchMode;
  format: BatchFormat;
  receivedAt: string;
  lines: number;
  accepted: number;
  refused: number;
  /** accepted: every line; partly_accepted: some (mode partial); refused: none (E9539 for all_or_nothing). */
  outcome: "accepted" | "partly_accepted" | "refused";
  code?: "E9539";
  errors: LineError[];
  cases: BatchCaseRow[];
}

const key = (facility: string, program: string, kind: string) => `${facility}|${program}|${kind}`;

/** The field a line's refusal names: prepareApplication's element is a field (with its rule after ":") or, for these codes, a sentence. */
const FIELD_OF: Partial<Record<ErrorCode, string>> = { E9103: "program", E9509: "program", E9511: "program", E9510: "completedOn", E9516: "completedOn" };

function refusalOf(line: number, error: OqsError): LineError {
  return { line, field: FIELD_OF[error.code] ?? error.element?.split(":")[0] ?? "(行全体)", code: error.code, message: error.message };
}

/**
 * Reads, checks and stores one batch in the caller's transaction `tx` (the Idempotency-Key's own);
 * BatchTextError's codes (E9532–E9535) as OqsError when the batch cannot be read as a whole, E9540
 * when another application opened a live case for one of its lines meanwhile (nothing stored).
 */
export async function submitBatch(tx: Db, vendor: BatchVendor, text: string, format: BatchFormat, mode: BatchMode, now: Date): Promise<BatchAnswer> {
  let readings;
  try {
    readings = readBatch(text, format);
  } catch (error) {
    if (error instanceof BatchTextError) throw new OqsError(error.code, error.field);
    throw error;
  }
  // The 申請日 of every line: the day the office received the batch (Japan time), as a single application's.
  const on = dateInJapan(now);
  const codes = [...new Set(readings.flatMap((r) => (r.ok && typeof r.value.facilityCode === "string" ? [r.value.facilityCode] : [])))];
  const registered = await registeredFacilityKinds(tx, vendor.accountId, codes);
  const live = await liveCaseKeys(tx, [...registered.keys()]);
  const programs = loadPrograms();
  const errors: LineError[] = [];
  const accepted: BatchCase[] = [];
  const firstLine = new Map<string, number>();
  for (const reading of readings) {
    if (!reading.ok) {
      errors.push({ line: reading.line, field: reading.field, code: reading.code, message: reading.message });
      continue;
    }
    const { line } = reading;
    let prepared: PreparedApplication;
    try {
      prepared = prepareApplication(reading.value, on, programs);
    } catch (error) {
      if (!(error instanceof OqsError)) throw error;
      errors.push(refusalOf(line, error));
      continue;
    }
    // 第8 3: only a facility registered beforehand; one unknown to onshi is answered alike (as apply does).
    const kind = registered.get(prepared.facilityCode);
    if (kind === undefined) {
      errors.push(lineError(line, "facilityCode", "E9514", prepared.facilityCode));
      continue;
    }
    if (kind !== prepared.application.profile.kind) {
      errors.push(lineError(line, "profile.kind", "E9513", kind));
      continue;
    }
    const k = key(prepared.facilityCode, prepared.program, prepared.kind);
    const earlier = firstLine.get(k);
    if (earlier !== undefined || live.has(k)) {
      errors.push(lineError(line, "facilityCode", "E9506", earlier !== undefined ? `${earlier} 行目と同じ申請です` : "受付中の申請があります"));
      continue;
    }
    firstLine.set(k, line);
    accepted.push({ line, ...prepared });
  }
  const opened = mode === "all_or_nothing" && errors.length > 0 ? [] : accepted;
  const batch = await insertBatch(tx, {
    vendorAccountId: vendor.accountId,
    mode,
    format,
    receivedAt: now,
    lines: readings.length,
    accepted: opened.length,
    refused: readings.length - opened.length,
    errors,
  });
  try {
    await copyBatchCases(tx, batch.batchId, opened, vendor, now);
  } catch (error) {
    // 022's one-live-case index: an application that arrived after the check above.
    if ((error as { code?: string }).code === "23505") throw new OqsError("E9540");
    throw error;
  }
  return answerOf(batch, await batchCases(tx, batch.batchId));
}

/**
 * A batch sent under an Idempotency-Key (the route's and the CLI's --key): stored once, its answer
 * kept with it, so a retry of the same batch is answered again and opens nothing twice (E9508 for
 * another batch under the key). 201 when a case was opened, 422 when none was.
 */
export function submitBatchOnce(db: Db, vendor: CaseActor & BatchVendor, key: string | undefined, text: string, format: BatchFormat, mode: BatchMode, now: Date): Promise<OfficeAnswer<BatchAnswer>> {
  return idempotent(db, vendor, key, { route: "POST /office/api/batches", mode, format, text }, now, async (tx) => {
    const batch = await submitBatch(tx, vendor, text, format, mode, now);
    return { status: batch.accepted === 0 ? 422 : 201, body: batch };
  });
}

function answerOf(batch: BatchRow, cases: BatchCaseRow[]): BatchAnswer {
  const outcome = batch.accepted === 0 ? "refused" : batch.refused === 0 ? "accepted" : "partly_accepted";
  return {
    batchId: batch.batchId,
    mode: batch.mode,
    format: batch.format,
    receivedAt: batch.receivedAt.toISOString(),
    lines: batch.lines,
    accepted: batch.accepted,
    refused: batch.refused,
    outcome,
    ...(outcome === "refused" && batch.mode === "all_or_nothing" && batch.errors.length > 0 ? { code: "E9539" as const } : {}),
    errors: batch.errors,
    cases,
  };
}

/** The vendor's own batch with its cases; E9538 for another vendor's or none (answered alike). */
export async function showBatch(db: Db, vendorAccountId: number, batchId: number): Promise<BatchAnswer> {
  const batch = Number.isSafeInteger(batchId) && batchId > 0 ? await findBatch(db, vendorAccountId, batchId) : undefined;
  if (!batch) throw new OqsError("E9538");
  return answerOf(batch, await batchCases(db, batch.batchId));
}

/** What a list of batches shows of each: the batch without its lines' detail. */
export type BatchSummary = Omit<BatchAnswer, "errors" | "cases">;

/** The vendor's latest batches, newest first. */
export async function vendorBatches(db: Db, vendorAccountId: number, limit = 100): Promise<BatchSummary[]> {
  return (await listBatches(db, vendorAccountId, limit)).map((b) => {
    const { errors: _errors, cases: _cases, ...summary } = answerOf(b, []);
    return summary;
  });
}
