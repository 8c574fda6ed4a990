// The return of a cancelled decision (第11) and its 延滞金 (第12) as the subsidy office keeps them:
// what a return order asks for, and where it stands on any day. Pure: the figures come from
// readerReturn (reader-return.ts) and lateInterest (late-interest.ts) unchanged; this file only
// says which of their answers applies and what it means for the case (docs/subsidy-office.md).
//
// Readings where the 実施要領 is silent (each also in RETURN_STATEMENT_READINGS):
// - The return order covers the cancellations made once the case was paid (第11 「既に…交付され
//   ているとき」); a part cancelled before payment was never paid and is not returned.
// - 延滞金 is computed on the whole 返還すべき額 (第12 1: 「補助金等の返還命令」「返還すべき額につき」):
//   the subsidy part and the reader part together, from the case's paid_on (補助金の受領の日,
//   for a reader request the day the readers were provided).
// - Before the deadline, nothing is late yet: the balance is what was ordered less what was paid,
//   and 延滞金 due is 0; the 延滞金 that would be due if the deadline passed unpaid is shown apart.
import { formatSource, yenText } from "./engine.ts";
import { SubsidyInputError, requireDate, requireYen } from "./input-error.ts";
import { lateInterest, SOURCES as LATE_SOURCES, type LateInterestResult, type Payment } from "./late-interest.ts";
import { readerReturn, RETURN_SOURCES, type ReaderReturnResult } from "./reader-return.ts";

export const RETURN_STATEMENT_SOURCES = {
  cancel: formatSource({ document: "online-shikaku-2020", line: 1381, lineTo: 1393, ref: "第10 決定の取消し" }),
  order: RETURN_SOURCES.order,
  due: LATE_SOURCES.due,
  allocation: LATE_SOURCES.allocation,
};

export const RETURN_STATEMENT_READINGS = [
  "返還命令は、支払 (交付) の後にされた取消しに係る部分を対象とする (第11 「既に…交付されているとき」)。支払前に取り消した部分は交付されていないため返還の対象ではない。",
  "延滞金は補助金の部分とカードリーダーの部分を合わせた返還すべき額に対して、案件の支払日 (補助金の受領の日、カードリーダーの提供依頼では提供の日) から計算する (第12 1 「補助金等」「返還すべき額につき」)。",
  "期限前は延滞金は生じていない: 残高は命じた額から納付額を引いたもの。期限までに全額を返還しなかった場合の延滞金は別に示す。",
];

/** One cancellation (第10) of a paid case: its day, the yen and readers it takes back, and its ground. */
export interface Cancellation {
  on: string;
  yen: number;
  readers: number;
  ground: string;
}

export interface ReturnOrderInput {
  /** The case's paid_on: the subsidy's receipt, or the readers' provision (reader request). */
  paidOn: string;
  /** What was paid (yen): the subsidy part never exceeds it. */
  paidYen: number;
  /** The cancellations made after payment. */
  cancellations: Cancellation[];
  /** 顔認証付きカードリーダーの提供に要した費用相当額 per reader: needed when a cancellation takes back readers. */
  readerCost?: number;
}

export interface ReturnOrderPart {
  cancellation: Cancellation;
  subsidyYen: number;
  readerYen: number;
  /** readerReturn's answer when the cancellation takes back readers. */
  readerReturn: ReaderReturnResult | null;
}

export interface ReturnOrderAmounts {
  subsidyYen: number;
  readerYen: number;
  total: number;
  parts: ReturnOrderPart[];
  reasons: string[];
  sources: string[];
  readings: string[];
}

/**
 * What a return order asks for (第11): per cancellation, the subsidy it takes back and the
 * readers' depreciated value on the day of that cancellation (readerReturn). E9592 when no paid
 * part was cancelled, E9594 when readers are taken back without their cost.
 */
export function returnOrderAmounts(input: ReturnOrderInput): ReturnOrderAmounts {
  const paidYen = requireYen(input.paidYen, "paidYen", { positive: false });
  requireDate(input.paidOn, "paidOn");
  if (input.cancellations.length === 0) throw new SubsidyInputError("E9592", "cancellations");
  const parts: ReturnOrderPart[] = [];
  const reasons: string[] = [];
  let subsidyLeft = paidYen;
  for (const [i, c] of input.cancellations.entries()) {
    const yen = Math.min(subsidyLeft, requireYen(c.yen, `cancellations[${i}].yen`, { positive: false }));
    subsidyLeft -= yen;
    if (c.readers > 0) {
      if (input.readerCost === undefined) throw new SubsidyInputError("E9594", "readerCost");
      const r = readerReturn({ readerCost: input.readerCost, readers: c.readers, providedOn: input.paidOn, at: c.on, subsidy: yen });
      parts.push({ cancellation: c, subsidyYen: r.subsidy, readerYen: r.readerRemaining, readerReturn: r });
      reasons.push(`${c.on} の取消し: ${r.reasons.join(" ")}`);
    } else {
      requireDate(c.on, `cancellations[${i}].on`);
      parts.push({ cancellation: c, subsidyYen: yen, readerYen: 0, readerReturn: null });
      reasons.push(`${c.on} の取消し: 補助金 ${yenText(yen)} を返還 (第11)。`);
    }
  }
  const subsidyYen = parts.reduce((s, p) => s + p.subsidyYen, 0);
  const readerYen = parts.reduce((s, p) => s + p.readerYen, 0);
  if (subsidyYen + readerYen === 0) throw new SubsidyInputError("E9592", "cancellations", ": 返還すべき額が0円です");
  reasons.push(`返還すべき額: 補助金 ${yenText(subsidyYen)} + カードリーダー ${yenText(readerYen)} = ${yenText(subsidyYen + readerYen)}。`);
  return {
    subsidyYen,
    readerYen,
    total: subsidyYen + readerYen,
    parts,
    reasons,
    sources: [RETURN_STATEMENT_SOURCES.cancel, RETURN_STATEMENT_SOURCES.order, ...(readerYen > 0 || parts.some((p) => p.readerReturn) ? [RETURN_SOURCES.condition] : [])],
    readings: [RETURN_STATEMENT_READINGS[0]!, ...(parts.some((p) => p.readerReturn) ? parts.find((p) => p.readerReturn)!.readerReturn!.readings : [])],
  };
}

/** Where a return stands on a day: still open, returned by the deadline, overdue, or settled. */
export type ReturnStanding = "open" | "returned" | "overdue" | "settled";

export interface ReturnBalanceInput {
  /** 返還すべき額 of the order (subsidy part + reader part). */
  principal: number;
  /** The case's paid_on (補助金の受領の日). */
  receivedOn: string;
  deadline: string;
  /** Payments recorded; those after `at` are not yet counted. */
  payments: Payment[];
  at: string;
}

export interface ReturnBalance {
  at: string;
  standing: ReturnStanding;
  principal: number;
  paid: number;
  principalOutstanding: number;
  /** 延滞金 due on `at` and not paid; null when the 法定利率 for the receipt is not published. */
  interestDue: number | null;
  interestPaid: number;
  /** Before the deadline and unpaid: the 延滞金 accrued to `at` if the deadline passes unpaid. */
  interestIfLate: number | null;
  /** lateInterest's answer for the payments up to `at`: periods, allocation, reasons, sources. */
  lateInterest: LateInterestResult;
  reasons: string[];
  readings: string[];
}

/**
 * The balance of a return order on `at` (第11, 第12): lateInterest over the payments made by
 * then, read by whether the deadline has passed. The standing is what the case's state should be.
 */
export function returnBalance(input: ReturnBalanceInput): ReturnBalance {
  const at = requireDate(input.at, "at");
  const deadline = requireDate(input.deadline, "deadline");
  const counted = input.payments.filter((p) => requireDate(p.on, "payments.on") <= at);
  const li = lateInterest({ principal: input.principal, received: input.receivedOn, deadline: input.deadline, payments: counted, at: input.at });
  const paid = counted.reduce((s, p) => s + p.yen, 0);
  const reasons = [...li.reasons];
  const base = { at: input.at, principal: li.principal, paid, lateInterest: li, readings: [...RETURN_STATEMENT_READINGS.slice(1), ...li.readings] };
  if (!li.late) {
    return { ...base, standing: "returned", principalOutstanding: 0, interestDue: 0, interestPaid: 0, interestIfLate: null, reasons };
  }
  if (at <= deadline) {
    reasons.push(`${input.at} は期限 ${input.deadline} 以前のため、延滞金はまだ生じていません。残る返還額 ${yenText(Math.max(0, li.principal - paid))} を期限までに納付すれば延滞金はかかりません。`);
    return { ...base, standing: "open", principalOutstanding: Math.max(0, li.principal - paid), interestDue: 0, interestPaid: 0, interestIfLate: li.interestOutstanding, reasons };
  }
  const settled = li.principalOutstanding === 0 && li.interestOutstanding === 0;
  if (settled) reasons.push(`返還すべき額と延滞金 ${yenText(li.interest ?? 0)} の全額が納付されました (完済)。`);
  return { ...base, standing: settled ? "settled" : "overdue", principalOutstanding: li.principalOutstanding, interestDue: li.interestOutstanding, interestPaid: li.interestPaid, interestIfLate: null, reasons };
}
