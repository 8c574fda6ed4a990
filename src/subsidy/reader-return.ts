// 第11 顔認証付きカードリーダー及び補助金の返還 of the 医療提供体制設備整備交付金実施要領 (seed 002
// lines 1397–1405, and 第5 1(6) lines 1281–1284): when the decision is cancelled, the facility returns
// "顔認証付きカードリーダーの提供に要した費用相当額（減価償却（５年）に応じた残額）及び補助金".
// The 実施要領 extract has no page markers, so citations give the line.
//
// Readings (the text names only "減価償却（５年）"):
// - Method: straight line (定額法) over 5 years = 60 months, to zero, counted in months. The text gives
//   no method; straight line is what a fixed life with no other rule gives, and monthly counting follows
//   how 減価償却 is counted in the tax rules the 耐用年数省令 belongs to (法人税法施行令第59条: months
//   by the calendar, a part of a month counts as a whole month).
// - Elapsed months run from the day the reader was provided (put to use) to the day of the 取消し; a
//   part month counts as a month used, so a reader cancelled the day it was provided has used none,
//   and one cancelled the next day has used one month.
// - The residual is cost × (60 − months used) / 60, truncated below 1 yen; after 60 months it is 0.
// - The 補助金 part is returned as decided for the cancelled part: the text does not depreciate it.
import { SubsidyInputError, isoOf, requireDate, requireYen } from "./input-error.ts";
import { formatSource, yenText } from "./engine.ts";

export const RETURN_SOURCES = {
  order: formatSource({ document: "online-shikaku-2020", line: 1397, lineTo: 1405, ref: "第11" }),
  condition: formatSource({ document: "online-shikaku-2020", line: 1281, lineTo: 1284, ref: "第5 1(6)" }),
  life: formatSource({ document: "online-shikaku-2020", line: 1243, lineTo: 1249, ref: "第5 1(2)" }),
};

export const LIFE_MONTHS = 60;

export const RETURN_READINGS = [
  "減価償却（５年）は定額法・月割りで読む (本文に方法の定めがないため)。残額 = 費用相当額 × (60 − 経過月数) ÷ 60、1円未満切捨て。",
  "経過月数は提供の日から取消しの日まで暦に従って数え、1月に満たない端数は1月とする (法人税法施行令第59条の月数の数え方による読み)。",
  "補助金は取消しに係る部分の額をそのまま返還する (本文は補助金を減価償却しない)。",
];

export interface ReaderReturnInput {
  /** 顔認証付きカードリーダーの提供に要した費用相当額, per reader (yen). */
  readerCost: number;
  /** Readers the cancellation covers. */
  readers: number;
  /** The day the readers were provided (put to use). */
  providedOn: string;
  /** The day of the 取消し (the value is taken on this day). */
  at: string;
  /** 補助金 of the cancelled part, to be returned (yen); 0 when only readers were provided. */
  subsidy: number;
}

export interface ReaderReturnResult {
  readers: number;
  readerCost: number;
  providedOn: string;
  at: string;
  monthsUsed: number;
  monthsLeft: number;
  readerRemaining: number;
  subsidy: number;
  total: number;
  reasons: string[];
  sources: string[];
  readings: string[];
}

/** The day `months` calendar months after `day` (day numbers), the month's last day when it has no such day. */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * 86_400_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last)) / 86_400_000;
}

/** Calendar months from `from` to `to`, a part month counted as a whole one. */
export function monthsUsed(from: number, to: number): number {
  let whole = 0;
  while (addMonths(from, whole + 1) <= to) whole++;
  return addMonths(from, whole) < to ? whole + 1 : whole;
}


export function readerReturn(input: ReaderReturnInput): ReaderReturnResult {
  const readerCost = requireYen(input.readerCost, "readerCost", { positive: false });
  if (!Number.isSafeInteger(input.readers) || input.readers < 1) throw new SubsidyInputError("E9134", "readers", `: ${String(input.readers)}`);
  const providedOn = requireDate(input.providedOn, "providedOn");
  const at = requireDate(input.at, "at");
  if (at < providedOn) throw new SubsidyInputError("E9133", "at", `: 取消しの日 ${input.at} が提供の日 ${input.providedOn} より前です`);
  const subsidy = requireYen(input.subsidy, "subsidy", { positive: false });

  const used = monthsUsed(providedOn, at);
  const left = Math.max(0, LIFE_MONTHS - used);
  const cost = readerCost * input.readers;
  const readerRemaining = Math.floor((cost * left) / LIFE_MONTHS);
  const reasons = [
    `提供の日 ${input.providedOn} から取消しの日 ${input.at} まで ${used}か月 (1月未満は1月) 経過、残り ${left}/60 か月。`,
    `カードリーダーの残額: ${yenText(readerCost)} × ${input.readers}台 × ${left} ÷ 60 = ${yenText(readerRemaining)} (減価償却（５年）、定額法・月割り、1円未満切捨て。第11)。`,
    subsidy > 0 ? `補助金 ${yenText(subsidy)} を返還 (第11)。` : "補助金の返還はありません (取消しに係る補助金 0円)。",
    `返還額の合計: ${yenText(readerRemaining + subsidy)}。期限までに返還しないときは延滞金 (第12) がかかります。`,
  ];
  if (left === 0) reasons.splice(1, 0, "5年 (60か月) を経過しているため、カードリーダーの残額は0円です。");
  return {
    readers: input.readers,
    readerCost,
    providedOn: isoOf(providedOn),
    at: isoOf(at),
    monthsUsed: used,
    monthsLeft: left,
    readerRemaining,
    subsidy,
    total: readerRemaining + subsidy,
    reasons,
    sources: [RETURN_SOURCES.order, RETURN_SOURCES.condition, RETURN_SOURCES.life],
    readings: RETURN_READINGS,
  };
}

