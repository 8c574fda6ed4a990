// The terminal page's routes on each database, as a browser meets them (in process): sign-in and
// its one refusal for a wrong password, an unknown login or facility; the lockout; the session
// cookie's flags; CSRF on state-changing requests; idle and absolute expiry; sign-out; the patient
// list bound to the session's facility (another facility's patient answers as an unknown one);
// the qualification check a clerk runs; a session checked before any body is read.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { consentTimeOf, type ConsentCategory } from "../../src/domain/consent.ts";
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, type StaffRole } from "../../src/domain/staff.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { addStaffAccount, disableStaff } from "../../src/services/staff.ts";
import { appendCardUser } from "../../src/store/card-user-store.ts";
import { consentUpsert } from "../../src/store/consent-store.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, TARO, loadFixture } from "../support/fixture.ts";

const T0 = new Date("2026-04-01T00:30:00Z"); // 09:30 JST
type Json = Record<string, any>;
const PASSWORD = "correct-horse-battery";

/** A card check of TARO (person 1) at a facility, with his consent to `agreed`, as the reader records it. */
export async function recordCardUser(db: Db, facilityCode: string, at: Date, agreed: ConsentCategory[]): Promise<number> {
  const consentRecord = { facilityCode, personId: 1, consTime: consentTimeOf(at), agreed: new Set(agreed) };
  const entry = await appendCardUser(
    db,
    facilityCode,
    new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 10),
    1,
    {
      checkedAt: at.toISOString(), method: "face", name: "診療　太郎", kanaName: "シンリョウ　タロウ", birthdate: "1980-01-01", sex: "1",
      insurerNumber: TARO.InsurerNumber, insuredCardSymbol: TARO.InsuredCardSymbol, insuredIdentificationNumber: TARO.InsuredIdentificationNumber,
      insuredBranchNumber: "00", qualificationValidity: "1", consent: Object.fromEntries(agreed.map((c) => [c, true])), faceFile: "x",
    },
    [(offset) => consentUpsert(consentRecord, offset)],
  );
  return entry.sequence;
}

for (const database of testDatabases()) {
  describe(`terminal routes on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let clock = T0;
    let address = 1;

    const signIn = async (facilityCode: string, loginId: string, password = PASSWORD, ip = "127.0.0.1") => {
      const res = await app.inject({ method: "POST", url: "/terminal/api/sign-in", payload: { facilityCode, loginId, password }, remoteAddress: ip });
      return { status: res.statusCode, body: res.json() as Json, cookie: res.headers["set-cookie"] as string | undefined, headers: res.headers };
    };
    /** A signed-in session: its cookie header and CSRF token. */
    const session = async (loginId: string, facilityCode = FACILITY.code) => {
      const res = await signIn(facilityCode, loginId, PASSWORD, `10.0.0.${address++}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return { cookie: res.cookie!.split(";")[0]!, csrf: res.body.csrfToken as string };
    };
    const get = async (url: string, cookie?: string) => {
      const res = await app.inject({ method: "GET", url, headers: cookie ? { cookie } : {} });
      return { status: res.statusCode, body: res.json() as Json };
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
      const roles: [string, StaffRole][] = [["ishi", "doctor"], ["yaku", "pharmacist"], ["jimu", "clerk"], ["taishoku", "nurse"]];
      for (const [loginId, role] of roles) await addStaffAccount(db, { facilityCode: FACILITY.code, loginId, role, administrator: role === "doctor", password: PASSWORD }, T0);
      await addStaffAccount(db, { facilityCode: OTHER_FACILITY.code, loginId: "ishi", role: "doctor", administrator: true, password: PASSWORD }, T0);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("sign-in sets an HttpOnly, SameSite=Strict session cookie for /terminal and answers who signed in and what the role may open", async () => {
      const res = await signIn(FACILITY.code, "yaku", PASSWORD, "10.1.0.1");
      assert.equal(res.status, 200);
      assert.match(res.cookie ?? "", /^onshi_terminal=[A-Za-z0-9_-]{43}; Path=\/terminal; HttpOnly; SameSite=Strict$/);
      assert.equal(res.body.account.roleLabel, "薬剤師");
      assert.equal(res.body.facility.code, FACILITY.code);
      assert.deepEqual(res.body.mayView, ["pharmacists", "diagnosis", "operation"]);
      assert.equal(res.body.idleMinutes, 15);
      const again = await get("/terminal/api/session", res.cookie!.split(";")[0]);
      assert.equal(again.status, 200);
      assert.equal(again.body.account.loginId, "yaku");
      assert.equal(again.body.csrfToken, res.body.csrfToken);
    });

    test("a wrong password, an unknown login id, another facility's login and an unknown facility are one refusal (E2100) and set no cookie", async () => {
      const attempts = [
        [FACILITY.code, "ishi", "wrong-password-1"],
        [FACILITY.code, "nobody", PASSWORD],
        [OTHER_FACILITY.code, "yaku", PASSWORD],
        ["1310100019", "ishi", PASSWORD],
        [FACILITY.code, "ishi", ""],
      ] as const;
      const bodies = new Set<string>();
      for (const [facilityCode, loginId, password] of attempts) {
        const res = await signIn(facilityCode, loginId, password, `10.2.0.${address++}`);
        refused(res, "E2100", 401);
        assert.equal(res.cookie, undefined, "no cookie");
        bodies.add(JSON.stringify(res.body));
      }
      assert.equal(bodies.size, 1, "the same body for every refusal");
      const malformed = await app.inject({ method: "POST", url: "/terminal/api/sign-in", payload: { facilityCode: FACILITY.code, loginId: 7 } });
      refused({ status: malformed.statusCode, body: malformed.json() }, "E2100", 401);
    });

    test("five failures lock the account for 30 s (E2101 with Retry-After) even for the right password; then it signs in", async () => {
      await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "lockme", role: "nurse", administrator: false, password: PASSWORD }, clock);
      for (let i = 0; i < 5; i++) refused(await signIn(FACILITY.code, "lockme", "wrong-password-1", `10.3.0.${i}`), "E2100", 401);
      const locked = await signIn(FACILITY.code, "lockme", PASSWORD, "10.3.1.1");
      refused(locked, "E2101", 429);
      assert.equal(locked.headers["retry-after"], "30");
      const start = clock;
      clock = new Date(start.getTime() + 31_000);
      try {
        assert.equal((await signIn(FACILITY.code, "lockme", PASSWORD, "10.3.1.2")).status, 200);
      } finally {
        clock = start;
      }
    });

    test("a state-changing request needs the session's CSRF token and, when named, this server's origin (E2104)", async () => {
      const { cookie, csrf } = await session("ishi");
      const post = (headers: Record<string, string>) => app.inject({ method: "POST", url: "/terminal/api/sign-out", headers: { cookie, ...headers } });
      const forgeries: Record<string, string>[] = [{}, { "x-csrf-token": "forged" }, { "x-csrf-token": csrf, origin: "http://evil.example" }];
      for (const headers of forgeries) {
        const res = await post(headers);
        refused({ status: res.statusCode, body: res.json() }, "E2104", 403);
      }
      assert.equal((await get("/terminal/api/session", cookie)).status, 200, "the session survives the forgeries");
      const out = await post({ "x-csrf-token": csrf, origin: "http://localhost:80" });
      assert.equal(out.statusCode, 204);
      assert.match(String(out.headers["set-cookie"]), /^onshi_terminal=; Path=\/terminal; HttpOnly; SameSite=Strict; Max-Age=0/);
      refused(await get("/terminal/api/session", cookie), "E2102", 401);
    });

    test("a session ends 15 minutes after its last request, and 8 hours after sign-in however busy (E2103), then is gone (E2102)", async () => {
      const start = clock;
      try {
        const idle = await session("ishi");
        clock = new Date(start.getTime() + SESSION_IDLE_MS - 1000);
        assert.equal((await get("/terminal/api/patients", idle.cookie)).status, 200, "just inside the idle limit");
        clock = new Date(clock.getTime() + SESSION_IDLE_MS);
        refused(await get("/terminal/api/patients", idle.cookie), "E2103", 401);
        refused(await get("/terminal/api/patients", idle.cookie), "E2102", 401);

        clock = start;
        const busy = await session("ishi");
        for (let t = 10 * 60_000; t < SESSION_ABSOLUTE_MS; t += 10 * 60_000) {
          clock = new Date(start.getTime() + t);
          assert.equal((await get("/terminal/api/session", busy.cookie)).status, 200, `busy at ${t / 60_000} min`);
        }
        clock = new Date(start.getTime() + SESSION_ABSOLUTE_MS);
        refused(await get("/terminal/api/session", busy.cookie), "E2103", 401);
      } finally {
        clock = start;
      }
    });

    test("no cookie, or a forged one, is refused before the body is read (E2102, not the size limit)", async () => {
      for (const headers of [{}, { cookie: "onshi_terminal=forged" }]) {
        const res = await app.inject({ method: "POST", url: "/terminal/api/qualification-check", headers: { ...headers, "content-type": "application/json" }, payload: "x".repeat(200_000) });
        refused({ status: res.statusCode, body: res.json() }, "E2102", 401);
        assert.equal(res.headers.connection, "close");
      }
    });

    test("the patient list is today's card users of the session's facility with a consent in force; another facility's patient answers as an unknown one (E2106)", async () => {
      const here = await recordCardUser(db, FACILITY.code, new Date(T0.getTime() - 60_000), ["pharmacists", "specificHealthCheckups"]);
      // Sequences count per facility: the other facility's second entry has no twin here.
      await recordCardUser(db, OTHER_FACILITY.code, new Date(T0.getTime() - 40_000), ["pharmacists"]);
      const there = await recordCardUser(db, OTHER_FACILITY.code, new Date(T0.getTime() - 30_000), ["pharmacists"]);
      assert.equal(there, here + 1, "a number the facility has not reached");
      const doctor = await session("ishi");
      const list = await get("/terminal/api/patients", doctor.cookie);
      assert.equal(list.status, 200);
      assert.equal(list.body.date, "20260401");
      assert.deepEqual(list.body.patients.map((p: Json) => p.sequence), [here]);
      assert.deepEqual(Object.keys(list.body.patients[0].consents), ["pharmacists", "specificHealthCheckups"]);
      assert.equal(list.body.patients[0].consents.pharmacists, new Date(consentTimeOf(new Date(T0.getTime() - 60_000)).getTime() + 86_400_000).toISOString());
      assert.equal((await get(`/terminal/api/patients/${here}`, doctor.cookie)).body.name, "診療　太郎");
      assert.equal((await get(`/terminal/api/patients/${here}`, doctor.cookie)).body.personId, undefined, "the person's id is not answered");
      const other = await get(`/terminal/api/patients/${there}`, doctor.cookie);
      const unknown = await get("/terminal/api/patients/99999", doctor.cookie);
      refused(other, "E2106", 404);
      assert.deepEqual(other, unknown);
      refused(await get("/terminal/api/patients/abc", doctor.cookie), "E2106", 404);
      const otherDoctor = await session("ishi", OTHER_FACILITY.code);
      assert.deepEqual((await get("/terminal/api/patients", otherDoctor.cookie)).body.patients.map((p: Json) => p.sequence), [there]);

      const start = clock;
      clock = new Date(T0.getTime() + 86_400_000);
      try {
        const later = await session("ishi");
        assert.deepEqual((await get("/terminal/api/patients", later.cookie)).body.patients, [], "the next day: yesterday's card users are not listed");
      } finally {
        clock = start;
      }
    });

    test("medical information: the role decides first (E2105, recorded), then the patient's consent (E8102, recorded by the view); another facility's patient is E2106", async () => {
      const sequence = await recordCardUser(db, FACILITY.code, clock, ["pharmacists"]);
      const pharmacist = await session("yaku");
      const doctor = await session("ishi");
      const before = (await db.query<{ n: number }>("select count(*)::int as n from audit_records"))[0]!.n;
      refused(await get(`/terminal/api/patients/${sequence}/medical/specificHealthCheckups`, pharmacist.cookie), "E2105", 403);
      refused(await get(`/terminal/api/patients/${sequence}/pdf/checkups`, pharmacist.cookie), "E2105", 403);
      refused(await get(`/terminal/api/patients/${sequence}/medical/diagnosis`, doctor.cookie), "E8102", 403);
      const recorded = await db.query<{ n: number }>("select count(*)::int as n from audit_records");
      assert.equal(recorded[0]!.n, before + 3, "each refusal is in the audit log");
      refused(await get(`/terminal/api/patients/${sequence + 100}/medical/pharmacists`, doctor.cookie), "E2106", 404);
      refused(await get(`/terminal/api/patients/${sequence}/medical/everything`, doctor.cookie), "E2106", 404);
    });

    test("a clerk runs a qualification check by the insurance key; a bad key is answered with its E3xxx code", async () => {
      const clerk = await session("jimu");
      const check = (payload: Json) =>
        app.inject({ method: "POST", url: "/terminal/api/qualification-check", headers: { cookie: clerk.cookie, "x-csrf-token": clerk.csrf }, payload });
      const key = { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0" };
      const found = await check(key);
      assert.equal(found.statusCode, 200);
      assert.equal(found.json().QualificationValidity, "1");
      assert.equal(found.json().ResultList.ResultOfQualificationConfirmation[0].Name, "診療　太郎");
      const bad = (await check({ ...key, Birthdate: "19801301" })).json();
      assert.equal(bad.ProcessingResultStatus, "2");
      assert.equal(bad.ProcessingResultCode, "E3005");
      const forged = await app.inject({ method: "POST", url: "/terminal/api/qualification-check", headers: { cookie: clerk.cookie }, payload: TARO });
      refused({ status: forged.statusCode, body: forged.json() }, "E2104", 403);
    });

    test("a disabled account cannot sign in, and its open sessions end", async () => {
      const open = await session("taishoku");
      await disableStaff(db, FACILITY.code, "taishoku", clock);
      refused(await get("/terminal/api/session", open.cookie), "E2102", 401);
      refused(await signIn(FACILITY.code, "taishoku", PASSWORD, "10.4.0.1"), "E2100", 401);
    });
  });
}
