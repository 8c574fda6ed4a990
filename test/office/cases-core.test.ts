// The cases store and the generic action on each database: a case opens with its first
// transition, a second live case is refused, an action bumps the version and records who, when
// and why, a stale version is refused E9505, decide and pay append to the 補助金台帳, and a write
// retried under its Idempotency-Key changes nothing twice.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { cancelDecision } from "../../src/services/subsidy-returns.ts";
import { act, idempotent, showCase } from "../../src/services/subsidy-office.ts";
import { openCase, type CaseActor } from "../../src/store/subsidy-case-store.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const AT = new Date("2026-04-01T00:00:00Z");
const refusal = (code: string) => (error: unknown) => error instanceof OqsError && error.code === code && /[ぁ-んァ-ン一-龥]/.test(error.message);

const FACILITY_ACTOR: CaseActor = { role: "facility", accountId: 1, name: "管理者", facilityCode: FACILITY.code };
const EXAMINER: CaseActor = { role: "examiner", accountId: 7, name: "審査 一郎" };

async function newCase(db: Db, requestedYen = 100_000, facilityCode = FACILITY.code, program = "fund-2020") {
  return db.transaction(async (tx) =>
    (await openCase(
      tx,
      { facilityCode, program, kind: "application", application: { project: { program } }, calculation: { amount: requestedYen }, requestedYen, requestedReaders: null },
      { ...FACILITY_ACTOR, facilityCode },
      AT,
    ))!,
  );
}

for (const database of testDatabases()) {
  describe(`subsidy cases on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
    });
    after(async () => db.close());

    test("a case opens in 申請中 at version 1 with its first transition; a second live one is refused", async () => {
      const opened = await newCase(db, 100_000, OTHER_FACILITY.code);
      assert.equal(opened.state, "applied");
      assert.equal(opened.version, 1);
      const again = await db.transaction((tx) =>
        openCase(tx, { facilityCode: OTHER_FACILITY.code, program: "fund-2020", kind: "application", application: {}, calculation: null, requestedYen: null, requestedReaders: null }, FACILITY_ACTOR, AT),
      );
      assert.equal(again, undefined, "the live index refuses a second 申請中 case");
      const shown = await showCase(db, opened.caseId, EXAMINER);
      assert.deepEqual(
        shown.transitions.map((t) => [t.seq, t.fromState, t.toState, t.action, t.actorRole]),
        [[1, null, "applied", "apply", "facility"]],
      );
    });

    test("decide then pay: versions, who and why, and the 台帳 entries", async () => {
      const c = await newCase(db, 250_000);
      const decided = await act(db, c.caseId, "decide", EXAMINER, AT, { expectedVersion: 1, reason: "一部対象外", set: { decidedYen: 200_000 } });
      assert.equal(decided.state, "decided");
      assert.equal(decided.version, 2);
      assert.equal(decided.decidedYen, 200_000);
      const paid = await act(db, c.caseId, "pay", EXAMINER, AT, { expectedVersion: 2, set: { paidOn: "2026-03-31" } });
      assert.equal(paid.paidYen, 200_000, "the decided amount is paid unless said otherwise");
      const ledger = await db.query<{ entry: string; yen: number; fiscal_year: number }>("select entry, yen, fiscal_year from subsidy_ledger where case_id = $1 order by entry_id", [c.caseId]);
      assert.deepEqual(ledger.map((r) => [r.entry, Number(r.yen), Number(r.fiscal_year)]), [
        ["decided", 200_000, 2026],
        ["paid", 200_000, 2025],
      ]);
      const { transitions } = await showCase(db, c.caseId, FACILITY_ACTOR);
      assert.equal(transitions[1]!.reason, "一部対象外");
      assert.equal(transitions[1]!.actorName, "審査 一郎");
    });

    test("a case partly cancelled before payment is paid what is left of its decision, never more", async () => {
      const c = await newCase(db, 200_000, OTHER_FACILITY.code, "modification-2025");
      await act(db, c.caseId, "decide", EXAMINER, AT);
      await cancelDecision(db, c.caseId, EXAMINER, { whole: false, yen: 50_000, ground: "一部が対象外の経費" }, AT);
      await assert.rejects(act(db, c.caseId, "pay", EXAMINER, AT, { set: { paidYen: 150_001 } }), refusal("E9512"), "more than is left");
      const paid = await act(db, c.caseId, "pay", EXAMINER, AT, { set: { paidOn: "2026-04-01" } });
      assert.equal(paid.paidYen, 150_000);
      const [row] = await db.query<{ yen: number }>("select yen from subsidy_ledger where case_id = $1 and entry = 'paid'", [c.caseId]);
      assert.equal(Number(row!.yen), 150_000, "the 台帳 records what was paid");
    });

    test("a reduction without a reason, more than requested, a stale version, another facility: each refused, nothing changed", async () => {
      const c = await newCase(db, 300_000);
      await assert.rejects(act(db, c.caseId, "decide", EXAMINER, AT, { set: { decidedYen: 1 } }), refusal("E9503"));
      await assert.rejects(act(db, c.caseId, "decide", EXAMINER, AT, { set: { decidedYen: 300_001 } }), refusal("E9512"));
      await assert.rejects(act(db, c.caseId, "decide", EXAMINER, AT, { expectedVersion: 2 }), refusal("E9505"));
      await assert.rejects(act(db, c.caseId, "decide", FACILITY_ACTOR, AT), refusal("E9502"));
      await assert.rejects(act(db, c.caseId, "pay", EXAMINER, AT), refusal("E9501"));
      await assert.rejects(act(db, c.caseId, "approve", EXAMINER, AT), refusal("E9504"));
      const other: CaseActor = { ...FACILITY_ACTOR, facilityCode: OTHER_FACILITY.code };
      await assert.rejects(showCase(db, c.caseId, other), refusal("E9500"));
      await assert.rejects(showCase(db, 99_999_999, other), refusal("E9500"));
      const { case: same, transitions } = await showCase(db, c.caseId, EXAMINER);
      assert.equal(same.version, 1, "no refused action moved the case");
      assert.equal(transitions.length, 1);
    });

    test("each bad figure, date or case id given to an action is its own coded refusal, and changes nothing", async () => {
      const c = await newCase(db, 80_000, OTHER_FACILITY.code, "modification-da-2024");
      const bad: [number, string, Parameters<typeof act>[5], string][] = [
        [c.caseId, "decide", { set: { decidedYen: -1 } }, "E9512"],
        [c.caseId, "decide", { set: { decidedYen: 1.5 } }, "E9512"],
        [c.caseId, "decide", { set: { decidedYen: Number.MAX_SAFE_INTEGER } }, "E9512"],
        [c.caseId, "decide", { set: { decidedReaders: -2 }, reason: "台数" }, "E9512"],
        [0, "decide", {}, "E9500"],
        [-1, "decide", {}, "E9500"],
        [Number.NaN, "decide", {}, "E9500"],
      ];
      for (const [caseId, action, options, code] of bad) await assert.rejects(act(db, caseId, action, EXAMINER, AT, options), refusal(code), `${action} ${JSON.stringify(options)}`);
      const decided = await act(db, c.caseId, "decide", EXAMINER, AT);
      assert.equal(decided.version, 2, "only the good decision moved the case");
      for (const paidOn of ["2026-02-30", "yesterday"]) await assert.rejects(act(db, c.caseId, "pay", EXAMINER, AT, { set: { paidOn } }), refusal("E9512"), paidOn);
      await assert.rejects(act(db, c.caseId, "pay", EXAMINER, AT, { set: { paidYen: 80_001 } }), refusal("E9512"), "more than decided");
    });

    test("a write retried under its Idempotency-Key changes nothing twice; another request under it is refused", async () => {
      const target = await newCase(db, 50_000, FACILITY.code, "modification-2025");
      const run = (tx: Db) => act(tx, target.caseId, "send_back", EXAMINER, AT, { reason: "見積書の添付がありません" }).then((moved) => ({ status: 200, body: { version: moved.version } }));
      const first = await idempotent(db, EXAMINER, "key-1", { op: "send_back", caseId: target.caseId }, AT, run);
      const again = await idempotent(db, EXAMINER, "key-1", { caseId: target.caseId, op: "send_back" }, AT, run);
      assert.deepEqual(first, { status: 200, body: { version: 2 } });
      assert.deepEqual(again, { status: 200, body: { version: 2 }, replayed: true });
      await assert.rejects(idempotent(db, EXAMINER, "key-1", { op: "send_back", caseId: target.caseId + 1 }, AT, run), refusal("E9508"));
      await assert.rejects(idempotent(db, EXAMINER, undefined, {}, AT, run), refusal("E9507"));
      await assert.rejects(idempotent(db, EXAMINER, "bad key", {}, AT, run), refusal("E9507"));
      const { transitions } = await showCase(db, target.caseId, EXAMINER);
      assert.equal(transitions.length, 2, "one send_back, not two");
    });
  });
}
