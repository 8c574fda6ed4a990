// A signed-in session on a page's routes (the terminal's staff, the office's accounts): the cookie
// is checked in onRequest, before the body is read (a caller without a session costs one indexed
// lookup), and so is the CSRF token of a state-changing request. The cookie is HttpOnly (no script
// reads it), SameSite=Strict (no other site's page sends it) and scoped to its page's path; the
// CSRF token, which the page holds in memory and repeats in X-CSRF-Token, stops a request forged
// from a page that the cookie alone would let through (another port of the same host counts as
// the same site). A refusal closes the connection, so an unread body is not even received.
import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { OqsError } from "../errors/catalogue.ts";
import type { Session, Sessions } from "../services/sessions.ts";

export const CSRF_HEADER = "x-csrf-token";

/** Which cookie carries a page's session, and the path it is sent to. */
export interface CookieScope {
  name: string;
  path: string;
}

/** The value of one cookie of the request, if it sent it. */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** Set-Cookie for a session token; Secure over HTTPS (a browser refuses a Secure cookie on plain HTTP but for localhost). */
export function scopedSessionCookie(scope: CookieScope, token: string, secure: boolean): string {
  return `${scope.name}=${token}; Path=${scope.path}; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

export function clearedScopedSessionCookie(scope: CookieScope, secure: boolean): string {
  return `${scope.name}=; Path=${scope.path}; HttpOnly; SameSite=Strict; Max-Age=0${secure ? "; Secure" : ""}`;
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);

const found = new WeakMap<FastifyRequest, { token: string; session: Session<unknown> }>();

/**
 * The onRequest hook of a route that needs a session of `sessions`: its no-session code, E2103
 * expired, and for any method but GET/HEAD E2104 without the session's CSRF token or from another
 * origin; then `admit` may refuse the account (a role, an administrator) or note it in the log.
 */
export function requireSession<A extends { accountId: number }>(
  sessions: Sessions<A>,
  scope: CookieScope,
  admit: (session: Session<A>, reply: FastifyReply) => void,
): onRequestAsyncHookHandler {
  return async (request, reply) => {
    try {
      const token = cookieOf(request, scope.name);
      const session = await sessions.resume(token);
      if (!SAFE_METHODS.has(request.method)) checkCsrf(request, session.csrfToken);
      admit(session, reply);
      found.set(request, { token: token!, session });
    } catch (error) {
      if (error instanceof OqsError) reply.header("connection", "close");
      throw error;
    }
  };
}

function checkCsrf(request: FastifyRequest, expected: string): void {
  const sent = Buffer.from(String(request.headers[CSRF_HEADER] ?? ""));
  const want = Buffer.from(expected);
  if (sent.length !== want.length || !timingSafeEqual(sent, want)) throw new OqsError("E2104");
  // A browser names the page's origin on every POST: it must be this server's own.
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) throw new OqsError("E2104");
}

/** The session and cookie token requireSession found for this request. */
export function sessionOf<A>(request: FastifyRequest): { token: string; session: Session<A> } {
  const entry = found.get(request);
  if (!entry) throw new Error(`${request.routeOptions.url} has no session hook`);
  return entry as { token: string; session: Session<A> };
}
