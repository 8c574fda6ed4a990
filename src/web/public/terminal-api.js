// The terminal page's calls to /terminal/api (and the 補助金 screen's to /terminal/subsidy/api),
// shared by its screens (terminal.js, terminal-disaster.js, terminal-subsidy.js). The session cookie goes by itself; the CSRF token, kept in memory only,
// goes with every POST. An answer E2102/E2103 (no session, or expired) is
// reported to the page, which brings the sign-in back.
export const API = "/terminal/api";
export const SUBSIDY_API = "/terminal/subsidy/api";
const SESSION_ENDED = new Set(["E2102", "E2103"]);

let csrfToken;
let sessionEnded = () => {};

export function setCsrfToken(token) {
  csrfToken = token;
}

export function onSessionEnded(handler) {
  sessionEnded = handler;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `サーバがエラーを返しました (HTTP ${status})。`);
    this.code = body?.code;
  }
}

async function send(method, path, body, headers = {}, base = API) {
  const res = await fetch(base + path, {
    method,
    headers: { ...headers, ...(method === "GET" ? {} : { "x-csrf-token": csrfToken ?? "" }), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.ok) return res;
  const error = new ApiError(res.status, await res.json().catch(() => undefined));
  if (SESSION_ENDED.has(error.code)) sessionEnded(error);
  throw error;
}

/** A JSON answer (nothing for 204). */
export async function api(method, path, body) {
  const res = await send(method, path, body);
  return res.status === 204 ? undefined : res.json().catch(() => undefined);
}

/** A call to the 補助金 routes; a write carries its Idempotency-Key (one per user action, reused on a retry). */
export async function subsidyApi(method, path, body, idempotencyKey) {
  const res = await send(method, path, body, idempotencyKey ? { "idempotency-key": idempotencyKey } : {}, SUBSIDY_API);
  return res.json().catch(() => undefined);
}

/** A document the server answers as a file (a PDF asked for with a POST), as a Blob. */
export async function apiFile(path, body) {
  return (await send("POST", path, body)).blob();
}
