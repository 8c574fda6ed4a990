// 一括照会 (spec §2), two-phase as the real system (the shared steps are in reception-messages.ts):
// OQSmuquc01 stores the upload and answers a ReceptionNumber; the background worker
// (bulk-worker.ts) answers every row with processQualificationChunk; OQSmuquc02 answers 処理中
// (SegmentOfResult 2) until then, and afterwards the counts and one BulkConfirmUnit per row in
// input order.
import type { Db } from "../db/client.ts";
import { decideValidity, type ValidityDecision } from "../domain/validity.ts";
import { compact, isTree, type XmlTree, type XmlValue } from "../oqs/message-tree.ts";
import { readCheckHeader, readSearchInfo } from "../oqs/request-reader.ts";
import { searchErrorBody, searchResultBody } from "../oqs/response-builder.ts";
import type { PendingRow, Reception, RowResult } from "../store/reception-store.ts";
import { findQualificationsForKeys } from "../store/qualification-store.ts";
import { findReferenceNumbers } from "../store/reference-number-store.ts";
import type { HandlerAnswer, Problem } from "./message-handlers.ts";
import type { CallerOptions, OqsContext } from "./qualification-check.ts";
import { answerDownload, answerUpload, validateUpload, type ReceptionSpec } from "./reception-messages.ts";

/** 一括照会's rows: QualificationConfirmSearchInfo in, BulkConfirmUnit out. */
export const QUALIFICATION_RECEPTION: ReceptionSpec = {
  kind: "muquc",
  rowElement: "QualificationConfirmSearchInfo",
  unitElement: "BulkConfirmUnit",
  readHeader: readCheckHeader,
  rowProblems(row) {
    if (!isTree(row)) return [{ code: "E3001" }];
    const reading = readSearchInfo(row);
    if (reading.ok) return [];
    const value = row[reading.element];
    return [{ code: reading.code, element: reading.element, value: typeof value === "string" ? value : undefined }];
  },
};

/** OQSmuquc01: validates and stores the upload, answers its ReceptionNumber. */
export function answerBulkUpload(ctx: OqsContext, request: XmlTree, caller: CallerOptions = {}): Promise<HandlerAnswer> {
  return answerUpload(QUALIFICATION_RECEPTION, ctx, request, caller);
}

/** OQSmuquc02: 処理中 until the worker is done, then the results. */
export function answerBulkResult(ctx: OqsContext, request: XmlTree, caller: CallerOptions = {}): Promise<HandlerAnswer> {
  return answerDownload(QUALIFICATION_RECEPTION, ctx, request, caller);
}

/**
 * Answers a chunk of 一括照会 rows with one lookup for all their keys: a row whose key fails
 * validation gets ProcessingResultStatus 2 for itself only. A row that names one person carries
 * the requesting facility's 照会番号 in the unit (BulkConfirmUnit.ReferenceNumber, as in
 * Sotatek-ChinhVu/smart-test QCBIDXmlMsgResponse.cs), never another facility's.
 */
export async function processQualificationChunk(tx: Db, reception: Reception, rows: readonly PendingRow[]): Promise<RowResult[]> {
  const date = reception.confirmationDate!;
  const readings = rows.map((row) =>
    isTree(row.request) ? readSearchInfo(row.request) : ({ ok: false, code: "E3001", element: "QualificationConfirmSearchInfo" } as const),
  );
  const searches = readings.flatMap((r) => (r.ok ? [r.search] : []));
  const found = await findQualificationsForKeys(tx, searches.map((s) => s.key));
  const decisions = searches.map((search, n) => decideValidity(found[n]!, search.birthdate, date));
  const personOf = (d: ValidityDecision) => (d.results.length === 1 ? d.results[0]!.person.personId : undefined);
  const personIds = decisions.map(personOf).filter((id): id is number => id !== undefined);
  const referenceNumbers = await findReferenceNumbers(tx, reception.facilityCode, [...new Set(personIds)]);
  let n = 0;
  return readings.map((reading, i): RowResult => {
    const rowIndex = rows[i]!.rowIndex;
    if (!reading.ok) return { rowIndex, status: 2, result: searchErrorBody(reading.code, reading.element) };
    const decision = decisions[n++]!;
    const { ResultList, ...body } = searchResultBody(decision, date, reading.search.limitConsent);
    const person = personOf(decision);
    return {
      rowIndex,
      status: 1,
      result: compact({
        ...body,
        ResultOfQualificationConfirmation: isTree(ResultList) ? (ResultList.ResultOfQualificationConfirmation as XmlValue) : undefined,
        ReferenceNumber: person === undefined ? undefined : referenceNumbers.get(person),
      }),
    };
  });
}

/** Problems of an OQSmuquc01 file that need no database: header, row count, every row's key. */
export function validateBulkUpload(request: XmlTree): Problem[] {
  return validateUpload(QUALIFICATION_RECEPTION, request);
}
