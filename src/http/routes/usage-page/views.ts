// The usage charts' answers as JSON (the terminal's 「利用率の推移」 and the public /usage/ page):
// each rate as its exact fraction with the percentage shown (two decimals), null when unknown; the
// chart itself as SVG text. Shared by both routes so the two pages read one shape.
import { FACILITY_KIND_LABELS, FACILITY_KINDS } from "../../../domain/facility-code.ts";
import { OqsError, type ErrorCode } from "../../../errors/catalogue.ts";
import { addMonths, percentText, type Ratio } from "../../../subsidy/usage-rate.ts";
import { dateInJapan } from "../../../subsidy/engine.ts";
import { lineLabel, type RateLine } from "../../../services/usage-charts.ts";
import { checkedMonth, type Rates } from "../../../services/usage-rates.ts";

export interface RateView {
  numerator: number;
  denominator: number;
  /** 45.12% */
  text: string;
}

export const rateView = (rate: Ratio | null): RateView | null => (rate === null ? null : { numerator: rate.numerator, denominator: rate.denominator, text: percentText(rate) });

export const ratesView = (rates: Rates) => ({ online: rateView(rates.online), receipt: rateView(rates.receipt) });

export const lineView = (line: RateLine) => ({ label: lineLabel(line), owner: line.owner, basis: line.basis, points: line.points.map((p) => ({ month: p.month, rate: rateView(p.rate) })) });

export const KIND_VIEWS = FACILITY_KINDS.map((kind) => ({ kind, label: FACILITY_KIND_LABELS[kind] }));

/** The query's parameters, each a name of `names` given once (`code`, E8990 for the charts, names the first that is not). */
export function queryOf(query: Record<string, unknown>, names: readonly string[], code: ErrorCode = "E8990"): Record<string, string | undefined> {
  for (const [name, value] of Object.entries(query)) {
    if (!names.includes(name) || typeof value !== "string") throw new OqsError(code, name);
  }
  return query as Record<string, string | undefined>;
}

/** The latest month with records, else last month in Japan. */
const defaultMonth = (latest: string | undefined, now: Date) => latest ?? addMonths(dateInJapan(now).slice(0, 7), -1);

/** `?from&to`: the months asked for, or the `span` months up to the latest with records. Bad months: E8940, E8941 (usage-rates). */
export function requestedSpan(query: Record<string, unknown>, latest: string | undefined, now: Date, span: number): { from: string; to: string } {
  const q = queryOf(query, ["from", "to"]);
  const to = q.to !== undefined ? checkedMonth(q.to) : defaultMonth(latest, now);
  const from = q.from !== undefined ? checkedMonth(q.from) : addMonths(to, -(span - 1));
  return { from, to };
}

/** `?month`: the month asked for, or the latest with records. */
export function requestedMonth(query: Record<string, unknown>, latest: string | undefined, now: Date): string {
  const q = queryOf(query, ["month"]);
  return q.month !== undefined ? checkedMonth(q.month) : defaultMonth(latest, now);
}
