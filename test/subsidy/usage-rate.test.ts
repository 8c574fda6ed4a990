import { test } from "node:test";
import assert from "node:assert/strict";
import { addMonths, atLeastPercent, compare, monthRate, percentText, risenByAtLeast } from "../../src/subsidy/usage-rate.ts";

test("a month's rate is exact; missing fields are named, a zero denominator is told apart", () => {
  const profile = { kind: "medical_clinic" as const, months: { "2023-10": { cardPersons: 15, outpatientReceipts: 100 }, "2023-11": { cardPersons: 3, outpatientReceipts: 0 } } };
  assert.deepEqual(monthRate(profile, "2023-10", "cardPersons", "outpatientReceipts"), { ok: true, month: "2023-10", ratio: { numerator: 15, denominator: 100 } });
  assert.deepEqual(monthRate(profile, "2023-11", "cardPersons", "outpatientReceipts"), { ok: false, month: "2023-11", missing: [], zero: true });
  assert.deepEqual(monthRate(profile, "2023-12", "cardPersons", "outpatientReceipts"), {
    ok: false, month: "2023-12", missing: ["months.2023-12.cardPersons", "months.2023-12.outpatientReceipts"], zero: false,
  });
});

test("thresholds at exactly the boundary count as reached (以上), where floats would not", () => {
  // 0.15 * 100 = 15.000000000000002 in floating point; exact fractions have no such edge.
  assert.equal(atLeastPercent({ numerator: 15, denominator: 100 }, 15), true);
  assert.equal(atLeastPercent({ numerator: 14_999, denominator: 100_000 }, 15), false);
  assert.equal(atLeastPercent({ numerator: 1, denominator: 8 }, 12.5), true);
  // 2023-10 7%, later 12%: exactly +5 pt.
  assert.equal(risenByAtLeast({ numerator: 12, denominator: 100 }, { numerator: 7, denominator: 100 }, 5), true);
  assert.equal(risenByAtLeast({ numerator: 11_999, denominator: 100_000 }, { numerator: 7, denominator: 100 }, 5), false);
  assert.equal(risenByAtLeast({ numerator: 1, denominator: 3 }, { numerator: 0, denominator: 1 }, 33.3333), true);
  assert.equal(compare({ numerator: 1, denominator: 3 }, { numerator: 2, denominator: 6 }), 0);
  assert.equal(percentText({ numerator: 1, denominator: 3 }), "33.33%");
});

test("months shift across years", () => {
  assert.equal(addMonths("2025-01", -3), "2024-10");
  assert.equal(addMonths("2024-11", 2), "2025-01");
  assert.equal(addMonths("2024-12", 0), "2024-12");
});
