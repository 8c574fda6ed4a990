// What onshi records of each answered qualification check (migration 020, docs/usage.md 「記録」):
// the method and the transport of the check, and the Japanese calendar day and month it counts in.
import type { CheckMethod } from "../card/answer.ts";
import type { Ratio } from "../subsidy/usage-rate.ts";

/** How a check identified the patient: the card (by 顔認証 / 暗証番号 / 目視), the insurance number, the 照会番号, a 一括照会 row. */
export const USAGE_METHODS = ["card_face", "card_pin", "card_visual", "insurance_number", "reference_number", "bulk_row"] as const;
export type UsageMethod = (typeof USAGE_METHODS)[number];

/** How the check reached onshi: the WebAPI (and onshi's other HTTP routes), the folder gateway, the card reader, the command line. */
export const USAGE_TRANSPORTS = ["webapi", "folder", "reader", "cli"] as const;
export type UsageTransport = (typeof USAGE_TRANSPORTS)[number];

/** The card methods: マイナ保険証 uses, the numerator of the count basis. */
export const CARD_METHODS: Readonly<Record<CheckMethod, UsageMethod>> = { face: "card_face", pin: "card_pin", visual: "card_visual" };

/** One answered check (or `count` 一括照会 rows) as it is recorded. */
export interface UsageEvent {
  facilityCode: string;
  /** YYYY-MM-DD, the day in Japan of the answer (dateInJapan: 23:59:59 JST counts in that day, 00:00 JST in the next). */
  day: string;
  method: UsageMethod;
  transport: UsageTransport;
  /** 1 for a check; the rows answered for a 一括照会 chunk. */
  count: number;
  /** A card check's person, counted once per facility and month (名寄せ). */
  cardPerson?: number;
}

/** The first day of the month a day (YYYY-MM-DD) counts in. */
export function usageMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

// マイナ保険証利用率 (docs/usage.md 「読み方」): what a facility-month's counters mean and the rates made
// of them; a rate is an exact fraction, unknown (null) where its denominator is zero or was never uploaded.

/** The methods counted as マイナ保険証 uses (cardUses): 顔認証, 暗証番号, 目視. */
export const CARD_USE_METHODS: readonly UsageMethod[] = Object.values(CARD_METHODS);
/**
 * オンライン資格確認件数: the card's checks and the 個別照会 by 保険証の記号番号 or 照会番号. bulk_row
 * (一括照会) is counted but stays out: it confirms reservations ahead of a visit, not a visit's check.
 */
export const ONLINE_CHECK_METHODS: readonly UsageMethod[] = [...CARD_USE_METHODS, "insurance_number", "reference_number"];

export const BASES = ["online", "receipt", "outpatient"] as const;
export type Basis = (typeof BASES)[number];

export const BASIS_LABELS: Record<Basis, string> = {
  online: "オンライン資格確認件数ベース",
  receipt: "レセプト件数ベース",
  outpatient: "外来レセプト件数ベース",
};

/** A facility-month's (or a group's summed) figures. */
export interface MonthFigures {
  /** YYYY-MM */
  month: string;
  /** card_face + card_pin + card_visual */
  cardUses: number;
  /** Persons after 名寄せ: one person once per facility and month. */
  cardPersons: number;
  /** cardUses + insurance_number + reference_number (bulk_row out). */
  onlineChecks: number;
  bulkRows: number;
  byMethod: Record<UsageMethod, number>;
  /** レセプト件数 uploaded for the month; null when none was. */
  receipts: number | null;
  outpatientReceipts: number | null;
}

export interface Rates {
  /** cardUses / onlineChecks */
  online: Ratio | null;
  /** cardPersons / receipts */
  receipt: Ratio | null;
  /** cardPersons / outpatientReceipts */
  outpatient: Ratio | null;
}

/** Figures from method counts (missing methods are 0), persons and the uploaded receipts. */
export function monthFigures(
  month: string,
  byMethod: Partial<Record<UsageMethod, number>>,
  cardPersons: number,
  receipts: { receipts: number; outpatientReceipts: number } | null,
): MonthFigures {
  const counts = Object.fromEntries(USAGE_METHODS.map((m) => [m, byMethod[m] ?? 0])) as Record<UsageMethod, number>;
  const sum = (methods: readonly UsageMethod[]) => methods.reduce((total, m) => total + counts[m], 0);
  return {
    month,
    cardUses: sum(CARD_USE_METHODS),
    cardPersons,
    onlineChecks: sum(ONLINE_CHECK_METHODS),
    bulkRows: counts.bulk_row,
    byMethod: counts,
    receipts: receipts?.receipts ?? null,
    outpatientReceipts: receipts?.outpatientReceipts ?? null,
  };
}

/**
 * The three rates of figures. For a group, pass the persons of its facilities that uploaded receipts
 * as `receiptPersons`: a facility without receipts has no receipt-basis rate and stays out of the
 * receipt bases' sums (numerator and denominator alike).
 */
export function ratesOf(figures: MonthFigures, receiptPersons = figures.cardPersons): Rates {
  return {
    online: ratio(figures.cardUses, figures.onlineChecks),
    receipt: ratio(receiptPersons, figures.receipts),
    outpatient: ratio(receiptPersons, figures.outpatientReceipts),
  };
}

function ratio(numerator: number, denominator: number | null): Ratio | null {
  return denominator === null || denominator === 0 ? null : { numerator, denominator };
}

/**
 * Rank bands within a facility's kind nationally, best first: a facility is in the first band whose
 * share p has (facilities with a strictly higher rate) < p × (facilities with a rate), i.e. its rank
 * (1 + those above it) is within the top ⌈p·n⌉. Tied facilities share a rank and so a band.
 */
export const RANK_BANDS = [
  { band: "top10", percent: 10, label: "上位10%" },
  { band: "top25", percent: 25, label: "上位25%" },
  { band: "top50", percent: 50, label: "上位50%" },
  { band: "bottom50", percent: 100, label: "下位50%" },
] as const;
export type RankBand = (typeof RANK_BANDS)[number]["band"];

/** The band of a facility `above` of whose `ranked` peers have a strictly higher rate (0 ≤ above < ranked). */
export function rankBand(above: number, ranked: number): RankBand {
  return RANK_BANDS.find((b) => above * 100 < b.percent * ranked)!.band;
}
