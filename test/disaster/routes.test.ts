// The terminal page's 災害時医療情報閲覧 routes on each database, as the page meets them (in
// process): a staff session first, the screen unusable without a declaration for the facility,
// the search answering handles bound to the facility and the declaration (no person ids), the PDF
// view by role with its audit record naming the staff account, and CSRF on the POSTs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import type { StaffRole } from "../../src/domain/staff.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { declareDisaster } from "../../src/services/disaster.ts";
import { addStaffAccount } from "../../src/services/staff.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, TARO, loadFixture } from "../support/fixture.ts";

const T0 = new Date("2026-04-02T01:00:00Z");
const PASSWORD = "correct-horse-battery";
type Json = Record<string, any>;
const CARD = { insurer: TARO.InsurerNumber, symbol: TARO.InsuredCardSymbol, number: TARO.InsuredIdentificationNumber, birthdate: TARO.Birthdate };

for (const database of testDatabases()) {
  describe(`disaster routes on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let address = 1;

    const session = async (loginId: string, facilityCode = FACILITY.code) => {
      const res = await app.inject({ method: "POST", url: "/terminal/api/sign-in", payload: { facilityCode, loginId, password: PASSWORD }, remoteAddress: `10.0.1.${address++}` });
      assert.equal(res.statusCode, 200, res.body);
      return { cookie: (res.headers["set-cookie"] as string).split(";")[0]!, csrf: res.json().csrfToken as string };
    };
    const post = (url: string, s: { cookie: string; csrf: string }, payload: unknown) =>
      app.inject({ method: "POST", url, headers: { cookie: s.cookie, "x-csrf-token": s.csrf }, payload: payload as Json });
    const code = (res: { json(): Json }) => res.json().code as string;

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      // FACILITY in 札幌市中央区; OTHER_FACILITY placed there too, to try another facility's handle.
      await db.query("update facilities set municipality_code = '011011'");
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => T0, characterCode: "0" }, tokens: new TokenService(() => T0) });
      const roles: [string, StaffRole][] = [["ishi", "doctor"], ["jimu", "clerk"]];
      for (const [loginId, role] of roles) await addStaffAccount(db, { facilityCode: FACILITY.code, loginId, role, administrator: role === "doctor", password: PASSWORD }, T0);
      await addStaffAccount(db, { facilityCode: OTHER_FACILITY.code, loginId: "ishi", role: "doctor", administrator: true, password: PASSWORD }, T0);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("a staff session first; without a declaration the screen is unusable (E8210)", async () => {
      const anonymous = await app.inject({ method: "GET", url: "/terminal/api/disaster" });
      assert.equal(code(anonymous), "E2102", "no session");
      const doctor = await session("ishi");
      const status = await app.inject({ method: "GET", url: "/terminal/api/disaster", headers: { cookie: doctor.cookie } });
      assert.equal(status.json().available, false, "no declaration yet");
      const search = await post("/terminal/api/disaster/search", doctor, CARD);
      assert.equal(search.statusCode, 403, search.body);
      assert.equal(code(search), "E8210", "refused outside a declaration");
    });

    test("under a declaration: handles, not ids; a PDF by role; the view audited with the staff account", async () => {
      const declaration = await declareDisaster(db, { name: "札幌の災害", municipalities: ["011002"], from: "2026-04-01", to: "2026-04-07", by: "保険局 山田" }, T0);
      const doctor = await session("ishi");
      const status = await app.inject({ method: "GET", url: "/terminal/api/disaster", headers: { cookie: doctor.cookie } });
      assert.equal(status.json().declaration.name, "札幌の災害", "the declaration in force");
      assert.equal(status.json().documents.checkups.allowed, true, "a doctor may open 特定健診");

      const search = await post("/terminal/api/disaster/search", doctor, CARD);
      assert.equal(search.statusCode, 200, search.body);
      const [match] = search.json().matches as Json[];
      assert.equal(match!.name, "診療　太郎", "found by the card's keys");
      assert.equal("personId" in match!, false, "no person id leaves the server");

      const shown = await post("/terminal/api/disaster/view", doctor, { handle: match!.handle, consent: "oral", document: "drugs" });
      assert.equal(shown.statusCode, 200, shown.body.slice(0, 200));
      assert.equal(shown.headers["content-type"], "application/pdf", "a PDF");
      assert.equal(shown.rawPayload.subarray(0, 5).toString("latin1"), "%PDF-", "its bytes");
      const [record] = await db.query<{ body: string }>("select body from audit_records order by seq desc limit 1");
      const body = JSON.parse(record!.body) as Json;
      assert.deepEqual([body.actor, body.basis], [{ kind: "staff", account: "ishi", role: "doctor" }, { kind: "disaster", declarationId: declaration.id, consent: "oral" }], "who, under what");

      const forged = await post("/terminal/api/disaster/view", doctor, { handle: `${match!.handle.split(".")[0]}.${"A".repeat(32)}`, consent: "oral", document: "drugs" });
      assert.equal(code(forged), "E8211", "a forged handle finds nobody");
      const other = await session("ishi", OTHER_FACILITY.code);
      const elsewhere = await post("/terminal/api/disaster/view", other, { handle: match!.handle, consent: "oral", document: "drugs" });
      assert.equal(code(elsewhere), "E8211", "another facility's handle finds nobody");

      const clerk = await session("jimu");
      const clerkView = await post("/terminal/api/disaster/view", clerk, { handle: match!.handle, consent: "oral", document: "drugs" });
      assert.equal(code(clerkView), "E2105", "事務 opens no medical information");
    });

    test("POSTs need the session's CSRF token; bad bodies are coded", async () => {
      const doctor = await session("ishi");
      const noToken = await app.inject({ method: "POST", url: "/terminal/api/disaster/search", headers: { cookie: doctor.cookie }, payload: CARD });
      assert.equal(code(noToken), "E2104", "no CSRF token");
      const notText = await post("/terminal/api/disaster/search", doctor, { ...CARD, number: 5678 });
      assert.equal(code(notText), "E8212", "a field that is not text");
      const noHandle = await post("/terminal/api/disaster/view", doctor, { consent: "oral", document: "drugs" });
      assert.equal(code(noHandle), "E8220", "a view without its handle");
    });
  });
}
