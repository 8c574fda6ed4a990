// Reading a 取りまとめ者's batch (src/subsidy/batch-lines.ts): every kind of bad line is answered
// with its line number, field and code, and never stops the others; a batch that cannot be read as
// a whole is refused before any line is.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BatchTextError, MAX_BATCH_LINES, readBatch, splitCsv } from "../../src/subsidy/batch-lines.ts";

const project = { program: "fund-2020", cost: 429000, completedOn: "2021-09-01", appliedOn: "2021-10-01" };

test("JSON Lines: one application a line, blank lines skipped, each bad line named by number, field and code", () => {
  const text = [
    JSON.stringify({ facility: "1310100019", project }),
    "",
    "{not json",
    JSON.stringify([1]),
    JSON.stringify({ facility: "1310100019", project, colour: "red" }),
    JSON.stringify({ project }),
    JSON.stringify({ facility: "131010001", project }),
    JSON.stringify({ facility: "1310100019", kind: "gift", project }),
    JSON.stringify({ facility: "1310100019", project: { cost: 1 } }),
    JSON.stringify({ facility: "1310100019", project: "fund-2020" }),
    JSON.stringify({ facility: "1310100019", kind: "reader_request", project: { program: "fund-2020", readers: 1 } }),
  ].join("\r\n");
  const readings = readBatch(text, "jsonl");
  const summary = readings.map((r) => (r.ok ? [r.line, "ok", r.value.kind] : [r.line, r.code, r.field]));
  assert.deepEqual(summary, [
    [1, "ok", "application"],
    [3, "E9536", "(行全体)"],
    [4, "E9536", "(行全体)"],
    [5, "E9513", "colour"],
    [6, "E9513", "facility"],
    [7, "E9513", "facility"],
    [8, "E9513", "kind"],
    [9, "E9513", "program"],
    [10, "E9513", "project"],
    [11, "ok", "reader_request"],
  ]);
  const bad = readings.find((r) => !r.ok && r.line === 7);
  assert.ok(bad && !bad.ok && bad.message.includes("(facility)"), "the message names the field");
});

test("CSV: the header names the columns in any order; empty cells are facts not given; digits and flags are read", () => {
  const text = [
    "\uFEFFprogram,facility,cost,completedOn,appliedOn,prefectureAccepted,kind",
    'fund-2020,1310100019,429000,2021-09-01,2021-10-01,,',
    'fund-2020,"1310100027",12a,2021-09-01,2021-10-01,true,application',
    'fund-2020,1310100035,429000',
    '"fund-2020,1310100035,1,2,3,4,5',
    ',1310100043,1,,,,',
  ].join("\n");
  const readings = readBatch(text, "csv");
  assert.deepEqual(readings[0], { line: 2, ok: true, value: { facility: "1310100019", kind: "application", project } });
  assert.ok(readings[1]!.ok, "a quoted cell is read without its quotes");
  assert.deepEqual(readings[1]!.ok && readings[1]!.value.project, { program: "fund-2020", cost: "12a", completedOn: "2021-09-01", appliedOn: "2021-10-01", prefectureAccepted: true });
  assert.deepEqual(
    readings.slice(2).map((r) => (r.ok ? r.line : [r.line, r.code, r.field])),
    [
      [4, "E9536", "(行全体)"],
      [5, "E9536", "(行全体)"],
      [6, "E9513", "program"],
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
  assert.deepEqual(refusal("", "jsonl"), ["E9535", undefined]);
  assert.deepEqual(refusal("\n\n", "csv"), ["E9535", undefined]);
  assert.deepEqual(refusal("facility,program\n", "csv"), ["E9535", undefined]);
  assert.deepEqual(refusal("facility,program,colour\n1,2,3", "csv"), ["E9534", "colour"]);
  assert.deepEqual(refusal("facility,cost\n1,2", "csv"), ["E9534", "program"]);
  assert.deepEqual(refusal("facility,program,facility\n1,2,3", "csv"), ["E9534", "facility"]);
  assert.deepEqual(refusal('facility,"program\n1,2', "csv"), ["E9534", "1行目"]);
  const tooMany = Array.from({ length: MAX_BATCH_LINES + 1 }, () => "{}").join("\n");
  assert.deepEqual(refusal(tooMany, "jsonl"), ["E9532", "10,001 行"]);
  assert.equal(readBatch(Array.from({ length: MAX_BATCH_LINES }, () => "{}").join("\n"), "jsonl").length, MAX_BATCH_LINES);
});
