// Every transition of the case state machine, allowed or not: the rules as read from the 実施要領
// written out by hand and compared with src/subsidy/case-states.ts over state × action × role; then
// on each database every forbidden one refused with its code and nothing changed, every allowed one
// taken; and concurrency: two examiners deciding one case at once leave one decision and a coded
// error, two applications at once one case, a retried request under one key one transition.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { act, apply, idempotent, type CaseActor } from "../../src/services/subsidy-office.ts";
import { actionsFrom, CASE_ACTIONS, CASE_STATES, transitionOf, type ActorRole, type CaseState } from "../../src/subsidy/case-states.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const ROLES: ActorRole[] = ["facility", "vendor", "examiner", "system"];

/** The allowed moves, by hand: action, the states it starts from (null: no case yet), the roles. */
const ALLOWED: [string, (CaseState | null)[], ActorRole[]][] = [
  ["apply", [null], ["facility", "vendor"]],
  ["send_back", ["applied"], ["examiner"]],
  ["resubmit", ["sent_back"], ["facility", "vendor"]],
  ["decide", ["applied"], ["examiner"]],
  ["pay", ["decided", "partly_cancelled"], ["examiner"]],
  ["cancel_part", ["decided", "paid", "partly_cancelled"], ["examiner"]],
  ["cancel", ["decided", "paid", "partly_cancelled"], ["examiner"]],
  ["order_return", ["partly_cancelled", "cancelled"], ["examiner"]],
  ["return_in_full", ["return_ordered"], ["examiner"]],
  ["fall_overdue", ["return_ordered"], ["system", "examiner"]],
  ["settle", ["overdue"], ["examiner"]],
];
const allowed = (state: CaseState | null, action: string, role: ActorRole) => ALLOWED.some(([a, from, by]) => a === action && from.includes(state) && by.includes(role));
/** What a refusal should be: the role first (it never may), then the state. */
const expectedRefusal = (state: CaseState | null, action: string, role: ActorRole) =>
  ALLOWED.some(([a, , by]) => a === action && by.includes(role)) ? "not_from_state" : "not_by_role";

const refusal = (code: string) => (error: unknown) => error instanceof OqsError && error.code === code && /[ぁ-んァ-ン一-龥]/.test(error.message);
const AT = new Date("2021-05-01T03:00:00Z");

test("the state machine allows exactly the moves read from the 実施要領, and refuses the rest by role, then state, then reason", () => {
  for (const state of [null, ...CASE_STATES]) {
    for (const action of CASE_ACTIONS) {
      for (const role of ROLES) {
        const rule = transitionOf(state, action, role, "理由");
        if (allowed(state, action, role)) {
          assert.equal(typeof rule, "object", `${state} ${action} ${role} is allowed`);
          const noReason = transitionOf(state, action, role);
          if (typeof rule === "object" && rule.needsReason) assert.equal(noReason, "reason_needed", `${action} needs a reason`);
        } else {
          assert.equal(rule, expectedRefusal(state, action, role), `${state} ${action} ${role}`);
        }
      }
      assert.deepEqual(
        ROLES.filter((role) => actionsFrom(state, role).includes(action)),
        ROLES.filter((role) => allowed(state, action, role)),
        `actionsFrom(${state}) offers ${action} to exactly its roles`,
      );
    }
  }
  assert.equal(transitionOf("applied", "approve", "examiner"), "unknown_action");
});

for (const database of testDatabases()) {
  describe(`case transitions on ${database.name}`, () => {
    let db: Db;
    const actors = {} as Record<ActorRole, CaseActor>;
    let caseId: number;
    const transitions = async (id = caseId) => Number((await db.query<{ n: number }>("select count(*)::int as n from subsidy_case_transitions where case_id = $1", [id]))[0]!.n);

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      const ids: Record<string, number> = {};
      for (const role of ["vendor", "examiner", "examiner"] as const) {
        const [row] = await db.query<{ account_id: number }>(
          "insert into office_accounts (login_id, display_name, role, password_hash, created_at) values ($1, $1, $2, 'x', now()) returning account_id",
          [`${role}${Object.keys(ids).length}`, role],
        );
        ids[`${role}${Object.keys(ids).length}`] = Number(row!.account_id);
      }
      await db.query("insert into vendor_facilities values ($1, $2, now())", [ids.vendor0, FACILITY.code]);
      actors.facility = { role: "facility", accountId: 1, name: "管理者", facilityCode: FACILITY.code };
      actors.vendor = { role: "vendor", accountId: ids.vendor0!, name: "取りまとめ" };
      actors.examiner = { role: "examiner", accountId: ids.examiner1!, name: "審査 一郎" };
      actors.system = { role: "system", accountId: null, name: "system" };
      const input = {
        facilityCode: FACILITY.code,
        program: "fund-2020",
        profile: { kind: "hospital", readersProvided: 1, projects: [{ program: "fund-2020", cost: 1_000_000, readerAppliedOn: "2021-01-10", completedOn: "2021-03-01", readers: 1 }] },
      };
      caseId = (await apply(db, input, actors.facility, AT)).caseId;
    });
    after(async () => db.close());

    test("every action from every state by every role: forbidden ones refused with their code and nothing changed, allowed ones taken", async () => {
      let refused = 0;
      let taken = 0;
      for (const state of CASE_STATES) {
        for (const action of CASE_ACTIONS) {
          for (const role of ROLES) {
            // The case is put in `state` as a decided case would be, so amounts are there.
            const [before] = await db.query<{ version: number; n: number }>(
              `update subsidy_cases set state = $2, decided_yen = 500000, decided_readers = null, paid_yen = null, paid_on = null where case_id = $1
               returning version, (select count(*)::int from subsidy_case_transitions where case_id = $1) as n`,
              [caseId, state],
            );
            const [version, count] = [Number(before!.version), Number(before!.n)];
            const attempt = act(db, caseId, action, actors[role], AT, { reason: "理由", set: action === "decide" ? { decidedYen: 400_000 } : undefined });
            if (allowed(state, action, role)) {
              const moved = await attempt;
              assert.equal(moved.state, (transitionOf(state, action, role, "理由") as { to: string }).to, `${state} ${action} ${role}`);
              assert.equal(moved.version, version + 1, "the version goes up by one");
              assert.equal(await transitions(), count + 1, "one transition recorded");
              taken++;
            } else {
              await assert.rejects(attempt, refusal(expectedRefusal(state, action, role) === "not_by_role" ? "E9502" : "E9501"), `${state} ${action} ${role}`);
              const [after] = await db.query<{ version: number; state: string; n: number }>(
                "select version, state, (select count(*)::int from subsidy_case_transitions where case_id = $1) as n from subsidy_cases where case_id = $1",
                [caseId],
              );
              assert.deepEqual([after!.state, Number(after!.version), Number(after!.n)], [state, version, count], `${state} ${action} ${role} changed nothing`);
              refused++;
            }
          }
        }
      }
      assert.equal(taken + refused, CASE_STATES.length * CASE_ACTIONS.length * ROLES.length);
      assert.equal(taken, 18, "the allowed (state, action, role) triples from a case");
      await db.query("update subsidy_cases set state = 'cancelled' where case_id = $1", [caseId]);
    });

    test("an action that needs a reason is refused without one (E9503)", async () => {
      await db.query("update subsidy_cases set state = 'applied' where case_id = $1", [caseId]);
      for (const reason of [undefined, "", "   "]) await assert.rejects(act(db, caseId, "send_back", actors.examiner, AT, { reason }), refusal("E9503"));
      await db.query("update subsidy_cases set state = 'cancelled' where case_id = $1", [caseId]);
    });

    test("two examiners deciding one case at once: exactly one decision, a coded error for the other", async () => {
      const other: CaseActor = { ...actors.examiner, accountId: actors.examiner.accountId! + 1, name: "審査 二郎" };
      for (const expectedVersion of [1, undefined]) {
        const c = await apply(db, { facilityCode: OTHER_FACILITY.code, program: "modification-2025", profile: { kind: "hospital", projects: [{ program: "modification-2025", cost: 500_000, completedOn: "2025-06-01", scope: "card_only", agency: "digital" }] } }, { ...actors.facility, facilityCode: OTHER_FACILITY.code }, new Date("2025-07-01T03:00:00Z"));
        await db.query("update subsidy_cases set requested_yen = 100000 where case_id = $1", [c.caseId]);
        const outcomes = await Promise.allSettled([actors.examiner, other].map((who) => act(db, c.caseId, "decide", who, AT, { expectedVersion })));
        const won = outcomes.filter((o) => o.status === "fulfilled");
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
        assert.equal(won.length, 1, "exactly one decision");
        assert.equal(lost.length, 1);
        assert.ok(refusal(expectedVersion === undefined ? "E9501" : "E9505")(lost[0]!.reason), `the other is told (${String(lost[0]!.reason)})`);
        assert.equal(await transitions(c.caseId), 2, "apply and one decide");
        const ledger = await db.query("select 1 from subsidy_ledger where case_id = $1 and entry = 'decided'", [c.caseId]);
        assert.equal(ledger.length, 1, "one 台帳 entry");
      }
    });

    test("two applications at once open one case; a request retried at once under one key moves the case once", async () => {
      const input = { facilityCode: FACILITY.code, program: "modification-da-2024", profile: { kind: "hospital", projects: [{ program: "modification-da-2024", cost: 300_000, completedOn: "2024-05-01", scope: "card_only", agency: "digital" }] } };
      const now = new Date("2024-06-01T03:00:00Z");
      const outcomes = await Promise.allSettled([apply(db, input, actors.facility, now), apply(db, input, actors.vendor, now)]);
      assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, 1, "one case");
      assert.ok(outcomes.some((o) => o.status === "rejected" && refusal("E9506")(o.reason)), "the other E9506");
      const opened = (outcomes.find((o) => o.status === "fulfilled") as PromiseFulfilledResult<{ caseId: number }>).value;
      const request = { op: "send_back", caseId: opened.caseId, reason: "添付漏れ" };
      const run = (tx: Db) => act(tx, opened.caseId, "send_back", actors.examiner, AT, { reason: request.reason }).then((c) => ({ status: 200, body: { state: c.state, version: c.version } }));
      const answers = await Promise.all([1, 2, 3].map(() => idempotent(db, actors.examiner, "retry-key", request, AT, run)));
      for (const answer of answers) assert.deepEqual(answer.body, { state: "sent_back", version: 2 }, "every retry gets the first answer");
      assert.equal(answers.filter((a) => !a.replayed).length, 1, "one request did the work");
      assert.equal(await transitions(opened.caseId), 2, "one send_back");
    });
  });
}
