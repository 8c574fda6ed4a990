// The patient's own device (居宅同意取得型): the patient picks the kind of care, the information to
// share and, for オンライン診療, the booked day, then the card signs the facility's challenge after the
// PIN (here the simulator stands for the card) and the consent is recorded for the card's holder.
// The facility comes from the address the facility gave (?facility=…), the demo hospital otherwise.
import { CONSENT_LABELS, DEMO_CARDS, DEMO_FACILITY, DEMO_PIN } from "./shared.js";

const CATEGORIES = ["pharmacists", "specificHealthCheckups", "diagnosis", "operation"];
const TREATMENTS = { 2: "訪問診療", 3: "オンライン診療" };
const facilityCode = new URLSearchParams(location.search).get("facility") ?? DEMO_FACILITY.code;
const $ = (id) => document.getElementById(id);

/** A JSON call; a refusal becomes an Error with the server's Japanese message and code. */
async function send(method, path, { body, authorization } = {}) {
  const headers = { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(authorization ? { authorization } : {}) };
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(answer.message ?? `HTTP ${res.status}`), { code: answer.code });
  return answer;
}

const base = `/onshi-api/home-consent/${encodeURIComponent(facilityCode)}`;

/** The card's answer to a fresh challenge of this facility, after the PIN. */
async function cardAnswer() {
  const { nonce } = await send("POST", `${base}/challenge`);
  const { answer } = await send("POST", `/onshi-api/simulator/cards/${encodeURIComponent($("card").value)}/home-answer`, {
    body: { nonce, pin: $("pin").value, facilityCode },
  });
  return `OnshiCard ${btoa(JSON.stringify(answer)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}`;
}

const day = (yyyymmdd) => (yyyymmdd ? `${yyyymmdd.slice(0, 4)}年${Number(yyyymmdd.slice(4, 6))}月${Number(yyyymmdd.slice(6, 8))}日` : "");

function show(lines, ok) {
  const result = $("result");
  result.hidden = false;
  result.className = ok ? "result ok" : "result error";
  result.replaceChildren(...lines.map((text) => Object.assign(document.createElement("p"), { textContent: text })));
}

const treatment = () => document.querySelector("input[name=treatment]:checked").value;

async function agree(event) {
  event.preventDefault();
  try {
    const body = {
      treatment: treatment(),
      categories: CATEGORIES.filter((c) => $(`category-${c}`).checked),
      ...(treatment() === "3" ? { examinationDate: $("examination-date").value.replaceAll("-", "") } : {}),
    };
    const consent = await send("POST", base, { body, authorization: await cardAnswer() });
    show(
      [
        `${consent.facilityName} への${TREATMENTS[consent.treatment]}の同意を登録しました。`,
        consent.examinationDate ? `受診予定日: ${day(consent.examinationDate)}` : "",
        `有効期間: ${day(consent.validFrom)} から ${day(consent.validTo)} まで`,
        `提供する情報: ${consent.categories.map((c) => CONSENT_LABELS[c]).join("・") || "なし (資格情報のみ)"}`,
      ].filter(Boolean),
      true,
    );
  } catch (error) {
    show([`${error.message}${error.code ? ` (${error.code})` : ""}`], false);
  }
}

async function withdraw() {
  try {
    const authorization = await cardAnswer();
    await send("DELETE", `${base}?treatment=${treatment()}`, { authorization });
    show([`${TREATMENTS[treatment()]}の同意を取り消しました。`], true);
  } catch (error) {
    show([`${error.message}${error.code ? ` (${error.code})` : ""}`], false);
  }
}

function build() {
  $("categories").append(
    ...CATEGORIES.map((c) => {
      const label = document.createElement("label");
      label.innerHTML = `<input type="checkbox" id="category-${c}" ${c === "pharmacists" ? "checked" : ""}> `;
      label.append(CONSENT_LABELS[c]);
      return label;
    }),
  );
  $("card").append(...DEMO_CARDS.map((c) => Object.assign(document.createElement("option"), { value: c.cardId, textContent: c.name })));
  $("pin").value = DEMO_PIN;
  for (const radio of document.querySelectorAll("input[name=treatment]")) radio.addEventListener("change", () => ($("booking").hidden = treatment() !== "3"));
  $("consent-form").addEventListener("submit", agree);
  $("withdraw").addEventListener("click", withdraw);
}

build();
send("POST", `${base}/challenge`)
  .then(({ facilityName }) => ($("facility").textContent = `${facilityName} (医療機関コード ${facilityCode}) への同意`))
  .catch((error) => ($("facility").textContent = `${error.message}${error.code ? ` (${error.code})` : ""}`));
