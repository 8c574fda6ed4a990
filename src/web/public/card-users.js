// The 利用者リスト (the front desk's list of card users): today's マイナ保険証 users at this facility, kept live from the server's
// event stream. The stream is read with fetch, not EventSource, because EventSource cannot send
// the Authorization header and a token in the URL would end up in logs and history. Whenever the
// stream ends (a network loss, or the token's expiry: event token-expired), the page signs in
// again and reopens it after the last entry it has (Last-Event-ID).
import { ApiError, call, facility, facilitySettings, jstTime, showFacilityError, signIn, token } from "./api.js";
import { CONSENT_LABELS, VALIDITY_LABELS } from "./shared.js";

const RECONNECT_MS = 3_000;
const STREAM_PATH = "/onshi-api/card-users/stream";
const METHODS = { face: "顔認証", pin: "暗証番号", visual: "目視確認" };
const SEX = { 1: "男", 2: "女", 3: "未設定" };
const PRESCRIPTION = { 1: "電子処方箋", 2: "紙の処方箋" };

const $ = (selector) => document.querySelector(selector);

/** Today's entries by sequence: the stream repeats them on every (re)connect. */
const users = new Map();
/** Aborts the open stream's fetch. */
let stream;
let retryTimer;

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  if (className) td.className = className;
  return td;
}

function row(user, latest) {
  const tr = document.createElement("tr");
  tr.dataset.sequence = user.sequence;
  if (latest) tr.className = "latest";
  // No consent answers at all: a qualification-only check (the certificate's 3-month grace) asks none.
  const answers = Object.entries(user.consent ?? {});
  const agreed = answers.filter(([, yes]) => yes).map(([c]) => CONSENT_LABELS[c] ?? c);
  const name = cell(user.name, "name");
  if (user.kanaName) name.append(Object.assign(document.createElement("small"), { textContent: user.kanaName }));
  if (user.referenceNumber) name.append(Object.assign(document.createElement("small"), { textContent: `診察券 ${user.referenceNumber}` }));
  const warning = typeof user.warning === "string" ? user.warning : user.warning?.message;
  tr.append(
    cell(jstTime(user.checkedAt)),
    name,
    cell(`${user.birthdate} ${SEX[user.sex] ?? ""}`),
    cell(user.insurerNumber),
    cell([user.insuredCardSymbol, user.insuredIdentificationNumber, user.insuredBranchNumber].filter(Boolean).join("・")),
    cell(VALIDITY_LABELS[user.qualificationValidity] ?? user.qualificationValidity),
    cell(METHODS[user.method] ?? user.method),
    cell(answers.length === 0 ? "—" : agreed.length ? agreed.join("、") : "同意なし", "consent"),
    cell(PRESCRIPTION[user.prescriptionIssueSelect] ?? "—"),
    subsidiesCell(user.medicalSubsidies),
    cell(warning, warning ? "warning" : ""),
  );
  return tr;
}

const yen = (amount) => `${amount.toLocaleString("ja-JP")}円`;

/**
 * The 受給者証 of 医療費助成 the check's result carried, one line each. None is "—" whatever the
 * reason: the result does not tell 同意なし from 受給者証なし, and neither does this list.
 */
function subsidiesCell(subsidies) {
  const td = cell(subsidies?.length ? "" : "—", "subsidies");
  for (const s of subsidies ?? []) {
    const caps = [s.monthlyCap === undefined ? "" : `月 ${yen(s.monthlyCap)}`, s.perVisitCap === undefined ? "" : `1回 ${yen(s.perVisitCap)}`].filter(Boolean);
    const details = [
      `公費 ${s.insurerNumber}`,
      s.recipientNumber ? `受給者 ${s.recipientNumber}` : "",
      caps.length ? `上限 ${caps.join("・")}` : "",
      s.alwaysReimbursement ? "償還払い" : "",
      `${s.validFrom}〜${s.validTo ?? ""}`,
    ].filter(Boolean);
    const line = document.createElement("div");
    line.append(Object.assign(document.createElement("strong"), { textContent: s.name }), Object.assign(document.createElement("small"), { textContent: details.join(" / ") }));
    td.append(line);
  }
  return td;
}

function render() {
  const newestFirst = [...users.values()].sort((a, b) => b.sequence - a.sequence);
  $("#users tbody").replaceChildren(...newestFirst.map((user, i) => row(user, i === 0)));
  $("#users").hidden = newestFirst.length === 0;
  $("#empty").hidden = newestFirst.length > 0;
}

function status(text, state) {
  $("#connection").textContent = text;
  $("#connection").dataset.state = state;
}

function add(list) {
  for (const user of list) users.set(user.sequence, user);
  render();
}

async function openStream() {
  clearTimeout(retryTimer);
  stream?.abort();
  const { date, users: today } = await call("GET", "/onshi-api/card-users");
  $("#list-date").textContent = date;
  add(today);
  const current = new AbortController();
  stream = current;
  const lastSeen = Math.max(0, ...users.keys());
  const res = await fetch(STREAM_PATH, {
    headers: { authorization: token(), accept: "text/event-stream", "last-event-id": String(lastSeen) },
    signal: current.signal,
  });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => undefined));
  status("リアルタイムで更新中", "live");
  $("#facility-message").hidden = true;
  follow(res.body, current.signal);
}

/** Reads server-sent events until the stream ends, then reconnects (unless replaced meanwhile). */
async function follow(body, signal) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        received(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  } catch {
    // A network loss: handled as the stream's end.
  }
  if (signal.aborted) return;
  status("接続が切れました。再接続します…", "lost");
  retryTimer = setTimeout(reconnect, RECONNECT_MS);
}

/** One event block: `event: card-user` adds its entry; comments (heartbeats) and token-expired need nothing. */
function received(block) {
  const fields = {};
  for (const line of block.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
  }
  if (fields.event === "card-user") add([JSON.parse(fields.data)]);
}

/** After the server closed the stream: a fresh token, then the stream again (retrying until it works). */
async function reconnect() {
  try {
    const f = facility();
    await signIn(f.code, f.credential);
    await openStream();
  } catch {
    retryTimer = setTimeout(reconnect, RECONNECT_MS);
  }
}

async function connect(code, credential) {
  $("#facility-message").hidden = true;
  try {
    if (code) {
      await signIn(code, credential);
      users.clear();
      render();
    }
    $("#facility-summary").textContent = facility().code;
    await openStream();
  } catch (error) {
    status("接続できません", "lost");
    showFacilityError(error);
    // The server unreachable (not a refusal): keep trying, as after a lost connection.
    if (!(error instanceof ApiError)) retryTimer = setTimeout(reconnect, RECONNECT_MS);
  }
}

facilitySettings(connect);
connect();
