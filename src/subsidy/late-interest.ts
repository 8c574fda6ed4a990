// 第12 延滞金 of the 医療提供体制設備整備交付金実施要領 (seed 002, lines 1409–1427; the 実施要領 extract
// has no page markers, so citations give the line). A pure function: principal, receipt date, deadline
// and payments in; each period's interest and each payment's allocation out, with the reason and source.
//
// Readings of the text (recorded here and in the answer's `readings`):
// - Interest runs "補助金の受領の日から返還の日までの日数に応じ" (第12 1), i.e. from the RECEIPT of the
//   subsidy, not from the deadline; the deadline only decides whether 延滞金 is due at all ("返還すべき
//   期限までに返還しなかったときは"). Returned in full by the deadline (payment on the deadline
//   included) → no 延滞金.
// - Days: the text counts "…の日から…の日までの日数"; following 民法第140条 (初日不算入) the receipt day
//   is not counted and the return day is. A period between two payments counts the days after the
//   first up to and including the second, so every day is counted once.
// - 365-day basis: "閏年の日を含む期間についても、365日当たりの割合" (第12 2) — 29 February counts as a
//   day and the divisor stays 365, so a leap year's 366 days earn 366/365 of the year's rate.
// - Yen: the text says nothing; each period's interest is truncated below 1 yen (as 国等の債権債務等の
//   金額の端数計算に関する法律 第2条 does for the state's claims), because each payment needs whole yen.
// - Rate: 3.0 % from 2020-04 "民法第404条に定める法定利率の変動があった場合には、その利息が生じた最初の
//   時点における法定利率" — one rate for the whole claim, the 法定利率 of the day interest first arises
//   (the day after receipt). The periods are dated data below; a receipt outside them answers null.
// - Allocation (第12 3): while the total paid is below the subsidy to be returned, a payment goes first
//   to the 延滞金 accrued so far, then to the principal. The part of a payment beyond that total goes
//   first to the principal left, then to the 延滞金 (the clause says nothing about it; this is the
//   ordinary order once its condition ends). Interest accrues on the principal only, never on 延滞金.

import { formatSource, yenText } from "./engine.ts";
import { SubsidyInputError, dayNumber, isoOf, requireDate, requireYen } from "./input-error.ts";

export const SOURCES = {
  due: formatSource({ document: "online-shikaku-2020", line: 1411, lineTo: 1419, ref: "第12 1" }),
  basis: formatSource({ document: "online-shikaku-2020", line: 1421, ref: "第12 2" }),
  allocation: formatSource({ document: "online-shikaku-2020", line: 1423, lineTo: 1427, ref: "第12 3" }),
  order: formatSource({ document: "online-shikaku-2020", line: 1397, lineTo: 1405, ref: "第11" }),
};

/** 法定利率 (民法第404条) by period; the rate of the day interest first arises applies to the whole claim. */
export const LEGAL_RATES: { from: string; to: string | null; percent: number | null; source: string }[] = [
  { from: "2020-04-01", to: "2023-03-31", percent: 3, source: formatSource({ document: "online-shikaku-2020", line: 1413, ref: "第12 1 「令和２年４月以降年 3.0％」" }) },
  { from: "2023-04-01", to: "2026-03-31", percent: 3, source: formatSource({ url: "https://www.moj.go.jp/MINJI/minji07_00317.html", ref: "法定利率 第2期 基準割合0.5%、法定利率3%のまま" }) },
  { from: "2026-04-01", to: "2029-03-31", percent: 3, source: formatSource({ url: "https://www.moj.go.jp/MINJI/minji07_00366.html", ref: "法定利率 第3期 基準割合0.4%、法定利率3%のまま" }) },
  { from: "2029-04-01", to: null, percent: null, source: formatSource({ url: "https://www.moj.go.jp/MINJI/minji07_00366.html", ref: "法定利率 令和11年4月1日以降は未確定" }) },
];

export interface Payment {
  on: string;
  yen: number;
}

export interface LateInterestInput {
  /** 返還すべき補助金の額 (yen). */
  principal: number;
  /** 補助金の受領の日. */
  received: string;
  /** 返還すべき期限 set by the return order (第11). */
  deadline: string;
  payments: Payment[];
  /** Compute the balance on this day as well (interest on what is still unpaid); default: the last payment. */
  at?: string;
}

export interface InterestPeriod {
  from: string;
  to: string;
  days: number;
  principal: number;
  interest: number;
  reason: string;
  sources: string[];
}

export interface PaymentAllocation {
  on: string;
  yen: number;
  toInterest: number;
  toPrincipal: number;
  /** Paid beyond everything owed. */
  excess: number;
  reason: string;
  sources: string[];
}

export interface LateInterestResult {
  principal: number;
  received: string;
  deadline: string;
  /** Whether 延滞金 is due at all (not returned in full by the deadline). */
  late: boolean;
  ratePercent: number | null;
  periods: InterestPeriod[];
  payments: PaymentAllocation[];
  /** null when the rate for the receipt date is not published. */
  interest: number | null;
  interestPaid: number;
  principalPaid: number;
  interestOutstanding: number | null;
  principalOutstanding: number;
  /** The day the balance is given for. */
  at: string;
  reasons: string[];
  sources: string[];
  readings: string[];
}

export const READINGS = [
  "延滞金は受領の日から返還の日までの日数で計算する (第12 1)。期限は延滞金が生じるかどうかだけを決める。",
  "日数は受領の日を算入せず、返還の日を算入する (民法第140条の初日不算入による読み)。",
  "閏年の2月29日も1日と数え、分母は365日のまま (第12 2)。",
  "1円未満は期間ごとに切り捨てる (本文に定めがないための読み)。",
  "納付額の累計が返還すべき補助金の額に達するまでの部分は延滞金に先に充て、超える部分は残る補助金に先に充てる (第12 3 の読み)。",
];

function rateFor(day: number): (typeof LEGAL_RATES)[number] | undefined {
  return LEGAL_RATES.find((r) => dayNumber(r.from)! <= day && (r.to === null || day <= dayNumber(r.to)!));
}


/** Interest for `days` days on `principal` at `percent` a year, 365-day basis, truncated to the yen. */
export function periodInterest(principal: number, percent: number, days: number): number {
  // Integers only: principal × percent × days / 36,500 stays far below 2^53 for any real subsidy.
  return Math.floor((principal * percent * days) / 36_500);
}

export function lateInterest(input: LateInterestInput): LateInterestResult {
  const principal = requireYen(input.principal, "principal");
  const received = requireDate(input.received, "received");
  const deadline = requireDate(input.deadline, "deadline");
  if (deadline < received) throw new SubsidyInputError("E9133", "deadline", `: 期限 ${input.deadline} が受領の日 ${input.received} より前です`);
  if (!Array.isArray(input.payments)) throw new SubsidyInputError("E9132", "payments");
  const payments = input.payments
    .map((p, i) => {
      const on = requireDate(p?.on, `payments[${i}].on`);
      const amount = requireYen(p?.yen, `payments[${i}].yen`);
      if (on < received) throw new SubsidyInputError("E9133", `payments[${i}].on`, `: ${p.on} は受領の日 ${input.received} より前です`);
      return { on, yen: amount, index: i };
    })
    .sort((a, b) => a.on - b.on || a.index - b.index);
  const lastPayment = payments.at(-1)?.on ?? received;
  const at = input.at === undefined ? lastPayment : requireDate(input.at, "at");
  if (at < lastPayment) throw new SubsidyInputError("E9133", "at", `: ${input.at} は最後の納付の日 ${isoOf(lastPayment)} より前です`);

  const paidByDeadline = payments.filter((p) => p.on <= deadline).reduce((s, p) => s + p.yen, 0);
  const late = paidByDeadline < principal;
  const rate = rateFor(received + 1);
  const reasons: string[] = [];
  const sources: string[] = [SOURCES.order, SOURCES.due];
  const result: LateInterestResult = {
    principal,
    received: input.received,
    deadline: input.deadline,
    late,
    ratePercent: late ? (rate?.percent ?? null) : null,
    periods: [],
    payments: [],
    interest: 0,
    interestPaid: 0,
    principalPaid: 0,
    interestOutstanding: 0,
    principalOutstanding: principal,
    at: isoOf(at),
    reasons,
    sources,
    readings: READINGS,
  };

  if (!late) {
    reasons.push(`期限 ${input.deadline} までに ${yenText(principal)} を返還したため延滞金は生じません (第12 1 「返還すべき期限までに返還しなかったときは」)。`);
    let left = principal;
    for (const p of payments) {
      const toPrincipal = Math.min(left, p.yen);
      left -= toPrincipal;
      result.payments.push({ on: isoOf(p.on), yen: p.yen, toInterest: 0, toPrincipal, excess: p.yen - toPrincipal, reason: "期限内の返還: 補助金に充当", sources: [SOURCES.order] });
    }
    result.principalPaid = principal - left;
    result.principalOutstanding = left;
    return result;
  }

  reasons.push(`期限 ${input.deadline} までに返還されなかった (期限までの納付 ${yenText(paidByDeadline)} < ${yenText(principal)}) ため、受領の日 ${input.received} から延滞金を計算します (第12 1)。`);
  if (!rate || rate.percent === null) {
    reasons.push(
      rate
        ? `受領の日の翌日 ${isoOf(received + 1)} に適用される法定利率は公表されていません (${rate.source})。`
        : `第12 1 が定める利率は令和２年４月以降のものです。受領の日の翌日 ${isoOf(received + 1)} の利率は本文にありません。`,
    );
    result.interest = null;
    result.interestOutstanding = null;
    return result;
  }
  const percent = rate.percent;
  sources.push(SOURCES.basis, SOURCES.allocation, rate.source);
  reasons.push(`利率は年 ${percent}% (利息が生じた最初の時点 ${isoOf(received + 1)} の法定利率)、閏年を含む期間も365日当たりの割合 (第12 2)。`);

  let owedPrincipal = principal;
  let owedInterest = 0;
  let interestTotal = 0;
  let paidTotal = 0;
  let cursor = received;
  const accrue = (to: number, why: string) => {
    if (to <= cursor) return;
    const days = to - cursor;
    const interest = owedPrincipal > 0 ? periodInterest(owedPrincipal, percent, days) : 0;
    result.periods.push({
      from: isoOf(cursor + 1),
      to: isoOf(to),
      days,
      principal: owedPrincipal,
      interest,
      reason: `${yenText(owedPrincipal)} × ${percent}% × ${days}日 ÷ 365日 = ${yenText(interest)} (1円未満切捨て)${why}`,
      sources: [SOURCES.due, SOURCES.basis],
    });
    owedInterest += interest;
    interestTotal += interest;
    cursor = to;
  };

  for (const p of payments) {
    accrue(p.on, ` — ${isoOf(p.on)} の納付まで`);
    // 第12 3: the part that keeps the running total within the principal goes to 延滞金 first.
    const interestFirst = Math.min(p.yen, Math.max(0, principal - paidTotal));
    const principalFirst = p.yen - interestFirst;
    let toInterest = Math.min(owedInterest, interestFirst);
    let toPrincipal = Math.min(owedPrincipal, interestFirst - toInterest);
    let rest = interestFirst - toInterest - toPrincipal + principalFirst;
    const extraPrincipal = Math.min(owedPrincipal - toPrincipal, rest);
    toPrincipal += extraPrincipal;
    rest -= extraPrincipal;
    const extraInterest = Math.min(owedInterest - toInterest, rest);
    toInterest += extraInterest;
    rest -= extraInterest;
    owedInterest -= toInterest;
    owedPrincipal -= toPrincipal;
    paidTotal += p.yen;
    result.interestPaid += toInterest;
    result.principalPaid += toPrincipal;
    result.payments.push({
      on: isoOf(p.on),
      yen: p.yen,
      toInterest,
      toPrincipal,
      excess: rest,
      reason:
        principalFirst === 0
          ? `納付額の累計が補助金の額に達するまでは、まず延滞金に充当 (第12 3): 延滞金 ${yenText(toInterest)}、補助金 ${yenText(toPrincipal)}`
          : `累計が補助金の額を超える部分 ${yenText(principalFirst)} は残る補助金に先に充当 (第12 3 の読み): 延滞金 ${yenText(toInterest)}、補助金 ${yenText(toPrincipal)}`,
      sources: [SOURCES.allocation],
    });
  }
  if (owedPrincipal > 0) {
    accrue(at, ` — ${isoOf(at)} 時点 (未返還)`);
    reasons.push(`${isoOf(at)} 時点で補助金 ${yenText(owedPrincipal)} が未返還です。返還の日まで延滞金が増えます。`);
  }
  result.interest = interestTotal;
  result.interestOutstanding = owedInterest;
  result.principalOutstanding = owedPrincipal;
  return result;
}
