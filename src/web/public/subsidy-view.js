// What the subsidy pages share (the terminal's 補助金 screen, the office's /office/): the labels of
// actions, kinds and roles, and a case's calculation (amount, reasons, sources) and history as shown.
import { el, row, table, ymd } from "./terminal-dom.js";

export const ACTION_LABELS = {
  apply: "申請",
  send_back: "差戻し",
  resubmit: "再申請",
  decide: "交付決定",
  pay: "支払",
  cancel_part: "一部取消",
  cancel: "取消",
  order_return: "返還命令",
  return_in_full: "返還",
  fall_overdue: "延滞",
  settle: "完済",
};
export const KIND_LABELS = { application: "補助金の申請", reader_request: "カードリーダーの提供申請" };
const ROLE_LABELS = { facility: "医療機関", vendor: "取りまとめ者", examiner: "支払基金", system: "システム" };

export const yen = (n) => (n === null || n === undefined ? "—" : `${Number(n).toLocaleString("ja-JP")}円`);
export const when = (iso) => new Date(iso).toLocaleString("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "short", timeStyle: "short" });

/** The calculation the engine made when the case was applied: amount, reasons and sources. */
export function calculationPart(calculation) {
  const part = document.createElement("div");
  if (!calculation) return part;
  part.append(el("p", `算定額 (${ymd(calculation.at)} 時点): ${calculation.amount === null ? "算定できません" : yen(calculation.amount)}`));
  const reasons = el("ul");
  reasons.append(...calculation.reasons.map((r) => el("li", r)));
  const sources = el("ul", "", "sources");
  sources.append(...calculation.sources.map((s) => el("li", s)));
  if (calculation.missing?.length) part.append(el("p", `算定に足りない情報: ${calculation.missing.join("、")}`, "alert"));
  part.append(el("h4", "理由"), reasons, el("h4", "出典"), sources);
  return part;
}

/** A case's transitions: when, what, who, why. */
export function historyTable(transitions, states) {
  return table(
    ["日時", "操作", "状態", "担当", "理由"],
    transitions.map((t) => row([when(t.at), ACTION_LABELS[t.action] ?? t.action, states[t.toState] ?? t.toState, `${ROLE_LABELS[t.actorRole] ?? t.actorRole} ${t.actorName}`, t.reason ?? ""])),
  );
}

