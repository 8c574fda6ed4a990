// A facility's monthly receipt counts (レセプト件数, of which 外来), the denominators of the receipt
// bases (docs/usage.md): onshi does not produce receipts, so the facility uploads them, as JSON
// `{ "months": [ { "month", "receipts", "outpatientReceipts" } ] }` or as CSV with the header
// `month,receipts,outpatientReceipts`. Each row is checked on its own; a refused row does not stop
// the others.
import { OqsError, type ErrorCode } from "../errors/catalogue.ts";
import { isValidYyyymmdd } from "./dates.ts";

/** Rows one upload may carry: ten years of months (onshi's own bound; the real system's upload is not public). */
export const MAX_RECEIPT_ROWS = 120;
/** The largest count a month may have: onshi's own bound, for a number that can only be a typing error. */
export const MAX_RECEIPTS = 10_000_000;
export const RECEIPTS_CSV_HEADER = "month,receipts,outpatientReceipts";
const FIELDS: readonly string[] = ["month", "receipts", "outpatientReceipts"];

export interface ReceiptMonth {
  /** YYYY-MM. */
  month: string;
  receipts: number;
  outpatientReceipts: number;
}

export type ReceiptRowReading = { ok: true; value: ReceiptMonth } | { ok: false; code: ErrorCode; field?: string };

/** The rows of a JSON upload as sent; E8900 for another shape, E8902 for no rows or too many. */
export function receiptRowsOfJson(body: unknown): unknown[] {
  const isObject = typeof body === "object" && body !== null && !Array.isArray(body);
  if (!isObject) throw new OqsError("E8900");
  const extra = Object.keys(body).find((name) => name !== "months");
  if (extra !== undefined) throw new OqsError("E8900", extra);
  const { months } = body as { months?: unknown };
  if (!Array.isArray(months)) throw new OqsError("E8900", "months");
  return counted(months);
}

/**
 * The rows of a CSV upload as objects of their fields' text (a UTF-8 BOM, CRLF and a last empty
 * line are allowed); E8901 for another header, E8902 for no rows or too many.
 */
export function receiptRowsOfCsv(text: string): unknown[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  if (lines[0]?.trim() !== RECEIPTS_CSV_HEADER) throw new OqsError("E8901");
  return counted(
    lines.slice(1).map((line) => {
      const cells = line.split(",").map((cell) => cell.trim());
      // A line of another width cannot be read by position: it is refused as a malformed row.
      if (cells.length !== FIELDS.length) return line;
      // Counts are digits; anything else stays text, which the row's check refuses.
      const [month, receipts, outpatientReceipts] = cells.map((cell, i) => (i > 0 && /^[0-9]{1,15}$/.test(cell) ? Number(cell) : cell));
      return { month, receipts, outpatientReceipts };
    }),
  );
}

function counted(rows: unknown[]): unknown[] {
  if (rows.length === 0 || rows.length > MAX_RECEIPT_ROWS) throw new OqsError("E8902");
  return rows;
}

/**
 * Each row checked on its own, in order: its shape (E8908), its month (E8903, E8904 after
 * `currentMonth`, E8907 for a month an earlier row of the upload gave), its counts (E8905) and
 * 外来 ≤ all (E8906). Counts are numbers (JSON) or digits (CSV).
 */
export function readReceiptRows(rows: readonly unknown[], currentMonth: string): ReceiptRowReading[] {
  const seen = new Set<string>();
  return rows.map((row) => {
    const reading = readReceiptRow(row, currentMonth);
    if (!reading.ok) return reading;
    if (seen.has(reading.value.month)) return { ok: false, code: "E8907", field: "month" };
    seen.add(reading.value.month);
    return reading;
  });
}

function readReceiptRow(row: unknown, currentMonth: string): ReceiptRowReading {
  if (typeof row !== "object" || row === null || Array.isArray(row)) return { ok: false, code: "E8908" };
  const fields = row as Record<string, unknown>;
  const extra = Object.keys(fields).find((name) => !FIELDS.includes(name));
  if (extra !== undefined) return { ok: false, code: "E8908", field: extra };
  const { month } = fields;
  if (typeof month !== "string" || !isMonth(month)) return { ok: false, code: "E8903", field: "month" };
  if (month > currentMonth) return { ok: false, code: "E8904", field: "month" };
  const receipts = count(fields.receipts);
  if (receipts === undefined) return { ok: false, code: "E8905", field: "receipts" };
  const outpatientReceipts = count(fields.outpatientReceipts);
  if (outpatientReceipts === undefined) return { ok: false, code: "E8905", field: "outpatientReceipts" };
  if (outpatientReceipts > receipts) return { ok: false, code: "E8906", field: "outpatientReceipts" };
  return { ok: true, value: { month, receipts, outpatientReceipts } };
}

/** YYYY-MM of a real month. */
function isMonth(value: string): boolean {
  return /^\d{4}-\d{2}$/.test(value) && isValidYyyymmdd(`${value.replace("-", "")}01`);
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_RECEIPTS ? value : undefined;
}
