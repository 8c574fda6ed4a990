// The month's マイナ保険証利用率 of a simulated nation on PostgreSQL (issue 15 item 7): every
// facility's rates on both bases through the rates service (facilityRangeMonths over all codes,
// then ratesOf: the query that sums usage_days, usage_month_totals and usage_card_persons beside
// the receipts), and the month's group rates (groupRates by kind × prefecture); each against one
// bare SQL GROUP BY over the same rows (usage_month_totals with the receipts, which is all the
// national simulation writes), in the same run. The data: `onshi simulate`'s 229,717 facilities ×
// 25 months (bench/support.ts prepareNation), written once for this and the --all-facilities benchmark.
import { loadavg } from "node:os";
import { openDb, type Db } from "../src/db/client.ts";
import { ratesOf } from "../src/domain/usage.ts";
import { facilityRangeMonths, groupRates } from "../src/services/usage-rates.ts";
import { NATION_FACILITIES, prepareNation } from "./support.ts";

const MONTH = "2025-10";
const RUNS = Number(process.env.BENCH_USAGE_RUNS ?? 5);
/** The same simulated nation as the --all-facilities benchmark's, written once for both. */
const DB_NAME = process.env.BENCH_NATION_DB ?? "onshi_bench_nation";

/** The median of RUNS timed runs (after one untimed run that warms the cache), and the last answer. */
async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; runs: number[]; answer: T }> {
  let answer = await work();
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    answer = await work();
    runs.push(Math.round(performance.now() - started) / 1000);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return { seconds: sorted[Math.floor(sorted.length / 2)]!, runs, answer };
}

const BARE_COLUMNS = `sum(t.card_face + t.card_pin + t.card_visual)::bigint as card_uses,
  sum(t.card_face + t.card_pin + t.card_visual + t.insurance_number + t.reference_number)::bigint as online_checks,
  sum(t.card_persons)::bigint as card_persons, sum(r.receipts)::bigint as receipts, sum(r.outpatient_receipts)::bigint as outpatient_receipts`;

interface Sums {
  card_uses: number;
  online_checks: number;
  card_persons: number;
  receipts: number | null;
  outpatient_receipts: number | null;
}

/** Totals over rows, to check that the service and the bare query read the same figures. */
function total(rows: Array<{ uses: number; checks: number; persons: number; receipts: number }>) {
  return rows.reduce((s, r) => ({ uses: s.uses + r.uses, checks: s.checks + r.checks, persons: s.persons + r.persons, receipts: s.receipts + r.receipts }), { uses: 0, checks: 0, persons: 0, receipts: 0 });
}
const bareTotal = (rows: Sums[]) => total(rows.map((r) => ({ uses: r.card_uses, checks: r.online_checks, persons: r.card_persons, receipts: r.receipts ?? 0 })));

function facilityRatesOfMonth(db: Db) {
  return async () => (await facilityRangeMonths(db, "0000000000", "9999999999", MONTH, MONTH)).map((f) => ({ code: f.code, figures: f.figures, rates: ratesOf(f.figures) }));
}

export async function benchUsageRates() {
  const { url, simulateSeconds } = await prepareNation(DB_NAME);
  const db = await openDb({ url });
  await db.exec("analyze"); // the planner's figures of the freshly written tables
  // The machine is shared: its load (uptime's 1, 5 and 15 minute averages) goes beside the figures.
  const loadBefore = loadavg().map((l) => Math.round(l * 100) / 100);
  try {
    const day = `${MONTH}-01`;
    const [{ n: monthRows }] = (await db.query<{ n: number }>("select count(*)::bigint as n from usage_month_totals where month = $1", [day])) as [{ n: number }];
    const [{ n: allRows }] = (await db.query<{ n: number }>("select count(*)::bigint as n from usage_month_totals")) as [{ n: number }];

    const serviceFacilities = await timed(facilityRatesOfMonth(db));
    const bareFacilities = await timed(() =>
      db.query<Sums & { code: string }>(
        `select t.medical_institution_code as code, ${BARE_COLUMNS}
         from usage_month_totals t left join usage_receipts r on r.medical_institution_code = t.medical_institution_code and r.month = t.month
         where t.month = $1 group by t.medical_institution_code`,
        [day],
      ),
    );
    const serviceGroups = await timed(() => groupRates(db, MONTH, "kind-prefecture"));
    const bareGroups = await timed(() =>
      db.query<Sums & { kind: string; prefecture: number }>(
        `select f.kind, f.prefecture, ${BARE_COLUMNS}
         from usage_month_totals t join facilities f on f.medical_institution_code = t.medical_institution_code
         left join usage_receipts r on r.medical_institution_code = t.medical_institution_code and r.month = t.month
         where t.month = $1 group by f.kind, f.prefecture`,
        [day],
      ),
    );

    // The same figures both ways, or the comparison means nothing.
    const service = total(serviceFacilities.answer.map((f) => ({ uses: f.figures.cardUses, checks: f.figures.onlineChecks, persons: f.figures.cardPersons, receipts: f.figures.receipts ?? 0 })));
    const groups = total(serviceGroups.answer.map((g) => ({ uses: g.figures.cardUses, checks: g.figures.onlineChecks, persons: g.figures.cardPersons, receipts: g.figures.receipts ?? 0 })));
    for (const [name, a, b] of [["facilities", service, bareTotal(bareFacilities.answer)], ["groups", groups, bareTotal(bareGroups.answer)]] as const) {
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${name}: the service and the bare GROUP BY disagree: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
    if (serviceFacilities.answer.length !== bareFacilities.answer.length) throw new Error("not every facility was answered");

    const ratio = (baseline: number, onshi: number) => Math.round((baseline / onshi) * 1000) / 1000;
    return {
      name: "usage-rates",
      description:
        `The month's マイナ保険証利用率 (${MONTH}) of a simulated nation on PostgreSQL (onshi simulate: ${NATION_FACILITIES.toLocaleString("en")} facilities × 25 months of usage_month_totals and usage_receipts). ` +
        "facilityRates: every facility's figures and rates on the count, receipt and outpatient bases through the rates service (facilityRangeMonths over all codes, then ratesOf: one query summing usage_days, usage_month_totals and usage_card_persons beside the receipts); " +
        "groupRates: the month's rates per kind × prefecture (one query, numerators and denominators summed). Each against one bare SQL GROUP BY over the same rows (usage_month_totals left join usage_receipts), in the same run. " +
        `Median of ${RUNS} runs after a warm-up. ratio = baseline seconds / onshi seconds.`,
      facilities: NATION_FACILITIES,
      month: MONTH,
      rows: { usageMonthTotals: allRows, ofTheMonth: monthRows },
      simulateSeconds,
      facilityRates: { onshi: { seconds: serviceFacilities.seconds, runs: serviceFacilities.runs, answered: serviceFacilities.answer.length }, baseline: { seconds: bareFacilities.seconds, runs: bareFacilities.runs }, ratio: ratio(bareFacilities.seconds, serviceFacilities.seconds) },
      load: { before: loadBefore, after: loadavg().map((l) => Math.round(l * 100) / 100) },
      groupRates: { onshi: { seconds: serviceGroups.seconds, runs: serviceGroups.runs, groups: serviceGroups.answer.length }, baseline: { seconds: bareGroups.seconds, runs: bareGroups.runs }, ratio: ratio(bareGroups.seconds, serviceGroups.seconds) },
    };
  } finally {
    await db.close();
  }
}
