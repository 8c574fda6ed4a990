// The monthly notice on each database: its figures are the rates service's (the facility's, its
// kind's nationally and in its prefecture, the rank bands, the 12 months); the 医療DX推進体制整備加算
// tier of the 算定月 it feeds moves when the 診療月's rate crosses a threshold; later months of a
// window are pending, never read; refusals (bad month E8970, unknown facility E8971, not issued yet
// E8972); and the terminal page's routes answer the session's facility only, another facility's
// code exactly as an unknown one.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { USAGE_NOTICES_PATH } from "../../src/http/routes/terminal/usage-notice.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { addStaffAccount } from "../../src/services/staff.ts";
import { usageNotice, type RateView } from "../../src/services/usage-notice.ts";
import { facilityMonths, facilityRankBand, facilityRates, groupRates, groupSeries } from "../../src/services/usage-rates.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import type { Ratio } from "../../src/subsidy/usage-rate.ts";
import { testDatabases } from "../support/databases.ts";
import { LAST, P, X, Y, loadNoticeFixture } from "./notice-fixture.ts";

/** The day the notice of LAST (2025-06) is issued, 00:00 in Japan, and the instant before. */
const ISSUED = new Date("2025-08-11T00:00:00+09:00");
const BEFORE = new Date(ISSUED.getTime() - 1);
const PASSWORD = "correct-horse-battery";

/** The exact fraction the notice shows, or null: equal to the service's Ratio (or null). */
const same = (shown: RateView | null | undefined, ratio: Ratio | null | undefined, what: string) =>
  assert.deepEqual(shown ? { numerator: shown.numerator, denominator: shown.denominator } : null, ratio ?? null, what);

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OqsError) return error.code;
    throw error;
  }
  return "none";
}

for (const database of testDatabases()) {
  describe(`the monthly usage notice on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let now = ISSUED;

    before(async () => {
      db = await database.open();
      await loadNoticeFixture(db, 300);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => now, characterCode: "0" }, tokens: new TokenService(() => now) });
      await addStaffAccount(db, { facilityCode: X, loginId: "jimu", role: "clerk", administrator: false, password: PASSWORD }, ISSUED);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("its figures are the rates service's: the facility's, its kind's in the nation and the prefecture, its rank bands and its 12 months", async () => {
      const notice = await usageNotice(db, X, LAST, ISSUED);
      const own = (await facilityRates(db, X, LAST))!;
      assert.deepEqual(notice.figures, own.figures);
      for (const basis of ["online", "receipt", "outpatient"] as const) same(notice.rates[basis], own.rates[basis], `own ${basis}`);
      assert.equal(notice.rates.receipt?.percent, "30.00%");
      const nation = (await groupRates(db, LAST, "kind")).find((g) => g.kind === "medical_clinic")!;
      const tokyo = (await groupRates(db, LAST, "kind-prefecture")).find((g) => g.kind === "medical_clinic" && g.prefecture === 13)!;
      assert.equal(notice.kindNation?.facilities, 3, "the three clinics, not the pharmacy");
      assert.equal(notice.kindPrefecture?.facilities, 2, "Tokyo's two clinics");
      for (const basis of ["online", "receipt", "outpatient"] as const) {
        same(notice.kindNation?.rates[basis], nation.rates[basis], `nation ${basis}`);
        same(notice.kindPrefecture?.rates[basis], tokyo.rates[basis], `prefecture ${basis}`);
      }
      for (const rank of notice.ranks) {
        const standing = (await facilityRankBand(db, own, rank.basis))!;
        assert.deepEqual({ band: rank.band, above: rank.above, ranked: rank.ranked }, standing, rank.basis);
      }
      assert.deepEqual(notice.ranks.map((r) => r.basis), ["receipt", "online"]);
      const months = await facilityMonths(db, X, "2024-07", LAST);
      const kinds = await groupSeries(db, "2024-07", LAST, "kind");
      const nations = await groupSeries(db, "2024-07", LAST, "nation");
      assert.deepEqual(notice.history.map((h) => h.month), months.map((m) => m.month));
      notice.history.forEach((h, i) => {
        same(h.facility.receipt, months[i]!.cardPersons === undefined ? null : { numerator: months[i]!.cardPersons, denominator: months[i]!.receipts! }, `${h.month} own receipt`);
        same(h.kind?.online, kinds.find((k) => k.month === h.month && k.kind === "medical_clinic")?.rates.online, `${h.month} kind online`);
        same(h.nation?.receipt, nations.find((n) => n.month === h.month)?.rates.receipt, `${h.month} nation receipt`);
      });
    });

    test("the 医療DX推進体制整備加算 tier of 算定 2025-09 moves as 2025-06's rate crosses 加算2's 30 %; later months are pending", async () => {
      const tierOf = async (persons: number) => {
        await db.query("update usage_month_totals set card_persons = $2 where medical_institution_code = $1 and month = '2025-06-01'", [X, persons]);
        return (await usageNotice(db, X, LAST, ISSUED)).dx;
      };
      const below = await tierOf(299); // 29.9 %
      const at = await tierOf(300); // 30 %, 以上
      assert.deepEqual(below.map((d) => d.month), ["2025-09", "2025-10", "2025-11"]);
      assert.equal(below[0]!.tier, "医療DX推進体制整備加算3 (10点)");
      assert.equal(at[0]!.tier, "医療DX推進体制整備加算2 (11点)");
      assert.deepEqual(at[0]!.rateUsed, { month: "2025-06", basis: "receipt", percent: "30.00%" });
      assert.deepEqual(at[0]!.pending, [], "2025-09's months are all known by the notice");
      assert.deepEqual(at[2]!.pending, ["2025-07", "2025-08"]);
      assert.equal(at[2]!.tier, "少なくとも医療DX推進体制整備加算3", "2025-11 needs 25 % for 加算3; 加算2's 40 % is open while 2025-07 and 2025-08 are unknown");
      // The notice reads nothing after its 診療月: a July figure changes none of it.
      await db.query("insert into usage_month_totals (medical_institution_code, month, card_face, insurance_number, card_persons) values ($1, '2025-07-01', 900, 100, 900)", [X]);
      await db.query("insert into usage_receipts values ($1, '2025-07-01', 1000, 1000, now())", [X]);
      assert.deepEqual((await usageNotice(db, X, LAST, ISSUED)).dx, at);
      await db.query("delete from usage_receipts where medical_institution_code = $1 and month = '2025-07-01'", [X]);
      await db.query("delete from usage_month_totals where medical_institution_code = $1 and month = '2025-07-01'", [X]);
    });

    test("a subsidy whose answer turns on the 診療月 is listed with the engine's answer; none when nothing turns on it", async () => {
      const may = await usageNotice(db, X, "2024-05", new Date("2024-07-11T00:00:00+09:00"));
      assert.deepEqual(may.subsidies.map((s) => s.program), ["support-2024-h1", "lump-sum-2024"]);
      assert.equal(may.subsidies[0]!.eligible, false, "the 2024 支援金's first half: the rate did not rise");
      assert.deepEqual((await usageNotice(db, X, LAST, ISSUED)).subsidies, []);
    });

    test("refusals: a bad month (E8970), an unknown facility (E8971), a notice before its issue day (E8972)", async () => {
      for (const month of ["2025-13", "2025-6", "202506", "", "2025-06-01"]) assert.equal(await refusal(usageNotice(db, X, month, ISSUED)), "E8970", month);
      for (const code of ["9999999999", "131000001", "abc"]) assert.equal(await refusal(usageNotice(db, code, LAST, ISSUED)), "E8971", code);
      assert.equal(await refusal(usageNotice(db, X, LAST, BEFORE)), "E8972", "the instant before 2025-08-11 in Japan");
      assert.equal(await refusal(usageNotice(db, X, LAST, ISSUED)), "none");
    });

    describe("the terminal page's routes", () => {
      let cookie = "";
      const get = async (url: string, headers: Record<string, string> = { cookie }) => app.inject({ method: "GET", url, headers });
      before(async () => {
        const res = await app.inject({ method: "POST", url: "/terminal/api/sign-in", payload: { facilityCode: X, loginId: "jimu", password: PASSWORD }, remoteAddress: "10.9.1.1" });
        assert.equal(res.statusCode, 200, res.body);
        cookie = res.headers["set-cookie"]!.toString().split(";")[0]!;
      });

      test("the months offered end with the latest notice issued; the notice is the service's; the PDF downloads", async () => {
        const months = await get(USAGE_NOTICES_PATH);
        assert.equal(months.statusCode, 200);
        assert.equal(months.json().facilityCode, X);
        assert.deepEqual(months.json().months.slice(0, 2), ["2025-06", "2025-05"]);
        assert.equal(months.json().months.length, 24);
        const shown = await get(`${USAGE_NOTICES_PATH}/${X}/${LAST}`);
        assert.equal(shown.statusCode, 200, shown.body);
        assert.deepEqual(shown.json(), JSON.parse(JSON.stringify(await usageNotice(db, X, LAST, ISSUED))));
        const pdf = await get(`${USAGE_NOTICES_PATH}/${X}/${LAST}/pdf`);
        assert.equal(pdf.statusCode, 200);
        assert.equal(pdf.headers["content-type"], "application/pdf");
        assert.match(String(pdf.headers["content-disposition"]), /attachment; filename="usage-notice-1310000011-2025-06.pdf"/);
        assert.equal(pdf.rawPayload.subarray(0, 5).toString(), "%PDF-");
      });

      test("another facility's notice is answered as an unknown facility's (E8971, the same status and body but the code it names), for the JSON and the PDF", async () => {
        for (const suffix of ["", "/pdf"]) {
          const unknown = await get(`${USAGE_NOTICES_PATH}/9999999999/${LAST}${suffix}`);
          for (const other of [Y, P]) {
            const res = await get(`${USAGE_NOTICES_PATH}/${other}/${LAST}${suffix}`);
            assert.equal(res.statusCode, 404);
            assert.equal(res.body, unknown.body.replace("9999999999", other), `${other}${suffix}: the same answer, naming the code asked for`);
          }
          assert.equal(unknown.json().code, "E8971");
        }
      });

      test("a bad month is E8970 whoever's code; a month not issued is E8972; no session is E2102", async () => {
        for (const code of [X, Y]) {
          const res = await get(`${USAGE_NOTICES_PATH}/${code}/2025-13`);
          assert.equal(res.statusCode, 400);
          assert.equal(res.json().code, "E8970", code);
        }
        const early = await get(`${USAGE_NOTICES_PATH}/${X}/2025-07`);
        assert.equal(early.statusCode, 404);
        assert.equal(early.json().code, "E8972");
        const none = await get(`${USAGE_NOTICES_PATH}/${X}/${LAST}`, {});
        assert.equal(none.statusCode, 401);
        assert.equal(none.json().code, "E2102");
      });
    });
  });
}
