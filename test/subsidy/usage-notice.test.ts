// The notice's pure rules at their boundaries: the issue day (M + 2, across a year), the latest
// notice of a day, the 算定月s a 診療月 counts for as dx-addition.json's rate rule says (the
// transitional online basis of 算定 2024-10〜2025-01 at both ends, the first 算定月 with a rule),
// whether a result turns on a month, and the tier as the notice words it.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { SubsidyResult } from "../../src/subsidy/engine.ts";
import { calculationMonthsFed, dxTierText, latestNoticeMonth, noticeIssuedOn, turnsOnMonth } from "../../src/subsidy/usage-notice.ts";

test("the notice of a 診療月 is issued on the 11th of the month two later (its receipts are in), across a year's end", () => {
  for (const [month, issued] of [
    ["2025-01", "2025-03-11"],
    ["2024-11", "2025-01-11"],
    ["2024-12", "2025-02-11"],
  ]) {
    assert.equal(noticeIssuedOn(month!), issued, month);
  }
  for (const [today, latest] of [
    ["2025-03-11", "2025-01"],
    ["2025-03-10", "2024-12"],
    ["2025-01-31", "2024-11"],
    ["2025-01-10", "2024-10"],
  ]) {
    assert.equal(latestNoticeMonth(today!), latest, today);
    assert.ok(noticeIssuedOn(latestNoticeMonth(today!)) <= today!, `the latest notice on ${today} is issued by then`);
  }
});

const fed = (month: string) => calculationMonthsFed(month).map((f) => `${f.month}:${f.bases.join("+")}`);

test("a 診療月 counts for the 算定月s whose rule names it: N−3〜N−5 on the receipt basis, N−2〜N−4 on the count basis for 算定 2024-10〜2025-01", () => {
  const table: [string, string[]][] = [
    // 2024-05 is the oldest month of 2024-10's receipt window; no 算定月 before 2024-10 has a rule.
    ["2024-04", []],
    ["2024-05", ["2024-10:receipt"]],
    ["2024-06", ["2024-10:receipt+online", "2024-11:receipt"]],
    ["2024-07", ["2024-10:receipt+online", "2024-11:receipt+online", "2024-12:receipt"]],
    // 2024-11's count-basis rate counts for 2025-01 only: 2025-02 is receipt-basis only.
    ["2024-11", ["2025-01:online", "2025-02:receipt", "2025-03:receipt", "2025-04:receipt"]],
    ["2024-12", ["2025-03:receipt", "2025-04:receipt", "2025-05:receipt"]],
    ["2025-06", ["2025-09:receipt", "2025-10:receipt", "2025-11:receipt"]],
  ];
  for (const [month, expected] of table) assert.deepEqual(fed(month), expected, month);
  const [april] = calculationMonthsFed("2025-01");
  assert.deepEqual(april!.window, [
    { month: "2024-11", basis: "receipt" },
    { month: "2024-12", basis: "receipt" },
    { month: "2025-01", basis: "receipt" },
  ]);
  assert.match(april!.source, /N−3〜N−5/);
});

const result = (r: Partial<SubsidyResult>): SubsidyResult => ({ program: "p", eligible: null, amount: null, reasons: [], sources: [], ...r });

test("a result turns on the month when its verdict, its amount or the fields it needs differ without it", () => {
  assert.equal(turnsOnMonth(result({ eligible: true, amount: 100 }), result({ eligible: true, amount: 100 })), false);
  assert.equal(turnsOnMonth(result({ eligible: true }), result({ eligible: null })), true);
  assert.equal(turnsOnMonth(result({ eligible: true, amount: 100 }), result({ eligible: true, amount: 90 })), true);
  assert.equal(turnsOnMonth(result({ missing: ["months.2024-05.receipts"] }), result({ missing: ["months.2024-05.receipts", "months.2024-06.cardPersons"] })), true);
});

test("the tier as stated: a tier with its points, a floor, candidates, none, or open", () => {
  assert.equal(dxTierText(result({ eligible: true, details: { tier: 2, tierLabel: "医療DX推進体制整備加算2", points: 11 } })), "医療DX推進体制整備加算2 (11点)");
  assert.equal(dxTierText(result({ eligible: true, details: { tier: 4, tierLabel: "医療DX推進体制整備加算4", points: null } })), "医療DX推進体制整備加算4");
  assert.equal(dxTierText(result({ eligible: true, details: { tier: null, tierAtLeast: [3] } })), "少なくとも医療DX推進体制整備加算3");
  assert.equal(dxTierText(result({ eligible: true, details: { tier: null, tierCandidates: [1, 4] } })), "医療DX推進体制整備加算1 または 医療DX推進体制整備加算4");
  assert.equal(dxTierText(result({ eligible: false, amount: 0 })), "算定できません");
  assert.equal(dxTierText(result({ eligible: null })), "判定できません");
});
