// The published national figures `onshi simulate` is calibrated to (nation-series.json, each with
// its source and status), and the monthly targets made from them: every month of the simulated
// range gets a national rate, a rate per kind and a national check count, interpolated where
// nothing was published (and marked so).
import { FACILITY_KINDS, type FacilityKind } from "../domain/facility-code.ts";
import { addMonths } from "../subsidy/usage-rate.ts";
import series from "./nation-series.json" with { type: "json" };

export type FigureStatus = "V" | "V-2" | "I";

export interface PublishedFigure {
  value: number;
  status: FigureStatus;
  source: string;
}

/** The months the simulation covers: from the first month with a published rate in the series to the last. */
export const FIRST_SIMULATED_MONTH = "2023-10";
export const LAST_SIMULATED_MONTH = "2025-10";

export const NATION_SERIES = series as unknown as {
  rates: Record<string, PublishedFigure>;
  kindRates: Record<string, Record<FacilityKind, number | null> & { status: FigureStatus; source: string }>;
  onlineChecks: Record<string, PublishedFigure>;
  facilities: { counts: Record<FacilityKind, number>; status: FigureStatus; source: string };
  readers: Record<FacilityKind, number> & { status: FigureStatus; source: string };
  checkShares: Record<FacilityKind, number> & { status: FigureStatus; source: string };
};

/** The mandatory scope's facilities, all kinds: 229,717. */
export const NATIONAL_FACILITIES = FACILITY_KINDS.reduce((sum, kind) => sum + NATION_SERIES.facilities.counts[kind], 0);

/** A month's target: the national rate (percent) with its source or the months it is interpolated between. */
export interface MonthTarget {
  month: string;
  /** Percent, cardUses / onlineChecks. */
  rate: number;
  /** The published figure, or undefined when interpolated. */
  published?: PublishedFigure;
  /** Interpolated between these two published months. */
  interpolatedBetween?: [string, string];
  /** Percent per kind: each kind's published ratio to the national rate (interpolated), scaled so that the check-weighted sum equals `rate`. */
  kindRates: Record<FacilityKind, number>;
  /** National オンライン資格確認件数 of the month (all 229,717 facilities), interpolated between the published months. */
  onlineChecks: number;
}

/** The months from..to (YYYY-MM), both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}

function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/**
 * The value at `month` of a series known at some months: linear between the nearest known months
 * on each side, the nearest known value beyond the ends.
 */
export function interpolate(known: ReadonlyArray<readonly [string, number]>, month: string): { value: number; between?: [string, string] } {
  const sorted = [...known].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const exact = sorted.find(([m]) => m === month);
  if (exact) return { value: exact[1] };
  const after = sorted.findIndex(([m]) => m > month);
  if (after === 0) return { value: sorted[0]![1] };
  if (after === -1) return { value: sorted[sorted.length - 1]![1] };
  const [m0, v0] = sorted[after - 1]!;
  const [m1, v1] = sorted[after]!;
  const t = (monthIndex(month) - monthIndex(m0)) / (monthIndex(m1) - monthIndex(m0));
  return { value: v0 + (v1 - v0) * t, between: [m0, m1] };
}

/** The targets of every month from..to (within FIRST_SIMULATED_MONTH..LAST_SIMULATED_MONTH). */
export function monthTargets(from: string, to: string): MonthTarget[] {
  const rates = Object.entries(NATION_SERIES.rates).map(([m, f]) => [m, f.value] as const);
  const checks = Object.entries(NATION_SERIES.onlineChecks).map(([m, f]) => [m, f.value] as const);
  const shares = NATION_SERIES.checkShares;
  return monthsBetween(from, to).map((month) => {
    const national = interpolate(rates, month);
    const published = NATION_SERIES.rates[month];
    // Each kind's ratio to the national rate of the months it was published, interpolated.
    const ratio = {} as Record<FacilityKind, number>;
    for (const kind of FACILITY_KINDS) {
      const known = Object.entries(NATION_SERIES.kindRates)
        .filter(([, row]) => row[kind] !== null)
        .map(([m, row]) => [m, row[kind]! / NATION_SERIES.rates[m]!.value] as const);
      ratio[kind] = interpolate(known, month).value;
    }
    const weighted = FACILITY_KINDS.reduce((sum, kind) => sum + shares[kind] * ratio[kind], 0);
    const kindRates = {} as Record<FacilityKind, number>;
    for (const kind of FACILITY_KINDS) kindRates[kind] = (national.value * ratio[kind]) / weighted;
    return {
      month,
      rate: national.value,
      ...(published ? { published } : { interpolatedBetween: national.between }),
      kindRates,
      onlineChecks: interpolate(checks, month).value,
    };
  });
}
