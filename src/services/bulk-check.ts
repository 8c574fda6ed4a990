// 一括照会 (spec §2), two-phase as the real system (the shared steps are in reception-messages.ts):
// OQSmuquc01 stores the upload and answers a ReceptionNumber; the background worker
// (bulk-worker.ts) answers every row with processQualificationChunk; OQSmuquc02 answers 処理中
// (SegmentOfResult 2) until then, and afterwards the counts and one BulkConfirmUnit per row in
// input order.
import type { Db } from "../db/client.ts";
import { decideValidity, type ValidityDecision } from "../domain/validity.ts";
import { compact, isTree, type XmlValue } from "../oqs/message-tree.ts";
import { SEARCH_INFO } from "../oqs/messages/qualification-check.ts";
import { searchErrorBody, searchResultBody } from "../oqs/response-builder.ts";
import type { PendingRow, Reception, RowResult } from "../store/reception-store.ts";
import { findQualificationsForKeys } from "../store/qualification-store.ts";
import { findReferenceNumbers } from "../store/reference-number-store.ts";
import { readSearch, type SearchReading } from "./qualification-check.ts";
import { downloadHandler, uploadHandler, type ReceptionSpec } from "./reception-messages.ts";

/** 一括照会's rows: QualificationConfirmSearchInfo in, BulkConfirmUnit out. */
export const QUALIFICATION_RECEPTION: ReceptionSpec = {
  kind: "muquc",
  rowElement: "QualificationConfirmSearchInfo",
  unitElement: "BulkConfirmUnit",
  rowProblems: (row) => (isTree(row) ? SEARCH_INFO.check(row) : [{ code: "E3001", path: [] }]),
};

/** OQSmuquc01: stores the upload, answers its ReceptionNumber. */
export const BULK_CHECK_UPLOAD = uploadHandler(QUALIFICATION_RECEPTION);
/** OQSmuquc02: 処理中 until the worker is done, then the results. */
export const BULK_CHECK_RESULT = downloadHandler(QUALIFICATION_RECEPTION);

/**
 * Answers a chunk of 一括照会 rows with one lookup for all their keys: a row whose key fails
 * validation gets ProcessingResultStatus 2 for itself only. A row that names one person carries
 * the requesting facility's 照会番号 in the unit (BulkConfirmUnit.ReferenceNumber, as in
 * Sotatek-ChinhVu/smart-test QCBIDXmlMsgResponse.cs), never another facility's.
 */
export async function processQualificationChunk(tx: Db, reception: Reception, rows: readonly PendingRow[]): Promise<RowResult[]> {
  const date = reception.confirmationDate!;
  const readings = rows.map(
    (row): SearchReading => (isTree(row.request) ? readSearch(row.request) : { ok: false, problems: [{ code: "E3001", element: "QualificationConfirmSearchInfo" }] }),
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
    if (!reading.ok) return { rowIndex, status: 2, result: searchErrorBody(reading.problems[0]!.code, reading.problems[0]!.element!) };
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
