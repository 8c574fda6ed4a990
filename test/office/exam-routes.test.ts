// The examiner's routes and the facility's notices over HTTP, on each database (in process): the
// role guard before the body (E9650 none, E9651 a vendor, E2104 without the CSRF token), the queue
// and the case view, a decision under its Idempotency-Key (E9507 without one, the same answer to a
// retry), the notice's JSON and PDF for its facility's administrator only (another facility's is
// E9566 as if none), sending back, the payment, and a body over the limit.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { addOfficeAccount } from "../../src/services/office-accounts.ts";
import { addStaffAccount } from "../../src/services/staff.ts";
import { apply } from "../../src/services/subsidy-office.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2021-03-01T01:00:00Z");
const PASSWORD = "correct-horse-battery";
type Json = Record<string, any>;
const PROFILE = { kind: "hospital", readersProvided: 1, projects: [{ program: "fund-2020", cost: 2_101_000, readerAppliedOn: "2020-09-01", completedOn: "2021-01-20", readers: 1 }] };

for (const database of testDatabases()) {
  describe(`the examiner's routes on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let address = 1;
    let keys = 0;
    const key = () => `route-${++keys}`;

    const officeSession = async (loginId: string) => {
      const res = await app.inject({ method: "POST", url: "/office/api/sign-in", payload: { loginId, password: PASSWORD }, remoteAddress: `10.7.0.${address++}` });
      assert.equal(res.statusCode, 200, res.body);
      return { cookie: (res.headers["set-cookie"] as string).split(";")[0]!, csrf: res.json().csrfToken as string };
    };
    const staffSession = async (facilityCode: string, loginId: string) => {
      const res = await app.inject({ method: "POST", url: "/terminal/api/sign-in", payload: { facilityCode, loginId, password: PASSWORD }, remoteAddress: `10.6.0.${address++}` });
      assert.equal(res.statusCode, 200, res.body);
      return (res.headers["set-cookie"] as string).split(";")[0]!;
    };
    const get = async (url: string, cookie: string) => {
      const res = await app.inject({ method: "GET", url, headers: { cookie } });
      return { status: res.statusCode, body: String(res.headers["content-type"] ?? "").startsWith("application/json") ? (res.json() as Json) : {}, raw: res.rawPayload, headers: res.headers };
    };
    const post = async (url: string, session: { cookie: string; csrf: string }, payload: unknown, idempotencyKey: string | null = key()) => {
      const headers: Record<string, string> = { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "application/json" };
      if (idempotencyKey !== null) headers["idempotency-key"] = idempotencyKey;
      const res = await app.inject({ method: "POST", url, headers, payload: typeof payload === "string" ? payload : JSON.stringify(payload) });
      return { status: res.statusCode, body: res.json() as Json, headers: res.headers };
    };
    const refused = (res: { status: number; body: Json }, code: string, status: number) => {
      assert.equal(res.body.code, code, JSON.stringify(res.body));
      assert.equal(res.status, status, code);
      assert.match(res.body.message, /[ぁ-んァ-ン一-龥]/, "a Japanese message");
    };
    const applied = (facilityCode: string, kind = "application") =>
      apply(db, { facilityCode, program: "fund-2020", kind, profile: kind === "application" ? PROFILE : { ...PROFILE, projects: [] } }, { role: "facility", accountId: 1, name: "管理者", facilityCode }, NOW);

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens: new TokenService(() => NOW) });
      await addOfficeAccount(db, { loginId: "shinsa", role: "examiner", displayName: "審査 一郎", password: PASSWORD }, NOW);
      await addOfficeAccount(db, { loginId: "torimatome", role: "vendor", displayName: "取りまとめ株式会社", password: PASSWORD }, NOW);
      await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "kanri", role: "clerk", administrator: true, password: PASSWORD }, NOW);
      await addStaffAccount(db, { facilityCode: OTHER_FACILITY.code, loginId: "kanri", role: "clerk", administrator: true, password: PASSWORD }, NOW);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("only an examiner's session reaches the routes, checked before the body is read", async () => {
      const c = await applied(FACILITY.code);
      refused(await get("/office/api/exam/queue", ""), "E9650", 401);
      const vendor = await officeSession("torimatome");
      refused(await get("/office/api/exam/queue", vendor.cookie), "E9651", 403);
      refused(await post(`/office/api/exam/cases/${c.caseId}/decision`, vendor, { outcome: "accept" }), "E9651", 403);
      const examiner = await officeSession("shinsa");
      refused(await post(`/office/api/exam/cases/${c.caseId}/decision`, { ...examiner, csrf: "forged" }, { outcome: "accept" }), "E2104", 403);
      const terminal = await staffSession(FACILITY.code, "kanri");
      refused(await get("/office/api/exam/queue", terminal), "E9650", 401);
      const big = await post(`/office/api/exam/cases/${c.caseId}/decision`, examiner, JSON.stringify({ outcome: "accept", reason: "x".repeat(9000) }));
      refused(big, "E1011", 413);
      await db.query("update subsidy_cases set state = 'cancelled' where case_id = $1", [c.caseId]);
    });

    test("queue, case, decision under its key, the notice in the facility's portal, the payment", async () => {
      const c = await applied(FACILITY.code);
      const examiner = await officeSession("shinsa");
      const queue = await get("/office/api/exam/queue?limit=10", examiner.cookie);
      assert.equal(queue.status, 200);
      assert.deepEqual(queue.body.cases.map((x: Json) => x.caseId), [c.caseId]);
      refused(await get("/office/api/exam/queue?limit=0", examiner.cookie), "E9565", 400);
      const view = await get(`/office/api/exam/cases/${c.caseId}`, examiner.cookie);
      assert.equal(view.status, 200);
      assert.equal(view.body.stateLabel, "申請中");
      assert.equal(view.body.ceiling.yen, c.requestedYen);
      assert.ok(view.body.calculation.reasons.length > 0, "the engine's reasons");
      refused(await get("/office/api/exam/cases/999999", examiner.cookie), "E9500", 404);
      refused(await get("/office/api/exam/cases/abc", examiner.cookie), "E9500", 404);
      refused(await post("/office/api/exam/cases/0/decision", examiner, { outcome: "accept" }), "E9500", 404);
      refused(await get("/office/api/exam/notices/abc/pdf", examiner.cookie), "E9566", 404);

      refused(await post(`/office/api/exam/cases/${c.caseId}/decision`, examiner, { outcome: "accept" }, null), "E9507", 400);
      const k = key();
      const decided = await post(`/office/api/exam/cases/${c.caseId}/decision`, examiner, { outcome: "accept", expectedVersion: 1 }, k);
      assert.equal(decided.status, 200, JSON.stringify(decided.body));
      assert.equal(decided.body.case.state, "decided");
      const retried = await post(`/office/api/exam/cases/${c.caseId}/decision`, examiner, { outcome: "accept", expectedVersion: 1 }, k);
      assert.deepEqual(retried.body, decided.body, "the first answer again");
      refused(await post(`/office/api/exam/cases/${c.caseId}/decision`, examiner, { outcome: "accept", expectedVersion: 1 }), "E9505", 409);

      const admin = await staffSession(FACILITY.code, "kanri");
      const list = await get("/terminal/subsidy/api/notices", admin);
      assert.equal(list.status, 200);
      const notice = list.body.notices.find((n: Json) => n.caseId === c.caseId);
      assert.equal(notice.noticeNumber, decided.body.notice.noticeNumber);
      assert.equal(notice.title, "補助金交付決定通知書");
      const shown = await get(`/terminal/subsidy/api/notices/${notice.noticeId}`, admin);
      assert.equal(shown.body.content.items[0].value, `テスト病院${FACILITY.code}（医療機関コード ${FACILITY.code}）`);
      const pdf = await get(`/terminal/subsidy/api/notices/${notice.noticeId}/pdf`, admin);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers["content-type"], "application/pdf");
      assert.equal(pdf.raw.subarray(0, 5).toString(), "%PDF-");
      const examinerPdf = await get(`/office/api/exam/notices/${notice.noticeId}/pdf`, examiner.cookie);
      assert.ok(examinerPdf.raw.equals(pdf.raw), "the same notice, the same bytes");
      const other = await staffSession(OTHER_FACILITY.code, "kanri");
      const none = await get(`/terminal/subsidy/api/notices/999999`, other);
      refused(await get(`/terminal/subsidy/api/notices/x1`, other), "E9566", 404);
      const notOurs = await get(`/terminal/subsidy/api/notices/${notice.noticeId}`, other);
      refused(notOurs, "E9566", 404);
      assert.deepEqual(notOurs.body, none.body, "another facility's notice is answered as none");
      refused(await get(`/terminal/subsidy/api/notices/${notice.noticeId}/pdf`, other), "E9566", 404);
      assert.deepEqual((await get("/terminal/subsidy/api/notices", other)).body.notices, [], "it lists none of them");

      refused(await post(`/office/api/exam/cases/${c.caseId}/payment`, examiner, { paidOn: "2021-03-02" }), "E9563", 400);
      const paid = await post(`/office/api/exam/cases/${c.caseId}/payment`, examiner, { paidOn: "2021-03-01" });
      assert.equal(paid.body.case.state, "paid");
      assert.equal(paid.body.case.paidOn, "2021-03-01");
    });

    test("sending back takes a reason", async () => {
      const c = await applied(OTHER_FACILITY.code);
      const examiner = await officeSession("shinsa");
      refused(await post(`/office/api/exam/cases/${c.caseId}/send-back`, examiner, {}), "E9503", 400);
      const sent = await post(`/office/api/exam/cases/${c.caseId}/send-back`, examiner, { reason: "見積書の添付がありません" });
      assert.equal(sent.status, 200);
      assert.equal(sent.body.case.state, "sent_back");
      refused(await post(`/office/api/exam/cases/${c.caseId}/decision`, examiner, "{not json"), "E1001", 400);
    });
  });
}
