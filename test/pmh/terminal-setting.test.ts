// The terminal's 環境設定 医療費助成情報 on each database, as the page calls it (in process): every
// role reads its own facility's setting; only the administrator changes it, recorded with the staff
// account; a clerk is refused before any body is read (E8602); a bad body is E8601; no session is
// E2102 and a missing CSRF token refused; one facility's change never shows at another.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { buildServer } from "../../src/http/server.ts";
import { MEDICAL_SUBSIDY_SETTING_PATH } from "../../src/http/routes/terminal/settings.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { addStaffAccount } from "../../src/services/staff.ts";
import { loadConsentSettings } from "../../src/store/consent-store.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const T0 = new Date("2026-04-01T00:30:00Z");
const PASSWORD = "correct-horse-battery";
type Json = Record<string, any>;

for (const database of testDatabases()) {
  describe(`the terminal's 医療費助成情報 setting on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let address = 1;

    const session = async (loginId: string, facilityCode = FACILITY.code) => {
      const res = await app.inject({ method: "POST", url: "/terminal/api/sign-in", payload: { facilityCode, loginId, password: PASSWORD }, remoteAddress: `10.9.0.${address++}` });
      assert.equal(res.statusCode, 200, res.body);
      return { cookie: res.headers["set-cookie"]!.toString().split(";")[0]!, csrf: res.json().csrfToken as string };
    };
    const get = async (s?: { cookie: string }) => {
      const res = await app.inject({ method: "GET", url: MEDICAL_SUBSIDY_SETTING_PATH, headers: s ? { cookie: s.cookie } : {} });
      return { status: res.statusCode, body: res.json() as Json };
    };
    const post = async (s: { cookie: string; csrf?: string }, payload: string) => {
      const res = await app.inject({
        method: "POST",
        url: MEDICAL_SUBSIDY_SETTING_PATH,
        headers: { cookie: s.cookie, "content-type": "application/json", ...(s.csrf ? { "x-csrf-token": s.csrf } : {}) },
        payload,
      });
      return { status: res.statusCode, body: res.json() as Json };
    };

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => T0, characterCode: "0" }, tokens: new TokenService(() => T0) });
      await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "kanri", displayName: "大橋　誠一", role: "doctor", administrator: true, password: PASSWORD }, T0);
      await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "jimu", role: "clerk", administrator: false, password: PASSWORD }, T0);
      await addStaffAccount(db, { facilityCode: OTHER_FACILITY.code, loginId: "kanri", role: "doctor", administrator: true, password: PASSWORD }, T0);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("the administrator chooses 利用する: recorded with the account, the reader asks from now on", async () => {
      const admin = await session("kanri");
      const res = await post(admin, JSON.stringify({ use: true }));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.label, "利用する");
      assert.equal(res.body.acceptedBy, "大橋 誠一 (kanri)");
      assert.equal(res.body.acceptedAt, T0.toISOString());
      assert.equal((await loadConsentSettings(db, FACILITY.code)).medicalSubsidy, true);
    });

    test("every role reads its own facility's setting; another facility's is its own", async () => {
      const clerk = await get(await session("jimu"));
      assert.equal(clerk.status, 200);
      assert.equal(clerk.body.inUse, true);
      assert.equal(clerk.body.changes.length, 1);
      const other = await get(await session("kanri", OTHER_FACILITY.code));
      assert.deepEqual(other.body, { facilityCode: OTHER_FACILITY.code, inUse: false, label: "利用しない", changes: [] });
    });

    test("refusals change nothing: a clerk (E8602, whatever the body), bad bodies (E8601), no session (E2102), no CSRF token", async () => {
      const before = (await get(await session("kanri"))).body;
      const clerk = await session("jimu");
      for (const body of [JSON.stringify({ use: false }), "{not json"]) {
        const res = await post(clerk, body);
        assert.equal(res.body.code, "E8602", body);
        assert.equal(res.status, 403);
      }
      const admin = await session("kanri");
      for (const body of [{}, { use: "maybe" }, { use: 2 }, { use: null }, { use: "true" }, { use: 0 }, { wanted: true }, { use: true, wanted: true }]) {
        const res = await post(admin, JSON.stringify(body));
        assert.equal(res.body.code, "E8601", JSON.stringify(body));
        assert.equal(res.status, 400);
      }
      const big = await post(admin, JSON.stringify({ use: false, pad: "x".repeat(2000) }));
      assert.equal(big.status, 413);
      assert.equal((await get()).body.code, "E2102");
      assert.equal((await post({ cookie: admin.cookie }, JSON.stringify({ use: false }))).status, 403, "no CSRF token");
      assert.deepEqual((await get(admin)).body, before);
    });
  });
}
