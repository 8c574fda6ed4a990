// The pages' link to the server: the facility's sign-in (its idToken kept in sessionStorage, so a
// reload keeps the session and closing the tab ends it) and JSON calls that carry the token.
import { DEMO_FACILITY } from "./shared.js";

const AUTH_PATH = "/oqs-api-pro/MSA12020/ILI12020SV01/auth";
const STORE_KEY = "onshi.facility";
const TOKEN_ERRORS = new Set(["E2002", "E2003", "E2004"]);

/** A refusal from the server: its code, Japanese message and (for PIN and face) the tries left. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? body?.msg ?? `サーバがエラーを返しました (HTTP ${status})。`);
    this.status = status;
    this.code = body?.code ?? body?.errorCode ?? body?.XmlMsg?.MessageHeader?.ErrorCode;
    this.remaining = body?.remaining;
  }
}

/** The facility this tab signs in as: the last one used, else the demo hospital. */
export function facility() {
  const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? "null");
  return saved ?? { code: DEMO_FACILITY.code, credential: DEMO_FACILITY.credential };
}

export function token() {
  return facility().token;
}

/** Signs in (医療機関コード + 認証情報) and keeps the idToken for this tab. */
export async function signIn(code, credential) {
  const res = await fetch(AUTH_PATH, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ MedicalInstitutionCode: code, Credential: credential }),
  });
  const body = await res.json().catch(() => undefined);
  if (!res.ok || body?.status !== "OK") throw new ApiError(res.status, body);
  sessionStorage.setItem(STORE_KEY, JSON.stringify({ code, credential, token: body.result.idToken }));
  return body.result.idToken;
}

/** Signs in again with the kept facility when there is no token yet. */
export async function ensureSignedIn() {
  const f = facility();
  return f.token ?? signIn(f.code, f.credential);
}

/** A JSON call with the token; an expired or refused token signs in again once and retries. */
export async function call(method, path, body) {
  const send = (idToken) =>
    fetch(path, {
      method,
      headers: { authorization: idToken, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let res = await send(await ensureSignedIn());
  let answer = await res.json().catch(() => undefined);
  if (res.status === 401 && TOKEN_ERRORS.has(new ApiError(res.status, answer).code)) {
    const f = facility();
    res = await send(await signIn(f.code, f.credential));
    answer = await res.json().catch(() => undefined);
  }
  if (!res.ok) throw new ApiError(res.status, answer);
  return answer;
}

/**
 * The facility settings both pages carry (医療機関コード + 認証情報), built into their
 * <details id="facility-settings">, filled with the kept facility; submitting calls connect(code, credential).
 */
export function facilitySettings(connect) {
  const details = document.querySelector("#facility-settings");
  details.innerHTML = `
    <summary>医療機関: <span id="facility-summary"></span></summary>
    <form id="facility-form">
      <label>医療機関コード <input name="code" required pattern="[0-9]{10}" inputmode="numeric"></label>
      <label>認証情報 <input name="credential" type="password" autocomplete="off" required></label>
      <button type="submit">接続</button>
      <p class="alert" id="facility-message" hidden></p>
    </form>`;
  const form = details.querySelector("form");
  const kept = facility();
  form.code.value = kept.code;
  form.credential.value = kept.credential;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    connect(form.code.value, form.credential.value);
  });
}

/** A failed sign-in, shown in the opened facility settings. */
export function showFacilityError(error) {
  const message = document.querySelector("#facility-message");
  message.textContent = `接続できません: ${error.message}`;
  message.hidden = false;
  document.querySelector("#facility-settings").open = true;
}

/** 2026-04-01T00:30:05Z → "09:30:05" (the facility's clock is Japan's). */
export function jstTime(iso) {
  return new Date(iso).toLocaleTimeString("ja-JP", { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}
