import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { rankBand, USAGE_METHODS, type MonthFigures } from "../../src/domain/usage.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { facilityMonths, facilityRankBand, facilityRates, groupRates, groupSeries, type GroupRates } from "../../src/services/usage-rates.ts";
import { compare } from "../../src/subsidy/usage-rate.ts";
import { testDatabases } from "../support/databases.ts";

// Three facilities in two prefectures: A and B are clinics (Tokyo, Osaka), C a pharmacy in Tokyo.
const A = "1310000011";
const B = "2710000012";
const C = "1340000013";
const FACILITIES = [
  { code: A, kind: "medical_clinic", prefecture: 13 },
  { code: B, kind: "medical_clinic", prefecture: 27 },
  { code: C, kind: "pharmacy", prefecture: 13 },
] as const;

async function day(db: Db, code: string, date: string, method: string, count: number, transport = "webapi", shard = 0) {
  await db.query("insert into usage_days (medical_institution_code, day, method, transport, shard, count) values ($1, $2, $3, $4, $5, $6)", [code, date, method, transport, shard, count]);
}
async function persons(db: Db, code: string, month: string, ids: number[]) {
  for (const id of ids) await db.query("insert into usage_card_persons values ($1, $2, $3) on conflict do nothing", [code, month, id]);
}
async function receipts(db: Db, code: string, month: string, all: number, outpatient: number) {
  await db.query("insert into usage_receipts values ($1, $2, $3, $4, now())", [code, month, all, outpatient]);
}

/** May 2024: A has days, totals and persons; B only month totals and no receipts; C days and receipts. */
async function load(db: Db) {
  for (const f of FACILITIES) await db.query("insert into facilities (medical_institution_code, name, kind, prefecture) values ($1, $2, $3, $4)", [f.code, `施設${f.code}`, f.kind, f.prefecture]);
  // A: card uses over two shards and two transports, one at each end of the month; the 1st of June belongs to June.
  await day(db, A, "2024-05-01", "card_face", 10, "webapi", 0);
  await day(db, A, "2024-05-01", "card_face", 5, "webapi", 3);
  await day(db, A, "2024-05-31", "card_pin", 2, "reader");
  await day(db, A, "2024-05-15", "insurance_number", 7, "folder");
  await day(db, A, "2024-05-15", "bulk_row", 100, "webapi");
  await day(db, A, "2024-06-01", "card_visual", 1, "reader");
  await db.query("insert into usage_month_totals (medical_institution_code, month, card_face, card_visual, reference_number, card_persons) values ($1, '2024-05-01', 3, 1, 2, 4)", [A]);
  await persons(db, A, "2024-05-01", [1, 2, 3, 1, 2]); // 3 persons, the repeats counted once
  await persons(db, A, "2024-06-01", [1]); // the same person again in June counts there
  await receipts(db, A, "2024-05-01", 40, 30);
  // B: month totals only, no receipts uploaded.
  await db.query("insert into usage_month_totals (medical_institution_code, month, card_face, insurance_number, card_persons) values ($1, '2024-05-01', 20, 80, 15)", [B]);
  await persons(db, B, "2024-05-01", [1]); // a person of A's is counted at B too
  // C: receipts uploaded but not one check: a rate of 0 on the receipt bases, none on the count basis.
  await receipts(db, C, "2024-05-01", 50, 0);
}

const sumFigures = (list: MonthFigures[]) => ({
  cardUses: list.reduce((s, f) => s + f.cardUses, 0),
  onlineChecks: list.reduce((s, f) => s + f.onlineChecks, 0),
  cardPersons: list.reduce((s, f) => s + f.cardPersons, 0),
});

for (const database of testDatabases()) {
  describe(`usage rates (${database.name})`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await load(db);
    });
    after(async () => db.close());

    test("a facility's months add recorded days (over shards and transports), month totals and persons counted once; zeros and null receipts where nothing", async () => {
      const months = await facilityMonths(db, A, "2024-04", "2024-07");
      assert.deepEqual(months.map((m) => m.month), ["2024-04", "2024-05", "2024-06", "2024-07"]);
      const may = months[1]!;
      assert.deepEqual(may.byMethod, { card_face: 18, card_pin: 2, card_visual: 1, insurance_number: 7, reference_number: 2, bulk_row: 100 });
      assert.equal(may.cardUses, 21);
      assert.equal(may.onlineChecks, 30, "bulk rows stay out of the online checks");
      assert.equal(may.bulkRows, 100);
      assert.equal(may.cardPersons, 7, "4 from the month totals + 3 distinct recorded persons");
      assert.equal(may.receipts, 40);
      assert.equal(may.outpatientReceipts, 30);
      assert.deepEqual(months[2], { month: "2024-06", cardUses: 1, cardPersons: 1, onlineChecks: 1, bulkRows: 0, byMethod: { card_face: 0, card_pin: 0, card_visual: 1, insurance_number: 0, reference_number: 0, bulk_row: 0 }, receipts: null, outpatientReceipts: null });
      assert.deepEqual(months[0], { month: "2024-04", cardUses: 0, cardPersons: 0, onlineChecks: 0, bulkRows: 0, byMethod: Object.fromEntries(USAGE_METHODS.map((m) => [m, 0])), receipts: null, outpatientReceipts: null });
    });

    test("a facility's rates are exact fractions; a zero or missing denominator is unknown, never 0 %", async () => {
      const a = await facilityRates(db, A, "2024-05");
      assert.deepEqual(a?.facility, { code: A, name: `施設${A}`, kind: "medical_clinic", prefecture: 13 });
      assert.deepEqual(a?.rates, { online: { numerator: 21, denominator: 30 }, receipt: { numerator: 7, denominator: 40 }, outpatient: { numerator: 7, denominator: 30 } });
      const b = await facilityRates(db, B, "2024-05");
      assert.deepEqual(b?.rates, { online: { numerator: 20, denominator: 100 }, receipt: null, outpatient: null }, "B uploaded no receipts");
      const c = await facilityRates(db, C, "2024-05");
      assert.deepEqual(c?.rates, { online: null, receipt: { numerator: 0, denominator: 50 }, outpatient: null }, "no checks and no outpatient receipts: unknown, receipts without persons: 0");
      const none = await facilityRates(db, A, "2023-01");
      assert.deepEqual(none?.rates, { online: null, receipt: null, outpatient: null });
      assert.equal(await facilityRates(db, "1399999999", "2024-05"), undefined);
    });

    test("group totals sum their facilities' figures; a facility without receipts stays out of the receipt bases' sums", async () => {
      const may = await Promise.all(FACILITIES.map(async (f) => ({ ...f, figures: (await facilityMonths(db, f.code, "2024-05", "2024-05"))[0]! })));
      const [nation] = await groupRates(db, "2024-05", "nation");
      assert.equal(nation?.facilities, 3);
      assert.equal(nation?.receiptFacilities, 2);
      assert.deepEqual(sumFigures([nation!.figures]), sumFigures(may.map((f) => f.figures)));
      assert.deepEqual(nation?.rates, {
        online: { numerator: 41, denominator: 130 },
        receipt: { numerator: 7, denominator: 90 }, // A's 7 persons over A's 40 and C's 50; B's 16 persons left out
        outpatient: { numerator: 7, denominator: 30 },
      });
      for (const by of ["kind", "prefecture", "kind-prefecture"] as const) {
        const groups = await groupRates(db, "2024-05", by);
        const key = (g: { kind?: string; prefecture?: number }) => `${by === "prefecture" ? "" : g.kind}/${by === "kind" ? "" : g.prefecture}`;
        assert.deepEqual(groups.map((g) => [key(g), g.facilities]).sort(), [...new Set(may.map(key))].map((k) => [k, may.filter((f) => key(f) === k).length]).sort(), by);
        for (const g of groups) assert.deepEqual(sumFigures([g.figures]), sumFigures(may.filter((f) => key(f) === key(g)).map((f) => f.figures)), `${by} ${key(g)}`);
        assert.deepEqual(sumFigures(groups.map((g) => g.figures)), sumFigures([nation!.figures]), `${by} adds up to the nation`);
      }
      const [clinics] = (await groupRates(db, "2024-05", "kind")).filter((g) => g.kind === "medical_clinic");
      assert.deepEqual(clinics?.rates, { online: { numerator: 41, denominator: 130 }, receipt: { numerator: 7, denominator: 40 }, outpatient: { numerator: 7, denominator: 30 } });
    });

    test("a month without records is no data; a series gives each month's groups as the month alone does", async () => {
      assert.deepEqual(await groupRates(db, "2023-01", "nation"), []);
      const series = await groupSeries(db, "2024-04", "2024-06", "kind");
      const byMonth = async (month: string) => (await groupRates(db, month, "kind")) as GroupRates[];
      assert.deepEqual(series, [...(await byMonth("2024-04")), ...(await byMonth("2024-05")), ...(await byMonth("2024-06"))]);
      assert.deepEqual(series.map((g) => `${g.month} ${g.kind}`), ["2024-05 medical_clinic", "2024-05 pharmacy", "2024-06 medical_clinic"]);
      const nation = await groupSeries(db, "2024-05", "2024-06", "nation");
      assert.deepEqual(nation.map((g) => [g.month, g.rates.online]), [["2024-05", { numerator: 41, denominator: 130 }], ["2024-06", { numerator: 1, denominator: 1 }]]);
    });

    test("bad months and spans are refused with their codes", async () => {
      for (const month of ["2024-13", "2024-5", "202405", "", "2024-05-01"]) {
        await assert.rejects(groupRates(db, month, "nation"), (e: unknown) => e instanceof OqsError && e.code === "E8940", month);
        await assert.rejects(facilityRates(db, A, month), (e: unknown) => e instanceof OqsError && e.code === "E8940", month);
      }
      await assert.rejects(groupSeries(db, "2024-06", "2024-05", "nation"), (e: unknown) => e instanceof OqsError && e.code === "E8941");
      await assert.rejects(facilityMonths(db, A, "2014-01", "2024-01"), (e: unknown) => e instanceof OqsError && e.code === "E8941", "121 months");
      assert.equal((await facilityMonths(db, A, "2014-02", "2024-01")).length, 120);
    });
  });

  describe(`rank bands within the kind (${database.name})`, () => {
    let db: Db;
    // 10 pharmacies in Tokyo with online rates 9/10, 8/10, 16/20 (tied), 7/10, … and one with no checks.
    const codes = Array.from({ length: 11 }, (_, i) => `13400${String(i).padStart(5, "0")}`);
    const uses = [9, 8, 8, 7, 6, 5, 4, 3, 2, 1];
    before(async () => {
      db = await database.open();
      for (const [i, code] of codes.entries()) {
        await db.query("insert into facilities (medical_institution_code, name, kind, prefecture) values ($1, $2, 'pharmacy', 13)", [code, `薬局${i}`]);
        // The third is 16/20: the same rate as the second's 8/10 in other terms, a tie all the same.
        const scale = i === 2 ? 2 : 1;
        if (i < 10) await db.query("insert into usage_month_totals (medical_institution_code, month, card_face, insurance_number) values ($1, '2024-05-01', $2, $3)", [code, uses[i]! * scale, (10 - uses[i]!) * scale]);
      }
      // A clinic with a higher rate is of another kind: it does not count.
      await db.query("insert into facilities (medical_institution_code, name, kind, prefecture) values ('1310000099', '診療所', 'medical_clinic', 13)");
      await db.query("insert into usage_month_totals (medical_institution_code, month, card_face) values ('1310000099', '2024-05-01', 10)");
    });
    after(async () => db.close());

    test("the band counts those strictly above, exactly, so ties share a band; no rate, no band", async () => {
      const standings = [];
      for (const code of codes) standings.push(await facilityRankBand(db, (await facilityRates(db, code, "2024-05"))!, "online"));
      assert.deepEqual(standings.slice(0, 10).map((s) => [s?.above, s?.ranked]), [[0, 10], [1, 10], [1, 10], [3, 10], [4, 10], [5, 10], [6, 10], [7, 10], [8, 10], [9, 10]]);
      assert.deepEqual(standings.map((s) => s?.band ?? null), ["top10", "top25", "top25", "top50", "top50", "bottom50", "bottom50", "bottom50", "bottom50", "bottom50", null]);
      // The same as comparing every pair exactly.
      const ratios = (await Promise.all(codes.slice(0, 10).map((c) => facilityRates(db, c, "2024-05")))).map((r) => r!.rates.online!);
      for (const [i, r] of ratios.entries()) assert.equal(standings[i]?.above, ratios.filter((o) => compare(o, r) > 0).length, codes[i]);
    });
  });
}

test("rank band boundaries: within the top ⌈p·n⌉ by rank", () => {
  const table: Array<[number, number, string]> = [
    [0, 1, "top10"], [0, 10, "top10"], [1, 10, "top25"], [2, 10, "top25"], [3, 10, "top50"], [4, 10, "top50"], [5, 10, "bottom50"], [9, 10, "bottom50"],
    [9, 100, "top10"], [10, 100, "top25"], [24, 100, "top25"], [25, 100, "top50"], [49, 100, "top50"], [50, 100, "bottom50"],
    [0, 2, "top10"], [1, 2, "bottom50"], [1, 3, "top50"], [2, 3, "bottom50"],
  ];
  for (const [above, ranked, band] of table) assert.equal(rankBand(above, ranked), band, `${above} above of ${ranked}`);
});
