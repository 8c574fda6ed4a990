// The receipts upload (docs/usage.md 「レセプト件数のアップロード」): a facility's monthly receipt
// counts, all and 外来, as JSON or CSV, for the facility only; each row answered registered,
// updated, unchanged or refused (its code and field), the refused ones leaving the others stored.
// Shared by POST /onshi-api/usage/receipts and `onshi usage receipts`.
import type { Db } from "../db/client.ts";
import { errorMessage, OqsError, type ErrorCode } from "../errors/catalogue.ts";
import { readReceiptRows, receiptRowsOfCsv, receiptRowsOfJson, type ReceiptMonth } from "../domain/usage-receipts.ts";
import { saveReceipts, type ReceiptOutcome } from "../store/usage-receipts-store.ts";
import type { FacilityDirectory } from "../store/facility-directory.ts";
import { dateInJapan } from "../subsidy/engine.ts";

export type ReceiptsUpload = { json: unknown } | { csv: string };

/** An upload's bytes at most (the route's body, the command's file): 120 rows many times over. */
export const RECEIPTS_FILE_LIMIT_BYTES = 64 * 1024;

export interface ReceiptRowResult {
  /** The row's place in the upload, from 1 (CSV: the line after the header). */
  row: number;
  month?: string;
  result: ReceiptOutcome | "refused";
  code?: ErrorCode;
  message?: string;
  field?: string;
}

export interface ReceiptsAnswer {
  facilityCode: string;
  counts: Record<ReceiptRowResult["result"], number>;
  results: ReceiptRowResult[];
}

/**
 * Stores the upload's months for `facilityCode` (E8909 when it is not registered). The whole
 * upload is refused for its shape (E8900–E8902) before anything is stored.
 */
export async function uploadReceipts(db: Db, facilities: FacilityDirectory, facilityCode: string, upload: ReceiptsUpload, now: Date): Promise<ReceiptsAnswer> {
  const rows = "json" in upload ? receiptRowsOfJson(upload.json) : receiptRowsOfCsv(upload.csv);
  if (!(await facilities.exists(facilityCode))) throw new OqsError("E8909");
  const readings = readReceiptRows(rows, dateInJapan(now).slice(0, 7));
  const months = readings.flatMap((r): ReceiptMonth[] => (r.ok ? [r.value] : []));
  const outcomes = await saveReceipts(db, facilityCode, months, now);
  const results = readings.map((reading, i): ReceiptRowResult => {
    if (reading.ok) return { row: i + 1, month: reading.value.month, result: outcomes.get(reading.value.month)! };
    const month = (rows[i] as { month?: unknown } | null)?.month;
    return {
      row: i + 1,
      ...(typeof month === "string" && month.length <= 20 ? { month } : {}),
      result: "refused",
      code: reading.code,
      message: errorMessage(reading.code),
      ...(reading.field ? { field: reading.field } : {}),
    };
  });
  const counts = { registered: 0, updated: 0, unchanged: 0, refused: 0 };
  for (const r of results) counts[r.result]++;
  return { facilityCode, counts, results };
}
