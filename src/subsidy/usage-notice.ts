// The monthly マイナ保険証利用率 notice (docs/usage.md 「お知らせ」): which 診療月 a notice covers
// and when it is issued, which 算定月s of the 医療DX推進体制整備加算 that 診療月's rate counts for,
// and whether a subsidy's answer turns on that month. Pure: the service (services/usage-notice.ts)
// brings the figures and calls the engine.
import { receiptVisibleOn } from "../domain/history-horizons.ts";
import { formatSource, type SubsidyResult } from "./engine.ts";
import { valueAt } from "./parameters.ts";
import { parseParameters, type ProgramParameters } from "./parameters.ts";
import { readProgramFile } from "./program-data.ts";
import { addMonths } from "./usage-rate.ts";

/**
 * YYYY-MM-DD the notice of 診療月 `month` is issued on. A 診療月's receipt-basis rate is known about
 * two months after it, once its receipts are fixed (January's in March: yamamotogyosei.com/
 * archives/165), and the 支払基金 notifies each facility by e-mail and on its マイページ
 * (kyotoihou.t-reader.jp 2025-mar-1). onshi already reads when a 診療月's reviewed receipts are in
 * (history-horizons.ts: from the 11th of M + 2, Japan time), so the notice is issued that day.
 */
export function noticeIssuedOn(month: string): string {
  const day = receiptVisibleOn(month.replace("-", ""));
  return `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
}

/** The latest 診療月 whose notice is issued on `today` (YYYY-MM-DD, Japan's date). */
export function latestNoticeMonth(today: string): string {
  const twoBack = addMonths(today.slice(0, 7), -2);
  return noticeIssuedOn(twoBack) <= today ? twoBack : addMonths(twoBack, -1);
}

export type DxBasis = "receipt" | "online";
/** A data month and basis §3.3 lets a 算定月 use (dx-addition.json `rateRule`). */
export interface WindowMonth {
  month: string;
  basis: DxBasis;
}
/** A 算定月 whose rate may be taken from the notice's 診療月. */
export interface FedMonth {
  /** The 算定月 (YYYY-MM). */
  month: string;
  /** The bases on which the 診療月 counts for it (the transitional 2024-10〜2025-01 allows both). */
  bases: DxBasis[];
  /** Every data month the 算定月 may take its highest rate from, oldest first. */
  window: WindowMonth[];
  /** Where the rule is stated. */
  source: string;
}

let dxParameters: ProgramParameters | undefined;
/** dx-addition.json's parameters, parsed once (the engine's program module keeps its own copy). */
function dx(): ProgramParameters {
  dxParameters ??= parseParameters(readProgramFile("dx-addition"), "dx-addition.json");
  return dxParameters;
}

/**
 * The 算定月s whose rate rule names `month` (a 診療月) among its data months: N such that N −
 * monthsBack = month for an entry of the rule in force in N. Read from the rule itself, so a new
 * period of the data file moves the answer: 2025-01 feeds 2025-04, 2025-05 and 2025-06 (N−3〜N−5,
 * receipt basis); 2024-07 feeds 2024-10 on both bases and 2024-11, 2024-12 on the receipt basis.
 */
export function calculationMonthsFed(month: string): FedMonth[] {
  const rule = dx().get<{ basis: DxBasis; monthsBack: number }[]>("rateRule");
  const furthest = Math.max(...rule.values.flatMap((v) => (Array.isArray(v.value) ? v.value.map((m) => m.monthsBack) : [])));
  const fed: FedMonth[] = [];
  for (let back = 1; back <= furthest; back++) {
    const n = addMonths(month, back);
    const at = valueAt(rule, n);
    if (at.kind !== "value") continue;
    const bases = [...new Set(at.value.filter((m) => m.monthsBack === back).map((m) => m.basis))];
    if (bases.length === 0) continue;
    const window = at.value.map((m) => ({ month: addMonths(n, -m.monthsBack), basis: m.basis })).sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.basis < b.basis ? 1 : -1));
    fed.push({ month: n, bases, window, source: formatSource(at.source) });
  }
  return fed;
}

/**
 * Whether a program's answer turns on the notice's 診療月: its result on the facility's months up
 * to that month differs (verdict, amount, or the fields it still needs) from its result without it.
 */
export function turnsOnMonth(withMonth: SubsidyResult, withoutMonth: SubsidyResult): boolean {
  return withMonth.eligible !== withoutMonth.eligible || withMonth.amount !== withoutMonth.amount || (withMonth.missing ?? []).join() !== (withoutMonth.missing ?? []).join();
}

/** The 医療DX推進体制整備加算 answer of one 算定月 as the notice states it. */
export function dxTierText(result: SubsidyResult): string {
  const d = result.details ?? {};
  const label = (tier: unknown) => `医療DX推進体制整備加算${tier === 0 ? "" : String(tier)}`;
  if (typeof d.tierLabel === "string") return `${d.tierLabel}${typeof d.points === "number" ? ` (${d.points}点)` : ""}`;
  if (Array.isArray(d.tierAtLeast)) return `少なくとも${d.tierAtLeast.map(label).join(" または ")}`;
  if (Array.isArray(d.tierCandidates)) return d.tierCandidates.map(label).join(" または ");
  if (result.eligible === false) return "算定できません";
  return "判定できません";
}
