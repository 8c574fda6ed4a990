// simulateNation writes the plan's monthly totals (facilities, usage_month_totals, usage_receipts)
// on PGlite and PostgreSQL: the database holds exactly the plan's figures, a second run is refused
// unless it replaces the simulation, and a registered facility is never touched.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { planFacilities, planMonths } from "../../src/seed/nation-plan.ts";
import { simulateNation, type SimulateOptions, type SimulateSummary } from "../../src/seed/simulate.ts";
import { testDatabases } from "../support/databases.ts";

const options: SimulateOptions = { facilities: 120, from: "2024-06", to: "2024-09", seed: 5 };

const count = async (db: Db, sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params))[0]!.n;

async function refusal(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    if (error instanceof OqsError) return error.code;
    throw error;
  }
  return "none";
}

for (const database of testDatabases()) {
  describe(`simulateNation on ${database.name}`, () => {
    let db: Db;
    let summary: SimulateSummary;
    const progress: number[] = [];

    before(async () => {
      db = await database.open();
      await db.query(`insert into facilities (medical_institution_code, name, kind, prefecture) values ('1311234560', '登録済みクリニック', 'medical_clinic', 13)`);
      summary = await simulateNation(db, options, (done, total) => {
        assert.equal(total, 120 * 4);
        progress.push(done);
      });
    });
    after(() => db.close());

    test("the summary counts the rows the tables hold, and progress reaches the total", async () => {
      assert.equal(await count(db, "select count(*)::int as n from facilities where name like '【模擬】%'"), 120);
      assert.equal(summary.rows.facilities, 120);
      assert.equal(await count(db, "select count(*)::int as n from usage_month_totals"), summary.rows.usage_month_totals);
      assert.equal(await count(db, "select count(*)::int as n from usage_receipts"), summary.rows.usage_receipts);
      assert.ok(summary.rows.usage_month_totals! > 400, `${summary.rows.usage_month_totals} facility-months with checks`);
      assert.equal(progress.at(-1), 480);
    });

    test("every facility-month of the plan is in the database with its figures", async () => {
      const facilities = planFacilities(options);
      const rows = await db.query<{ code: string; month: string; card: number; other: number; persons: number; receipts: number; outpatient: number }>(
        `select t.medical_institution_code as code, t.month, t.card_face + t.card_pin + t.card_visual as card, t.insurance_number as other,
                t.card_persons as persons, r.receipts, r.outpatient_receipts as outpatient
         from usage_month_totals t join usage_receipts r using (medical_institution_code, month)`,
      );
      const stored = new Map(rows.map((r) => [`${r.code} ${r.month}`, r]));
      for (const m of planMonths(facilities, options)) {
        for (const r of m.rows) {
          const row = stored.get(`${facilities[r.facility]!.code} ${m.target.month}-01`);
          if (r.cardFace + r.cardPin + r.cardVisual + r.insuranceNumber === 0) continue;
          assert.deepEqual(
            row && [row.card, row.other, row.persons, row.receipts, row.outpatient],
            [r.cardFace + r.cardPin + r.cardVisual, r.insuranceNumber, r.cardPersons, r.receipts, r.outpatientReceipts],
            `${facilities[r.facility]!.code} ${m.target.month}`,
          );
        }
      }
    });

    test("the fit the summary states is the national rate the database holds, month by month", async () => {
      const rows = await db.query<{ month: string; card: number; checks: number }>(
        `select to_char(month, 'YYYY-MM') as month, sum(card_face + card_pin + card_visual)::int8 as card,
                sum(card_face + card_pin + card_visual + insurance_number + reference_number)::int8 as checks
         from usage_month_totals group by month order by month`,
      );
      assert.deepEqual(rows.map((r) => ({ month: r.month, numerator: r.card, denominator: r.checks })), summary.fit.map((f) => ({ month: f.month, ...f.simulated })));
      assert.equal(summary.fit.find((f) => f.month === "2024-08")!.published, null);
      assert.deepEqual(summary.fit.find((f) => f.month === "2024-08")!.interpolatedBetween, ["2024-07", "2024-09"]);
      assert.equal(summary.fit.find((f) => f.month === "2024-07")!.published, 11.13);
    });

    test("the same seed writes the same rows in another database; another seed other rows", async () => {
      const dump = async (d: Db) => ({
        facilities: await d.query("select medical_institution_code, name, kind, prefecture, municipality, municipality_code, opened_on, readers_provided, readers_in_use from facilities where name like '【模擬】%' order by 1"),
        totals: await d.query("select * from usage_month_totals order by medical_institution_code, month"),
        receipts: await d.query("select medical_institution_code, month, receipts, outpatient_receipts from usage_receipts order by medical_institution_code, month"),
      });
      const same = await database.open();
      const other = await database.open();
      try {
        await simulateNation(same, options);
        await simulateNation(other, { ...options, seed: 6 });
        const mine = await dump(db);
        assert.deepEqual(await dump(same), mine);
        const theirs = await dump(other);
        assert.notDeepEqual(theirs.totals, mine.totals);
        assert.notDeepEqual(theirs.facilities, mine.facilities);
      } finally {
        await same.close();
        await other.close();
      }
    });

    test("a second run is refused (E8925) and writes nothing; --replace rewrites the simulation and keeps the registered facility", async () => {
      const before = await count(db, "select count(*)::int as n from usage_month_totals");
      assert.equal(await refusal(simulateNation(db, { ...options, seed: 6 })), "E8925");
      assert.equal(await count(db, "select count(*)::int as n from usage_month_totals"), before);
      // A notice's figures kept as issued (migration 029) belong to the nation being replaced.
      await db.query("insert into usage_notice_months (month, computed_at, groups) values ('2024-01-01', now(), '[]')");
      const again = await simulateNation(db, { ...options, facilities: 80, seed: 6, replace: true });
      assert.equal(again.replaced, 120);
      assert.equal(await count(db, "select count(*)::int as n from usage_notice_months"), 0, "the kept notice figures forgotten");
      assert.equal(await count(db, "select count(*)::int as n from facilities where name like '【模擬】%'"), 80);
      assert.equal(await count(db, "select count(*)::int as n from usage_receipts"), again.rows.usage_receipts);
      assert.equal(await count(db, "select count(*)::int as n from facilities where medical_institution_code = '1311234560'"), 1);
    });

    test("a simulated code that is a registered facility's refuses the run (E8926), even with replace", async () => {
      const present = new Set((await db.query<{ code: string }>("select medical_institution_code as code from facilities")).map((r) => r.code));
      const first = planFacilities({ ...options, seed: 9 }).find((f) => !present.has(f.code))!;
      await db.query(`insert into facilities (medical_institution_code, name, kind, prefecture) values ($1, '本物の医療機関', $2, $3)`, [first.code, first.kind, first.prefecture]);
      const before = await count(db, "select count(*)::int as n from usage_receipts");
      assert.equal(await refusal(simulateNation(db, { ...options, seed: 9, replace: true })), "E8926");
      assert.equal(await count(db, "select count(*)::int as n from usage_receipts"), before);
      assert.equal(await count(db, "select count(*)::int as n from facilities where name = '本物の医療機関'"), 1);
    });
  });
}
