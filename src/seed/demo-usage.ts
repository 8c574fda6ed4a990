// The demo's マイナ保険証利用率 months, so that `npm start` shows charts worth looking at: a small
// simulated nation (simulateNation, DEMO_NATION facilities of the four kinds, calibrated to the
// published national series) for the national, kind and prefecture lines, and the three demo
// facilities' own months from a fixed plan, each crossing 加算 thresholds as the months go by.
// Written once: a database that holds the demo's months (or any simulation) keeps what it has.
import type { Db } from "../db/client.ts";
import { addMonths } from "../subsidy/usage-rate.ts";
import { FIRST_SIMULATED_MONTH, LAST_SIMULATED_MONTH } from "./nation-series.ts";
import { SIMULATED_NAME_PREFIX } from "./nation-plan.ts";
import { simulateNation } from "./simulate.ts";

/** Simulated facilities beside the demo's: every kind, a few in most prefectures; 1–2 s to write. */
export const DEMO_NATION = 300;
const DEMO_NATION_SEED = 20260401;

/**
 * A demo facility's plan: online checks a month, and its count-basis rate (percent) at the first
 * and the last month, in a straight line between. Persons are 85 % of card uses (a patient checked
 * twice in a month counts once), receipts 80 % of the checks, outpatient receipts `outpatient` of them.
 */
export interface DemoUsagePlan {
  code: string;
  checks: number;
  from: number;
  to: number;
  outpatient: number;
}

/** The months of the demo: the published series' months, which the simulation is calibrated to. */
export const DEMO_USAGE_MONTHS: { readonly from: string; readonly to: string } = { from: FIRST_SIMULATED_MONTH, to: LAST_SIMULATED_MONTH };

/** One month of a plan: the totals' and the receipts' figures. */
export function demoUsageMonth(plan: DemoUsagePlan, index: number, months: number) {
  const rate = (plan.from + ((plan.to - plan.from) * index) / Math.max(1, months - 1)) / 100;
  const cardUses = Math.round(plan.checks * rate);
  const cardFace = Math.round(cardUses * 0.8);
  const receipts = Math.round(plan.checks * 0.8);
  return {
    cardFace,
    cardPin: cardUses - cardFace,
    insuranceNumber: plan.checks - cardUses,
    cardPersons: Math.round(cardUses * 0.85),
    receipts,
    outpatientReceipts: Math.round(receipts * plan.outpatient),
  };
}

/** Loads the demo's usage months when the database has none of them and no simulation. */
export async function loadDemoUsage(db: Db, plans: readonly DemoUsagePlan[]): Promise<void> {
  const [held] = await db.query<{ demo: boolean; simulated: boolean }>(
    `select exists (select 1 from usage_month_totals where medical_institution_code = any($1::text[])) as demo,
            exists (select 1 from facilities where starts_with(name, $2)) as simulated`,
    [plans.map((p) => p.code), SIMULATED_NAME_PREFIX],
  );
  if (held!.demo) return;
  if (!held!.simulated) await simulateNation(db, { facilities: DEMO_NATION, from: DEMO_USAGE_MONTHS.from, to: DEMO_USAGE_MONTHS.to, seed: DEMO_NATION_SEED });
  const months: string[] = [];
  for (let m = DEMO_USAGE_MONTHS.from; m <= DEMO_USAGE_MONTHS.to; m = addMonths(m, 1)) months.push(m);
  const totals: string[] = [];
  const receipts: string[] = [];
  // Uploaded two months after the 診療月, as the simulation does (the receipts are fixed by then).
  for (const plan of plans) {
    months.forEach((month, i) => {
      const f = demoUsageMonth(plan, i, months.length);
      totals.push(`${plan.code}\t${month}-01\t${f.cardFace}\t${f.cardPin}\t${f.insuranceNumber}\t${f.cardPersons}\n`);
      receipts.push(`${plan.code}\t${month}-01\t${f.receipts}\t${f.outpatientReceipts}\t${addMonths(month, 2)}-01T00:00:00+09:00\n`);
    });
  }
  await db.transaction(async (tx) => {
    await tx.copyRows("usage_month_totals", ["medical_institution_code", "month", "card_face", "card_pin", "insurance_number", "card_persons"], totals);
    await tx.copyRows("usage_receipts", ["medical_institution_code", "month", "receipts", "outpatient_receipts", "updated_at"], receipts);
  });
}
