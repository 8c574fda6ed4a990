// What part of a person's history the system shows at a given instant (spec §3 and seed 002
// l.543–552): 薬剤 from receipts for 3 years, from the 診療月 2021-09 on; 診療情報 (手術 included)
// from the 診療月 2022-06 on, same 3 years; 特定健診 for 5 years, from 2020 on. A receipt's month
// shows only once the receipt is processed, a check-up once its insurer has registered it.
// Months are YYYYMM, days YYYYMMDD, both in Japan time.
import { jstDate } from "./dates.ts";

export const DRUG_FIRST_MONTH = "202109";
export const TREATMENT_FIRST_MONTH = "202206";
export const CHECKUP_FIRST_DAY = "20200101";
export const RECEIPT_YEARS = 3;
export const CHECKUP_YEARS = 5;

/**
 * A 診療月 M shows from 00:00 JST on the 11th of M+2 (onshi's reading of "about 1.5 months"):
 * receipts of M are claimed by the 10th of M+1 (請求省令), corrected until the 12th and reviewed
 * during M+1; the reviewed data is loaded by the 10th of M+2. So 2026-02 shows on 2026-04-11.
 */
export const RECEIPT_VISIBLE_DAY = 11;
export const RECEIPT_LAG_MONTHS = 2;
/** A check-up shows from the 1st of the second month after it (its insurer registers the results). */
export const CHECKUP_LAG_MONTHS = 2;

export interface MonthRange {
  from: string;
  to: string;
}
export interface DayRange {
  from: string;
  to: string;
}

/** Visible at one instant: empty ranges have from > to. */
export interface Horizons {
  drugs: MonthRange;
  treatments: MonthRange;
  checkups: DayRange;
}

export function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(4, 6)) - 1 + n;
  return `${Math.floor(index / 12)}${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The last day of a month, YYYYMMDD. */
export function lastDayOf(month: string): string {
  const days = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(4, 6)), 0)).getUTCDate();
  return `${month}${days}`;
}

/** The day (JST, YYYYMMDD) from which a 診療月's receipts show. */
export function receiptVisibleOn(month: string): string {
  return `${addMonths(month, RECEIPT_LAG_MONTHS)}${String(RECEIPT_VISIBLE_DAY).padStart(2, "0")}`;
}

/** The day (JST, YYYYMMDD) from which a check-up shows. */
export function checkupVisibleOn(day: string): string {
  return `${addMonths(day.slice(0, 6), CHECKUP_LAG_MONTHS)}01`;
}

export function horizonsAt(at: Date): Horizons {
  const today = jstDate(at);
  const month = today.slice(0, 6);
  const latestReceipt = receiptVisibleOn(addMonths(month, -RECEIPT_LAG_MONTHS)) <= today ? addMonths(month, -RECEIPT_LAG_MONTHS) : addMonths(month, -RECEIPT_LAG_MONTHS - 1);
  const receiptFrom = addMonths(month, -12 * RECEIPT_YEARS);
  const fiveYearsBefore = `${Number(today.slice(0, 4)) - CHECKUP_YEARS}${today.slice(4)}`;
  return {
    drugs: { from: later(DRUG_FIRST_MONTH, receiptFrom), to: latestReceipt },
    treatments: { from: later(TREATMENT_FIRST_MONTH, receiptFrom), to: latestReceipt },
    checkups: { from: later(CHECKUP_FIRST_DAY, fiveYearsBefore), to: lastDayOf(addMonths(month, -CHECKUP_LAG_MONTHS)) },
  };
}

/** Narrows the horizons to the months a request asks for (StartDate / EndDate, YYYYMM, both included). */
export function narrowHorizons(h: Horizons, fromMonth?: string, toMonth?: string): Horizons {
  const months = (r: MonthRange): MonthRange => ({ from: fromMonth ? later(r.from, fromMonth) : r.from, to: toMonth ? earlier(r.to, toMonth) : r.to });
  return {
    drugs: months(h.drugs),
    treatments: months(h.treatments),
    checkups: {
      from: fromMonth ? later(h.checkups.from, `${fromMonth}01`) : h.checkups.from,
      to: toMonth ? earlier(h.checkups.to, lastDayOf(toMonth)) : h.checkups.to,
    },
  };
}

const later = (a: string, b: string): string => (a > b ? a : b);
const earlier = (a: string, b: string): string => (a < b ? a : b);
