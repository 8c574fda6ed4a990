// The マイナ保険証利用率 charts (docs/usage.md 「グラフ」): Vega specs rendered to SVG on the server
// (renderer "none", no browser), as the 特定健診 PDF's trends are. One SVG serves the terminal's
// 「利用率の推移」 screen, the public /usage/ page and the monthly notice's PDF (svg-to-pdfkit), so
// the three cannot disagree; the text is in the SVG, so the pages need no chart script and a test
// reads the labels. Colour says whose rate a line is, the dash says which basis.
import type { Spec } from "vega";
import type { Db } from "../db/client.ts";
import { FACILITY_KIND_LABELS, FACILITY_KINDS, type FacilityKind } from "../domain/facility-code.ts";
import { BASIS_LABELS, ratesOf } from "../domain/usage.ts";
import { PREFECTURES } from "../seed/places.ts";
import { thresholdSteps, type ThresholdStep } from "../subsidy/dx-threshold-bands.ts";
import { compare, percentText, type Ratio } from "../subsidy/usage-rate.ts";
import { vegaSvg } from "./pdf-sheet.ts";
import { checkedMonth, facilityMonths, facilityRates, groupRates, groupSeries, monthSpan, type FacilityPlace, type GroupRates, type Rates } from "./usage-rates.ts";

/** The two bases a chart draws (the outpatient basis is a programme's, not a chart's). */
export type ChartBasis = "online" | "receipt";
export const CHART_BASES: readonly ChartBasis[] = ["online", "receipt"];

/** One line: whose rate (its colour) on which basis (its dash), month by month; null = unknown (a gap). */
export interface RateLine {
  /** 当施設, 全国, 病院 (全国) …: the line's owner, as the legend names it. */
  owner: string;
  basis: ChartBasis;
  points: { month: string; rate: Ratio | null }[];
}

export interface RateChart {
  title: string;
  /** Every month of the x axis, oldest first (YYYY-MM). */
  months: string[];
  /** Drawn in this order; the legend lists them so. */
  lines: RateLine[];
  /** 医療DX推進体制整備加算 thresholds by data month; unknown ones (percent null) are not drawn. */
  thresholds?: ThresholdStep[];
  width?: number;
  height?: number;
}

/** The owners' colours in order of appearance: the facility's own first (dark blue), then grey, orange, green, purple. */
const OWNER_COLOURS = ["#0b4f9c", "#6b6b6b", "#d9730d", "#2e7d32", "#7b3fa0", "#b3261e"];
/** Solid for the count basis, dashed for the receipt basis. */
const BASIS_DASH: Record<ChartBasis, number[]> = { online: [], receipt: [6, 3] };
/** The bands' fill: each 「以上」 band runs to the top, so the higher tiers stack darker. */
const BAND_FILL = "#2e7d32";

/** The legend's name of a line: owner and basis in Japanese. */
export function lineLabel(line: Pick<RateLine, "owner" | "basis">): string {
  return `${line.owner}・${BASIS_LABELS[line.basis]}`;
}

/** YYYY-MM as the axis shows it: 2025/04. */
const axisMonth = (month: string) => month.replace("-", "/");

/** The y axis' top: the highest rate or drawn threshold, rounded up to 10 points, at least 10 %, at most 100 %. */
function yTop(chart: RateChart): number {
  let top = 0;
  for (const line of chart.lines) for (const p of line.points) if (p.rate) top = Math.max(top, (p.rate.numerator / p.rate.denominator) * 100);
  for (const t of chart.thresholds ?? []) if (t.percent !== null) top = Math.max(top, t.percent);
  return Math.min(100, Math.max(10, Math.ceil((top + 0.0001) / 10) * 10));
}

/** The chart as a Vega spec (exported for the tests, which read what is drawn from it). */
export function rateChartSpec(chart: RateChart): Spec {
  const width = chart.width ?? 760;
  const height = chart.height ?? 300;
  const owners = [...new Set(chart.lines.map((l) => l.owner))];
  // More than a year of months: the labels slant, and the axis grows taller.
  const slanted = chart.months.length > 12;
  const labels = chart.lines.map(lineLabel);
  const points = chart.lines.flatMap((line) => {
    const series = lineLabel(line);
    return line.points.map((p) => ({
      series,
      month: axisMonth(p.month),
      percent: p.rate ? (p.rate.numerator / p.rate.denominator) * 100 : null,
      text: p.rate ? `${series} ${axisMonth(p.month)}: ${percentText(p.rate)}` : `${series} ${axisMonth(p.month)}: 不明`,
    }));
  });
  const inRange = new Set(chart.months);
  const bands = (chart.thresholds ?? [])
    .filter((t) => t.percent !== null && (inRange.has(t.from) || inRange.has(t.to) || (t.from < chart.months[0]! && t.to > chart.months.at(-1)!)))
    .map((t) => {
      // A step may start before or end after the axis: clip it to the months shown.
      const from = t.from < chart.months[0]! ? chart.months[0]! : t.from;
      const to = t.to > chart.months.at(-1)! ? chart.months.at(-1)! : t.to;
      return { from: axisMonth(from), to: axisMonth(to), percent: t.percent, group: t.group, text: `${t.label} ${t.percent}%以上` };
    });
  return {
    width,
    height,
    padding: 8,
    // The plot keeps its size; the axes, the title and the legend below add to it.
    autosize: { type: "pad" },
    description: chart.title,
    title: { text: chart.title, fontSize: 14, font: "sans-serif", anchor: "start" },
    data: [
      { name: "points", values: points },
      { name: "bands", values: bands },
      { name: "legend", values: legendItems(chart.lines, height + (slanted ? 78 : 52)) },
    ],
    scales: [
      { name: "x", type: "band", domain: chart.months.map(axisMonth), range: "width", paddingInner: 0, paddingOuter: 0 },
      { name: "y", type: "linear", domain: [0, yTop(chart)], range: "height", zero: true, nice: false },
      { name: "colour", type: "ordinal", domain: labels, range: chart.lines.map((l) => OWNER_COLOURS[owners.indexOf(l.owner) % OWNER_COLOURS.length]!) },
      { name: "dash", type: "ordinal", domain: labels, range: chart.lines.map((l) => BASIS_DASH[l.basis]) },
    ],
    axes: [
      { orient: "bottom", scale: "x", labelFontSize: 10, labelAngle: slanted ? -45 : 0, labelAlign: slanted ? "right" : "center", labelOverlap: "parity", title: "診療月", titleFontSize: 10 },
      { orient: "left", scale: "y", labelFontSize: 10, tickCount: 5, grid: true, gridColor: "#e4e4e4", title: "利用率 (%)", titleFontSize: 10 },
    ],
    marks: [
      {
        type: "rect",
        name: "threshold-bands",
        from: { data: "bands" },
        encode: {
          enter: {
            x: { scale: "x", field: "from" },
            x2: { scale: "x", field: "to", offset: { scale: "x", band: 1 } },
            y: { scale: "y", field: "percent" },
            y2: { value: 0 },
            fill: { value: BAND_FILL },
            fillOpacity: { value: 0.1 },
            description: { field: "text" },
          },
        },
      },
      {
        type: "rule",
        name: "threshold-lines",
        from: { data: "bands" },
        encode: {
          enter: {
            x: { scale: "x", field: "from" },
            x2: { scale: "x", field: "to", offset: { scale: "x", band: 1 } },
            y: { scale: "y", field: "percent" },
            stroke: { value: BAND_FILL },
            strokeWidth: { value: 1 },
            strokeOpacity: { value: 0.8 },
          },
        },
      },
      {
        type: "text",
        name: "threshold-labels",
        from: { data: "bands" },
        encode: {
          enter: {
            x: { scale: "x", field: "from", offset: 3 },
            y: { scale: "y", field: "percent", offset: -3 },
            text: { field: "text" },
            fontSize: { value: 9 },
            fill: { value: "#1b5e20" },
            baseline: { value: "bottom" },
          },
        },
      },
      {
        type: "group",
        from: { facet: { name: "line", data: "points", groupby: "series" } },
        marks: [
          {
            type: "line",
            name: "rate-lines",
            from: { data: "line" },
            encode: {
              enter: {
                x: { scale: "x", field: "month", band: 0.5 },
                y: { scale: "y", field: "percent" },
                defined: { signal: "datum.percent !== null" },
                stroke: { scale: "colour", field: "series" },
                strokeDash: { scale: "dash", field: "series" },
                strokeWidth: { value: 2.5 },
                description: { field: "series" },
              },
            },
          },
          {
            type: "symbol",
            name: "rate-points",
            from: { data: "line" },
            encode: {
              enter: {
                x: { scale: "x", field: "month", band: 0.5 },
                y: { scale: "y", field: "percent" },
                opacity: { signal: "datum.percent === null ? 0 : 1" },
                fill: { scale: "colour", field: "series" },
                size: { value: 22 },
                description: { field: "text" },
              },
            },
          },
        ],
      },
      {
        type: "rule",
        name: "legend-symbols",
        from: { data: "legend" },
        encode: {
          enter: {
            x: { field: "x" },
            x2: { field: "x", offset: LEGEND_SYMBOL },
            y: { field: "y" },
            stroke: { scale: "colour", field: "series" },
            strokeDash: { scale: "dash", field: "series" },
            strokeWidth: { value: 2.5 },
          },
        },
      },
      {
        type: "text",
        name: "legend-labels",
        from: { data: "legend" },
        encode: { enter: { x: { field: "x", offset: LEGEND_SYMBOL + 6 }, y: { field: "y" }, text: { field: "series" }, fontSize: { value: LEGEND_FONT }, baseline: { value: "middle" }, fill: { value: "#222222" } } },
      },
    ],
  };
}

const LEGEND_FONT = 11;
const LEGEND_SYMBOL = 28;

/**
 * The legend as marks placed here rather than Vega's legend: Vega measures text without a canvas
 * at 0.8 em a character, too narrow for Japanese (a full-width character is 1 em), and its columns
 * overlapped. Two columns under the x axis (`top`: below its labels and title), the first as wide as its longest label.
 */
function legendItems(lines: RateLine[], top: number): { series: string; x: number; y: number }[] {
  const labels = lines.map(lineLabel);
  const rows = Math.ceil(labels.length / 2);
  const width = (text: string) => [...text].reduce((w, c) => w + (c.charCodeAt(0) > 0xff ? 1 : 0.6), 0) * LEGEND_FONT;
  const firstColumn = Math.max(0, ...labels.slice(0, rows).map(width)) + LEGEND_SYMBOL + 30;
  return labels.map((series, i) => ({ series, x: i < rows ? 0 : firstColumn, y: top + (i % rows) * 18 }));
}

/** The chart as SVG text (Vega's own renderer, no browser). */
export function rateChartSvg(chart: RateChart): Promise<string> {
  return vegaSvg(rateChartSpec(chart));
}

// ---- the charts' data, from the rates service ----------------------------------------------

/** The facility itself in its chart's legend. */
export const OWN_LINE = "当施設";
export const NATION_LINE = "全国";
/** A kind's national line: 病院 (全国). */
export const kindLine = (kind: FacilityKind) => `${FACILITY_KIND_LABELS[kind]} (全国)`;

/** One line per basis for an owner whose rates are known month by month (months without any are gaps). */
function linesOf(owner: string, months: readonly string[], rates: ReadonlyMap<string, Rates>): RateLine[] {
  return CHART_BASES.map((basis) => ({ owner, basis, points: months.map((month) => ({ month, rate: rates.get(month)?.[basis] ?? null })) }));
}

/** A group series' rates by month, for one kind or (kind undefined) the nation. */
function ratesByMonth(series: readonly GroupRates[], kind?: FacilityKind): Map<string, Rates> {
  return new Map(series.filter((g) => g.kind === kind).map((g) => [g.month, g.rates]));
}

export interface FacilityChart {
  facility: FacilityPlace & { kindLabel: string };
  months: string[];
  lines: RateLine[];
  /** Every step, unknown ones included (the chart draws the known ones). */
  thresholds: ThresholdStep[];
  svg: string;
}

/** Where a chart's national and kind lines come from: the records as they are now, or a notice's figures as issued. */
export type GroupSeries = (db: Db, first: string, last: string, by: "nation" | "kind") => Promise<GroupRates[]>;
const liveSeries: GroupSeries = groupSeries;

/**
 * A facility's monthly rates on both bases against the nation's and its kind's, with the 加算
 * thresholds of its kind as bands: the terminal's 「利用率の推移」 and the monthly notice. Undefined
 * when the facility is not registered. Bad months: E8940, a reversed or too long span: E8941.
 */
export async function facilityRateChart(db: Db, code: string, from: string, to: string, groups: GroupSeries = liveSeries): Promise<FacilityChart | undefined> {
  const { months, first, last } = monthSpan(from, to);
  const place = await facilityRates(db, code, first);
  if (!place) return undefined;
  const { facility } = place;
  const [own, nation, kinds] = await Promise.all([facilityMonths(db, code, first, last), groups(db, first, last, "nation"), groups(db, first, last, "kind")]);
  const ownRates = new Map(own.map((f) => [f.month, ratesOf(f)]));
  const kindLabel = FACILITY_KIND_LABELS[facility.kind];
  const lines = [...linesOf(OWN_LINE, months, ownRates), ...linesOf(NATION_LINE, months, ratesByMonth(nation)), ...linesOf(kindLine(facility.kind), months, ratesByMonth(kinds, facility.kind))];
  const thresholds = thresholdSteps(facility.kind, first, last);
  const svg = await rateChartSvg({ title: `${facility.name} マイナ保険証利用率の推移 (${kindLabel})`, months, lines, thresholds });
  return { facility: { ...facility, kindLabel }, months, lines, thresholds, svg };
}

export interface NationalCharts {
  months: string[];
  /** 全国 on both bases. */
  nation: { lines: RateLine[]; svg: string };
  /** Each kind on both bases. */
  kinds: { lines: RateLine[]; svg: string };
}

/** The national rate by month on both bases, and by kind: the public /usage/ page's charts. */
export async function nationalRateCharts(db: Db, from: string, to: string): Promise<NationalCharts> {
  const { months, first, last } = monthSpan(from, to);
  const [nation, kinds] = await Promise.all([groupSeries(db, first, last, "nation"), groupSeries(db, first, last, "kind")]);
  const nationLines = linesOf(NATION_LINE, months, ratesByMonth(nation));
  const kindLines = FACILITY_KINDS.flatMap((kind) => linesOf(FACILITY_KIND_LABELS[kind], months, ratesByMonth(kinds, kind)));
  const [nationSvg, kindsSvg] = await Promise.all([
    rateChartSvg({ title: "全国のマイナ保険証利用率の推移", months, lines: nationLines }),
    rateChartSvg({ title: "施設の種類別 マイナ保険証利用率の推移 (全国)", months, lines: kindLines }),
  ]);
  return { months, nation: { lines: nationLines, svg: nationSvg }, kinds: { lines: kindLines, svg: kindsSvg } };
}

export interface PrefectureRow {
  /** 都道府県番号 1–47 */
  prefecture: number;
  name: string;
  facilities: number;
  rates: Rates;
  kinds: Partial<Record<FacilityKind, Rates>>;
}

/**
 * The month's rates of every prefecture with records, and of each kind in it: the /usage/ page's
 * table. Ordered by the count-basis rate, highest first (exactly; unknown last), then by 都道府県番号.
 */
export async function prefectureRates(db: Db, month: string): Promise<PrefectureRow[]> {
  const checked = checkedMonth(month);
  const [byPrefecture, byKind] = await Promise.all([groupRates(db, checked, "prefecture"), groupRates(db, checked, "kind-prefecture")]);
  const rows = byPrefecture.map((g) => ({
    prefecture: g.prefecture!,
    name: PREFECTURES[g.prefecture! - 1]?.name ?? String(g.prefecture),
    facilities: g.facilities,
    rates: g.rates,
    kinds: Object.fromEntries(byKind.filter((k) => k.prefecture === g.prefecture).map((k) => [k.kind!, k.rates])),
  }));
  return rows.sort((a, b) => byRateDescending(a.rates.online, b.rates.online) || a.prefecture - b.prefecture);
}

/** Highest first, exactly; unknown after every known rate. */
export function byRateDescending(a: Ratio | null, b: Ratio | null): number {
  if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  return compare(b, a);
}
