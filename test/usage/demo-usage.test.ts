// The demo's usage months (src/seed/demo-usage.ts), on each database: the three demo facilities'
// planned months and a small simulated nation beside them, written once; the hospital's chart
// crosses 加算 thresholds, so `npm start` shows something worth looking at.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Db } from "../../src/db/client.ts";
import { DEMO_FACILITIES, DEMO_USAGE_PLANS } from "../../src/seed/demo.ts";
import { DEMO_NATION, DEMO_USAGE_MONTHS, demoUsageMonth, loadDemoUsage } from "../../src/seed/demo-usage.ts";
import { facilityRateChart } from "../../src/services/usage-charts.ts";
import { testDatabases } from "../support/databases.ts";

test("a plan's month: the rate runs from its first to its last percent; persons and receipts follow the checks", () => {
  const plan = { code: "x", checks: 1000, from: 10, to: 70, outpatient: 0.5 };
  assert.deepEqual(demoUsageMonth(plan, 0, 25), { cardFace: 80, cardPin: 20, insuranceNumber: 900, cardPersons: 85, receipts: 800, outpatientReceipts: 400 });
  const last = demoUsageMonth(plan, 24, 25);
  assert.equal(last.cardFace + last.cardPin, 700);
  assert.equal(last.cardFace + last.cardPin + last.insuranceNumber, 1000, "every check counted once");
});

for (const database of testDatabases()) {
  describe(`the demo's usage months on ${database.name}`, () => {
    let db: Db;
    const count = async (sql: string) => Number((await db.query<{ n: number }>(sql))[0]!.n);
    before(async () => {
      db = await database.open();
      for (const f of DEMO_FACILITIES) await db.query("insert into facilities (medical_institution_code, name, kind, prefecture, credential_hash) values ($1, $2, $3, 13, 'x')", [f.code, f.name, f.kind]);
    });
    after(() => db.close());

    test("written once: the demo facilities' 25 months and the simulated nation", async () => {
      await loadDemoUsage(db, DEMO_USAGE_PLANS);
      const demo = `(${DEMO_FACILITIES.map((f) => `'${f.code}'`).join(", ")})`;
      assert.equal(await count(`select count(*)::int as n from usage_month_totals where medical_institution_code in ${demo}`), 3 * 25);
      assert.equal(await count(`select count(*)::int as n from usage_receipts where medical_institution_code in ${demo}`), 3 * 25);
      assert.equal(await count("select count(*)::int as n from facilities where name like '【模擬】%'"), DEMO_NATION);
      const rows = await count("select count(*)::int as n from usage_month_totals");
      await loadDemoUsage(db, DEMO_USAGE_PLANS);
      assert.equal(await count("select count(*)::int as n from usage_month_totals"), rows, "a second load writes nothing");
    });

    test("the hospital's last year climbs through the 加算 bands, beside a nation on both bases", async () => {
      const chart = await facilityRateChart(db, DEMO_FACILITIES[0].code, "2024-11", DEMO_USAGE_MONTHS.to);
      assert.ok(chart, "the demo hospital's chart");
      const own = chart.lines.find((l) => l.owner === "当施設" && l.basis === "online")!.points.map((p) => (p.rate!.numerator / p.rate!.denominator) * 100);
      const bands = chart.thresholds.filter((t) => t.percent !== null);
      const below = (pct: number) => bands.some((t) => t.percent! > pct);
      const above = (pct: number) => bands.some((t) => t.percent! <= pct);
      assert.ok(below(own[0]!) && above(own[0]!), `the first month (${own[0]!.toFixed(1)} %) is between thresholds`);
      assert.ok(own.at(-1)! - own[0]! > 15, "the rate rises by more than 15 points in the year");
      for (const line of chart.lines.filter((l) => l.owner !== "当施設")) assert.ok(line.points.every((p) => p.rate !== null), `${line.owner} ${line.basis}: every month known`);
    });
  });
}
