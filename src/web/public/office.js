// The subsidy office's page (/office/): an office account signs in (an HttpOnly cookie scoped to
// /office; the CSRF token from the sign-in answer kept in memory and sent with every POST) and
// sees its role's work — a 取りまとめ者 its registered facilities and batches with each line's
// result, an examiner the queue, a case beside the engine's calculation, and the decision. Every
// write carries an Idempotency-Key made once per submission; E9650/E2103 bring the sign-in back.
import { $, el, failure, row, table, ymd } from "./terminal-dom.js";
import { calculationPart, historyTable, KIND_LABELS, when, yen } from "./subsidy-view.js";
import { FACILITY_KIND_LABELS } from "./shared.js";

const API = "/office/api";
const SESSION_ENDED = new Set(["E9650", "E2103"]);
const APPLIED_BY = { facility: "医療機関", vendor: "取りまとめ者" };

let csrfToken;
let stateLabels = {};

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `サーバがエラーを返しました (HTTP ${status})。`);
    this.code = body?.code;
  }
}

/** A call to /office/api: JSON in and out unless `raw` (a batch file) is given with its type. */
async function api(method, path, { body, key, raw, type } = {}) {
  const headers = { ...(method === "GET" ? {} : { "x-csrf-token": csrfToken ?? "" }), ...(key ? { "idempotency-key": key } : {}) };
  if (raw !== undefined) headers["content-type"] = type;
  else if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(API + path, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const answer = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (res.ok || (res.status === 422 && answer?.batchId)) return answer;
  const error = new ApiError(res.status, answer);
  if (SESSION_ENDED.has(error.code)) showSignIn(error.message);
  throw error;
}

function message(text, ok = false) {
  const p = $("#office-message");
  p.textContent = text;
  p.className = ok ? "notice" : "alert";
  p.hidden = !text;
}

// --- sign-in ---------------------------------------------------------------------------------

function showSignIn(reason) {
  csrfToken = undefined;
  for (const id of ["#vendor", "#examiner", "#who"]) $(id).hidden = true;
  $("#sign-in").hidden = false;
  $("#sign-in-reason").textContent = reason ?? "";
}

function enter(session) {
  csrfToken = session.csrfToken;
  $("#sign-in").hidden = true;
  $("#who").hidden = false;
  $("#account-name").textContent = session.account.displayName;
  $("#account-role").textContent = session.account.roleLabel;
  message("");
  $("#vendor").hidden = session.account.role !== "vendor";
  $("#examiner").hidden = session.account.role !== "examiner";
  if (session.account.role === "vendor") openVendor().catch((error) => message(failure(error)));
  else openExaminer().catch((error) => message(failure(error)));
}

$("#sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  try {
    const session = await api("POST", "/sign-in", { body: { loginId: form.loginId.value.trim(), password: form.password.value } });
    form.password.value = "";
    enter(session);
  } catch (error) {
    $("#sign-in-reason").textContent = failure(error);
  }
});

$("#sign-out").addEventListener("click", async () => {
  await api("POST", "/sign-out").catch(() => {});
  showSignIn("サインアウトしました。");
});

/** One Idempotency-Key per submitted content: a double click or a retry is the same request. */
function keyed() {
  let key;
  let content;
  return (now) => {
    if (now !== content) {
      content = now;
      key = crypto.randomUUID();
    }
    return key;
  };
}

// --- 取りまとめ者 -------------------------------------------------------------------------------

async function loadFacilities() {
  const { facilities } = await api("GET", "/vendor/facilities");
  $("#no-facilities").hidden = facilities.length > 0;
  $("#facilities").hidden = facilities.length === 0;
  $("#facilities tbody").replaceChildren(...facilities.map((f) => row([f.code, `${f.name} (${FACILITY_KIND_LABELS[f.kind] ?? f.kind})`, when(f.registeredAt)])));
}

/** Per-line refusals: line, field, code, message. */
const errorsTable = (errors) => table(["行", "項目", "コード", "内容"], errors.map((e) => row([String(e.line), e.field, e.code, e.message])));

function showBatch(batch) {
  const outcome = { accepted: "すべて受け付けました", partly_accepted: "一部を受け付けました", refused: "受け付けませんでした" }[batch.outcome] ?? batch.outcome;
  const parts = [el("h3", `一括申請 ${batch.batchId}: ${outcome} (${batch.lines}行、受付 ${batch.accepted}、誤り ${batch.refused})`)];
  if (batch.errors.length > 0) parts.push(el("h4", "誤りのある行"), errorsTable(batch.errors));
  if (batch.cases?.length > 0) parts.push(el("h4", "受け付けた案件"), table(["行", "案件", "医療機関コード", "制度", "申請額"], batch.cases.map((c) => row([String(c.line ?? ""), String(c.caseId), c.facilityCode, c.program, yen(c.requestedYen)]))));
  $("#batch-result").replaceChildren(...parts);
}

async function loadBatches() {
  const { batches } = await api("GET", "/batches");
  $("#batches").hidden = batches.length === 0;
  $("#batches tbody").replaceChildren(
    ...batches.map((b) => {
      const open = el("button", "結果");
      open.type = "button";
      open.addEventListener("click", async () => showBatch(await api("GET", `/batches/${b.batchId}`)).catch((error) => message(failure(error))));
      return row([String(b.batchId), when(b.receivedAt), b.format, b.mode === "partial" ? "正しい行だけ" : "すべてか無か", String(b.lines), String(b.accepted), String(b.refused), open]);
    }),
  );
}

async function openVendor() {
  await loadFacilities();
  await loadBatches();
}

const registerKey = keyed();
$("#register-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  message("");
  const codes = event.target.codes.value.split(/\s+/).filter(Boolean);
  try {
    const result = await api("POST", "/vendor/facilities", { body: { facilities: codes }, key: registerKey(codes.join(",")) });
    const refused = result.refused ?? [];
    $("#register-result").replaceChildren(...(refused.length > 0 ? [el("h4", "登録できなかったコード"), errorsTable(refused)] : []));
    message(`登録しました (新規 ${result.registered.length}件、登録済み ${result.already.length}件、登録できないもの ${refused.length}件)。`, refused.length === 0);
    await loadFacilities();
  } catch (error) {
    message(failure(error));
  }
});

const batchKey = keyed();
$("#batch-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  message("");
  const form = event.target;
  const file = form.file.files[0];
  const text = await file.text();
  const type = /\.csv$/i.test(file.name) ? "text/csv" : "application/x-ndjson";
  try {
    showBatch(await api("POST", `/batches?mode=${form.mode.value}`, { raw: text, type, key: batchKey(`${form.mode.value}\n${text}`) }));
    await loadBatches();
  } catch (error) {
    message(failure(error));
  }
});

// --- 支払基金 ----------------------------------------------------------------------------------

let queueAfter = 0;
let examined;

async function loadQueue(after = 0) {
  const page = await api("GET", `/exam/queue${after ? `?after=${after}` : ""}`);
  queueAfter = page.next ?? 0;
  $("#queue-count").textContent = `${page.waiting}件`;
  $("#queue-empty").hidden = page.cases.length > 0;
  $("#queue").hidden = page.cases.length === 0;
  $("#queue-pages").hidden = page.next === null;
  $("#queue tbody").replaceChildren(
    ...page.cases.map((c) => {
      const open = el("button", "審査");
      open.type = "button";
      open.addEventListener("click", () => {
        message("");
        openCase(c.caseId).catch((error) => message(failure(error)));
      });
      return row([String(c.caseId), `${c.facilityName} (${c.facilityCode})`, c.program, KIND_LABELS[c.kind], yen(c.requestedYen), yen(c.calculatedYen), APPLIED_BY[c.appliedByRole] ?? c.appliedByRole, open]);
    }),
  );
}

/** The project applied for, as the case keeps it. */
function applicationPart(view) {
  const { application: a, case: c } = view;
  const project = a.project ?? {};
  const facts = [
    ["医療機関等", `${view.facility.name} (${view.facility.code})`],
    ["申請日", a.appliedOn ? ymd(a.appliedOn) : "—"],
    ["施設の種類", FACILITY_KIND_LABELS[a.profile?.kind] ?? "—"],
    ["事業費", yen(project.cost)],
    ["完了日", project.completedOn ? ymd(project.completedOn) : "—"],
    ["カードリーダー", project.readers === undefined ? "—" : `${project.readers}台`],
    ["申請額", yen(c.requestedYen)],
    ["申請者", APPLIED_BY[c.appliedByRole] ?? c.appliedByRole],
  ];
  const t = table(["項目", "内容"], facts.map(([k, v]) => row([k, v])));
  t.className = "result-table";
  return t;
}

async function openCase(caseId) {
  const view = await api("GET", `/exam/cases/${caseId}`);
  examined = view;
  stateLabels[view.case.state] = view.stateLabel;
  $("#exam-title").textContent = `案件 ${view.case.caseId}: ${view.programName} (${KIND_LABELS[view.case.kind]}) — ${view.stateLabel}`;
  $("#exam-application").replaceChildren(applicationPart(view));
  $("#exam-calculation").replaceChildren(calculationPart(view.calculation));
  const recomputed = view.recomputed;
  $("#exam-recomputed").textContent = recomputed.sameAmount && recomputed.sameEligibility
    ? "申請日で計算し直しても、算定額は同じです。"
    : `申請日で計算し直すと、算定額は ${yen(recomputed.result?.amount ?? null)} です (申請時と異なります)。`;
  const form = $("#decision-form");
  form.hidden = !view.actions.includes("decide");
  form.reset();
  $("#payment-form").hidden = !view.actions.includes("pay");
  $("#payment-form").reset();
  $("#exam-history").replaceChildren(historyTable(view.transitions, stateLabels));
  $("#exam-notices").replaceChildren(
    ...view.notices.map((n) => Object.assign(el("a", `交付決定通知書 ${n.noticeNumber} (PDF)`, "button"), { href: `${API}/exam/notices/${n.noticeId}/pdf`, download: "" })),
  );
  $("#exam-case").hidden = false;
}

async function openExaminer() {
  $("#exam-case").hidden = true;
  await loadQueue();
}

const decisionKey = keyed();
/** A decision, a sending back or a payment on the case as the examiner saw it (its version: E9505 when someone acted first). */
async function decide(path, body) {
  message("");
  const caseId = examined.case.caseId;
  const sent = { ...body, expectedVersion: examined.case.version };
  try {
    await api("POST", `/exam/cases/${caseId}/${path}`, { body: sent, key: decisionKey(`${caseId}/${path}/${JSON.stringify(sent)}`) });
    message(`案件 ${caseId} を${{ decision: "交付決定しました", "send-back": "差し戻しました", payment: "支払済にしました" }[path]}。`, true);
    await openCase(caseId);
    await loadQueue();
  } catch (error) {
    message(failure(error));
  }
}

$("#decision-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  const number = (v) => (v === "" ? undefined : Number(v));
  decide("decision", { outcome: form.outcome.value, yen: number(form.yen.value), readers: number(form.readers.value), reason: form.reason.value || undefined });
});
$("#payment-form").addEventListener("submit", (event) => {
  event.preventDefault();
  decide("payment", { paidOn: event.target.paidOn.value });
});
$("#send-back").addEventListener("click", () => decide("send-back", { reason: $("#decision-form").reason.value || undefined }));
$("#queue-refresh").addEventListener("click", () => loadQueue().catch((error) => message(failure(error))));
$("#queue-next").addEventListener("click", () => loadQueue(queueAfter).catch((error) => message(failure(error))));

// A reload keeps the session (the cookie), but the CSRF token is asked for again.
api("GET", "/session").then(enter, () => showSignIn());
