// The usage charts' routes, in process on each database: the terminal's /terminal/api/usage/chart
// answers the session's own facility only (no session: E2102; a facility named in the query: E8990,
// so another facility's rates cannot be asked for), the public /usage/api/national and
// /usage/api/prefectures answer group totals without a sign-in; bad months E8940, reversed spans
// E8941, unknown or repeated query parameters E8990; without months, the latest with records.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { USAGE_CHART_PATH } from "../../src/http/routes/terminal/usage.ts";
import { USAGE_PAGE_PATHS } from "../../src/http/routes/usage-page/index.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { addStaffAccount } from "../../src/services/staff.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { CHART_FACILITIES, loadUsageChartFixture } from "../support/usage-chart-fixture.ts";

const T0 = new Date("2026-04-01T00:30:00Z");
const PASSWORD = "correct-horse-battery";
type Json = Record<string, any>;
const online = (body: Json, owner: string) => body.lines.find((l: Json) => l.owner === owner && l.basis === "online").points.map((p: Json) => p.rate?.text ?? null);

for (const database of testDatabases()) {
  describe(`the usage chart routes on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let address = 1;

    const session = async (facilityCode: string) => {
      const res = await app.inject({ method: "POST", url: "/terminal/api/sign-in", payload: { facilityCode, loginId: "jimu", password: PASSWORD }, remoteAddress: `10.9.1.${address++}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.headers["set-cookie"]!.toString().split(";")[0]!;
    };
    const get = async (url: string, cookie?: string) => {
      const res = await app.inject({ method: "GET", url, headers: cookie ? { cookie } : {} });
      return { status: res.statusCode, body: res.json() as Json };
    };

    before(async () => {
      db = await database.open();
      await loadUsageChartFixture(db);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => T0, characterCode: "0" }, tokens: new TokenService(() => T0) });
      for (const f of [CHART_FACILITIES.sapporo, CHART_FACILITIES.pharmacy]) await addStaffAccount(db, { facilityCode: f.code, loginId: "jimu", role: "clerk", administrator: false, password: PASSWORD }, T0);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("the terminal's chart is the session's facility's: its lines, its kind's thresholds, the SVG", async () => {
      const res = await get(`${USAGE_CHART_PATH}?from=2025-01&to=2025-03`, await session(CHART_FACILITIES.sapporo.code));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.facility.code, CHART_FACILITIES.sapporo.code);
      assert.deepEqual(online(res.body, "当施設"), ["30.00%", "45.00%", null]);
      assert.deepEqual(online(res.body, "病院 (全国)"), ["20.00%", "45.00%", null]);
      assert.deepEqual(res.body.lines[0].points[0].rate, { numerator: 30, denominator: 100, text: "30.00%" });
      assert.deepEqual(res.body.thresholds.filter((t: Json) => t.from <= "2025-01" && "2025-01" <= t.to).map((t: Json) => `${t.label} ${t.text}`), ["加算1・4 45%以上", "加算2・5 30%以上", "加算3・6 15%以上"]);
      assert.match(res.body.svg, /^<svg/);
      assert.match(res.body.thresholds[0].source, /hattaganka|credentials/, "each threshold with its source");
    });

    test("the pharmacy's session sees the pharmacy: 調剤's unknown thresholds said as such", async () => {
      const res = await get(`${USAGE_CHART_PATH}?from=2025-01&to=2025-08`, await session(CHART_FACILITIES.pharmacy.code));
      assert.equal(res.body.facility.code, CHART_FACILITIES.pharmacy.code);
      assert.deepEqual(online(res.body, "当施設"), ["60.00%", null, null, null, null, null, null, null]);
      const texts = res.body.thresholds.map((t: Json) => `${t.label} ${t.from} ${t.text}`);
      assert.ok(texts.includes("加算2 2025-01 公表されていない"), texts.join(", "));
      assert.ok(!JSON.stringify(res.body).includes(CHART_FACILITIES.sapporo.code), "nothing of another facility");
    });

    test("no other facility's chart can be asked for, and nothing without a session", async () => {
      const cookie = await session(CHART_FACILITIES.pharmacy.code);
      for (const query of [`facility=${CHART_FACILITIES.sapporo.code}`, `code=${CHART_FACILITIES.sapporo.code}`, "from=2025-01&from=2025-02", "month=2025-01"]) {
        const res = await get(`${USAGE_CHART_PATH}?${query}`, cookie);
        assert.equal(res.status, 400, query);
        assert.equal(res.body.code, "E8990", query);
      }
      const none = await get(`${USAGE_CHART_PATH}?from=2025-01&to=2025-03`);
      assert.equal(none.status, 401);
      assert.equal(none.body.code, "E2102");
    });

    test("bad months and spans: E8940, E8941, on the terminal and the public routes", async () => {
      const cookie = await session(CHART_FACILITIES.sapporo.code);
      const cases: [string, string][] = [
        ["from=2025-13&to=2025-03", "E8940"], ["from=2025-1&to=2025-03", "E8940"], ["from=&to=2025-03", "E8940"], ["to=abcd-ef", "E8940"],
        ["from=2025-04&to=2025-03", "E8941"], ["from=2010-01&to=2025-03", "E8941"],
      ];
      for (const [query, code] of cases) {
        for (const url of [`${USAGE_CHART_PATH}?${query}`, `${USAGE_PAGE_PATHS.national}?${query}`]) {
          const res = await get(url, cookie);
          assert.equal(res.body.code, code, url);
          assert.equal(res.status, 400, url);
        }
      }
      for (const query of ["month=2025-00", "month=202501", "month=2025-01&month=2025-02", "from=2025-01"]) {
        const res = await get(`${USAGE_PAGE_PATHS.prefectures}?${query}`);
        assert.equal(res.body.code, query.startsWith("from") || query.includes("&") ? "E8990" : "E8940", query);
      }
    });

    test("without months: the latest with records (2025-02), 12 months on the terminal, 24 on the public page; 一括照会 rows alone do not count", async () => {
      // A later month of 一括照会 rows only has no rate on either basis: the charts do not open on it.
      await db.query("insert into usage_days (medical_institution_code, day, method, transport, count) values ($1, '2025-06-10', 'bulk_row', 'webapi', 40)", [CHART_FACILITIES.sapporo.code]);
      const terminal = await get(USAGE_CHART_PATH, await session(CHART_FACILITIES.sapporo.code));
      assert.deepEqual([terminal.body.from, terminal.body.to], ["2024-03", "2025-02"]);
      const national = await get(USAGE_PAGE_PATHS.national);
      assert.deepEqual([national.body.from, national.body.to], ["2023-03", "2025-02"]);
      const prefectures = await get(USAGE_PAGE_PATHS.prefectures);
      assert.equal(prefectures.body.month, "2025-02");
    });

    test("the public national answer: the nation and each kind, no sign-in, no facility", async () => {
      const res = await get(`${USAGE_PAGE_PATHS.national}?from=2025-01&to=2025-02`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(online(res.body.nation, "全国"), ["33.33%", "45.00%"]);
      assert.deepEqual(online(res.body.kinds, "薬局"), ["60.00%", null]);
      assert.match(res.body.nation.svg, /^<svg/);
      const text = JSON.stringify(res.body);
      for (const f of Object.values(CHART_FACILITIES)) assert.ok(!text.includes(f.code) && !text.includes(f.name), `nothing names ${f.name}`);
    });

    test("the public prefecture table: ordered by the count-basis rate, each kind's rates beside", async () => {
      const res = await get(`${USAGE_PAGE_PATHS.prefectures}?month=2025-01`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.rows.map((r: Json) => [r.name, r.rates.online.text]), [["東京都", "35.00%"], ["北海道", "30.00%"]]);
      assert.equal(res.body.rows[0].kinds.pharmacy.online.text, "60.00%");
      assert.equal(res.body.rows[0].kinds.hospital.receipt, null);
      assert.deepEqual(res.body.kinds.map((k: Json) => k.label), ["病院", "医科診療所", "歯科診療所", "薬局"]);
    });
  });
}
