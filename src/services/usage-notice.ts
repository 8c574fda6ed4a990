// The monthly マイナ保険証利用率 notice of one facility (docs/usage.md 「お知らせ」), as the 支払基金
// sends it by e-mail and on the portal マイページ: the 診療月's rates on each basis, the rates of the
// facility's kind in the nation and in its prefecture, its rank band within its kind, what the
// rate means for the 医療DX推進体制整備加算 of the 算定月s it counts for, and the subsidies whose
// answer turns on the month, both from the subsidy engine run on the facility's usage profile.
// A plain view model: the PDF (usage-notice-pdf.ts), `onshi usage notice` and the terminal page
// show it as it is. Everything in it comes from records of the 診療月 and earlier, so the notice of
// a month is the same whenever it is made.
import type { Db } from "../db/client.ts";
import { FACILITY_KIND_LABELS, type FacilityKind } from "../domain/facility-code.ts";
import { OqsError } from "../errors/catalogue.ts";
import { PREFECTURES } from "../seed/places.ts";
import { calculate, dateInJapan, type SubsidyResult } from "../subsidy/engine.ts";
import { isYearMonth, type FacilityProfile } from "../subsidy/profile.ts";
import { loadPrograms } from "../subsidy/program-data.ts";
import { addMonths, percentText, type Ratio } from "../subsidy/usage-rate.ts";
import { calculationMonthsFed, dxTierText, noticeIssuedOn, turnsOnMonth, type DxBasis, type WindowMonth } from "../subsidy/usage-notice.ts";
import { usageProfile } from "./usage-profile.ts";
import { facilityRateChart, kindLine, NATION_LINE, OWN_LINE, type ChartBasis, type RateLine } from "./usage-charts.ts";
import { issueMonths, issuedRankBands, issuedSeries, monthGroupRates } from "./usage-issued.ts";
import { facilityRates, RANK_BANDS, type Basis, type GroupRates, type MonthFigures, type RankBand, type Rates } from "./usage-rates.ts";

/** The months the notice's chart and table show: the 診療月 and the 11 before it. */
export const HISTORY_MONTHS = 12;

/** A rate as the notice shows it: the exact fraction and its percentage (two decimals, display only). */
export interface RateView {
  numerator: number;
  denominator: number;
  percent: string;
}
/** Each basis's rate; null = unknown (no receipts uploaded, or a zero denominator), never 0 %. */
export type BasisRates = Record<Basis, RateView | null>;

export interface NoticeGroup {
  /** Facilities of the group with records that month, and of them those that uploaded receipts. */
  facilities: number;
  receiptFacilities: number;
  rates: BasisRates;
}

export interface NoticeRank {
  basis: Basis;
  band: RankBand;
  label: string;
  /** Facilities of the kind with a strictly higher rate, of `ranked` with a rate on the basis. */
  above: number;
  ranked: number;
}

/** One 算定月 of the 医療DX推進体制整備加算 the 診療月 counts for, as the engine answers it. */
export interface NoticeDxMonth {
  month: string;
  bases: DxBasis[];
  window: WindowMonth[];
  /** Months of the window after the 診療月: not known when the notice is made (a later one may be higher). */
  pending: string[];
  eligible: boolean | null;
  /** The tier as stated: 「加算1 (12点)」, 「少なくとも加算3」, 「算定できません」, 「判定できません」. */
  tier: string;
  rateUsed: { month: string; basis: DxBasis; percent: string } | null;
  /** The engine's reasons about the 利用率 (which months, which thresholds). */
  reasons: string[];
  /** Where the rule that picks the months is stated. */
  source: string;
}

export interface NoticeSubsidy {
  program: string;
  name: string;
  eligible: boolean | null;
  amount: number | null;
  reasons: string[];
}

export interface NoticeHistoryMonth {
  month: string;
  facility: Pick<BasisRates, "online" | "receipt">;
  kind: Pick<BasisRates, "online" | "receipt">;
  nation: Pick<BasisRates, "online" | "receipt">;
}

export interface UsageNotice {
  facility: { code: string; name: string; kind: FacilityKind; kindLabel: string; prefecture: number; prefectureName: string };
  /** The 診療月 (YYYY-MM) the notice covers. */
  month: string;
  /** YYYY-MM-DD: the 11th of the 診療月 + 2 (its reviewed receipts are in). */
  issuedOn: string;
  figures: MonthFigures;
  rates: BasisRates;
  /** The facility's kind, nationally and in its prefecture (null: no facility of the kind has records that month). */
  kindNation: NoticeGroup | null;
  kindPrefecture: NoticeGroup | null;
  /** The rank band within the kind nationally, on each basis the facility has a rate on. */
  ranks: NoticeRank[];
  dx: NoticeDxMonth[];
  subsidies: NoticeSubsidy[];
  history: NoticeHistoryMonth[];
  /** The 12 months as a chart (usage-charts.ts: SVG drawn by Vega on the server, the same as the 「利用率の推移」's). */
  chart: string;
}

/** The 診療月 as given, or E8970. */
export function checkedNoticeMonth(month: unknown): string {
  if (!isYearMonth(month)) throw new OqsError("E8970", String(month));
  return month;
}

const view = (ratio: Ratio | null): RateView | null => (ratio === null ? null : { numerator: ratio.numerator, denominator: ratio.denominator, percent: percentText(ratio) });
const views = (rates: Rates): BasisRates => ({ online: view(rates.online), receipt: view(rates.receipt), outpatient: view(rates.outpatient) });
const group = (g: GroupRates | undefined): NoticeGroup | null => (g ? { facilities: g.facilities, receiptFacilities: g.receiptFacilities, rates: views(g.rates) } : null);

/**
 * The notice of `code` for 診療月 `month` as of `now`: E8970 for a bad month, E8971 when no
 * facility has the code, E8972 before the notice is issued (the 11th of month + 2, Japan time).
 */
export async function usageNotice(db: Db, code: string, month: string, now: Date): Promise<UsageNotice> {
  checkedNoticeMonth(month);
  const issuedOn = noticeIssuedOn(month);
  const found = /^\d{10}$/.test(code) ? await facilityRates(db, code, month) : undefined;
  if (!found) throw new OqsError("E8971", code);
  if (dateInJapan(now) < issuedOn) throw new OqsError("E8972", `${issuedOn} 発行`);
  const { facility, figures, rates } = found;
  const first = addMonths(month, 1 - HISTORY_MONTHS);
  // The groups of the month and of its history as issued (usage-issued.ts): kept by the first
  // notice to show a month, in one statement for the months not kept yet; read once here.
  const months = await issueMonths(db, first, month, now);
  const groups = monthGroupRates(months, month);
  const [standings, chart, profile] = await Promise.all([
    issuedRankBands(db, month, code, now),
    facilityRateChart(db, code, first, month, issuedSeries(months)),
    // The profile's months end with the 診療月: what the notice says of a month never changes later.
    usageProfile(db, code, `${addMonths(month, 1)}-01`),
  ]);
  const kindOf = (g: GroupRates) => g.kind === facility.kind;
  return {
    facility: { ...facility, kindLabel: FACILITY_KIND_LABELS[facility.kind], prefectureName: PREFECTURES[facility.prefecture - 1]!.name },
    month,
    issuedOn,
    figures,
    rates: views(rates),
    kindNation: group(groups.find((g) => kindOf(g) && g.prefecture === undefined)),
    kindPrefecture: group(groups.find((g) => kindOf(g) && g.prefecture === facility.prefecture)),
    ranks: (["receipt", "online"] as const).flatMap((basis) => {
      const standing = standings[basis];
      return standing ? [{ basis, band: standing.band, label: RANK_BANDS.find((b) => b.band === standing.band)!.label, above: standing.above, ranked: standing.ranked }] : [];
    }),
    dx: dxMonths(profile, month),
    subsidies: subsidiesTurningOn(profile, month, issuedOn),
    history: historyOf(chart!.lines, chart!.months, facility.kind),
    chart: chart!.svg,
  };
}

/** The chart's lines month by month: the facility's, its kind's nationally, the nation's. */
function historyOf(lines: readonly RateLine[], months: readonly string[], kind: FacilityKind): NoticeHistoryMonth[] {
  const of = (owner: string, i: number) => {
    const rate = (basis: ChartBasis) => lines.find((l) => l.owner === owner && l.basis === basis)!.points[i]!.rate;
    return { online: view(rate("online")), receipt: view(rate("receipt")) };
  };
  return months.map((month, i) => ({ month, facility: of(OWN_LINE, i), kind: of(kindLine(kind), i), nation: of(NATION_LINE, i) }));
}

/**
 * The 算定月s the 診療月 counts for, each as the engine answers it on the facility's months up to
 * the 診療月. The other 施設基準 (マイナポータルの相談体制, 電子処方箋) are not in onshi's records: the
 * notice states the tier the 利用率 reaches when they are met (the facility's own answers win when
 * its profile has them), which is what the 支払基金's rate decides.
 */
function dxMonths(profile: FacilityProfile, month: string): NoticeDxMonth[] {
  const assumed: FacilityProfile = { portalHealthConsultation: true, ePrescription: true, ...profile };
  const [dx] = loadPrograms().filter((p) => p.id === "dx-addition");
  return calculationMonthsFed(month).map((fed) => {
    const result = calculate(assumed, `${fed.month}-01`, [dx!]).results[0]!;
    const used = result.details?.rateUsed as { month: string; basis: DxBasis; percent: string } | undefined;
    return {
      month: fed.month,
      bases: fed.bases,
      window: fed.window,
      pending: [...new Set(fed.window.filter((w) => w.month > month).map((w) => w.month))],
      eligible: result.eligible,
      tier: dxTierText(result),
      rateUsed: used ? { month: used.month, basis: used.basis, percent: used.percent } : null,
      reasons: result.reasons.filter((r) => r.includes("利用率") || r.includes("算定でき")),
      source: fed.source,
    };
  });
}

/** Every program but the 医療DX推進体制整備加算 whose answer on the issue day turns on the 診療月's figures. */
function subsidiesTurningOn(profile: FacilityProfile, month: string, issuedOn: string): NoticeSubsidy[] {
  const programs = loadPrograms().filter((p) => p.id !== "dx-addition");
  const without: FacilityProfile = { ...profile, months: Object.fromEntries(Object.entries(profile.months ?? {}).filter(([m]) => m !== month)) };
  const withMonth = calculate(profile, issuedOn, programs).results;
  const withoutMonth = calculate(without, issuedOn, programs).results;
  const names = new Map(programs.map((p) => [p.id, p.name]));
  return withMonth.flatMap((r: SubsidyResult, i) =>
    turnsOnMonth(r, withoutMonth[i]!) ? [{ program: r.program, name: names.get(r.program) ?? r.program, eligible: r.eligible, amount: r.amount, reasons: r.reasons }] : [],
  );
}
