// 第12 延滞金 (seed 002 lines 1409–1427; the 実施要領 extract has no page markers, so cases cite the line).
import { test } from "node:test";
import assert from "node:assert/strict";
import { lateInterest, periodInterest } from "../../src/subsidy/late-interest.ts";
import { inputErrorOf } from "../support/subsidy-input.ts";

const base = { principal: 1_000_000, received: "2021-04-01", deadline: "2022-03-31" };

test("returned in full on the deadline: no 延滞金", () => {
  // seed 002 l.1411 第12 1 「返還すべき期限までに返還しなかったときは」
  const r = lateInterest({ ...base, payments: [{ on: "2022-03-31", yen: 1_000_000 }] });
  assert.equal(r.late, false);
  assert.equal(r.interest, 0);
  assert.deepEqual(r.periods, []);
  assert.equal(r.principalOutstanding, 0);
  assert.equal(r.payments[0]!.toPrincipal, 1_000_000);
});

test("one day late: interest runs from the receipt, 365 days, and the payment goes to 延滞金 first", () => {
  // seed 002 l.1411-1419 第12 1 (受領の日から返還の日まで), l.1423 第12 3 (まず延滞金の額に充てられた)
  const r = lateInterest({ ...base, payments: [{ on: "2022-04-01", yen: 1_000_000 }] });
  assert.equal(r.late, true);
  assert.equal(r.ratePercent, 3);
  assert.deepEqual(
    r.periods.map((p) => [p.from, p.to, p.days, p.principal, p.interest]),
    [["2021-04-02", "2022-04-01", 365, 1_000_000, 30_000]],
  );
  assert.equal(r.payments[0]!.toInterest, 30_000);
  assert.equal(r.payments[0]!.toPrincipal, 970_000);
  assert.equal(r.principalOutstanding, 30_000);
  assert.match(r.payments[0]!.reason, /第12 3/);
});

test("a period with 29 February: 366 days over a 365-day year", () => {
  // seed 002 l.1421 第12 2 「閏年の日を含む期間についても、365日当たりの割合」
  const r = lateInterest({ principal: 1_000_000, received: "2023-06-01", deadline: "2023-12-31", payments: [{ on: "2024-06-01", yen: 2_000_000 }] });
  assert.equal(r.periods[0]!.days, 366);
  assert.equal(r.interest, 30_082); // 1,000,000 × 3% × 366 / 365 = 30,082.19 → 30,082
  assert.equal(r.payments[0]!.excess, 2_000_000 - 1_000_000 - 30_082);
  assert.equal(r.principalOutstanding, 0);
});

test("the same 366 days outside a leap year's February earn the same: the divisor is always 365", () => {
  // seed 002 l.1421 第12 2
  assert.equal(periodInterest(1_000_000, 3, 366), 30_082);
  assert.equal(periodInterest(1_000_000, 3, 365), 30_000);
  assert.equal(periodInterest(100, 3, 1), 0); // 0.0082 yen truncated
});

test("partial payments: one on the deadline, the rest later; the part beyond the subsidy goes to principal first", () => {
  // seed 002 l.1411-1427 第12 1 and 3
  const r = lateInterest({
    principal: 1_000_000,
    received: "2021-04-01",
    deadline: "2021-09-30",
    payments: [
      { on: "2022-04-01", yen: 700_000 },
      { on: "2021-09-30", yen: 400_000 },
    ],
  });
  assert.equal(r.late, true);
  assert.deepEqual(
    r.periods.map((p) => [p.from, p.to, p.days, p.principal, p.interest]),
    [
      ["2021-04-02", "2021-09-30", 182, 1_000_000, 14_958],
      ["2021-10-01", "2022-04-01", 183, 614_958, 9_249],
    ],
  );
  assert.deepEqual(
    r.payments.map((p) => [p.on, p.toInterest, p.toPrincipal, p.excess]),
    [
      ["2021-09-30", 14_958, 385_042, 0],
      ["2022-04-01", 9_249, 614_958, 75_793],
    ],
  );
  assert.equal(r.interest, 24_207);
  assert.equal(r.interestOutstanding, 0);
  assert.equal(r.principalOutstanding, 0);
});

test("partial payment by the deadline does not avoid 延滞金", () => {
  // seed 002 l.1411 第12 1
  const r = lateInterest({ ...base, payments: [{ on: "2022-03-31", yen: 999_999 }] });
  assert.equal(r.late, true);
  assert.equal(r.periods[0]!.days, 364);
});

test("nothing paid: the balance on --at", () => {
  // seed 002 l.1411-1419 第12 1
  const r = lateInterest({ principal: 100_000, received: "2022-01-01", deadline: "2022-06-30", payments: [], at: "2023-01-01" });
  assert.equal(r.interest, 3_000);
  assert.equal(r.interestOutstanding, 3_000);
  assert.equal(r.principalOutstanding, 100_000);
  assert.match(r.reasons.join("\n"), /未返還/);
});

test("the rate is the 法定利率 of the day interest first arises; unpublished periods answer null", () => {
  // seed 002 l.1413 第12 1 「令和２年４月以降年 3.0％…法定利率」
  const early = lateInterest({ principal: 1_000, received: "2020-03-30", deadline: "2020-12-31", payments: [] , at: "2021-01-01"});
  assert.equal(early.interest, null);
  const edge = lateInterest({ principal: 1_000, received: "2020-03-31", deadline: "2020-12-31", payments: [], at: "2021-01-01" });
  assert.equal(edge.ratePercent, 3);
  const later = lateInterest({ principal: 1_000, received: "2029-04-01", deadline: "2029-12-31", payments: [], at: "2030-01-01" });
  assert.equal(later.interest, null);
  assert.match(later.reasons.join("\n"), /公表されていません/);
});

test("bad input names the field", () => {
  assert.deepEqual(inputErrorOf(() => lateInterest({ ...base, principal: -1, payments: [] })), ["E9130", "principal"]);
  assert.deepEqual(inputErrorOf(() => lateInterest({ ...base, received: "2021-02-30", payments: [] })), ["E9131", "received"]);
  assert.deepEqual(inputErrorOf(() => lateInterest({ ...base, payments: [{ on: "2021-03-01", yen: 1 }] })), ["E9133", "payments[0].on"]);
  assert.deepEqual(inputErrorOf(() => lateInterest({ ...base, deadline: "2021-01-01", payments: [] })), ["E9133", "deadline"]);
  assert.deepEqual(inputErrorOf(() => lateInterest({ ...base, payments: [{ on: "2022-05-01", yen: 1 }], at: "2022-04-01" })), ["E9133", "at"]);
});
