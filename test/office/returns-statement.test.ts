// The return order's amounts (第11, seed 002 l.1397–1405) and its balance on any day (第12, l.1409–1427)
// are the existing calculators' answers, read by the deadline: a table at each boundary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lateInterest } from "../../src/subsidy/late-interest.ts";
import { readerReturn } from "../../src/subsidy/reader-return.ts";
import { returnBalance, returnOrderAmounts } from "../../src/subsidy/return-statement.ts";
import { inputErrorOf } from "../support/subsidy-input.ts";

const order = { principal: 1_000_000, receivedOn: "2021-04-01", deadline: "2022-03-31" };

// [at, payments, standing, principal outstanding, 延滞金 due]
const standings: [string, { on: string; yen: number }[], string, number, number | null][] = [
  ["2022-03-01", [], "open", 1_000_000, 0], // before the deadline: nothing late yet (reading)
  ["2022-03-31", [{ on: "2022-03-31", yen: 1_000_000 }], "returned", 0, 0], // paid on the deadline: l.1411 第12 1
  ["2022-03-31", [{ on: "2022-03-01", yen: 400_000 }], "open", 600_000, 0], // the deadline itself is not yet late
  ["2022-04-01", [], "overdue", 1_000_000, 30_000], // one day past: interest from the receipt, 365 days
  ["2022-04-01", [{ on: "2022-04-01", yen: 1_000_000 }], "overdue", 30_000, 0], // l.1423 第12 3: 延滞金 first
  // the 30,000 left earns 30,000 × 3% × 30 / 365 = 73 more: settled only when that is paid too
  ["2022-05-01", [{ on: "2022-04-01", yen: 1_000_000 }, { on: "2022-05-01", yen: 30_000 }], "overdue", 0, 73],
  ["2022-05-01", [{ on: "2022-04-01", yen: 1_000_000 }, { on: "2022-05-01", yen: 30_073 }], "settled", 0, 0],
  ["2022-04-15", [{ on: "2022-04-01", yen: 1_000_000 }, { on: "2022-05-01", yen: 30_073 }], "overdue", 30_000, 34], // a later payment is not counted yet
];
for (const [at, payments, standing, principalOutstanding, interestDue] of standings) {
  test(`return of 1,000,000 yen received 2021-04-01, deadline 2022-03-31, on ${at} after ${payments.length} payment(s): ${standing}`, () => {
    const b = returnBalance({ ...order, payments, at });
    assert.equal(b.standing, standing);
    assert.equal(b.principalOutstanding, principalOutstanding);
    assert.equal(b.interestDue, interestDue);
    assert.equal(b.paid, payments.filter((p) => p.on <= at).reduce((s, p) => s + p.yen, 0));
  });
}

test("after the deadline the balance is lateInterest's answer for the same inputs, figure for figure", () => {
  // seed 002 l.1411-1427 第12 1-3
  const payments = [
    { on: "2021-09-30", yen: 400_000 },
    { on: "2022-04-01", yen: 500_000 },
  ];
  const input = { principal: 1_000_000, received: "2021-04-01", deadline: "2021-09-30", payments, at: "2022-10-01" };
  const expected = lateInterest(input);
  const b = returnBalance({ principal: 1_000_000, receivedOn: "2021-04-01", deadline: "2021-09-30", payments, at: "2022-10-01" });
  assert.deepEqual(b.lateInterest, expected);
  assert.equal(b.principalOutstanding, expected.principalOutstanding);
  assert.equal(b.interestDue, expected.interestOutstanding);
  assert.equal(b.interestPaid, expected.interestPaid);
});

test("before the deadline the 延滞金 if it passes unpaid is lateInterest's accrued interest, and none is due", () => {
  // seed 002 l.1411 第12 1: 延滞金 arises only when the deadline passes (reading: shown apart until then)
  const b = returnBalance({ ...order, payments: [{ on: "2021-10-01", yen: 100_000 }], at: "2022-01-01" });
  const li = lateInterest({ principal: 1_000_000, received: "2021-04-01", deadline: "2022-03-31", payments: [{ on: "2021-10-01", yen: 100_000 }], at: "2022-01-01" });
  assert.equal(b.interestDue, 0);
  assert.equal(b.interestIfLate, li.interestOutstanding);
  assert.equal(b.principalOutstanding, 900_000);
});

test("a receipt whose 法定利率 is not published: 延滞金 unknown, never settled", () => {
  // late-interest.ts LEGAL_RATES: from 2029-04 the rate is not fixed
  const b = returnBalance({ principal: 500_000, receivedOn: "2029-05-01", deadline: "2029-12-31", payments: [{ on: "2030-02-01", yen: 600_000 }], at: "2030-03-01" });
  assert.equal(b.standing, "overdue");
  assert.equal(b.interestDue, null);
});

test("the order's parts: the subsidy as cancelled, the readers at readerReturn's depreciated value on each cancellation's day", () => {
  // seed 002 l.1397-1405 第11 「費用相当額（減価償却（５年）に応じた残額）及び補助金の返還」
  const cancellations = [
    { on: "2022-04-01", yen: 300_000, readers: 1, ground: "目的外使用" },
    { on: "2023-10-01", yen: 200_000, readers: 0, ground: "虚偽報告" },
  ];
  const a = returnOrderAmounts({ paidOn: "2021-04-01", paidYen: 1_000_000, cancellations, readerCost: 99_000 });
  const first = readerReturn({ readerCost: 99_000, readers: 1, providedOn: "2021-04-01", at: "2022-04-01", subsidy: 300_000 });
  assert.deepEqual(a.parts[0]!.readerReturn, first);
  assert.equal(a.readerYen, first.readerRemaining);
  assert.equal(a.readerYen, 79_200); // 99,000 × 48/60
  assert.equal(a.subsidyYen, 500_000);
  assert.equal(a.total, 579_200);
});

test("the subsidy part never exceeds what was paid", () => {
  // seed 002 l.1397-1405 第11 「当該取消しに係る部分に関し、既に…交付されているときは」
  const a = returnOrderAmounts({ paidOn: "2021-04-01", paidYen: 400_000, cancellations: [{ on: "2022-01-01", yen: 900_000, readers: 0, ground: "x" }] });
  assert.equal(a.subsidyYen, 400_000);
});

test("bad orders name their code and field", () => {
  assert.deepEqual(inputErrorOf(() => returnOrderAmounts({ paidOn: "2021-04-01", paidYen: 1, cancellations: [] })), ["E9592", "cancellations"]);
  assert.deepEqual(inputErrorOf(() => returnOrderAmounts({ paidOn: "2021-04-01", paidYen: 0, cancellations: [{ on: "2022-01-01", yen: 5, readers: 0, ground: "x" }] })), ["E9592", "cancellations"]);
  assert.deepEqual(inputErrorOf(() => returnOrderAmounts({ paidOn: "2021-04-01", paidYen: 10, cancellations: [{ on: "2022-01-01", yen: 5, readers: 2, ground: "x" }] })), ["E9594", "readerCost"]);
  assert.deepEqual(inputErrorOf(() => returnBalance({ ...order, payments: [], at: "2022-02-30" })), ["E9131", "at"]);
});
