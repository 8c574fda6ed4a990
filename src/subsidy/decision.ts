// What an examiner may decide on an application (第9: "金額の算定に誤りがないかどうか等を調査し…交付
// の決定を通知する", seed 002 l.1367–1377). Pure: the case's figures in, the decision or a coded
// refusal out; the service applies it with the case locked.
//
// Readings (also in docs/subsidy-office.md 「審査と交付決定」):
// - The ceiling is the engine's amount when the case was applied, never above the amount applied
//   for: "accept" decides exactly it; "reduce" decides less, with a reason, and never 0 (a decision
//   of nothing is not a decision: the case is sent back instead).
// - The engine is run again at the application date when the examiner looks. If it now gives less
//   (a programme file corrected since) or cannot tell, accepting the stored figure is refused: the
//   examiner reduces, with the reason, or sends the case back. A higher figure changes nothing (no
//   one is granted more than they applied for).
// - An application the engine found ineligible or could not compute is never decided: it is sent
//   back for the missing facts.
// - A reader provision request decides readers (台数), up to the readers requested and the
//   programme row's free readers when the engine gave them.
import { OqsError } from "../errors/catalogue.ts";
import type { CaseKind } from "./case-states.ts";

export const DECISION_OUTCOMES = ["accept", "reduce"] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** The engine's answer as a case keeps it (`calculation`), or as it is recomputed. */
export interface CalculatedFigures {
  eligible: boolean | null;
  amount: number | null;
  /** fund-2020: the readers the programme's row provides free. */
  readersFree?: number | null;
}

export interface DecisionBasis {
  kind: CaseKind;
  requestedYen: number | null;
  requestedReaders: number | null;
  /** When the case was applied; null when the case holds none. */
  stored: CalculatedFigures | null;
  /** At the application date, now; null when it cannot be run (no project in the application). */
  recomputed: CalculatedFigures | null;
}

export interface DecisionInput {
  outcome: DecisionOutcome;
  yen?: number;
  readers?: number;
  reason?: string;
}

export interface Decision {
  decidedYen: number | null;
  decidedReaders: number | null;
  reduced: boolean;
  reason: string | null;
}

export interface Ceiling {
  yen: number | null;
  readers: number | null;
  /** Why accepting is refused, when it is (the code the examiner would get). */
  acceptRefusal: "E9561" | "E9568" | null;
}

const minKnown = (...values: (number | null | undefined)[]) => {
  const known = values.filter((v): v is number => typeof v === "number");
  return known.length === 0 ? null : Math.min(...known);
};

/** What "accept" would decide, and whether it may: the figure a page shows beside the buttons. */
export function ceilingOf(basis: DecisionBasis): Ceiling {
  const { stored, recomputed } = basis;
  if (basis.kind === "reader_request") {
    const readers = minKnown(basis.requestedReaders, stored?.readersFree);
    const blocked = stored?.eligible === false || readers === null || readers < 1;
    return { yen: null, readers: blocked ? null : readers, acceptRefusal: blocked ? "E9561" : recomputed?.eligible === false ? "E9568" : null };
  }
  if (!stored || stored.eligible !== true || stored.amount === null || stored.amount < 1) return { yen: null, readers: null, acceptRefusal: "E9561" };
  const yen = minKnown(stored.amount, basis.requestedYen)!;
  const lower = !recomputed || recomputed.eligible !== true || recomputed.amount === null || recomputed.amount < yen;
  return { yen, readers: null, acceptRefusal: lower ? "E9568" : null };
}

/** The decision `input` makes on the case, or the refusal (E9503, E9560–E9562, E9564, E9567, E9568). */
export function decisionOf(basis: DecisionBasis, input: DecisionInput): Decision {
  const ceiling = ceilingOf(basis);
  const readerRequest = basis.kind === "reader_request";
  const limit = readerRequest ? ceiling.readers : ceiling.yen;
  if (limit === null) throw new OqsError("E9561");
  const reason = input.reason?.trim() || null;
  if (input.outcome === "accept") {
    if (ceiling.acceptRefusal) throw new OqsError(ceiling.acceptRefusal);
    return readerRequest ? { decidedYen: null, decidedReaders: limit, reduced: false, reason } : { decidedYen: limit, decidedReaders: null, reduced: false, reason };
  }
  const field = readerRequest ? "readers" : "yen";
  const value = readerRequest ? input.readers : input.yen;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) throw new OqsError("E9564", `${field}: 1以上の整数`);
  if (value > limit) throw new OqsError(readerRequest ? "E9562" : "E9560", `上限 ${limit}`);
  if (value === limit) throw new OqsError("E9567", `上限 ${limit}`);
  if (!reason) throw new OqsError("E9503", "reduce");
  return readerRequest ? { decidedYen: null, decidedReaders: value, reduced: true, reason } : { decidedYen: value, decidedReaders: null, reduced: true, reason };
}
