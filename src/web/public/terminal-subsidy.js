// The terminal page's 補助金 screen (#screen-subsidy), for the facility's administrator: its cases
// with their state and history, the engine's calculation with reasons and sources, its decision
// notices, 補助金台帳 and return statement, and the apply form (the programmes open here, with their periods). Every write sends an Idempotency-Key made
// once per submission, so a retried click changes nothing twice.
import { subsidyApi } from "./terminal-api.js";
import { $, el, failure, row, table, ymd } from "./terminal-dom.js";
import { calculationPart, historyTable, KIND_LABELS, yen } from "./subsidy-view.js";

let programs = [];
let stateLabels = {};
let pendingKey;

function message(text, ok = false) {
  const p = $("#subsidy-message");
  p.textContent = text;
  p.className = ok ? "notice" : "alert";
  p.hidden = !text;
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
    if (c.state === "sent_back") box.append(resubmitButton(c));
    box.hidden = false;
  } catch (error) {
    message(failure(error));
  }
}

/** A case sent back is resubmitted with the apply form's content, on the version shown. */
function resubmitButton(c) {
  const button = el("button", "申請欄の内容で再申請する", "primary");
  button.type = "button";
  let sent;
  let key;
  button.addEventListener("click", async () => {
    const body = { profile: formProfile($("#apply-form"), c.program), expectedVersion: c.version };
    // The same content again (a double click, a retry) keeps its key; changed content is a new request.
    if (JSON.stringify(body) !== sent) [sent, key] = [JSON.stringify(body), crypto.randomUUID()];
    try {
      await subsidyApi("POST", `/cases/${c.caseId}/resubmit`, body, key);
      message(`案件 ${c.caseId} を再申請しました。`, true);
      await loadCases();
      await showCase(c.caseId);
    } catch (error) {
      message(failure(error));
    }
  });
  const p = el("p");
  p.append(button);
  return p;
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

/** The decision notices (様式3) issued to the facility, each as its PDF. */
async function loadNotices() {
  const { notices } = await subsidyApi("GET", "/notices");
  $("#subsidy-no-notices").hidden = notices.length > 0;
  $("#subsidy-notices").hidden = notices.length === 0;
  $("#subsidy-notices tbody").replaceChildren(
    ...notices.map((n) => row([n.noticeNumber, ymd(n.issuedOn), String(n.caseId), n.title, Object.assign(el("a", "PDF", "button"), { href: `/terminal/subsidy/api/notices/${n.noticeId}/pdf`, download: "" })])),
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
    await Promise.all([loadCases(), loadNotices()]);
  } catch (error) {
    message(failure(error));
  }
}

$("#apply-form").kind.addEventListener("change", fillPrograms);
$("#apply-form").program.addEventListener("change", showPeriod);
$("#apply-form").addEventListener("input", () => (pendingKey = undefined));
/** The facility's facts and its project as the apply form states them. */
function formProfile(form, program = form.program.value) {
  const number = (v) => (v === "" ? undefined : Number(v));
  const date = (v) => v || undefined;
  const project = {
    program,
    cost: number(form.cost.value),
    readerAppliedOn: date(form.readerAppliedOn.value),
    contractedOn: date(form.contractedOn.value),
    completedOn: date(form.completedOn.value),
    readers: number(form.readers.value),
  };
  return { kind: form.facilityKind.value, projects: [Object.fromEntries(Object.entries(project).filter(([, v]) => v !== undefined))] };
}

$("#apply-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const body = { program: form.program.value, kind: form.kind.value, profile: formProfile(form) };
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
