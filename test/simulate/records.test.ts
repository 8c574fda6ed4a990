// The same small plan written both ways gives the same figures: through the real check code (card
// reader challenge/verify/complete, 個別照会 through the pipeline, recorded by onshi's own
// recording into usage_days and usage_card_persons) and as monthly totals (usage_month_totals).
// Per facility-month and nationally, on PGlite and PostgreSQL (two schemas each).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { planFacilities, planMonths } from "../../src/seed/nation-plan.ts";
import { simulateNation, type SimulateOptions, type SimulateSummary } from "../../src/seed/simulate.ts";
import { MAX_THROUGH_CHECKS, plannedChecks, simulateThroughChecks } from "../../src/seed/simulate-checks.ts";
import { facilityMonths, groupSeries } from "../../src/services/usage-rates.ts";
import { testDatabases } from "../support/databases.ts";

const options: SimulateOptions = { facilities: 6, from: "2024-11", to: "2024-12", seed: 4, volume: 0.015 };

for (const database of testDatabases()) {
  describe(`records and totals of one plan on ${database.name}`, () => {
    let records: Db;
    let totals: Db;
    let throughChecks: SimulateSummary;
    let asTotals: SimulateSummary;

    before(async () => {
      records = await database.open();
      totals = await database.open();
      throughChecks = await simulateThroughChecks(records, options);
      asTotals = await simulateNation(totals, options);
    });
    after(async () => {
      await records.close();
      await totals.close();
    });

    test("the checks went through the check code: usage_days and usage_card_persons hold them, no month totals", async () => {
      const [days] = await records.query<{ n: number }>("select coalesce(sum(count), 0)::int as n from usage_days");
      const months = [...planMonths(planFacilities(options), options)];
      assert.equal(days!.n, plannedChecks(months));
      assert.ok(days!.n > 50, `${days!.n} checks`);
      const [persons] = await records.query<{ n: number }>("select count(*)::int as n from usage_card_persons");
      assert.ok(persons!.n > 0, "card persons recorded by the card reader's completion");
      const [transports] = await records.query<{ t: string }>("select string_agg(distinct transport || ':' || method, ',' order by transport || ':' || method) as t from usage_days");
      assert.match(transports!.t, /reader:card_face/);
      assert.match(transports!.t, /webapi:insurance_number/);
      assert.equal((await records.query<{ n: number }>("select count(*)::int as n from usage_month_totals"))[0]!.n, 0);
    });

    test("every simulated facility-month has the same figures both ways", async () => {
      for (const f of planFacilities(options)) {
        assert.deepEqual(await facilityMonths(records, f.code, options.from, options.to), await facilityMonths(totals, f.code, options.from, options.to), f.code);
      }
    });

    test("the national and per-kind rates are the same both ways, and so is the stated fit", async () => {
      assert.deepEqual(await groupSeries(records, options.from, options.to, "nation"), await groupSeries(totals, options.from, options.to, "nation"));
      assert.deepEqual(await groupSeries(records, options.from, options.to, "kind"), await groupSeries(totals, options.from, options.to, "kind"));
      assert.deepEqual(throughChecks.fit, asTotals.fit);
    });

    test("--replace clears a through-checks run, with what the card checks left (利用者リスト, sessions, reader)", async () => {
      const again = await database.open();
      try {
        await simulateThroughChecks(again, options);
        const [left] = await again.query<{ n: number }>("select count(*)::int as n from card_users");
        assert.ok(left!.n > 0, "card checks left a 利用者リスト");
        const replaced = await simulateNation(again, { ...options, replace: true });
        assert.equal(replaced.replaced, 6);
        for (const table of ["card_users", "reader_sessions", "card_readers", "usage_days", "usage_card_persons"]) {
          assert.equal((await again.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n, 0, table);
        }
        assert.deepEqual(await groupSeries(again, options.from, options.to, "nation"), await groupSeries(totals, options.from, options.to, "nation"));
      } finally {
        await again.close();
      }
    });

    test("a plan over the limit of a run through the check code is refused (E8927) before anything is written", async () => {
      const big: SimulateOptions = { ...options, facilities: 100, volume: 1, replace: true };
      assert.ok(plannedChecks([...planMonths(planFacilities(big), big)]) > MAX_THROUGH_CHECKS, "the plan is over the limit");
      await assert.rejects(simulateThroughChecks(records, big), (error) => error instanceof OqsError && error.code === "E8927");
      assert.equal((await records.query<{ n: number }>("select count(*)::int as n from facilities where name like '【模擬】%'"))[0]!.n, 6);
    });
  });
}
