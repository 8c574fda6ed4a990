// マイナ保険証利用率 on the count basis and the receipt bases, per facility-month and per group
// (kind, prefecture, kind × prefecture, nation), from onshi's own usage records (docs/usage.md).
// Groups sum numerators and denominators (never average rates); a facility without uploaded
// receipts is left out of the receipt bases' sums.
import type { Db } from "../db/client.ts";
import { FACILITY_KINDS, type FacilityKind } from "../domain/facility-code.ts";
import { monthFigures, rankBand, ratesOf, type Basis, type MonthFigures, type RankBand, type Rates } from "../domain/usage.ts";
import { OqsError } from "../errors/catalogue.ts";
import { isYearMonth } from "../subsidy/profile.ts";
import { addMonths } from "../subsidy/usage-rate.ts";
import { findFacility } from "../store/facility-store.ts";
import { facilityRangeUsageRows, facilityUsageRows, groupUsageRows, rankCounts, type Grouping, type GroupRow, type UsageRow } from "../store/usage-store.ts";

export { BASES, BASIS_LABELS, RANK_BANDS, type Basis, type MonthFigures, type RankBand, type Rates } from "../domain/usage.ts";
export type { Grouping } from "../store/usage-store.ts";

/** The longest span a series or a facility's months may cover: 10 years of months. */
export const MAX_MONTHS = 120;

export interface FacilityPlace {
  code: string;
  name: string;
  kind: FacilityKind;
  /** 都道府県番号 1–47 */
  prefecture: number;
}

export interface FacilityRates {
  facility: FacilityPlace;
  month: string;
  figures: MonthFigures;
  rates: Rates;
}

export interface GroupRates {
  month: string;
  /** Absent for the nation and for a prefecture grouping. */
  kind?: FacilityKind;
  prefecture?: number;
  /** Facilities with any record or receipts in the month. */
  facilities: number;
  /** Of them, those that uploaded receipts (the receipt bases' sums are theirs). */
  receiptFacilities: number;
  figures: MonthFigures;
  rates: Rates;
}

/** The month (YYYY-MM) as given, or E8940. */
export function checkedMonth(month: unknown): string {
  if (!isYearMonth(month)) throw new OqsError("E8940", String(month));
  return month;
}

/** Months from `from` to `to` inclusive, in order; E8940 for a bad month, E8941 for a reversed or too long span. */
export function monthSpan(from: unknown, to: unknown): { first: string; last: string; months: string[] } {
  const first = checkedMonth(from);
  const last = checkedMonth(to);
  const months: string[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) {
    if (months.length === MAX_MONTHS) throw new OqsError("E8941", `${first}〜${last}`);
    months.push(m);
  }
  if (months.length === 0) throw new OqsError("E8941", `${first}〜${last}`);
  return { first, last, months };
}

const firstDay = (month: string) => `${month}-01`;

/** A facility-month's or a group's summed counters as MonthFigures. */
export function monthFiguresOf(row: UsageRow): MonthFigures {
  const receipts = row.receipts === null ? null : { receipts: row.receipts, outpatientReceipts: row.outpatient_receipts! };
  return monthFigures(row.month.slice(0, 7), row, row.card_persons, receipts);
}

/** Every month from `from` to `to` of the facility's figures: zeros where nothing was recorded, receipts null where none were uploaded. */
export async function facilityMonths(db: Db, code: string, from: string, to: string): Promise<MonthFigures[]> {
  const { first, last, months } = monthSpan(from, to);
  const rows = await facilityUsageRows(db, code, firstDay(first), firstDay(last));
  const byMonth = new Map(rows.map((r) => [r.month.slice(0, 7), monthFiguresOf(r)]));
  return months.map((m) => byMonth.get(m) ?? monthFigures(m, {}, 0, null));
}

/**
 * The figures of the months from `from` to `to` that have a record or receipts, of the facilities
 * with codes `first` to `last`, in code and month order: a page of facilities in one query (the
 * subsidy run over every facility, services/usage-profile.ts).
 */
export async function facilityRangeMonths(db: Db, first: string, last: string, from: string, to: string): Promise<{ code: string; figures: MonthFigures }[]> {
  const { first: fromMonth, last: toMonth } = monthSpan(from, to);
  const rows = await facilityRangeUsageRows(db, first, last, firstDay(fromMonth), firstDay(toMonth));
  return rows.map((r) => ({ code: r.code, figures: monthFiguresOf(r) }));
}

/** The facility's figures and rates of the month; undefined when the facility is not registered. */
export async function facilityRates(db: Db, code: string, month: string): Promise<FacilityRates | undefined> {
  const facility = await findFacility(db, code);
  if (!facility) return undefined;
  const [figures] = (await facilityMonths(db, code, month, month)) as [MonthFigures];
  return { facility: { code: facility.code, name: facility.name, kind: facility.kind, prefecture: facility.prefecture }, month, figures, rates: ratesOf(figures) };
}

/** Kinds in FACILITY_KINDS' order (病院, 医科診療所, 歯科診療所, 薬局), not their codes' alphabetical one. */
const kindOrder = (kind: FacilityKind | null) => (kind === null ? -1 : FACILITY_KINDS.indexOf(kind));

/** Group rows as rates, by month, then kind (FACILITY_KINDS' order), then prefecture. */
export function groupRatesOf(rows: GroupRow[]): GroupRates[] {
  const sorted = rows.sort((a, b) => a.month.localeCompare(b.month) || kindOrder(a.kind) - kindOrder(b.kind) || (a.prefecture ?? 0) - (b.prefecture ?? 0));
  return sorted.map((row) => {
    const figures = monthFiguresOf(row);
    return {
      month: figures.month,
      ...(row.kind === null ? {} : { kind: row.kind }),
      ...(row.prefecture === null ? {} : { prefecture: row.prefecture }),
      facilities: row.facilities,
      receiptFacilities: row.receipt_facilities,
      figures,
      rates: ratesOf(figures, row.receipt_persons),
    };
  });
}

/** The month's totals and rates per group (one set-based query); a group with no facility-month has no entry, so a month without data is []. */
export async function groupRates(db: Db, month: string, by: Grouping): Promise<GroupRates[]> {
  const day = firstDay(checkedMonth(month));
  return groupRatesOf(await groupUsageRows(db, day, day, by));
}

/** groupRates for every month from `from` to `to`, by month then group. */
export async function groupSeries(db: Db, from: string, to: string, by: "nation" | "kind"): Promise<GroupRates[]> {
  const { first, last } = monthSpan(from, to);
  return groupRatesOf(await groupUsageRows(db, firstDay(first), firstDay(last), by));
}

export interface RankStanding {
  band: RankBand;
  /** Facilities of the kind with a strictly higher rate. */
  above: number;
  /** Facilities of the kind with a rate on the basis that month (the facility included). */
  ranked: number;
}

/** Where the facility's rate on `basis` stands among its kind nationally that month; null when it has no rate on that basis. */
export async function facilityRankBand(db: Db, rates: FacilityRates, basis: Basis): Promise<RankStanding | null> {
  const ratio = rates.rates[basis];
  if (ratio === null) return null;
  const { ranked, above } = await rankCounts(db, firstDay(rates.month), rates.facility.kind, basis, ratio.numerator, ratio.denominator);
  return { band: rankBand(above, ranked), above, ranked };
}
