// The state machine of a subsidy office case (docs/subsidy-office.md): which action moves a case
// from which state to which, and who may take it, from the 実施要領 (seed 002, 第7–第12; the
// extract has no page markers, so sources give the line). Pure: the store applies a transition
// only if `transitionOf` allows it, in one transaction with the case's row locked.
//
// Readings where the text is silent (each also in docs/subsidy-office.md):
// - 差戻し: 第9 has the 支払基金 examine an application and decide; it says nothing of returning
//   one for correction. An examiner may send an application back with a reason, and the applicant
//   may resubmit it; a sent-back case is still the facility's live case for the programme.
// - A decision may be cancelled (第10) before or after payment; a return order (第11) follows only
//   a cancellation of what was already paid ("既に…交付されているとき").
// - A case that was partly cancelled before payment is paid its remaining amount; a case partly
//   cancelled may be cancelled again (another part, or the rest).
// - 返還済 is a return paid in full by the deadline (no 延滞金, 第12 1); 延滞中 is a return not
//   paid in full when the deadline passed; 完済 is a 延滞中 case whose return and 延滞金 are paid.
// - For a reader provision request, 支払済 reads as 提供済: the readers were delivered.
import { formatSource } from "./engine.ts";

export const CASE_STATES = ["applied", "sent_back", "decided", "paid", "partly_cancelled", "cancelled", "return_ordered", "returned", "overdue", "settled"] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CASE_STATE_LABELS: Record<CaseState, string> = {
  applied: "申請中",
  sent_back: "差戻し",
  decided: "交付決定",
  paid: "支払済",
  partly_cancelled: "一部取消",
  cancelled: "取消",
  return_ordered: "返還命令",
  returned: "返還済",
  overdue: "延滞中",
  settled: "完済",
};

export const CASE_KINDS = ["reader_request", "application"] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export type ActorRole = "facility" | "vendor" | "examiner" | "system";

export const CASE_ACTIONS = ["apply", "send_back", "resubmit", "decide", "pay", "cancel_part", "cancel", "order_return", "return_in_full", "fall_overdue", "settle"] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export interface TransitionRule {
  action: CaseAction;
  /** null: the action opens a case. */
  from: readonly (CaseState | null)[];
  to: CaseState;
  by: readonly ActorRole[];
  /** The action needs a reason (a reduction, a sending back, a cancellation's ground). */
  needsReason: boolean;
  source: string;
}

const at = (line: number, lineTo: number, ref: string) => formatSource({ document: "online-shikaku-2020", line, lineTo, ref });

export const TRANSITIONS: readonly TransitionRule[] = [
  { action: "apply", from: [null], to: "applied", by: ["facility", "vendor"], needsReason: false, source: at(1325, 1357, "第7・第8 申請手続き・電子申請") },
  { action: "send_back", from: ["applied"], to: "sent_back", by: ["examiner"], needsReason: true, source: at(1367, 1377, "第9 審査 (差戻しは読み)") },
  { action: "resubmit", from: ["sent_back"], to: "applied", by: ["facility", "vendor"], needsReason: false, source: at(1325, 1337, "第7 申請手続き") },
  { action: "decide", from: ["applied"], to: "decided", by: ["examiner"], needsReason: false, source: at(1367, 1377, "第9 交付等の決定及び通知") },
  { action: "pay", from: ["decided", "partly_cancelled"], to: "paid", by: ["examiner"], needsReason: false, source: at(1409, 1419, "第12 1 補助金の受領の日") },
  { action: "cancel_part", from: ["decided", "paid", "partly_cancelled"], to: "partly_cancelled", by: ["examiner"], needsReason: true, source: at(1381, 1393, "第10 決定の取消し (一部)") },
  { action: "cancel", from: ["decided", "paid", "partly_cancelled"], to: "cancelled", by: ["examiner"], needsReason: true, source: at(1381, 1393, "第10 決定の取消し (全部)") },
  { action: "order_return", from: ["partly_cancelled", "cancelled"], to: "return_ordered", by: ["examiner"], needsReason: true, source: at(1397, 1405, "第11 返還") },
  { action: "return_in_full", from: ["return_ordered"], to: "returned", by: ["examiner"], needsReason: false, source: at(1411, 1419, "第12 1 期限までの返還") },
  { action: "fall_overdue", from: ["return_ordered"], to: "overdue", by: ["system", "examiner"], needsReason: false, source: at(1411, 1419, "第12 1 延滞金") },
  { action: "settle", from: ["overdue"], to: "settled", by: ["examiner"], needsReason: false, source: at(1423, 1427, "第12 3 延滞金への充当") },
];

const BY_ACTION = new Map(TRANSITIONS.map((rule) => [rule.action, rule]));

export type TransitionRefusal = "unknown_action" | "not_from_state" | "not_by_role" | "reason_needed";

/**
 * The rule for `action` on a case in `state` (null: no case yet) by `role`, or why it is refused.
 * A refusal is the same whatever the case holds beyond its state, so it reveals nothing more.
 */
export function transitionOf(state: CaseState | null, action: string, role: ActorRole, reason?: string): TransitionRule | TransitionRefusal {
  const rule = BY_ACTION.get(action as CaseAction);
  if (!rule) return "unknown_action";
  if (!rule.by.includes(role)) return "not_by_role";
  if (!rule.from.includes(state)) return "not_from_state";
  if (rule.needsReason && !reason?.trim()) return "reason_needed";
  return rule;
}

/** The actions `role` may take on a case in `state`, for a page's buttons. */
export function actionsFrom(state: CaseState | null, role: ActorRole): CaseAction[] {
  return TRANSITIONS.filter((rule) => rule.from.includes(state) && rule.by.includes(role)).map((rule) => rule.action);
}
