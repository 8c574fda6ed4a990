// `onshi simulate`: writes the simulated nation of nation-plan.ts into the database. At national
// scale (about 2.5 億 checks a month, beyond recording check by check on one machine) the month's
// figures go in as totals: facilities, usage_month_totals (persons after 名寄せ as a count) and
// usage_receipts, each by COPY, in one transaction, so a failed run leaves nothing behind.
// What it does to a database that holds a simulation already: refuses (E8925) unless `replace`,
// which deletes the simulated facilities (names starting 【模擬】) and their records first; a
// registered facility is never touched, and a simulated code that is one refuses the run (E8926).
import type { Db } from "../db/client.ts";
import { FACILITY_KINDS, type FacilityKind } from "../domain/facility-code.ts";
import { OqsError } from "../errors/catalogue.ts";
import { addMonths, type Ratio } from "../subsidy/usage-rate.ts";
import { planFacilities, planMonths, SIMULATED_NAME_PREFIX, type FacilityMonth, type NationPlanOptions, type PlannedMonth, type SimulatedFacility } from "./nation-plan.ts";
import type { FigureStatus } from "./nation-series.ts";
import { forgetIssued } from "../store/usage-notice-store.ts";

export type { NationPlanOptions } from "./nation-plan.ts";

export interface SimulateOptions extends NationPlanOptions {
  /** Delete the simulated facilities already in the database (and their records) first. */
  replace?: boolean;
}

/** Called as the writing goes: facility-months written of the total. */
export type SimulateProgress = (done: number, total: number) => void;

/** One month of the fit: the national rate simulated against the published figure it is calibrated to. */
export interface MonthFit {
  month: string;
  /** The published national rate (percent), or null for a month interpolated between two published ones. */
  published: number | null;
  status: FigureStatus | null;
  source: string | null;
  interpolatedBetween: [string, string] | null;
  /** What the month was calibrated to (percent): the published figure, or the interpolated one. */
  target: number;
  /** cardUses / onlineChecks of every simulated facility. */
  simulated: Ratio;
  /** simulated − target, in points. */
  difference: number;
}

export interface SimulateSummary {
  seed: number;
  from: string;
  to: string;
  facilities: Record<FacilityKind, number>;
  /** How the checks were written: as monthly totals, or visit by visit through the check code (simulate-checks.ts). */
  way: "totals" | "through-checks";
  /** Rows written per table. */
  rows: Partial<Record<"facilities" | "usage_month_totals" | "usage_days" | "usage_card_persons" | "usage_receipts", number>>;
  /** Facilities deleted first (replace). */
  replaced: number;
  fit: MonthFit[];
  seconds: number;
}

const FACILITY_COLUMNS = ["medical_institution_code", "name", "kind", "prefecture", "municipality", "municipality_code", "opened_on", "readers_provided", "readers_in_use"] as const;
const TOTALS_COLUMNS = ["medical_institution_code", "month", "card_face", "card_pin", "card_visual", "insurance_number", "card_persons"] as const;
const RECEIPTS_COLUMNS = ["medical_institution_code", "month", "receipts", "outpatient_receipts", "updated_at"] as const;

/** The simulated facilities' codes already in the database ($1: SIMULATED_NAME_PREFIX). */
export const SIMULATED_CODES = `select medical_institution_code from facilities where starts_with(name, $1)`;

/**
 * Writes the simulated nation as monthly totals (the national-scale way). The same options give
 * the same rows. Options are checked by the caller (the CLI's flags, checkSimulateOptions).
 */
export async function simulateNation(db: Db, options: SimulateOptions, progress: SimulateProgress = () => {}): Promise<SimulateSummary> {
  const started = performance.now();
  const facilities = planFacilities(options);
  const total = facilities.length * monthCount(options.from, options.to);
  let done = 0;
  progress(0, total);
  const written = await db.transaction(async (tx) => {
    const replaced = await startSimulation(tx, facilities, options.replace === true);
    let totalsRows = 0;
    let receiptRows = 0;
    const fit: MonthFit[] = [];
    for (const planned of planMonths(facilities, options)) {
      const month = `${planned.target.month}-01`;
      const totals = planned.rows.filter(hasChecks);
      await tx.copyRows("usage_month_totals", TOTALS_COLUMNS, totals.map((r) => totalsLine(facilities[r.facility]!, month, r)));
      receiptRows += await writeMonthReceipts(tx, facilities, planned);
      totalsRows += totals.length;
      fit.push(monthFit(planned.target, planned.rows));
      done += facilities.length;
      progress(done, total);
    }
    return { way: "totals" as const, replaced, rows: { facilities: facilities.length, usage_month_totals: totalsRows, usage_receipts: receiptRows }, fit };
  });
  return summaryOf(options, facilities, written, started);
}

/** The summary of a run: the options, the facilities by kind, what was written, and the time since `started`. */
export function summaryOf(options: SimulateOptions, facilities: readonly SimulatedFacility[], written: Pick<SimulateSummary, "way" | "replaced" | "rows" | "fit">, started: number): SimulateSummary {
  const byKind = Object.fromEntries(FACILITY_KINDS.map((k) => [k, facilities.filter((f) => f.kind === k).length])) as Record<FacilityKind, number>;
  return { seed: options.seed, from: options.from, to: options.to, facilities: byKind, ...written, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

/**
 * Clears or refuses an earlier simulation, refuses codes that are registered facilities', and
 * writes the simulated facilities; returns the facilities deleted.
 */
export async function startSimulation(tx: Db, facilities: readonly SimulatedFacility[], replace: boolean): Promise<number> {
  const replaced = await clearSimulation(tx, facilities, replace);
  await forgetIssued(tx);
  await tx.copyRows("facilities", FACILITY_COLUMNS, facilities.map(facilityLine));
  return replaced;
}

/** The month's receipts of every open facility (usage_receipts), as an upload would leave them; returns the rows written. */
async function writeMonthReceipts(tx: Db, facilities: readonly SimulatedFacility[], planned: PlannedMonth): Promise<number> {
  const month = `${planned.target.month}-01`;
  // Uploaded when a 診療月's receipts are fixed, about two months after it (the receipt basis's timing).
  const updatedAt = `${addMonths(planned.target.month, 2)}-01T00:00:00+09:00`;
  await tx.copyRows("usage_receipts", RECEIPTS_COLUMNS, planned.rows.map((r) => `${facilities[r.facility]!.code}\t${month}\t${r.receipts}\t${r.outpatientReceipts}\t${updatedAt}\n`));
  return planned.rows.length;
}

/** What a simulated facility may have beyond its row: the usage records, and what checks through the card reader leave. */
const SIMULATION_TABLES = ["usage_month_totals", "usage_days", "usage_card_persons", "usage_receipts", "card_users", "card_user_counters", "consents", "consent_settings", "reader_sessions", "card_readers"];

/** Refuses or clears an earlier simulation, and refuses codes that are registered facilities'; returns the facilities deleted. */
async function clearSimulation(tx: Db, facilities: readonly SimulatedFacility[], replace: boolean): Promise<number> {
  const existing = (await tx.query<{ medical_institution_code: string }>(SIMULATED_CODES, [SIMULATED_NAME_PREFIX])).map((r) => r.medical_institution_code);
  if (existing.length > 0 && !replace) throw new OqsError("E8925", `${existing.length.toLocaleString("ja-JP")} 施設`);
  const [clash] = await tx.query<{ medical_institution_code: string; name: string }>(
    `select medical_institution_code, name from facilities where medical_institution_code = any($1::text[]) and not starts_with(name, $2) limit 1`,
    [facilities.map((f) => f.code), SIMULATED_NAME_PREFIX],
  );
  if (clash) throw new OqsError("E8926", `${clash.medical_institution_code} ${clash.name}`);
  if (existing.length === 0) return 0;
  for (const table of SIMULATION_TABLES) {
    await tx.query(`delete from ${table} where medical_institution_code in (${SIMULATED_CODES})`, [SIMULATED_NAME_PREFIX]);
  }
  await tx.query(`delete from facilities where starts_with(name, $1)`, [SIMULATED_NAME_PREFIX]);
  return existing.length;
}

function monthCount(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
}

const hasChecks = (r: FacilityMonth) => r.cardFace + r.cardPin + r.cardVisual + r.insuranceNumber > 0;

function facilityLine(f: SimulatedFacility): string {
  return `${f.code}\t${f.name}\t${f.kind}\t${f.prefecture}\t${f.municipality}\t${f.municipalityCode ?? "\\N"}\t${f.openedOn}\t${f.readersProvided}\t${f.readersInUse}\n`;
}

function totalsLine(f: SimulatedFacility, month: string, r: FacilityMonth): string {
  return `${f.code}\t${month}\t${r.cardFace}\t${r.cardPin}\t${r.cardVisual}\t${r.insuranceNumber}\t${r.cardPersons}\n`;
}

export function monthFit(target: { month: string; rate: number; published?: { value: number; status: FigureStatus; source: string }; interpolatedBetween?: [string, string] }, rows: readonly FacilityMonth[]): MonthFit {
  let card = 0;
  let all = 0;
  for (const r of rows) {
    const uses = r.cardFace + r.cardPin + r.cardVisual;
    card += uses;
    all += uses + r.insuranceNumber;
  }
  const simulated = { numerator: card, denominator: all };
  return {
    month: target.month,
    published: target.published?.value ?? null,
    status: target.published?.status ?? null,
    source: target.published?.source ?? null,
    interpolatedBetween: target.interpolatedBetween ?? null,
    target: Math.round(target.rate * 100) / 100,
    simulated,
    difference: all === 0 ? Number.NaN : Math.round(((card / all) * 100 - target.rate) * 100) / 100,
  };
}
