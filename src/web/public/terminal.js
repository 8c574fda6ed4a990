// The terminal page (/terminal/): staff sign in with their own account; the session is an HttpOnly
// cookie the page never sees, and the CSRF token from the sign-in answer is kept in memory only and
// sent with every POST. Any answer E2102/E2103 (no session, or expired) brings the sign-in back.
// The page does not poll: an unattended terminal's session runs out after its idle time.
import { API, api, onSessionEnded, setCsrfToken } from "./terminal-api.js";
import { CONSENT_LABELS } from "./shared.js";
import { openDisasterScreen } from "./terminal-disaster.js";
import { openSettingsScreen } from "./terminal-settings.js";
import { openSubsidyScreen } from "./terminal-subsidy.js";
import { openUsageScreen } from "./terminal-usage.js";
import { openNoticeScreen } from "./terminal-notice.js";
import { $, SEX, el, failure, jstTime, row, table, ym, ymd } from "./terminal-dom.js";

const SOURCES = { receipt: "レセプト", prescription: "電子処方箋 (処方)", dispensing: "電子処方箋 (調剤)" };

let signedIn;
let patient;

// --- sign-in ---------------------------------------------------------------------------------

function showSignIn(reason) {
  signedIn = undefined;
  setCsrfToken(undefined);
  $("#app").hidden = true;
  $("#who").hidden = true;
  $("#sign-in").hidden = false;
  $("#sign-in-reason").textContent = reason ?? "";
  const saved = localStorage.getItem("onshi.terminal.facility");
  if (saved && !$("#sign-in-form").facilityCode.value) $("#sign-in-form").facilityCode.value = saved;
}

function enter(session) {
  signedIn = session;
  setCsrfToken(session.csrfToken);
  $("#sign-in").hidden = true;
  $("#who").hidden = false;
  $("#facility-name").textContent = session.facility.name;
  $("#staff-name").textContent = session.account.displayName;
  $("#staff-role").textContent = session.account.roleLabel;
  // The 補助金 screen is the administrator's (the server refuses others: E9515).
  for (const button of document.querySelectorAll("[data-administrator]")) button.hidden = !session.account.administrator;
  $("#app").hidden = false;
  show("patients");
}

$("#sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const body = { facilityCode: form.facilityCode.value.trim(), loginId: form.loginId.value.trim(), password: form.password.value };
  try {
    const session = await api("POST", "/sign-in", body);
    localStorage.setItem("onshi.terminal.facility", body.facilityCode);
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

// --- screens ----------------------------------------------------------------------------------

function show(screen) {
  for (const button of document.querySelectorAll(".terminal-nav button")) {
    if (button.dataset.screen === screen) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }
  for (const section of document.querySelectorAll("#app > section")) section.hidden = section.id !== `screen-${screen}`;
  if (screen === "patients") loadPatients().catch(() => {});
  if (screen === "disaster") openDisasterScreen().catch(() => {});
  if (screen === "settings") openSettingsScreen(signedIn.account).catch(() => {});
  if (screen === "subsidy") openSubsidyScreen().catch(() => {});
  if (screen === "usage") openUsageScreen().catch(() => {});
  if (screen === "usage-notice") openNoticeScreen().catch(() => {});
}

for (const button of document.querySelectorAll(".terminal-nav button")) button.addEventListener("click", () => show(button.dataset.screen));
$("#refresh").addEventListener("click", () => loadPatients().catch(() => {}));
$("#back").addEventListener("click", () => show("patients"));

const consentText = (consents) =>
  Object.entries(consents)
    .map(([c, until]) => `${CONSENT_LABELS[c] ?? c} (${jstTime(until)}まで)`)
    .join("、");

async function loadPatients() {
  const { date, patients } = await api("GET", "/patients");
  $("#list-date").textContent = ymd(date);
  $("#patients tbody").replaceChildren(
    ...patients.map((p) => {
      const name = el("span", p.name);
      if (p.kanaName) name.append(el("small", ` ${p.kanaName}`));
      const open = el("button", "開く");
      open.type = "button";
      open.addEventListener("click", () => openPatient(p.sequence).catch(() => {}));
      return row([jstTime(p.checkedAt), name, `${p.birthdate} ${SEX[p.sex] ?? ""}`, consentText(p.consents), open]);
    }),
  );
  $("#patients").hidden = patients.length === 0;
  $("#no-patients").hidden = patients.length > 0;
}

// --- one patient ------------------------------------------------------------------------------

async function openPatient(sequence) {
  patient = await api("GET", `/patients/${sequence}`);
  for (const section of document.querySelectorAll("#app > section")) section.hidden = section.id !== "screen-patient";
  $("#patient-name").textContent = patient.name;
  $("#patient-detail").textContent = `${patient.kanaName ?? ""} ${patient.birthdate} ${SEX[patient.sex] ?? ""}`;
  let first;
  for (const tab of document.querySelectorAll(".tabs button")) {
    const category = tab.dataset.category;
    const allowed = signedIn.mayView.includes(category);
    const consented = category in patient.consents;
    tab.disabled = !allowed || !consented;
    tab.title = !allowed ? "この職種では閲覧できません" : !consented ? "閲覧の同意がありません" : "";
    tab.setAttribute("aria-selected", "false");
    tab.onclick = () => openCategory(category).catch(() => {});
    if (!tab.disabled && !first) first = category;
  }
  pdfLink($("#pdf-drugs"), "drugs", "pharmacists");
  pdfLink($("#pdf-checkups"), "checkups", "specificHealthCheckups");
  $("#medical").replaceChildren();
  $("#medical-message").hidden = true;
  if (first) await openCategory(first);
  else message("この職種では薬剤情報・特定健診情報・診療情報・手術情報を閲覧できません。資格確認は「資格確認」から行えます。");
}

function pdfLink(link, document, category) {
  const usable = signedIn.mayView.includes(category) && category in patient.consents;
  link.href = usable ? `${API}/patients/${patient.sequence}/pdf/${document}` : "";
  link.setAttribute("aria-disabled", String(!usable));
  link.hidden = !signedIn.mayView.includes(category);
}

function message(text) {
  $("#medical-message").textContent = text;
  $("#medical-message").hidden = !text;
}

async function openCategory(category) {
  for (const tab of document.querySelectorAll(".tabs button")) tab.setAttribute("aria-selected", String(tab.dataset.category === category));
  message("");
  try {
    const { items } = await api("GET", `/patients/${patient.sequence}/medical/${category}`);
    $("#medical").replaceChildren(...RENDER[category](items));
  } catch (error) {
    $("#medical").replaceChildren();
    message(failure(error));
  }
}

const RENDER = {
  pharmacists(records) {
    if (records.length === 0) return [el("p", "薬剤情報はありません。", "hint")];
    const rows = [...records].reverse().flatMap((r) =>
      r.drugs.map((d) => {
        const source = el("span", SOURCES[r.source] ?? r.source, r.source === "receipt" ? "tag" : "tag eprescription");
        return row([ym(r.month), r.dates.map((x) => ymd(x.dispensed)).join(", "), r.facility.name, source, d.name, d.ingredient, `${d.quantity}${d.unit}`, d.usage, String(d.times)]);
      }),
    );
    return [table(["診療月", "調剤日", "医療機関・薬局", "区分", "薬剤名", "一般名", "用量", "用法", "日数・回数"], rows)];
  },
  specificHealthCheckups(checkups) {
    if (checkups.length === 0) return [el("p", "特定健診情報はありません。", "hint")];
    const years = [...checkups].sort((a, b) => a.date.localeCompare(b.date));
    const names = [];
    for (const c of years) for (const i of c.items) if (!names.some((n) => n.code === i.code)) names.push(i);
    const rows = names.map((item) => {
      const tr = row([item.name, item.unit ?? ""]);
      for (const c of years) {
        const found = c.items.find((i) => i.code === item.code);
        const text = found ? `${found.valueName ?? found.value}${found.outOfRange ? " *" : ""}` : "";
        tr.append(el("td", text, found?.outOfRange ? "num out" : "num"));
      }
      return tr;
    });
    const charts = el("div", "", "charts");
    for (const trend of TRENDS) {
      const figure = el("figure");
      const canvas = document.createElement("canvas");
      canvas.setAttribute("aria-label", `${trend.title}の推移`);
      figure.append(canvas);
      charts.append(figure);
      drawTrend(canvas, trend, years);
    }
    return [table(["項目", "単位", ...years.map((c) => `${ymd(c.date)}\n${c.facility.name}`)], rows), el("p", "* 基準範囲外", "hint"), charts];
  },
  diagnosis(treatments) {
    if (treatments.length === 0) return [el("p", "診療情報はありません。", "hint")];
    return [table(["実施日", "区分", "診療行為", "医療機関", "入院・外来"], [...treatments].reverse().map((t) => row([ymd(t.date), t.classification.name, t.name, t.facility.name, t.inpatient ? "入院" : "外来"])))];
  },
  operation(operations) {
    if (operations.length === 0) return [el("p", "手術情報はありません。", "hint")];
    return [table(["手術日", "手術", "医療機関"], [...operations].reverse().map((o) => row([ymd(o.date), o.name, o.facility.name])))];
  },
};

/** The trends of the check-up table, by JLAC10 analyte (the code's first five characters) or by name. */
const TRENDS = [
  { title: "HbA1c (%)", series: [{ label: "HbA1c", analytes: ["3D045", "3D046"], pattern: /HbA1c/i }] },
  { title: "血圧 (mmHg)", series: [{ label: "収縮期", analytes: ["9A751", "9A752", "9A755"], pattern: /収縮期/ }, { label: "拡張期", analytes: ["9A761", "9A762", "9A765"], pattern: /拡張期/ }] },
  { title: "BMI (kg/m²)", series: [{ label: "BMI", analytes: ["9N011"], pattern: /BMI/i }] },
];
const COLORS = ["#0b4f9c", "#b3261e"];

function drawTrend(canvas, trend, checkups) {
  const find = (c, s) => c.items.find((i) => s.analytes.includes(i.code.slice(0, 5))) ?? c.items.find((i) => s.pattern.test(i.name));
  // Chart.js is served from the server's node_modules (/terminal/chart.js), never from a CDN.
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: checkups.map((c) => c.date.slice(0, 4)),
      datasets: trend.series.map((s, i) => ({ label: s.label, data: checkups.map((c) => Number(find(c, s)?.value ?? NaN)), borderColor: COLORS[i], backgroundColor: COLORS[i], spanGaps: true })),
    },
    options: { animation: false, maintainAspectRatio: false, plugins: { title: { display: true, text: trend.title } } },
  });
}

// --- qualification check ------------------------------------------------------------------

const QUALIFICATION_FIELDS = [
  ["Name", "氏名"], ["NameKana", "氏名カナ"], ["Birthdate", "生年月日"], ["Sex1", "性別"], ["InsurerName", "保険者名"],
  ["InsurerNumber", "保険者番号"], ["InsuredCardSymbol", "記号"], ["InsuredIdentificationNumber", "番号"], ["InsuredBranchNumber", "枝番"],
  ["QualificationDate", "資格取得日"], ["DisqualificationDate", "資格喪失日"], ["InsuredPartialContributionRatio", "一部負担金割合"],
];
const VALIDITY = { 1: "有効", 2: "無効", 3: "無効 (新しい資格あり)", 4: "該当資格なし", 5: "複数該当" };

$("#qualification-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const body = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
  body.LimitApplicationCertificateRelatedConsFlg = "0";
  const out = $("#qualification-result");
  try {
    const answer = await api("POST", "/qualification-check", body);
    if (answer.ProcessingResultStatus === "2") {
      out.replaceChildren(el("p", `${answer.ProcessingResultMessage} (${answer.ProcessingResultCode})`, "alert"));
      return;
    }
    const results = answer.ResultList?.ResultOfQualificationConfirmation ?? [];
    out.replaceChildren(
      el("p", `資格の有効性: ${VALIDITY[answer.QualificationValidity] ?? answer.QualificationValidity}`, answer.QualificationValidity === "1" ? "" : "alert"),
      ...results.map((r) => table(["項目", "内容"], QUALIFICATION_FIELDS.filter(([k]) => r[k] !== undefined).map(([k, label]) => row([label, k === "Sex1" ? SEX[r[k]] ?? r[k] : r[k]])))),
    );
  } catch (error) {
    out.replaceChildren(el("p", failure(error), "alert"));
  }
});

onSessionEnded((error) => showSignIn(error.code === "E2103" ? error.message : ""));

// --- start --------------------------------------------------------------------------------------

api("GET", "/session").then(enter, () => showSignIn(""));
