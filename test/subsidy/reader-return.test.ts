// 第11 返還 of a provided reader (減価償却（５年）に応じた残額) and of the subsidy: seed 002 lines 1397–1405 and
// 第5 1(6) lines 1281–1284 (the 実施要領 extract has no page markers, so cases cite the line).
import { test } from "node:test";
import assert from "node:assert/strict";
import { documentName } from "../../src/subsidy/documents.ts";
import { readerReturn } from "../../src/subsidy/reader-return.ts";
import { inputErrorOf } from "../support/subsidy-input.ts";

const one = { readerCost: 100_000, readers: 1, providedOn: "2021-04-15", subsidy: 0 };

// [at, months used, remaining]: seed 002 l.1405 第11 「減価償却（５年）に応じた残額」, straight line by month.
const cases: [string, number, number][] = [
  ["2021-04-15", 0, 100_000], // cancelled the day it was provided
  ["2021-04-16", 1, 98_333], // a part month counts as a month: 100,000 × 59/60 = 98,333.3 → 98,333
  ["2022-04-15", 12, 80_000], // one year exactly
  ["2022-04-16", 13, 78_333],
  ["2026-04-14", 60, 0], // the 60th month begun
  ["2026-04-15", 60, 0], // five years exactly
  ["2030-01-01", 105, 0], // long after: nothing left, never negative
];
for (const [at, used, remaining] of cases) {
  test(`reader provided 2021-04-15, cancelled ${at}: ${used} months used, ${remaining} yen left`, () => {
    const r = readerReturn({ ...one, at });
    assert.equal(r.monthsUsed, used);
    assert.equal(r.readerRemaining, remaining);
    assert.equal(r.total, remaining);
  });
}

test("month ends: 31 January to 28 February is one month", () => {
  // seed 002 l.1405 第11 (months counted by the calendar: the reading recorded in the module)
  assert.equal(readerReturn({ ...one, providedOn: "2021-01-31", at: "2021-02-28" }).monthsUsed, 1);
  assert.equal(readerReturn({ ...one, providedOn: "2021-01-31", at: "2021-03-01" }).monthsUsed, 2);
});

test("a hospital's three readers and its subsidy: the subsidy is returned undepreciated", () => {
  // seed 002 l.1397-1405 第11 「費用相当額（減価償却（５年）に応じた残額）及び補助金の返還」
  const r = readerReturn({ readerCost: 100_000, readers: 3, providedOn: "2021-04-01", at: "2023-10-01", subsidy: 1_050_000 });
  assert.equal(r.monthsUsed, 30);
  assert.equal(r.readerRemaining, 150_000);
  assert.equal(r.total, 1_200_000);
  assert.match(r.reasons.join("\n"), /第11/);
  assert.deepEqual(r.sources, [`${documentName("online-shikaku-2020")} l.1397–1405 第11`, `${documentName("online-shikaku-2020")} l.1281–1284 第5 1(6)`, `${documentName("online-shikaku-2020")} l.1243–1249 第5 1(2)`]);
});

test("bad input names the field", () => {
  assert.deepEqual(inputErrorOf(() => readerReturn({ ...one, readers: 0, at: "2022-01-01" })), ["E9134", "readers"]);
  assert.deepEqual(inputErrorOf(() => readerReturn({ ...one, at: "2021-04-14" })), ["E9133", "at"]);
  assert.deepEqual(inputErrorOf(() => readerReturn({ ...one, at: "2021/05/01" })), ["E9131", "at"]);
  assert.deepEqual(inputErrorOf(() => readerReturn({ ...one, readerCost: 1.5, at: "2022-01-01" })), ["E9130", "readerCost"]);
});
