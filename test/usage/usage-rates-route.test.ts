// GET /onshi-api/usage/rates: the caller's own rates, refused alike for another facility and an
// unknown one, with coded answers for every bad query.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { USAGE_RATES_PATH } from "../../src/http/routes/usage/rates.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, issueTokens, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2026-04-01T00:30:00Z");

for (const database of testDatabases()) {
  describe(`GET ${USAGE_RATES_PATH} (${database.name})`, () => {
    let db: Db;
    let app: FastifyInstance;
    let tokens: Record<string, string>;
    /** null: no Authorization header. */
    const get = (query: string, token: string | null = tokens[FACILITY.code]!) =>
      app.inject({ method: "GET", url: `${USAGE_RATES_PATH}${query}`, headers: token === null ? {} : { authorization: token } });

    before(async () => {
      db = await database.open();
      await loadFixture(db); // two hospitals: FACILITY (北海道) and OTHER_FACILITY (宮崎県)
      await db.query("insert into usage_month_totals (medical_institution_code, month, card_face, card_visual, insurance_number, bulk_row, card_persons) values ($1, '2025-10-01', 60, 3, 37, 9, 50), ($2, '2025-10-01', 10, 0, 90, 0, 8)", [FACILITY.code, OTHER_FACILITY.code]);
      await db.query("insert into usage_receipts values ($1, '2025-10-01', 200, 150, now())", [FACILITY.code]);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens: new TokenService(() => NOW, 600) });
      tokens = await issueTokens(app);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("the caller's month: exact rates with their percentage, its band, and the nation's and its kind's rates summed", async () => {
      const res = await get("?month=2025-10");
      assert.equal(res.statusCode, 200, res.body);
      const answer = res.json();
      assert.deepEqual(answer.facility, { code: FACILITY.code, name: `テスト病院${FACILITY.code}`, kind: "hospital", prefecture: 1 });
      assert.deepEqual(answer.rates, {
        online: { numerator: 63, denominator: 100, text: "63.00%" },
        receipt: { numerator: 50, denominator: 200, text: "25.00%" },
        outpatient: { numerator: 50, denominator: 150, text: "33.33%" },
      });
      assert.equal(answer.figures.bulkRows, 9);
      assert.deepEqual(answer.bands.online, { band: "top10", label: "上位10%", above: 0, ranked: 2 });
      assert.deepEqual(answer.bands.receipt, { band: "top10", label: "上位10%", above: 0, ranked: 1 }, "the other hospital has no receipts: no receipt rate, not ranked");
      // Two hospitals: the kind and the nation are the same sums; the other's persons stay out of the receipt bases.
      const expected = { facilities: 2, receiptFacilities: 1, rates: { online: { numerator: 73, denominator: 200, text: "36.50%" }, receipt: { numerator: 50, denominator: 200, text: "25.00%" }, outpatient: { numerator: 50, denominator: 150, text: "33.33%" } } };
      assert.deepEqual(answer.nation, expected);
      assert.deepEqual(answer.kind, expected);
    });

    test("basis narrows the answer to that basis; facility may name the caller itself", async () => {
      const answer = (await get(`?month=2025-10&basis=outpatient&facility=${FACILITY.code}`)).json();
      assert.deepEqual(Object.keys(answer.rates), ["outpatient"]);
      assert.deepEqual(Object.keys(answer.bands), ["outpatient"]);
      assert.deepEqual(Object.keys(answer.nation.rates), ["outpatient"]);
    });

    test("a month without records is no data, not an error: zeros, unknown rates, no groups", async () => {
      const res = await get("?month=2020-01");
      assert.equal(res.statusCode, 200);
      const answer = res.json();
      assert.equal(answer.figures.onlineChecks, 0);
      assert.equal(answer.figures.receipts, null);
      assert.deepEqual(answer.rates, { online: null, receipt: null, outpatient: null });
      assert.deepEqual(answer.bands, { online: null, receipt: null, outpatient: null });
      assert.equal(answer.nation, null);
      assert.equal(answer.kind, null);
    });

    test("another facility's rates are refused exactly as an unknown facility's", async () => {
      const other = await get(`?month=2025-10&facility=${OTHER_FACILITY.code}`);
      const unknown = await get("?month=2025-10&facility=1399999999");
      assert.equal(other.statusCode, 404);
      assert.deepEqual(other.json(), { code: "E8944", message: "医療機関が見つかりません。" });
      assert.deepEqual([unknown.statusCode, unknown.body], [other.statusCode, other.body]);
      // The other facility's own token sees its own rates.
      assert.deepEqual((await get("?month=2025-10", tokens[OTHER_FACILITY.code])).json().rates.online, { numerator: 10, denominator: 100, text: "10.00%" });
    });

    test("the token comes first: no token or a bad one is refused before the query is read", async () => {
      for (const [token, code] of [[null, "E2002"], ["Bearer nonsense", "E2004"]] as const) {
        const res = await get("?month=bad&extra=1", token);
        assert.equal(res.statusCode, 401, `${String(token)} ${res.body}`);
        assert.equal(res.json().code, code);
      }
    });

    test("bad query strings are answered with their codes", async () => {
      const cases: Array<[string, string, number]> = [
        ["", "E8940", 400],
        ["?month=2025-13", "E8940", 400],
        ["?month=2025-1", "E8940", 400],
        ["?month=", "E8940", 400],
        ["?month=2025-10&basis=count", "E8942", 400],
        ["?month=2025-10&basis=", "E8942", 400],
        ["?month=2025-10&month=2025-09", "E8946", 400],
        ["?month=2025-10&basis=online&basis=receipt", "E8946", 400],
        ["?month=2025-10&by=kind", "E8946", 400],
      ];
      for (const [query, code, status] of cases) {
        const res = await get(query);
        assert.equal(res.statusCode, status, query);
        assert.equal(res.json().code, code, query);
        assert.match(res.json().message, /[ぁ-んァ-ヶ一-龠]/, `${query}: a Japanese message`);
      }
    });
  });
}
