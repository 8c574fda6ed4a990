// The office accounts and their role guard on each database, as a browser meets them (in process):
// `onshi office account` rules; sign-in at /office with its one refusal and its cookie's flags;
// requireOfficeRole checking the session, the CSRF token and the role before any body is read;
// expiry and sign-out; a facility's subsidy routes open to its administrator only.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { SESSION_IDLE_MS } from "../../src/domain/staff.ts";
import { answerWithErrorBodies } from "../../src/http/error-body.ts";
import { officeSession, requireOfficeRole } from "../../src/http/office-session.ts";
import { buildServer } from "../../src/http/server.ts";
import { requireSubsidyAdministrator, staffSession } from "../../src/http/staff-session.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { addOfficeAccount, disableOffice, OfficeSessions } from "../../src/services/office-accounts.ts";
import { addStaffAccount, StaffSessions } from "../../src/services/staff.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, loadFixture } from "../support/fixture.ts";

const T0 = new Date("2026-04-01T00:30:00Z");
type Json = Record<string, any>;
const PASSWORD = "correct-horse-battery";

const codeOf = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (error) {
    if (error instanceof OqsError) return error.code;
    throw error;
  }
  return undefined;
};

for (const database of testDatabases()) {
  describe(`office accounts and the role guard on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let clock = T0;
    let address = 1;
    let handled = 0;

    const signIn = async (loginId: string, password = PASSWORD) => {
      const res = await app.inject({ method: "POST", url: "/office/api/sign-in", payload: { loginId, password }, remoteAddress: `10.9.0.${address++}` });
      return { status: res.statusCode, body: res.json() as Json, cookie: res.headers["set-cookie"] as string | undefined };
    };
    const session = async (loginId: string) => {
      const res = await signIn(loginId);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return { cookie: res.cookie!.split(";")[0]!, csrf: res.body.csrfToken as string };
    };
    const call = async (method: "GET" | "POST", url: string, headers: Record<string, string> = {}, payload?: unknown) => {
      const res = await app.inject({ method, url, headers: payload === undefined ? headers : { ...headers, "content-type": "application/json" }, ...(payload === undefined ? {} : { payload: payload as string }) });
      return { status: res.statusCode, body: res.body ? (res.json() as Json) : {}, headers: res.headers };
    };
    const refused = (res: { status: number; body: Json }, code: string, status: number) => {
      assert.equal(res.body.code, code, JSON.stringify(res.body));
      assert.equal(res.status, status, code);
      assert.match(res.body.message, /[ぁ-んァ-ン一-龥]/, "a Japanese message");
    };

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0" }, tokens: new TokenService(() => clock) });
      // Routes as the office's parts write them: the guard in onRequest, the account from the session.
      const office = new OfficeSessions(db, () => clock);
      const staff = new StaffSessions(db, () => clock);
      await app.register(async (scope) => {
        answerWithErrorBodies(scope);
        scope.post("/office/api/test/examiner", { onRequest: requireOfficeRole(office, "examiner") }, async (request) => {
          handled += 1;
          return { who: officeSession(request).account.loginId };
        });
        scope.get("/office/api/test/any", { onRequest: requireOfficeRole(office) }, async (request) => ({ role: officeSession(request).account.role }));
        scope.get("/terminal/subsidy/test", { onRequest: requireSubsidyAdministrator(staff) }, async (request) => ({ facility: staffSession(request).account.facilityCode }));
      });
      await addOfficeAccount(db, { loginId: "shinsa", role: "examiner", displayName: "審査　一郎", password: PASSWORD }, T0);
      await addOfficeAccount(db, { loginId: "torimatome", role: "vendor", displayName: "取りまとめ株式会社", password: PASSWORD }, T0);
      await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "kanri", role: "clerk", administrator: true, password: PASSWORD }, T0);
      await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "jimu", role: "clerk", administrator: false, password: PASSWORD }, T0);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("accounts: a login id once per office (E9653), a role of vendor or examiner (E9652), the id and name checked as staff's (E2107, E2112); a generated password signs in", async () => {
      assert.equal(await codeOf(() => addOfficeAccount(db, { loginId: "shinsa", role: "vendor", password: PASSWORD }, T0)), "E9653");
      assert.equal(await codeOf(() => addOfficeAccount(db, { loginId: "someone", role: "facility", password: PASSWORD }, T0)), "E9652");
      assert.equal(await codeOf(() => addOfficeAccount(db, { loginId: "No!", role: "vendor" }, T0)), "E2107");
      assert.equal(await codeOf(() => addOfficeAccount(db, { loginId: "someone", role: "vendor", displayName: " " }, T0)), "E2112");
      assert.equal(await codeOf(() => addOfficeAccount(db, { loginId: "someone", role: "vendor", password: "short" }, T0)), "E2108");
      const { password } = await addOfficeAccount(db, { loginId: "generated", role: "vendor" }, T0);
      assert.ok(await new OfficeSessions(db, () => T0).signIn("generated", password), "the generated password signs in");
      assert.equal(await codeOf(() => disableOffice(db, "nobody", T0)), "E9654");
    });

    test("sign-in sets an HttpOnly, SameSite=Strict cookie for /office and answers the account and its role", async () => {
      const res = await signIn("shinsa");
      assert.equal(res.status, 200);
      assert.match(res.cookie ?? "", /^onshi_office=[A-Za-z0-9_-]{43}; Path=\/office; HttpOnly; SameSite=Strict$/);
      assert.deepEqual(res.body.account, { loginId: "shinsa", displayName: "審査　一郎", role: "examiner", roleLabel: "支払基金 審査担当" });
      const again = await call("GET", "/office/api/session", { cookie: res.cookie!.split(";")[0]! });
      assert.equal(again.status, 200);
      assert.equal(again.body.csrfToken, res.body.csrfToken);
    });

    test("a wrong password, an unknown login id, a facility's staff login and a malformed body are one refusal (E2100), no cookie", async () => {
      const bodies = new Set<string>();
      for (const [loginId, password] of [["shinsa", "wrong-password-1"], ["nobody", PASSWORD], ["kanri", PASSWORD], ["shinsa", ""]]) {
        const res = await signIn(loginId!, password);
        refused(res, "E2100", 401);
        assert.equal(res.cookie, undefined, "no cookie");
        bodies.add(JSON.stringify(res.body));
      }
      assert.equal(bodies.size, 1, "the same body for every refusal");
      refused(await call("POST", "/office/api/sign-in", {}, { loginId: 7 }), "E2100", 401);
    });

    test("the guard refuses before the body is read: no session or a forged or terminal cookie (E9650), then closes the connection", async () => {
      const terminal = await app.inject({ method: "POST", url: "/terminal/api/sign-in", payload: { facilityCode: FACILITY.code, loginId: "kanri", password: PASSWORD } });
      const terminalCookie = (terminal.headers["set-cookie"] as string).split(";")[0]!;
      for (const headers of [{}, { cookie: "onshi_office=forged" }, { cookie: terminalCookie }] as Record<string, string>[]) {
        const res = await call("POST", "/office/api/test/examiner", headers, "x".repeat(200_000));
        refused(res, "E9650", 401);
        assert.equal(res.headers.connection, "close", "closed");
      }
      assert.equal(handled, 0, "no handler ran");
    });

    test("a role the route does not name is refused (E9651, naming the roles that may); any role passes a guard that names none", async () => {
      const vendor = await session("torimatome");
      const res = await call("POST", "/office/api/test/examiner", { cookie: vendor.cookie, "x-csrf-token": vendor.csrf }, {});
      refused(res, "E9651", 403);
      assert.match(res.body.message, /支払基金 審査担当/);
      assert.deepEqual((await call("GET", "/office/api/test/any", { cookie: vendor.cookie })).body, { role: "vendor" });
      assert.equal(handled, 0, "no handler ran");
    });

    test("a state-changing request needs the session's CSRF token and this server's origin (E2104); with them the examiner's route runs", async () => {
      const examiner = await session("shinsa");
      refused(await call("POST", "/office/api/test/examiner", { cookie: examiner.cookie }, {}), "E2104", 403);
      refused(await call("POST", "/office/api/test/examiner", { cookie: examiner.cookie, "x-csrf-token": "x".repeat(32) }, {}), "E2104", 403);
      refused(await call("POST", "/office/api/test/examiner", { cookie: examiner.cookie, "x-csrf-token": examiner.csrf, origin: "http://evil.example" }, {}), "E2104", 403);
      const ok = await call("POST", "/office/api/test/examiner", { cookie: examiner.cookie, "x-csrf-token": examiner.csrf }, {});
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body, { who: "shinsa" });
    });

    test("a session ends after 15 idle minutes (E2103), at sign-out (E9650 afterwards), and when its account is disabled", async () => {
      const idle = await session("shinsa");
      clock = new Date(clock.getTime() + SESSION_IDLE_MS);
      refused(await call("GET", "/office/api/session", { cookie: idle.cookie }), "E2103", 401);
      const out = await session("shinsa");
      assert.equal((await call("POST", "/office/api/sign-out", { cookie: out.cookie, "x-csrf-token": out.csrf })).status, 204);
      refused(await call("GET", "/office/api/session", { cookie: out.cookie }), "E9650", 401);
      await addOfficeAccount(db, { loginId: "leaving", role: "vendor", password: PASSWORD }, clock);
      const leaving = await session("leaving");
      await disableOffice(db, "leaving", clock);
      refused(await call("GET", "/office/api/session", { cookie: leaving.cookie }), "E9650", 401);
      refused(await signIn("leaving"), "E2100", 401);
    });

    test("a facility's subsidy routes take its administrator's staff session only (E9515 for other staff; an office cookie is no staff session)", async () => {
      const staffCookie = async (loginId: string) =>
        ((await app.inject({ method: "POST", url: "/terminal/api/sign-in", payload: { facilityCode: FACILITY.code, loginId, password: PASSWORD }, remoteAddress: `10.8.0.${address++}` })).headers["set-cookie"] as string).split(";")[0]!;
      assert.deepEqual((await call("GET", "/terminal/subsidy/test", { cookie: await staffCookie("kanri") })).body, { facility: FACILITY.code });
      refused(await call("GET", "/terminal/subsidy/test", { cookie: await staffCookie("jimu") }), "E9515", 403);
      refused(await call("GET", "/terminal/subsidy/test", { cookie: (await session("shinsa")).cookie }), "E2102", 401);
    });
  });
}
