// The facility's subsidy routes (/terminal/subsidy/api) on each database, as the terminal page
// calls them: the programmes with their periods; apply under an Idempotency-Key (a retry answers
// the first case again, a missing key is E9507); the facility's cases and one case with its
// history; another facility's case answered as none (E9500); other staff refused (E9515).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { addStaffAccount } from "../../src/services/staff.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const T0 = new Date("2021-04-01T03:00:00Z");
type Json = Record<string, any>;
const PASSWORD = "correct-horse-battery";
const API = "/terminal/subsidy/api";
export const FUND_2020_APPLICATION = {
  program: "fund-2020",
  profile: { kind: "hospital", readersProvided: 1, projects: [{ program: "fund-2020", cost: 2_000_000, readerAppliedOn: "2021-01-10", completedOn: "2021-03-01", readers: 1 }] },
};

for (const database of testDatabases()) {
  describe(`the facility's subsidy routes on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let address = 1;

    const session = async (facilityCode: string, loginId: string) => {
      const res = await app.inject({ method: "POST", url: "/terminal/api/sign-in", payload: { facilityCode, loginId, password: PASSWORD }, remoteAddress: `10.7.0.${address++}` });
      assert.equal(res.statusCode, 200, res.body);
      return { cookie: (res.headers["set-cookie"] as string).split(";")[0]!, csrf: res.json().csrfToken as string };
    };
    const call = async (who: { cookie: string; csrf: string }, method: "GET" | "POST", url: string, payload?: unknown, key?: string) => {
      const res = await app.inject({
        method,
        url: API + url,
        headers: { cookie: who.cookie, "x-csrf-token": who.csrf, ...(key ? { "idempotency-key": key } : {}) },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      return { status: res.statusCode, body: res.json() as Json };
    };
    const refused = (res: { status: number; body: Json }, code: string, status: number) => {
      assert.equal(res.body.code, code, JSON.stringify(res.body));
      assert.equal(res.status, status, code);
    };

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => T0, characterCode: "0" }, tokens: new TokenService(() => T0) });
      await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "kanri", role: "clerk", administrator: true, password: PASSWORD }, T0);
      await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "jimu", role: "clerk", administrator: false, password: PASSWORD }, T0);
      await addStaffAccount(db, { facilityCode: OTHER_FACILITY.code, loginId: "kanri", role: "doctor", administrator: true, password: PASSWORD }, T0);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("the programmes come with each kind's period and sources, and those not taken here say why", async () => {
      const { status, body } = await call(await session(FACILITY.code, "kanri"), "GET", "/programs");
      assert.equal(status, 200);
      const fund = body.programs.find((p: Json) => p.id === "fund-2020");
      const application = fund.kinds.find((k: Json) => k.kind === "application");
      assert.match(application.from.source, /第14/, "a cited start");
      const lumpSum = body.programs.find((p: Json) => p.id === "lump-sum-2024").kinds.find((k: Json) => k.kind === "application");
      assert.match(lumpSum.notHere.reason, /申請不要/, "the lump sum needs no application");
      assert.equal(body.states.applied, "申請中");
    });

    test("apply: the facility is the session's, the engine's amount and reasons are kept; a retry with the key answers the same case; no key is E9507", async () => {
      const admin = await session(FACILITY.code, "kanri");
      refused(await call(admin, "POST", "/cases", FUND_2020_APPLICATION), "E9507", 400);
      const first = await call(admin, "POST", "/cases", { ...FUND_2020_APPLICATION, facilityCode: OTHER_FACILITY.code }, "apply-1");
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.case.facilityCode, FACILITY.code, "the session's facility, not the body's");
      assert.equal(first.body.case.stateLabel, "申請中");
      assert.ok(first.body.case.requestedYen > 0, "the engine's amount");
      assert.ok(first.body.case.calculation.reasons.length > 0, "with its reasons");
      const retry = await call(admin, "POST", "/cases", { ...FUND_2020_APPLICATION, facilityCode: OTHER_FACILITY.code }, "apply-1");
      assert.deepEqual(retry.body, first.body, "the first answer again");
      const list = await call(admin, "GET", "/cases");
      assert.deepEqual(list.body.cases.map((c: Json) => c.caseId), [first.body.case.caseId], "one case, not two");
      const shown = await call(admin, "GET", `/cases/${first.body.case.caseId}`);
      assert.deepEqual(shown.body.transitions.map((t: Json) => [t.action, t.actorRole, t.actorName]), [["apply", "facility", "kanri"]]);
    });

    test("another facility's case answers as no case (E9500), a malformed id alike; its list is its own; other staff are refused (E9515)", async () => {
      const other = await session(OTHER_FACILITY.code, "kanri");
      const mine = (await call(await session(FACILITY.code, "kanri"), "GET", "/cases")).body.cases[0];
      const theirs = await call(other, "GET", `/cases/${mine.caseId}`);
      const none = await call(other, "GET", "/cases/999999");
      refused(theirs, "E9500", 404);
      assert.deepEqual(theirs.body, none.body, "not yours = does not exist");
      refused(await call(other, "GET", "/cases/abc"), "E9500", 404);
      assert.deepEqual((await call(other, "GET", "/cases")).body.cases, []);
      refused(await call(await session(FACILITY.code, "jimu"), "GET", "/cases"), "E9515", 403);
    });
  });
}
