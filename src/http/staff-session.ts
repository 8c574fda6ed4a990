// A staff session on the terminal page's routes: the cookie is checked in onRequest, before the
// body is read (a caller without a session costs one indexed lookup), and so is the CSRF token of
// a state-changing request. The cookie is HttpOnly (no script reads it), SameSite=Strict (no other
// site's page sends it) and scoped to /terminal; the CSRF token, which the page holds in memory
// and repeats in X-CSRF-Token, stops a request forged from a page that the cookie alone would let
// through (another port of the same host counts as the same site).
import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { OqsError } from "../errors/catalogue.ts";
import type { StaffSession, StaffSessions } from "../services/staff.ts";
import { noteAnswer } from "./request-log.ts";

export const TERMINAL_PATH = "/terminal";
export const SESSION_COOKIE = "onshi_terminal";
export const CSRF_HEADER = "x-csrf-token";

const sessions = new WeakMap<FastifyRequest, { token: string; session: StaffSession }>();

/** The value of one cookie of the request, if it sent it. */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** Set-Cookie for a session token; Secure over HTTPS (a browser refuses a Secure cookie on plain HTTP but for localhost). */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=${TERMINAL_PATH}; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=${TERMINAL_PATH}; HttpOnly; SameSite=Strict; Max-Age=0${secure ? "; Secure" : ""}`;
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);

/**
 * The onRequest hook of a route that needs a signed-in staff member: E2102 no session, E2103
 * expired, and for any method but GET/HEAD E2104 without the session's CSRF token or from another
 * origin. A refusal closes the connection, so an unread body is not even received.
 */
export function requireStaffSession(staff: StaffSessions): onRequestAsyncHookHandler {
  return async (request, reply) => {
    try {
      const token = cookieOf(request, SESSION_COOKIE);
      const session = await staff.resume(token);
      if (!SAFE_METHODS.has(request.method)) checkCsrf(request, session.csrfToken);
      sessions.set(request, { token: token!, session });
      noteAnswer(reply, { facility: session.account.facilityCode });
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

/** The session requireStaffSession found for this request. */
export function staffSession(request: FastifyRequest): StaffSession {
  const found = sessions.get(request);
  if (!found) throw new Error(`${request.routeOptions.url} has no requireStaffSession hook`);
  return found.session;
}

/** The session's cookie token (for sign-out). */
export function staffSessionToken(request: FastifyRequest): string {
  const found = sessions.get(request);
  if (!found) throw new Error(`${request.routeOptions.url} has no requireStaffSession hook`);
  return found.token;
}
