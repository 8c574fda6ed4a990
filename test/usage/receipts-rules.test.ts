// The receipts upload's rules, at each boundary: the shape of a JSON or CSV upload, the row count,
// and each row's month, counts and 外来 ≤ all.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAX_RECEIPT_ROWS, MAX_RECEIPTS, readReceiptRows, receiptRowsOfCsv, receiptRowsOfJson } from "../../src/domain/usage-receipts.ts";
import { OqsError } from "../../src/errors/catalogue.ts";

const CURRENT = "2026-04";
const row = (over: Record<string, unknown> = {}) => ({ month: "2026-03", receipts: 100, outpatientReceipts: 90, ...over });
const readOne = (r: unknown) => readReceiptRows([r], CURRENT)[0]!;
const refusedWith = (code: string, element?: string) => (e: unknown) => e instanceof OqsError && e.code === code && e.element === element;

describe("receipts upload rules", () => {
  test("each row's month, counts and 外来 ≤ all, at their boundaries", () => {
    const table: [string, unknown, string | null, string?][] = [
      ["a month before this one", row(), null],
      ["this month (Japan time)", row({ month: "2026-04" }), null],
      ["next month", row({ month: "2026-05" }), "E8904", "month"],
      ["month 13", row({ month: "2026-13" }), "E8903", "month"],
      ["month 00", row({ month: "2026-00" }), "E8903", "month"],
      ["YYYYMM", row({ month: "202603" }), "E8903", "month"],
      ["a number for the month", row({ month: 202603 }), "E8903", "month"],
      ["no month", { receipts: 1, outpatientReceipts: 1 }, "E8903", "month"],
      ["0 receipts", row({ receipts: 0, outpatientReceipts: 0 }), null],
      ["the largest count", row({ receipts: MAX_RECEIPTS, outpatientReceipts: MAX_RECEIPTS }), null],
      ["one above it", row({ receipts: MAX_RECEIPTS + 1 }), "E8905", "receipts"],
      ["a negative count", row({ receipts: -1 }), "E8905", "receipts"],
      ["a fraction", row({ outpatientReceipts: 1.5 }), "E8905", "outpatientReceipts"],
      ["a count as text in JSON", row({ receipts: "100" }), "E8905", "receipts"],
      ["no 外来 count", { month: "2026-03", receipts: 1 }, "E8905", "outpatientReceipts"],
      ["外来 equal to all", row({ receipts: 90, outpatientReceipts: 90 }), null],
      ["外来 one above all", row({ receipts: 90, outpatientReceipts: 91 }), "E8906", "outpatientReceipts"],
      ["a field of another name", row({ inpatientReceipts: 10 }), "E8908", "inpatientReceipts"],
      ["not an object", [1, 2, 3], "E8908"],
      ["null", null, "E8908"],
    ];
    for (const [name, value, code, field] of table) {
      const reading = readOne(value);
      if (code === null) assert.ok(reading.ok, `${name}: ${JSON.stringify(reading)}`);
      else assert.deepEqual(reading, { ok: false, code, ...(field ? { field } : {}) }, name);
    }
  });

  test("a month given twice: the first row stands, the later ones are refused", () => {
    const readings = readReceiptRows([row(), row({ receipts: 200 }), row({ month: "2026-02" }), row()], CURRENT);
    assert.deepEqual(
      readings.map((r) => (r.ok ? r.value.month : r.code)),
      ["2026-03", "E8907", "2026-02", "E8907"],
    );
    assert.equal(readings[0]!.ok && readings[0]!.value.receipts, 100);
  });

  test("JSON: an object with months only, 1 to MAX_RECEIPT_ROWS rows", () => {
    assert.equal(receiptRowsOfJson({ months: Array(MAX_RECEIPT_ROWS).fill(row()) }).length, MAX_RECEIPT_ROWS);
    assert.throws(() => receiptRowsOfJson({ months: Array(MAX_RECEIPT_ROWS + 1).fill(row()) }), refusedWith("E8902"));
    assert.throws(() => receiptRowsOfJson({ months: [] }), refusedWith("E8902"));
    assert.throws(() => receiptRowsOfJson([row()]), refusedWith("E8900"));
    assert.throws(() => receiptRowsOfJson(undefined), refusedWith("E8900"));
    assert.throws(() => receiptRowsOfJson({ months: row() }), refusedWith("E8900", "months"));
    assert.throws(() => receiptRowsOfJson({ months: [row()], facility: "1310100019" }), refusedWith("E8900", "facility"));
  });

  test("CSV: the header, then one month a line; a BOM, CRLF and a last empty line are fine", () => {
    const rows = receiptRowsOfCsv("\uFEFFmonth,receipts,outpatientReceipts\r\n2026-03,100,90\r\n2026-02, 80 ,70\r\n");
    assert.deepEqual(rows, [row(), { month: "2026-02", receipts: 80, outpatientReceipts: 70 }]);
    assert.throws(() => receiptRowsOfCsv("month,receipts\n2026-03,100\n"), refusedWith("E8901"));
    assert.throws(() => receiptRowsOfCsv(""), refusedWith("E8901"));
    assert.throws(() => receiptRowsOfCsv("month,receipts,outpatientReceipts\n"), refusedWith("E8902"));
    const many = "month,receipts,outpatientReceipts\n" + "2026-03,1,1\n".repeat(MAX_RECEIPT_ROWS + 1);
    assert.throws(() => receiptRowsOfCsv(many), refusedWith("E8902"));
    const readings = readReceiptRows(receiptRowsOfCsv("month,receipts,outpatientReceipts\n2026-03,100\n2026-02,1e3,5\n2026-01,,5\n"), CURRENT);
    assert.deepEqual(
      readings.map((r) => (r.ok ? "ok" : `${r.code} ${r.field ?? ""}`)),
      ["E8908 ", "E8905 receipts", "E8905 receipts"],
    );
  });
});
