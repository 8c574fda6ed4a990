// Every route of the subsidy office, found as it is registered (not from a list that could lag
// behind): each but sign-in has an onRequest guard, and refuses a request without a session
// before its body is read — an /office route E9650, a facility's /terminal/subsidy route E2102 —
// and a facility route refuses staff who are not the administrator (E9515), an office route a
// terminal session (E9650).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import Fastify, { type FastifyInstance, type RouteOptions } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { registerOfficeRoutes } from "../../src/http/routes/office/index.ts";
import { registerTerminalRoutes } from "../../src/http/routes/terminal/index.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { addStaffAccount } from "../../src/services/staff.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, loadFixture } from "../support/fixture.ts";

const T0 = new Date("2026-04-01T00:30:00Z");
const PASSWORD = "correct-horse-battery";
const OPEN = new Set(["POST /office/api/sign-in"]);

for (const database of testDatabases()) describe(`the subsidy office's routes are all guarded on ${database.name}`, () => {
  let db: Db;
  let app: FastifyInstance;
  const routes: { method: string; url: string; guarded: boolean }[] = [];

  before(async () => {
    db = await database.open();
    await loadFixture(db);
    app = Fastify();
    app.addHook("onRoute", (r: RouteOptions) => {
      for (const method of [r.method].flat()) if (method !== "HEAD") routes.push({ method, url: r.url!, guarded: r.onRequest !== undefined });
    });
    const deps = { oqs: { db, facilities: new FacilityDirectory(db), now: () => T0, characterCode: "0" as const }, tokens: new TokenService(() => T0) };
    await registerOfficeRoutes(app, deps);
    await registerTerminalRoutes(app, deps);
    await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "jimu", role: "clerk", administrator: false, password: PASSWORD }, T0);
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  const office = () => routes.filter((r) => r.url.startsWith("/office/") && !OPEN.has(`${r.method} ${r.url}`));
  const facility = () => routes.filter((r) => r.url.startsWith("/terminal/subsidy/"));
  const path = (url: string) => url.replace(/:[A-Za-z]+/g, "1");
  const send = (r: { method: string; url: string }, cookie?: string) =>
    app.inject({ method: r.method as "GET", url: path(r.url), headers: { ...(cookie ? { cookie } : {}), "content-type": "application/json" }, ...(r.method === "GET" ? {} : { payload: "x".repeat(100_000) }) });

  test("every route but sign-in has an onRequest guard", () => {
    assert.ok(office().length >= 10, `the office's routes are found (${office().length})`);
    assert.ok(facility().length >= 5, `the facility's routes are found (${facility().length})`);
    assert.deepEqual([...office(), ...facility()].filter((r) => !r.guarded).map((r) => `${r.method} ${r.url}`), []);
  });

  test("without a session every route refuses before the body (E9650 on /office, E2102 on /terminal/subsidy), and closes the connection", async () => {
    for (const r of office()) {
      const res = await send(r);
      assert.equal(res.json().code, "E9650", `${r.method} ${r.url}`);
      assert.equal(res.headers.connection, "close", `${r.method} ${r.url} closes`);
    }
    for (const r of facility()) assert.equal((await send(r)).json().code, "E2102", `${r.method} ${r.url}`);
  });

  test("a facility's routes refuse staff who are not its administrator (E9515); an office route takes no staff session (E9650)", async () => {
    const signIn = await app.inject({ method: "POST", url: "/terminal/api/sign-in", payload: { facilityCode: FACILITY.code, loginId: "jimu", password: PASSWORD } });
    const { csrfToken } = signIn.json() as { csrfToken: string };
    const cookie = (signIn.headers["set-cookie"] as string).split(";")[0]!;
    for (const r of facility()) {
      const res = await app.inject({ method: r.method as "GET", url: path(r.url), headers: { cookie, "x-csrf-token": csrfToken }, ...(r.method === "GET" ? {} : { payload: {} }) });
      assert.equal(res.json().code, "E9515", `${r.method} ${r.url}`);
    }
    for (const r of office()) assert.equal((await send(r, cookie)).json().code, "E9650", `${r.method} ${r.url}`);
  });
});
