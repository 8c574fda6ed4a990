// マイナ保険証利用率 as exact fractions: the programs compare rates with thresholds (「5%pt以上」,
// 「15%以上」), and a float such as 0.15 would put a facility at exactly the boundary on the wrong
// side. A rate is persons (or uses) over receipts (or checks) of one 診療月, taken from the
// profile's `months`; which fields make the rate is the program's choice (spec §4.1).
import type { FacilityProfile, MonthFacts } from "./profile.ts";

export type MonthField = keyof MonthFacts;

export interface Ratio {
  numerator: number;
  denominator: number;
}

/** A month's rate, or why it cannot be had: the fields missing, or a zero denominator. */
export type MonthRate =
  | { ok: true; month: string; ratio: Ratio }
  | { ok: false; month: string; missing: string[]; zero: boolean };

/** numerator / denominator of month `month` (YYYY-MM); missing fields are named as profile paths. */
export function monthRate(profile: FacilityProfile, month: string, numerator: MonthField, denominator: MonthField): MonthRate {
  const facts = profile.months?.[month];
  const n = facts?.[numerator];
  const d = facts?.[denominator];
  if (n === undefined || d === undefined) {
    const missing: string[] = [];
    if (n === undefined) missing.push(`months.${month}.${numerator}`);
    if (d === undefined) missing.push(`months.${month}.${denominator}`);
    return { ok: false, month, missing, zero: false };
  }
  if (d === 0) return { ok: false, month, missing: [], zero: true };
  return { ok: true, month, ratio: { numerator: n, denominator: d } };
}

/** Exact `ratio ≥ percent %` (percent may have decimals, e.g. 12.5). */
export function atLeastPercent(ratio: Ratio, percent: number): boolean {
  return compare(ratio, fromPercent(percent)) >= 0;
}

/** Exact `later − base ≥ points %pt`. */
export function risenByAtLeast(later: Ratio, base: Ratio, points: number): boolean {
  const p = fromPercent(points);
  // later − base − p ≥ 0, over the common denominator: in numbers while every product is exact
  // (BigInt costs about a microsecond a comparison), else in BigInt (no overflow, no rounding).
  const l = exactProduct(exactProduct(later.numerator, base.denominator), p.denominator);
  const b = exactProduct(exactProduct(base.numerator, later.denominator), p.denominator);
  const q = exactProduct(exactProduct(p.numerator, later.denominator), base.denominator);
  if (l !== undefined && b !== undefined && q !== undefined) return l - b >= q;
  const ld = BigInt(later.denominator);
  const bd = BigInt(base.denominator);
  const pd = BigInt(p.denominator);
  return BigInt(later.numerator) * bd * pd - BigInt(base.numerator) * ld * pd - BigInt(p.numerator) * ld * bd >= 0n;
}

/** Exact comparison: negative, 0 or positive as a < b, a = b, a > b. */
export function compare(a: Ratio, b: Ratio): number {
  const x = exactProduct(a.numerator, b.denominator);
  const y = exactProduct(b.numerator, a.denominator);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  const diff = BigInt(a.numerator) * BigInt(b.denominator) - BigInt(b.numerator) * BigInt(a.denominator);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/**
 * a × b of two integers when the product is a non-negative safe integer (so exact, and the
 * difference of two such products exact too), else undefined: the caller then uses BigInt.
 * `undefined` in, `undefined` out, so products can be chained.
 */
export function exactProduct(a: number | undefined, b: number): number | undefined {
  if (a === undefined) return undefined;
  const product = a * b;
  return product >= 0 && Number.isSafeInteger(product) ? product : undefined;
}

/** The rate as a percentage for display, two decimals (never used to decide). */
export function percentText(ratio: Ratio): string {
  return `${((ratio.numerator / ratio.denominator) * 100).toFixed(2)}%`;
}

/** YYYY-MM of `month` shifted by `by` months (negative goes back). */
export function addMonths(month: string, by: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + by;
  return `${Math.floor(index / 12)}-${MONTH_DIGITS[index % 12]}`;
}
/** "01"…"12": addMonths runs in every month loop, and a lookup is cheaper than padStart. */
const MONTH_DIGITS = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"] as const;

function fromPercent(percent: number): Ratio {
  // Up to 4 decimals of a percent are kept exactly (thresholds are whole or half percents).
  const scaled = Math.round(percent * 10_000);
  return { numerator: scaled, denominator: 100 * 10_000 };
}
