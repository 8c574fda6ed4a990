// The terminal page's 補助金 screen (#screen-subsidy), for the facility's administrator: its cases
// with their state and history, the engine's calculation with reasons and sources, and the apply
// form (the programmes open here, with their periods). Every write sends an Idempotency-Key made
// once per submission, so a retried click changes nothing twice.
import { subsidyApi } from "./terminal-api.js";
import { $, el, failure, row, table, ymd } from "./terminal-dom.js";

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

const yen = (n) => (n === null || n === undefined ? "—" : `${Number(n).toLocaleString("ja-JP")}円`);
const when = (iso) => new Date(iso).toLocaleString("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "short", timeStyle: "short" });

let programs = [];
let stateLabels = {};
let pendingKey;

function message(text, ok = false) {
  const p = $("#subsidy-message");
  p.textContent = text;
  p.className = ok ? "notice" : "alert";
  p.hidden = !text;
}

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

const programName = (id) => programs.find((p) => p.id === id)?.name ?? id;

async function showCase(caseId) {
  try {
    const { case: c, transitions } = await subsidyApi("GET", `/cases/${caseId}`);
    const box = $("#subsidy-case");
    box.replaceChildren(
      el("h3", `案件 ${c.caseId}: ${programName(c.program)} (${KIND_LABELS[c.kind]}) — ${c.stateLabel}`),
      table(["申請額", "申請台数", "交付決定額", "決定台数", "支払額", "支払日"], [row([yen(c.requestedYen), c.requestedReaders ?? "—", yen(c.decidedYen), c.decidedReaders ?? "—", yen(c.paidYen), c.paidOn ? ymd(c.paidOn) : "—"])]),
      el("h4", "算定 (申請時の計算)"),
      calculationPart(c.calculation),
      el("h4", "経過"),
      historyTable(transitions, stateLabels),
    );
    box.hidden = false;
  } catch (error) {
    message(failure(error));
  }
}

async function loadCases() {
  const { cases } = await subsidyApi("GET", "/cases");
  $("#subsidy-no-cases").hidden = cases.length > 0;
  $("#subsidy-cases").hidden = cases.length === 0;
  $("#subsidy-cases tbody").replaceChildren(
    ...cases.map((c) => {
      const open = el("button", "詳細");
      open.type = "button";
      open.addEventListener("click", () => {
        message("");
        showCase(c.caseId);
      });
      return row([String(c.caseId), programName(c.program), KIND_LABELS[c.kind], c.stateLabel, yen(c.requestedYen), yen(c.decidedYen), c.paidOn ? ymd(c.paidOn) : "—", open]);
    }),
  );
}

/** The apply form's programmes: those taking applications of the chosen kind here, with their period. */
function fillPrograms() {
  const kind = $("#apply-form").kind.value;
  const select = $("#apply-form").program;
  const open = programs.filter((p) => !p.kinds.find((k) => k.kind === kind)?.notHere);
  select.replaceChildren(...open.map((p) => Object.assign(el("option", p.name), { value: p.id })));
  showPeriod();
}

function showPeriod() {
  const form = $("#apply-form");
  const period = programs.find((p) => p.id === form.program.value)?.kinds.find((k) => k.kind === form.kind.value);
  const dated = (limit) => (limit ? (limit.date ? ymd(limit.date) : "公表されていない") : "—");
  $("#apply-period").textContent = period ? `申請期間: ${dated(period.from)} 〜 ${dated(period.to)}${period.completeBy ? `、事業の完了期限: ${dated(period.completeBy)}` : ""}` : "";
}

/** Opens the screen: the cases and the programmes (an account that is no administrator is told why, E9515). */
export async function openSubsidyScreen() {
  message("");
  $("#subsidy-case").hidden = true;
  try {
    ({ programs, states: stateLabels } = await subsidyApi("GET", "/programs"));
    fillPrograms();
    await loadCases();
  } catch (error) {
    message(failure(error));
  }
}

$("#apply-form").kind.addEventListener("change", fillPrograms);
$("#apply-form").program.addEventListener("change", showPeriod);
$("#apply-form").addEventListener("input", () => (pendingKey = undefined));
$("#apply-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const number = (v) => (v === "" ? undefined : Number(v));
  const date = (v) => v || undefined;
  const project = {
    program: form.program.value,
    cost: number(form.cost.value),
    readerAppliedOn: date(form.readerAppliedOn.value),
    contractedOn: date(form.contractedOn.value),
    completedOn: date(form.completedOn.value),
    readers: number(form.readers.value),
  };
  const body = {
    program: form.program.value,
    kind: form.kind.value,
    profile: { kind: form.facilityKind.value, projects: [Object.fromEntries(Object.entries(project).filter(([, v]) => v !== undefined))] },
  };
  // One key per submission of this content: a second click or a retry after a lost answer is the same request.
  pendingKey ??= crypto.randomUUID();
  try {
    const { case: c } = await subsidyApi("POST", "/cases", body, pendingKey);
    pendingKey = undefined;
    message(`申請しました (案件 ${c.caseId}、算定額 ${yen(c.requestedYen)})。`, true);
    await loadCases();
    await showCase(c.caseId);
  } catch (error) {
    message(failure(error));
  }
});
