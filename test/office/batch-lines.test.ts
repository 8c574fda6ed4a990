// Reading a 取りまとめ者's batch (src/subsidy/batch-lines.ts): each line becomes the application a
// single one would send, or a refusal with its line number, field and code that never stops the
// others; a batch that cannot be read as a whole is refused before any line is.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BatchTextError, MAX_BATCH_LINES, readBatch, splitCsv } from "../../src/subsidy/batch-lines.ts";

const project = { program: "fund-2020", cost: 429000, completedOn: "2021-09-01" };
const application = { facilityCode: "1310100019", program: "fund-2020", profile: { kind: "medical_clinic", projects: [project] } };

test("JSON Lines: one application a line as a single one is sent, blank lines skipped, a line that is no object named by number", () => {
  const text = [JSON.stringify(application), "", "{not json", JSON.stringify([1]), JSON.stringify("text"), JSON.stringify({ ...application, kind: "reader_request" })].join("\r\n");
  const readings = readBatch(text, "jsonl");
  assert.deepEqual(
    readings.map((r) => (r.ok ? [r.line, "ok"] : [r.line, r.code, r.field])),
    [
      [1, "ok"],
      [3, "E9536", "(行全体)"],
      [4, "E9536", "(行全体)"],
      [5, "E9536", "(行全体)"],
      [6, "ok"],
    ],
  );
  assert.deepEqual(readings[0]!.ok && readings[0]!.value, application, "the line as sent: its fields are checked with the application");
  const bad = readings[1]!;
  assert.ok(!bad.ok && bad.message.startsWith("一括申請の行を読み取れません。((行全体)) "), `a Japanese message with the reason: ${!bad.ok && bad.message}`);
});

test("CSV: the header names the columns in any order; empty cells are facts not given; digits and flags are read; the line's project is its programme's", () => {
  const text = [
    "\uFEFFprogram,facilityCode,facilityKind,cost,completedOn,poster,readersProvided,kind",
    "fund-2020,1310100019,medical_clinic,429000,2021-09-01,,,",
    'fund-2020,"1310100027",hospital,12a,2021-09-01,true,2,reader_request',
    "fund-2020,1310100035,pharmacy",
    '"fund-2020,1310100035,1,2,3,4,5,6',
  ].join("\n");
  const readings = readBatch(text, "csv");
  assert.deepEqual(readings[0], { line: 2, ok: true, value: application });
  assert.deepEqual(readings[1]!.ok && readings[1]!.value, {
    facilityCode: "1310100027",
    program: "fund-2020",
    kind: "reader_request",
    profile: { kind: "hospital", poster: true, readersProvided: 2, projects: [{ program: "fund-2020", cost: "12a", completedOn: "2021-09-01" }] },
  });
  assert.deepEqual(
    readings.slice(2).map((r) => (r.ok ? r.line : [r.line, r.code, r.field])),
    [
      [4, "E9536", "(行全体)"],
      [5, "E9536", "(行全体)"],
    ],
  );
});

test("CSV cells: quotes hold commas and doubled quotes; an open quote is no line", () => {
  assert.deepEqual(splitCsv('a,"b,c","d""e",'), ["a", "b,c", 'd"e', ""]);
  assert.equal(splitCsv('a,"b'), null);
});

test("a batch that cannot be read as a whole is refused with one code", () => {
  const refusal = (text: string, format: "csv" | "jsonl") => {
    try {
      readBatch(text, format);
    } catch (error) {
      assert.ok(error instanceof BatchTextError, "a BatchTextError");
      return [error.code, error.field];
    }
    return undefined;
  };
  const header = "facilityCode,program,facilityKind";
  assert.deepEqual(refusal("", "jsonl"), ["E9535", undefined]);
  assert.deepEqual(refusal("\n\n", "csv"), ["E9535", undefined]);
  assert.deepEqual(refusal(`${header}\n`, "csv"), ["E9535", undefined]);
  assert.deepEqual(refusal(`${header},colour\n1,2,3,4`, "csv"), ["E9534", "colour"]);
  assert.deepEqual(refusal(`${header},months\n1,2,3,4`, "csv"), ["E9534", "months"]);
  assert.deepEqual(refusal("facilityCode,facilityKind\n1,2", "csv"), ["E9534", "program"]);
  assert.deepEqual(refusal(`${header},program\n1,2,3,4`, "csv"), ["E9534", "program"]);
  assert.deepEqual(refusal('facilityCode,"program\n1,2', "csv"), ["E9534", "1行目"]);
  const tooMany = Array.from({ length: MAX_BATCH_LINES + 1 }, () => "{}").join("\n");
  assert.deepEqual(refusal(tooMany, "jsonl"), ["E9532", "10,001 行"]);
  assert.equal(readBatch(Array.from({ length: MAX_BATCH_LINES }, () => "{}").join("\n"), "jsonl").length, MAX_BATCH_LINES);
});
