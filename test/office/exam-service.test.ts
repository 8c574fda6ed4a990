// Examination and decision on each database (src/services/subsidy-exam.ts): the queue oldest first
// and paged, the case beside the engine's calculation recomputed at the application date, accept,
// reduce and send back with their refusals, the decision notice stored with the decision and
// readable by its facility only, two examiners deciding at once, a retried decision, the payment's
// date, and a reader provision request decided and delivered.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { decideCase, examinerQueue, examView, facilityNotices, readableNotice, recordPayment, sendBackCase, type ExamContext } from "../../src/services/subsidy-exam.ts";
import { apply, showCase } from "../../src/services/subsidy-office.ts";
import { cancelDecision, orderReturn } from "../../src/services/subsidy-returns.ts";
import type { CaseActor, SubsidyCase } from "../../src/store/subsidy-case-store.ts";
import { calculate } from "../../src/subsidy/engine.ts";
import { loadPrograms } from "../../src/subsidy/program-data.ts";
import type { FacilityProfile, Project } from "../../src/subsidy/profile.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2021-03-01T10:00:00+09:00");
const PROGRAMS = loadPrograms();
const PROFILE: FacilityProfile = { kind: "hospital", readersProvided: 1 };
/** A hospital with one reader: 別表1-1's row, 2,101,000 yen of work at the 10/10 measure. */
const PROJECT: Project = { program: "fund-2020", cost: 2_101_000, readerAppliedOn: "2020-09-01", completedOn: "2021-01-20", readers: 1 };
/** The engine at the application date (the day apply() receives it). */
const CALCULATED = calculate({ ...PROFILE, projects: [{ ...PROJECT, appliedOn: "2021-03-01" }] }, "2021-03-01", PROGRAMS, "fund-2020").results[0]!;

const EXAMINER: CaseActor = { role: "examiner", accountId: 7, name: "審査 一郎" };
const SECOND_EXAMINER: CaseActor = { role: "examiner", accountId: 8, name: "審査 二郎" };
const refusal = (code: string) => (error: unknown) => {
  assert.ok(error instanceof OqsError, `an OqsError, not ${String(error)}`);
  assert.equal(error.code, code);
  assert.match(error.message, /[ぁ-んァ-ン一-龥]/, "a Japanese message");
  return true;
};

let keys = 0;
const key = () => `k-${++keys}`;

for (const database of testDatabases()) {
  describe(`examination and decision on ${database.name}`, () => {
    let db: Db;
    let ctx: ExamContext;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
      ctx = { db, now: () => NOW, programs: PROGRAMS };
    });
    after(async () => db.close());

    /** A facility's application (or reader provision request) in 申請中, through the cases' apply(); `calculation` replaces the engine's. */
    async function applied(over: { facilityCode?: string; kind?: "application" | "reader_request"; calculation?: object } = {}): Promise<SubsidyCase> {
      const facilityCode = over.facilityCode ?? FACILITY.code;
      const kind = over.kind ?? "application";
      const projects = kind === "application" ? [PROJECT] : [];
      const opened = await apply(db, { facilityCode, program: "fund-2020", kind, profile: { ...PROFILE, projects } }, { role: "facility", accountId: 1, name: "管理者", facilityCode }, NOW);
      if (!over.calculation) return opened;
      const amount = (over.calculation as { amount?: number | null }).amount ?? null;
      await db.query("update subsidy_cases set calculation = $2, requested_yen = $3 where case_id = $1", [opened.caseId, JSON.stringify(over.calculation), amount]);
      return { ...opened, calculation: over.calculation as Record<string, unknown> };
    }

    /** Takes every live case out of the queue (a test's own state; the live index frees the programme). */
    async function clean(): Promise<void> {
      await db.exec("update subsidy_cases set state = 'cancelled' where state in ('applied', 'sent_back')");
    }
    const noticesOf = async (caseId: number) => (await facilityNotices(db, FACILITY.code)).filter((n) => n.caseId === caseId);

    test("the queue lists 申請中 cases oldest first, a page at a time", async () => {
      await clean();
      const a = await applied();
      const b = await applied({ facilityCode: OTHER_FACILITY.code });
      const c = await applied({ kind: "reader_request" });
      const first = await examinerQueue(db, { limit: "2" });
      assert.equal(first.waiting, 3);
      assert.deepEqual(first.cases.map((x) => x.caseId), [a.caseId, b.caseId]);
      assert.equal(first.next, b.caseId);
      assert.equal(first.cases[0]!.calculatedYen, CALCULATED.amount);
      assert.match(first.cases[0]!.facilityName, /テスト病院/);
      const second = await examinerQueue(db, { after: String(first.next), limit: "2" });
      assert.deepEqual(second.cases.map((x) => x.caseId), [c.caseId]);
      assert.equal(second.next, null, "the last page");
      await decideCase(ctx, EXAMINER, a.caseId, { outcome: "accept" }, key());
      assert.deepEqual((await examinerQueue(db, {})).cases.map((x) => x.caseId), [b.caseId, c.caseId], "a decided case leaves the queue");
      for (const bad of [{ limit: "0" }, { limit: "201" }, { limit: "x" }, { after: "-1" }, { after: "1e3" }]) {
        await assert.rejects(examinerQueue(db, bad), refusal("E9565"), JSON.stringify(bad));
      }
    });

    test("the case view sets the application beside the engine's calculation and its recomputation", async () => {
      await clean();
      const c = await applied();
      const view = await examView(ctx, c.caseId, EXAMINER);
      assert.equal(view.stateLabel, "申請中");
      assert.equal(view.programName, PROGRAMS.find((p) => p.id === "fund-2020")!.name);
      assert.equal(view.application.project?.cost, PROJECT.cost);
      assert.deepEqual(view.calculation?.reasons, CALCULATED.reasons);
      assert.ok((view.calculation?.sources as string[]).length > 0, "the engine's sources");
      assert.equal(view.recomputed.result?.amount, CALCULATED.amount);
      assert.ok(view.recomputed.sameAmount && view.recomputed.sameEligibility, "recomputed at the application date, the same");
      assert.deepEqual(view.ceiling, { yen: CALCULATED.amount, readers: null, acceptRefusal: null });
      assert.deepEqual(view.actions.sort(), ["decide", "send_back"]);
      await assert.rejects(examView(ctx, 999_999, EXAMINER), refusal("E9500"));
    });

    test("accept decides the calculated amount, with its transition, 台帳 entry and notice in one go", async () => {
      await clean();
      const c = await applied();
      const answer = await decideCase(ctx, EXAMINER, c.caseId, { outcome: "accept", expectedVersion: 1 }, key());
      assert.equal(answer.status, 200);
      const decided = answer.body.case;
      assert.equal(decided.state, "decided");
      assert.equal(decided.decidedYen, CALCULATED.amount);
      assert.equal(decided.version, 2);
      const { transitions } = await showCase(db, c.caseId, EXAMINER);
      const t = transitions.at(-1)!;
      assert.deepEqual([t.seq, t.action, t.actorRole, t.actorAccount, t.actorName], [2, "decide", "examiner", 7, "審査 一郎"]);
      assert.deepEqual(t.documents, [{ kind: "decision_notice", number: answer.body.notice!.noticeNumber }]);
      const ledger = await db.query<{ entry: string; yen: number; on_date: string }>("select entry, yen, on_date from subsidy_ledger where case_id = $1", [c.caseId]);
      assert.deepEqual(ledger, [{ entry: "decided", yen: CALCULATED.amount, on_date: "2021-03-01" }]);
      const notices = await noticesOf(c.caseId);
      assert.equal(notices.length, 1);
      const notice = notices[0]!;
      assert.equal(notice.noticeNumber, `支基補第2021-${c.caseId}-2号`);
      assert.equal(notice.issuedOn, "2021-03-01");
      assert.equal(notice.content.title, "補助金交付決定通知書");
      assert.equal((notice.content.conditions as unknown[]).length, 6);
      assert.deepEqual(await readableNotice(db, notice.noticeId, FACILITY.code), notice, "its facility reads it");
      assert.deepEqual(await readableNotice(db, notice.noticeId, null), notice, "an examiner reads it");
      await assert.rejects(readableNotice(db, notice.noticeId, OTHER_FACILITY.code), refusal("E9566"), "another facility's: as if none");
      await assert.rejects(readableNotice(db, 999_999, FACILITY.code), refusal("E9566"), "none");
      for (const sql of ["update subsidy_notices set content = '{}' where notice_id = $1", "delete from subsidy_notices where notice_id = $1"]) {
        await assert.rejects(db.query(sql, [notice.noticeId]), /kept as issued/, `${sql.split(" ")[0]} refused: a notice is kept as issued`);
      }
      await assert.rejects(decideCase(ctx, EXAMINER, c.caseId, { outcome: "accept" }, key()), refusal("E9501"), "a decided case is not decided again");
    });

    test("reduce decides less with the reason; a refused decision changes nothing", async () => {
      await clean();
      const c = await applied();
      const before = await db.query("select count(*)::int as n from subsidy_ledger");
      await assert.rejects(decideCase(ctx, EXAMINER, c.caseId, { outcome: "reduce", yen: 1_000 }, key()), refusal("E9503"));
      await assert.rejects(decideCase(ctx, EXAMINER, c.caseId, { outcome: "reduce", yen: CALCULATED.amount! + 1, reason: "x" }, key()), refusal("E9560"));
      await assert.rejects(decideCase(ctx, EXAMINER, c.caseId, { outcome: "reduce", yen: CALCULATED.amount, reason: "x" }, key()), refusal("E9567"));
      await assert.rejects(decideCase(ctx, EXAMINER, c.caseId, { outcome: "grant" }, key()), refusal("E9564"));
      await assert.rejects(decideCase(ctx, EXAMINER, c.caseId, { outcome: "reduce", yen: "1000", reason: "x" }, key()), refusal("E9564"));
      await assert.rejects(decideCase(ctx, EXAMINER, c.caseId, { outcome: "accept", expectedVersion: 0 }, key()), refusal("E9564"));
      await assert.rejects(decideCase(ctx, EXAMINER, c.caseId, [], key()), refusal("E9564"));
      await assert.rejects(decideCase(ctx, EXAMINER, c.caseId, { outcome: "accept" }, undefined), refusal("E9507"));
      assert.deepEqual(await db.query("select count(*)::int as n from subsidy_ledger"), before, "nothing on the 台帳");
      assert.equal((await showCase(db, c.caseId, EXAMINER)).case.version, 1, "the case did not move");
      assert.equal((await noticesOf(c.caseId)).length, 0, "no notice");
      const answer = await decideCase(ctx, EXAMINER, c.caseId, { outcome: "reduce", yen: 1_000_000, reason: "見積書の金額と異なるため" }, key());
      assert.equal(answer.body.case.decidedYen, 1_000_000);
      const t = (await showCase(db, c.caseId, EXAMINER)).transitions.at(-1)!;
      assert.equal(t.reason, "見積書の金額と異なるため");
      const notice = (await noticesOf(c.caseId))[0]!;
      const items = Object.fromEntries((notice.content.items as { label: string; value: string }[]).map((i) => [i.label, i.value]));
      assert.equal(items["交付決定額"], "1,000,000円");
      assert.equal(items["申請額"], `${CALCULATED.amount!.toLocaleString("en")}円`);
      assert.equal(items["申請と異なる決定の理由"], "見積書の金額と異なるため");
    });

    test("an application the engine now computes lower is not accepted as stored; one it cannot compute is only sent back", async () => {
      await clean();
      const inflated = await applied({ calculation: { ...CALCULATED, amount: CALCULATED.amount! + 1_000 } });
      await assert.rejects(decideCase(ctx, EXAMINER, inflated.caseId, { outcome: "accept" }, key()), refusal("E9568"));
      const view = await examView(ctx, inflated.caseId, EXAMINER);
      assert.equal(view.recomputed.sameAmount, false, "the view shows the difference");
      await decideCase(ctx, EXAMINER, inflated.caseId, { outcome: "reduce", yen: CALCULATED.amount, reason: "算定の訂正" }, key());
      const unknown = await applied({ facilityCode: OTHER_FACILITY.code, calculation: { eligible: null, amount: null, reasons: ["不明"], sources: [] } });
      await assert.rejects(decideCase(ctx, EXAMINER, unknown.caseId, { outcome: "accept" }, key()), refusal("E9561"));
    });

    test("two examiners deciding one case at once: exactly one decision, a coded error for the other", async () => {
      await clean();
      const c = await applied();
      const results = await Promise.allSettled([
        decideCase(ctx, EXAMINER, c.caseId, { outcome: "accept", expectedVersion: 1 }, key()),
        decideCase(ctx, SECOND_EXAMINER, c.caseId, { outcome: "reduce", yen: 1_000, reason: "一部対象外", expectedVersion: 1 }, key()),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      assert.equal(won.length, 1, "one outcome");
      assert.equal(lost.length, 1);
      refusal("E9505")(lost[0]!.reason);
      const { transitions } = await showCase(db, c.caseId, EXAMINER);
      assert.deepEqual(transitions.map((t) => t.action), ["apply", "decide"], "one decision recorded");
      assert.equal((await db.query("select * from subsidy_ledger where case_id = $1", [c.caseId])).length, 1, "one 台帳 entry");
      assert.equal((await db.query("select * from subsidy_notices where case_id = $1", [c.caseId])).length, 1, "one notice");
    });

    test("a retried decision (same Idempotency-Key) answers the first again and changes nothing", async () => {
      await clean();
      const c = await applied();
      const k = key();
      const first = await decideCase(ctx, EXAMINER, c.caseId, { outcome: "accept" }, k);
      const again = await decideCase(ctx, EXAMINER, c.caseId, { outcome: "accept" }, k);
      assert.equal(again.replayed, true);
      assert.deepEqual(again.body, JSON.parse(JSON.stringify(first.body)), "the first answer");
      assert.equal((await showCase(db, c.caseId, EXAMINER)).transitions.length, 2, "one decision");
      assert.equal((await db.query("select * from subsidy_notices where case_id = $1", [c.caseId])).length, 1);
      await assert.rejects(decideCase(ctx, EXAMINER, c.caseId, { outcome: "reduce", yen: 1, reason: "x" }, k), refusal("E9508"), "another request under the key");
    });

    test("send back needs a reason; a sent-back case is not decided until resubmitted", async () => {
      await clean();
      const c = await applied();
      await assert.rejects(sendBackCase(ctx, EXAMINER, c.caseId, {}, key()), refusal("E9503"));
      await assert.rejects(sendBackCase(ctx, EXAMINER, c.caseId, { reason: " " }, key()), refusal("E9503"));
      await assert.rejects(sendBackCase(ctx, { role: "facility", accountId: 1, name: "管理者", facilityCode: FACILITY.code }, c.caseId, { reason: "x" }, key()), refusal("E9502"), "its own facility may not");
      await assert.rejects(decideCase(ctx, { role: "facility", accountId: 1, name: "管理者", facilityCode: FACILITY.code }, c.caseId, { outcome: "accept" }, key()), refusal("E9502"));
      await assert.rejects(decideCase(ctx, { role: "facility", accountId: 2, name: "管理者", facilityCode: OTHER_FACILITY.code }, c.caseId, { outcome: "accept" }, key()), refusal("E9500"), "another facility: as if none");
      const answer = await sendBackCase(ctx, EXAMINER, c.caseId, { reason: "領収書の添付がありません", expectedVersion: 1 }, key());
      assert.equal(answer.body.case.state, "sent_back");
      await assert.rejects(decideCase(ctx, EXAMINER, c.caseId, { outcome: "accept" }, key()), refusal("E9501"));
      assert.deepEqual((await examinerQueue(db, {})).cases.map((x) => x.caseId), [], "out of the queue");
    });

    test("the payment is recorded with its date, from the decision's day to today; 支払済 with the amount decided", async () => {
      await clean();
      const c = await applied();
      await assert.rejects(recordPayment(ctx, EXAMINER, c.caseId, { paidOn: "2021-03-01" }, key()), refusal("E9501"), "not decided yet");
      await decideCase(ctx, EXAMINER, c.caseId, { outcome: "accept" }, key());
      for (const paidOn of ["2021-02-28", "2021-03-02", "2021-02-30", "20210301", undefined]) {
        await assert.rejects(recordPayment(ctx, EXAMINER, c.caseId, { paidOn }, key()), refusal("E9563"), String(paidOn));
      }
      const answer = await recordPayment(ctx, EXAMINER, c.caseId, { paidOn: "2021-03-01", expectedVersion: 2 }, key());
      assert.equal(answer.body.case.state, "paid");
      assert.equal(answer.body.case.paidOn, "2021-03-01");
      assert.equal(answer.body.case.paidYen, CALCULATED.amount);
      const ledger = await db.query<{ entry: string; yen: number; on_date: string }>("select entry, yen, on_date from subsidy_ledger where case_id = $1 order by entry_id", [c.caseId]);
      assert.deepEqual(ledger.at(-1), { entry: "paid", yen: CALCULATED.amount, on_date: "2021-03-01" });
    });

    test("the payment's date is the receipt a return order's 延滞金 counts from (第12 1)", async () => {
      await clean();
      const c = await applied();
      await decideCase(ctx, EXAMINER, c.caseId, { outcome: "accept" }, key());
      await recordPayment(ctx, EXAMINER, c.caseId, { paidOn: "2021-03-01" }, key());
      await cancelDecision(db, c.caseId, EXAMINER, { whole: true, ground: "虚偽の報告 (第10)" }, new Date("2022-01-10T10:00:00+09:00"));
      const { order } = await orderReturn(db, c.caseId, EXAMINER, { deadline: "2022-03-31", ground: "第11 返還命令" }, new Date("2022-01-10T10:00:00+09:00"));
      assert.equal(order.receivedOn, "2021-03-01", "the payment's date recorded here");
      assert.equal(order.subsidyYen, CALCULATED.amount, "the whole amount paid");
    });

    test("a reader provision request: readers decided, the 提供決定 notice, delivery as 提供済", async () => {
      await clean();
      const c = await applied({ kind: "reader_request" });
      await assert.rejects(decideCase(ctx, EXAMINER, c.caseId, { outcome: "reduce", readers: 2, reason: "x" }, key()), refusal("E9562"));
      const answer = await decideCase(ctx, EXAMINER, c.caseId, { outcome: "accept" }, key());
      assert.equal(answer.body.case.decidedReaders, 1);
      const notice = (await noticesOf(c.caseId))[0]!;
      assert.equal(notice.content.title, "顔認証付きカードリーダー提供決定通知書");
      await recordPayment(ctx, EXAMINER, c.caseId, { paidOn: "2021-03-01" }, key());
      const ledger = await db.query<{ entry: string; readers: number }>("select entry, readers from subsidy_ledger where case_id = $1 order by entry_id", [c.caseId]);
      assert.deepEqual(ledger.at(-1), { entry: "readers_distributed", readers: 1 });
    });
  });
}
