// The kiosk: the face-recognition card reader's screens, walking one card check through the reader
// protocol (challenge → the card's answer → verify → 保険証利用登録 → consent → complete). The
// simulator panel stands for the physical card and the camera: it "places" a synthetic card and
// decides whether the face matches.
import { ApiError, call, ensureSignedIn, facility, facilitySettings, showFacilityError, signIn } from "./api.js";
import { CONSENT_LABELS, DEMO_PIN } from "./shared.js";

const RETURN_AFTER_MS = 15_000;
const QUESTIONS = {
  medicalSubsidy: "医療費助成の各種受給者証を利用しますか。",
  limitCertificate: "限度額適用認定証の情報 (限度額情報) を当医療機関に提供しますか。",
  specificDiseases: "特定疾病療養受療証の情報を当医療機関に提供しますか。",
};
/** What agreeing does: the past records are for care; 限度額, 特定疾病 and 助成 are for what the patient pays. */
const NOTES = {
  limitCertificate: "提供すると、認定証を出さなくても、窓口でのお支払いが高額療養費の自己負担限度額までになります。",
  specificDiseases: "提供すると、受療証を出さなくても、人工透析などの特定疾病の窓口でのお支払いが自己負担限度額までになります。",
  medicalSubsidy: "利用すると、受給者証を出さなくても、医療費助成を受けられます。",
};
const PAST_RECORDS_NOTE = "当医療機関で、過去の情報を診療・服薬指導などに利用します。";

const $ = (selector) => document.querySelector(selector);
const kiosk = $(".kiosk");

/** The card check under way: the placed card, then what verify answered and the patient's choices. */
let check;
let returnTimer;

function show(screen) {
  for (const section of kiosk.querySelectorAll("[data-screen]")) section.hidden = section.dataset.screen !== screen;
  kiosk.dataset.showing = screen;
}

function restart() {
  clearTimeout(returnTimer);
  check = undefined;
  $("#placed").textContent = "カードは置かれていません。";
  show("insert");
}

function showError(error) {
  $("#error-message").textContent = error.message;
  $("#error-code").textContent = error.code ? `エラーコード ${error.code}` : "";
  show("error");
}

/** Runs one step with the screen locked; a refusal nobody handles ends the check on the error screen. */
async function step(work) {
  $("#busy").hidden = false;
  kiosk.inert = true;
  try {
    await work();
  } catch (error) {
    showError(error instanceof ApiError ? error : new ApiError(0, { message: `通信できませんでした: ${error.message}` }));
  } finally {
    $("#busy").hidden = true;
    kiosk.inert = false;
    loadCards(); // the card's state (lock counters, registration) as it is now
  }
}

// --- identity check --------------------------------------------------------------------------

/** One try: a fresh challenge, the card's answer to it (after its PIN or the face check), verify. */
async function identify(method, pin) {
  const { nonce } = await call("POST", "/onshi-api/reader/challenge");
  const request = { nonce, method };
  if (method === "pin") request.pin = pin;
  if (method === "face") request.faceMatched = $("#face-matches").checked;
  const { answer } = await call("POST", `/onshi-api/simulator/cards/${encodeURIComponent(check.card.cardId)}/answer`, request);
  check.verified = await call("POST", "/onshi-api/reader/verify", { answer });
  check.holder = check.verified.holder;
  if (check.verified.registered) return startConsent();
  show(method === "pin" ? "register" : "need-pin");
}

function chooseMethod(method) {
  if (method === "pin") {
    $("#pin").value = "";
    $("#pin-message").hidden = true;
    show("pin");
    $("#pin").focus();
  } else if (method === "face") {
    show("face");
    tryFace();
  } else {
    show("visual");
  }
}

async function tryFace() {
  $("#face-status").textContent = "カメラの方を見てください。";
  $("#face-actions").hidden = true;
  await step(async () => {
    try {
      await identify("face");
    } catch (error) {
      if (!(error instanceof ApiError) || (error.code !== "E7012" && error.code !== "E7013")) throw error;
      const locked = error.code === "E7013";
      $("#face-status").textContent = locked ? error.message : `${error.message} (あと ${error.remaining} 回でロックされます)`;
      $("#face-actions").hidden = false;
      $("[data-action=face-retry]").hidden = locked;
    }
  });
}

async function submitPin() {
  const pin = $("#pin").value;
  await step(async () => {
    try {
      await identify("pin", pin);
    } catch (error) {
      if (!(error instanceof ApiError) || (error.code !== "E7010" && error.code !== "E7016")) throw error;
      const message = $("#pin-message");
      message.textContent = error.code === "E7010" ? `${error.message} 残り ${error.remaining} 回` : error.message;
      message.hidden = false;
      $("#pin").value = "";
    }
  });
}

async function register() {
  await step(async () => {
    const answer = await call("POST", "/onshi-api/reader/registration", { session: check.verified.session });
    check.holder = answer.holder ?? check.holder;
    await startConsent();
  });
}

// --- consent -------------------------------------------------------------------------------------

async function startConsent() {
  const { scope, consent } = check.verified;
  if (scope !== "full") return complete();
  check.consent = Object.fromEntries(consent.offered.map((o) => [o.category, o.default]));
  check.question = 0;
  return nextQuestion();
}

async function nextQuestion() {
  const offered = check.verified.consent.offered;
  const item = offered[check.question];
  if (!item) return check.verified.consent.prescription ? show("prescription") : complete();
  $("#consent-step").textContent = `同意の確認 ${check.question + 1} / ${offered.length}`;
  $("#consent-question").textContent = QUESTIONS[item.category] ?? `${CONSENT_LABELS[item.category] ?? item.label}を当医療機関に提供することに同意しますか。`;
  $("#consent-note").textContent = NOTES[item.category] ?? PAST_RECORDS_NOTE;
  markConsent(check.consent[item.category]);
  show("consent");
}

function markConsent(agreed) {
  for (const button of kiosk.querySelectorAll("[data-consent]")) {
    button.setAttribute("aria-checked", String(button.dataset.consent === String(agreed)));
  }
}

async function complete(prescriptionIssueSelect) {
  const body = { session: check.verified.session, consent: check.consent ?? {} };
  if (prescriptionIssueSelect) body.prescriptionIssueSelect = prescriptionIssueSelect;
  const done = await call("POST", "/onshi-api/reader/complete", body);
  $("#done-holder").textContent = `${check.holder?.name ?? done.user?.name ?? ""} 様`;
  // The certificate's grace, and a face file not written after the check was recorded (E7035: see the counter).
  const notes = [check.verified.warning, done.faceFileError].filter(Boolean).map((w) => w.message);
  $("#done-warning").hidden = notes.length === 0;
  $("#done-warning").textContent = notes.join(" ");
  show("done");
  returnTimer = setTimeout(restart, RETURN_AFTER_MS);
}

// --- the simulator panel ----------------------------------------------------------------------

async function loadCards() {
  const list = $("#cards");
  try {
    const { cards } = await call("GET", "/onshi-api/simulator/cards");
    list.replaceChildren(...cards.map(cardItem));
  } catch (error) {
    // 404: the server runs without the simulator (a development tool: onshi serve --demo or --simulator).
    list.textContent = error.status === 404 ? "カードのシミュレータは無効です (onshi serve --demo または --simulator で有効になります)。" : `カードの一覧を読めません: ${error.message}`;
  }
}

function element(tag, text, className) {
  return Object.assign(document.createElement(tag), { textContent: text, className: className ?? "" });
}

function cardItem(card) {
  const notes = [
    card.registered ? "利用登録済み" : "未登録",
    card.revoked ? "失効" : "",
    `証明書の有効期限 ${card.certificateExpiry}`,
    card.locks.pinFailures ? `暗証番号の失敗 ${card.locks.pinFailures} 回` : "",
    card.locks.faceFailures ? `顔認証の失敗 ${card.locks.faceFailures} 回` : "",
  ].filter(Boolean);
  const place = element("button", "置く");
  place.type = "button";
  place.setAttribute("aria-label", `${card.face.name} のカードを置く`);
  place.addEventListener("click", () => placeCard(card));
  const li = document.createElement("li");
  li.dataset.cardId = card.cardId;
  li.append(element("strong", card.face.name), ` ${card.face.birthdate}`, place, element("small", notes.join(" / "), "notes"));
  // The listing carries no PIN; the demo cards' one is public (README, start banner).
  if (card.demo) li.append(element("span", `デモカード 暗証番号 ${DEMO_PIN}`, "pin"));
  return li;
}

function placeCard(card) {
  clearTimeout(returnTimer);
  check = { card };
  $("#placed").textContent = `置かれたカード: ${card.face.name}`;
  show("method");
}

async function connect(code, credential) {
  $("#facility-message").hidden = true;
  try {
    if (code) await signIn(code, credential);
    else await ensureSignedIn();
  } catch (error) {
    showFacilityError(error);
    return;
  }
  const f = facility();
  $("#facility-summary").textContent = f.code;
  $("#kiosk-facility").textContent = `医療機関コード ${f.code}`;
  restart();
  await loadCards();
}

// --- wiring ---------------------------------------------------------------------------------------

kiosk.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  const { method, action, digit, consent, prescription } = button.dataset;
  if (method) chooseMethod(method);
  else if (digit && $("#pin").value.length < 4) $("#pin").value += digit;
  else if (consent) {
    check.consent[check.verified.consent.offered[check.question].category] = consent === "true";
    markConsent(consent === "true");
  } else if (prescription) step(() => complete(prescription));
  else if (action === "pin-clear") $("#pin").value = "";
  else if (action === "face-retry") tryFace();
  else if (action === "visual-confirm") step(() => identify("visual"));
  else if (action === "register") register();
  else if (action === "consent-next") {
    check.question += 1;
    step(nextQuestion);
  } else if (action === "cancel" || action === "restart") restart();
});

$("#pin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  submitPin();
});

facilitySettings(connect);
connect();
