// The terminal page's calls to /terminal/api, shared by its screens (a screen added later, such as
// 災害時医療情報閲覧, imports api() from here). The session cookie goes by itself; the CSRF token,
// kept in memory only, goes with every POST. An answer E2102/E2103 (no session, or expired) is
// reported to the page, which brings the sign-in back.
export const API = "/terminal/api";
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

export async function api(method, path, body) {
  const res = await fetch(API + path, {
    method,
    headers: { ...(method === "GET" ? {} : { "x-csrf-token": csrfToken ?? "" }), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = new ApiError(res.status, answer);
    if (SESSION_ENDED.has(error.code)) sessionEnded(error);
    throw error;
  }
  return answer;
}
