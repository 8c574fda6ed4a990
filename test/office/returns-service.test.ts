// Cancellation (第10, seed 002 l.1381–1393), return (第11, l.1397–1405) and 延滞金 (第12, l.1409–1427)
// through the subsidy office's service on both databases: the figures stored and shown are
// readerReturn's and lateInterest's for the same inputs, and each state move is one transition
// with its 補助金台帳 entry.
import { test } from "node:test";
import assert from "node:assert/strict";
import { OqsError } from "../../src/errors/catalogue.ts";
import { returnStatementPdf } from "../../src/services/subsidy-return-pdf.ts";
import { cancelDecision, orderReturn, recordReturnPayment, returnStatement, sweepOverdueReturns } from "../../src/services/subsidy-returns.ts";
import { listTransitions, loadCase } from "../../src/store/subsidy-case-store.ts";
import { lateInterest } from "../../src/subsidy/late-interest.ts";
import { readerReturn } from "../../src/subsidy/reader-return.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY } from "../support/fixture.ts";
import { codeOf, day, ledgerOf, paidCase, setUp } from "./returns-fixture.ts";

for (const database of testDatabases()) {
  test(`${database.name}: cancelled in part after payment, ordered to return and returned by the deadline`, async () => {
    const db = await database.open();
    try {
      const actors = await setUp(db);
      const id = await paidCase(db, actors, 1_000_000, 2, "2021-04-01");
      const cancelled = await cancelDecision(db, id, actors.examiner, { whole: false, yen: 300_000, readers: 1, ground: "補助対象外の機器の購入 (第10)" }, day("2022-04-01"));
      assert.equal(cancelled.state, "partly_cancelled");
      const ordered = await orderReturn(db, id, actors.examiner, { deadline: "2022-06-30", readerCost: 99_000, ground: "第11 返還命令" }, day("2022-04-01"));
      // seed 002 l.1397-1405 第11: the reader at its depreciated value on the day of the cancellation
      const expected = readerReturn({ readerCost: 99_000, readers: 1, providedOn: "2021-04-01", at: "2022-04-01", subsidy: 300_000 });
      assert.equal(ordered.order.readerYen, expected.readerRemaining);
      assert.equal(ordered.order.subsidyYen, expected.subsidy);
      assert.equal(ordered.amounts.total, expected.total);
      assert.equal(ordered.case.state, "return_ordered");

      const paid = await recordReturnPayment(db, id, actors.examiner, { paidOn: "2022-06-30", yen: expected.total }, day("2022-07-05"));
      assert.equal(paid.case.state, "returned");
      assert.equal(paid.balance.interestDue, 0);
      assert.deepEqual(await ledgerOf(db, id), [
        ["cancelled", "2022-04-01", -300_000, -1],
        ["return_ordered", "2022-04-01", expected.total, 1],
        ["returned", "2022-06-30", expected.total, 0],
      ]);
      assert.deepEqual(
        (await listTransitions(db, id)).map((t) => [t.action, t.actorRole]),
        [["apply", "facility"], ["decide", "examiner"], ["pay", "examiner"], ["cancel_part", "examiner"], ["order_return", "examiner"], ["return_in_full", "examiner"]],
      );
      assert.equal(await codeOf(recordReturnPayment(db, id, actors.examiner, { paidOn: "2022-07-01", yen: 1 }, day("2022-07-05"))), "E9598");
    } finally {
      await db.close();
    }
  });

  test(`${database.name}: the deadline passes unpaid, the sweep makes it 延滞中, the 延滞金 is lateInterest's, paid in full it is 完済`, async () => {
    const db = await database.open();
    try {
      const actors = await setUp(db);
      const id = await paidCase(db, actors, 1_000_000, 0, "2021-04-01");
      await cancelDecision(db, id, actors.examiner, { whole: true, ground: "虚偽の報告 (第10)" }, day("2022-01-10"));
      await orderReturn(db, id, actors.examiner, { deadline: "2022-03-31", ground: "第11 返還命令" }, day("2022-01-10"));
      await recordReturnPayment(db, id, actors.examiner, { paidOn: "2022-03-01", yen: 400_000 }, day("2022-03-02"));
      assert.deepEqual(await sweepOverdueReturns(db, "2022-03-31", day("2022-03-31")), [], "the deadline itself is not late");
      assert.deepEqual(await sweepOverdueReturns(db, "2022-04-01", day("2022-04-01")), [id]);
      assert.deepEqual(await sweepOverdueReturns(db, "2022-04-02", day("2022-04-02")), [], "a second sweep moves nothing");
      const overdue = (await listTransitions(db, id)).at(-1)!;
      assert.deepEqual([overdue.action, overdue.actorRole, overdue.toState], ["fall_overdue", "system", "overdue"]);

      // seed 002 l.1411-1427 第12: the same figures as lateInterest for the same payments
      const payments = [{ on: "2022-03-01", yen: 400_000 }];
      const owed = lateInterest({ principal: 1_000_000, received: "2021-04-01", deadline: "2022-03-31", payments, at: "2022-09-30" });
      const statement = await returnStatement(db, FACILITY.code, "2022-09-30");
      assert.equal(statement.cases.length, 1);
      assert.deepEqual(statement.cases[0]!.balance!.lateInterest, owed);
      assert.equal(statement.totals.interestDue, owed.interestOutstanding);
      assert.equal(statement.totals.principalOutstanding, owed.principalOutstanding);

      const rest = owed.principalOutstanding + owed.interestOutstanding!;
      const almost = await recordReturnPayment(db, id, actors.examiner, { paidOn: "2022-09-30", yen: rest - 1 }, day("2022-10-01"));
      assert.equal(almost.case.state, "overdue", "one yen short is not settled");
      const settled = await recordReturnPayment(db, id, actors.examiner, { paidOn: "2022-09-30", yen: 1 }, day("2022-10-01"));
      assert.equal(settled.case.state, "settled");
      const final = lateInterest({ principal: 1_000_000, received: "2021-04-01", deadline: "2022-03-31", payments: [...payments, { on: "2022-09-30", yen: rest - 1 }, { on: "2022-09-30", yen: 1 }] });
      assert.deepEqual((await ledgerOf(db, id)).slice(-2), [
        ["returned", "2022-09-30", 1_000_000, 0],
        ["interest", "2022-09-30", final.interest!, 0],
      ]);
      assert.equal(final.interest, owed.interest);

      const pdf = await returnStatementPdf(await returnStatement(db, FACILITY.code, "2022-10-01"));
      assert.equal(pdf.subarray(0, 5).toString(), "%PDF-", "a PDF");
      assert.ok(pdf.equals(await returnStatementPdf(await returnStatement(db, FACILITY.code, "2022-10-01"))), "the same statement gives the same bytes");
    } finally {
      await db.close();
    }
  });

  test(`${database.name}: a payment after the deadline while the sweep has not run moves the case through 延滞中`, async () => {
    const db = await database.open();
    try {
      const actors = await setUp(db);
      const id = await paidCase(db, actors, 500_000, 0, "2021-04-01");
      await cancelDecision(db, id, actors.examiner, { whole: true, ground: "目的外使用" }, day("2022-01-10"));
      await orderReturn(db, id, actors.examiner, { deadline: "2022-03-31", ground: "返還命令" }, day("2022-01-10"));
      const paid = await recordReturnPayment(db, id, actors.examiner, { paidOn: "2022-04-01", yen: 500_000 }, day("2022-04-02"));
      assert.equal(paid.case.state, "overdue", "延滞金 still owed: 第12 3 took it from the payment first");
      assert.deepEqual((await listTransitions(db, id)).slice(-1).map((t) => t.actorRole), ["system"]);
      assert.equal(paid.balance.interestDue, 0);
      assert.equal(paid.balance.principalOutstanding, lateInterest({ principal: 500_000, received: "2021-04-01", deadline: "2022-03-31", payments: [{ on: "2022-04-01", yen: 500_000 }] }).principalOutstanding);
      assert.equal(await codeOf(recordReturnPayment(db, id, actors.examiner, { paidOn: "2022-03-31", yen: 10 }, day("2022-04-02"))), "E9596", "before the last payment");
    } finally {
      await db.close();
    }
  });

  test(`${database.name}: refusals are coded, change nothing, and another facility's statement is answered as none`, async () => {
    const db = await database.open();
    try {
      const actors = await setUp(db);
      const paid = await paidCase(db, actors, 600_000, 1, "2021-04-01");
      const unpaid = await paidCase(db, actors, 600_000, 0, null, OTHER_FACILITY.code);
      const ex = actors.examiner;
      const now = day("2022-04-01");
      assert.equal(await codeOf(cancelDecision(db, paid, ex, { whole: false, ground: "x" }, now)), "E9590");
      assert.equal(await codeOf(cancelDecision(db, paid, ex, { whole: false, yen: 600_001, ground: "x" }, now)), "E9591");
      assert.equal(await codeOf(cancelDecision(db, paid, ex, { whole: false, readers: 2, ground: "x" }, now)), "E9591");
      assert.equal(await codeOf(cancelDecision(db, paid, ex, { whole: false, yen: 1.5, ground: "x" }, now)), "E9512");
      assert.equal(await codeOf(cancelDecision(db, paid, ex, { whole: true, ground: " " }, now)), "E9503");
      assert.equal(await codeOf(cancelDecision(db, paid, actors.facility, { whole: true, ground: "x" }, now)), "E9502");
      assert.equal(await codeOf(cancelDecision(db, 99_999, ex, { whole: true, ground: "x" }, now)), "E9500");
      assert.equal(await codeOf(orderReturn(db, paid, ex, { deadline: "2022-06-30", ground: "x" }, now)), "E9501", "no return order before a cancellation");
      await cancelDecision(db, unpaid, ex, { whole: true, ground: "辞退" }, now);
      assert.equal(await codeOf(orderReturn(db, unpaid, ex, { deadline: "2022-06-30", ground: "x" }, now)), "E9592", "nothing paid, nothing to return (第11)");
      await cancelDecision(db, paid, ex, { whole: false, yen: 100_000, readers: 1, ground: "条件違反" }, now);
      assert.equal(await codeOf(orderReturn(db, paid, ex, { deadline: "2022-03-31", readerCost: 99_000, ground: "x" }, now)), "E9593");
      assert.equal(await codeOf(orderReturn(db, paid, ex, { deadline: "2022-06-30", ground: "x" }, now)), "E9594");
      assert.equal(await codeOf(recordReturnPayment(db, paid, ex, { paidOn: "2022-04-01", yen: 10 }, now)), "E9595");
      await orderReturn(db, paid, ex, { deadline: "2022-06-30", readerCost: 99_000, ground: "x" }, now);
      assert.equal(await codeOf(orderReturn(db, paid, ex, { deadline: "2022-06-30", readerCost: 99_000, ground: "x" }, now)), "E9501", "one order per case");
      assert.equal(await codeOf(recordReturnPayment(db, paid, ex, { paidOn: "2022-03-31", yen: 10 }, now)), "E9596");
      assert.equal(await codeOf(recordReturnPayment(db, paid, ex, { paidOn: "2022-04-02", yen: 10 }, now)), "E9596");
      assert.equal(await codeOf(recordReturnPayment(db, paid, ex, { paidOn: "2022-4-1", yen: 10 }, now)), "E9596");
      assert.equal(await codeOf(recordReturnPayment(db, paid, ex, { paidOn: "2022-04-01", yen: 0 }, now)), "E9597");
      assert.equal(await codeOf(returnStatement(db, FACILITY.code, "2022-13-01")), "E9599");
      assert.equal(await codeOf(returnStatement(db, "0000000000", "2022-04-01")), "E9600");
      assert.equal(await codeOf(sweepOverdueReturns(db, "yesterday", now)), "E9599");
      const version = (await loadCase(db, paid))!.version;
      assert.equal((await db.query("select * from subsidy_return_payments")).length, 0, "no refused payment stored");
      assert.equal(version, 5, "apply, decide, pay, cancel_part, order_return: nothing else moved it");
    } finally {
      await db.close();
    }
  });

  test(`${database.name}: two examiners cancelling the same case at once: exactly one outcome, the other a coded refusal`, async () => {
    const db = await database.open();
    try {
      const actors = await setUp(db);
      const id = await paidCase(db, actors, 800_000, 0, "2021-04-01");
      const seen = (await loadCase(db, id))!.version;
      const results = await Promise.allSettled([0, 1].map(() => cancelDecision(db, id, actors.examiner, { whole: false, yen: 500_000, ground: "二重の請求", expectedVersion: seen }, day("2022-01-01"))));
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1, "one cancellation");
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      assert.ok(refused.reason instanceof OqsError && refused.reason.code === "E9505", `the other: E9505, not ${String(refused.reason)}`);
      assert.deepEqual((await ledgerOf(db, id)).map((e) => e[2]), [-500_000]);
    } finally {
      await db.close();
    }
  });
}
