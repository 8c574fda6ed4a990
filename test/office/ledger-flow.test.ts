// The 補助金台帳 as the office's other parts write it, on each database: a reader request provided
// and an application decided, paid, partly cancelled (第10), ordered to return (第11) and returned
// by its deadline, through their own services; the ledger then holds every step once, in order,
// its sums agree with the case, and the retention day (第5 1(5), seed 002 l.1263–1279) follows from
// the project's completion as applied.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { facilityLedgerView, ledgerTotalsView, requestDisposal } from "../../src/services/subsidy-ledger.ts";
import { act, apply, type CaseActor } from "../../src/services/subsidy-office.ts";
import { cancelDecision, orderReturn, recordReturnPayment } from "../../src/services/subsidy-returns.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, loadFixture } from "../support/fixture.ts";

const on = (day: string) => new Date(`${day}T03:00:00Z`);
const ME: CaseActor = { role: "facility", accountId: 1, name: "管理者", facilityCode: FACILITY.code };
const profile = (project: Record<string, unknown>) => ({ kind: "hospital", readersProvided: 2, projects: [{ program: "fund-2020", ...project }] });

for (const database of testDatabases()) {
  describe(`the 補助金台帳 written by the office's transitions on ${database.name}`, () => {
    let db: Db;
    let decided = 0;
    let readerCase = 0;
    let EXAMINER: CaseActor;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
      const [row] = await db.query<{ account_id: number }>("insert into office_accounts (login_id, display_name, role, password_hash, created_at) values ('shinsa', '審査 花子', 'examiner', 'x', now()) returning account_id");
      EXAMINER = { role: "examiner", accountId: row!.account_id, name: "審査 花子" };
      const request = await apply(db, { facilityCode: FACILITY.code, program: "fund-2020", kind: "reader_request", profile: profile({ readers: 2 }) }, ME, on("2020-08-01"));
      await act(db, request.caseId, "decide", EXAMINER, on("2020-09-01"), { reason: "2台を提供", set: { decidedYen: 0, decidedReaders: 2 } });
      await act(db, request.caseId, "pay", EXAMINER, on("2020-10-01"), { set: { paidOn: "2020-10-01" } });
      readerCase = request.caseId;

      const application = await apply(
        db,
        { facilityCode: FACILITY.code, program: "fund-2020", profile: profile({ cost: 2_000_000, readerAppliedOn: "2021-01-10", completedOn: "2021-03-01", readers: 1 }) },
        ME,
        on("2021-04-01"),
      );
      decided = (await act(db, application.caseId, "decide", EXAMINER, on("2021-05-01"))).decidedYen!;
      await act(db, application.caseId, "pay", EXAMINER, on("2021-05-20"), { set: { paidOn: "2021-05-20" } });
      await cancelDecision(db, application.caseId, EXAMINER, { whole: false, yen: 100_000, ground: "目的外使用" }, on("2021-06-01"));
      await orderReturn(db, application.caseId, EXAMINER, { deadline: "2021-07-31", ground: "一部取消しによる返還" }, on("2021-06-02"));
      await recordReturnPayment(db, application.caseId, EXAMINER, { paidOn: "2021-07-15", yen: 100_000 }, on("2021-07-15"));
    });
    after(async () => db.close());

    test("every step once, in order, and sums that agree with the case", async () => {
      const view = await facilityLedgerView(db, EXAMINER, FACILITY.code, on("2021-08-01"));
      assert.deepEqual(
        view.entries.map((e) => [e.entry, e.onDate]),
        [
          ["decided", "2020-09-01"],
          ["readers_distributed", "2020-10-01"],
          ["decided", "2021-05-01"],
          ["paid", "2021-05-20"],
          ["cancelled", "2021-06-01"],
          ["return_ordered", "2021-06-02"],
          ["returned", "2021-07-15"],
        ],
      );
      const all = view.sums.find((s) => s.program === null)!;
      assert.ok(decided > 100_000, `the engine's amount was decided: ${decided}`);
      assert.deepEqual(
        [all.readersDistributed, all.decidedYen, all.paidYen, all.cancelledYen, all.returnOrderedYen, all.returnedYen, all.interestYen],
        [2, decided, decided, -100_000, 100_000, 100_000, 0],
      );
      const totals = await ledgerTotalsView(db, { program: "fund-2020" });
      assert.deepEqual(
        totals.rows.filter((r) => r.program === null && r.fiscalYear !== null).map((r) => [r.fiscalYear, r.readersDistributed, r.paidYen]),
        [
          [2020, 2, 0],
          [2021, 0, decided],
        ],
      );
    });

    test("the retention day follows from the completion as applied and the day the readers were provided", async () => {
      const { retention } = await facilityLedgerView(db, EXAMINER, FACILITY.code, on("2021-08-01"));
      assert.deepEqual(
        retention.projects.map((p) => p.keepUntil),
        ["2026-03-31", "2026-03-31"],
        "completed 2021-03-01 and provided 2020-10-01: both in 年度 2020; the readers' life (2025-10-01) ends first",
      );
      assert.equal(retention.keepUntil, "2026-03-31");
    });

    test("readers cancelled after provision are no longer the facility's to dispose of with approval", async () => {
      const admin: CaseActor = { ...ME, accountId: Number((await db.query<{ id: number }>("insert into staff_accounts (medical_institution_code, login_id, display_name, role, administrator, password_hash, created_at) values ($1, 'kanri', '管理者', 'clerk', true, 'x', now()) returning account_id as id", [FACILITY.code]))[0]!.id) };
      await cancelDecision(db, readerCase, EXAMINER, { whole: false, readers: 1, ground: "1台を目的外使用" }, on("2021-08-01"));
      const ask = (readers: number) => requestDisposal(db, admin, `dispose-${readers}`, { caseId: readerCase, readers, reason: "故障", plannedOn: "2021-09-01" }, on("2021-08-02"));
      await assert.rejects(ask(2), (e: unknown) => e instanceof OqsError && e.code === "E9628", "2 provided, 1 cancelled after provision");
      assert.equal((await ask(1)).status, 201);
    });
  });
}
