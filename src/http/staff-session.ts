// A staff session on the terminal page's routes (session-guard.ts): the cookie onshi_terminal,
// scoped to /terminal.
import type { FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { OqsError } from "../errors/catalogue.ts";
import type { StaffSession, StaffSessions } from "../services/staff.ts";
import type { CaseActor } from "../services/subsidy-office.ts";
import { noteAnswer } from "./request-log.ts";
import { clearedScopedSessionCookie, requireSession, scopedSessionCookie, sessionOf, type CookieScope } from "./session-guard.ts";

export { CSRF_HEADER, cookieOf } from "./session-guard.ts";

export const TERMINAL_PATH = "/terminal";
export const SESSION_COOKIE = "onshi_terminal";
const SCOPE: CookieScope = { name: SESSION_COOKIE, path: TERMINAL_PATH };

export const sessionCookie = (token: string, secure: boolean) => scopedSessionCookie(SCOPE, token, secure);
export const clearedSessionCookie = (secure: boolean) => clearedScopedSessionCookie(SCOPE, secure);

/** The onRequest hook of a route that needs a signed-in staff member: E2102 no session, E2103 expired, E2104 CSRF. */
export function requireStaffSession(staff: StaffSessions): onRequestAsyncHookHandler {
  return requireSession(staff, SCOPE, (session, reply) => noteAnswer(reply, { facility: session.account.facilityCode }));
}

/**
 * The subsidy office's facility routes (/terminal/subsidy…): a staff session whose account is the
 * facility's administrator (the one who applies for and receives the subsidy); E9515 for any other.
 */
export function requireSubsidyAdministrator(staff: StaffSessions): onRequestAsyncHookHandler {
  return requireSession(staff, SCOPE, (session, reply) => {
    noteAnswer(reply, { facility: session.account.facilityCode });
    if (!session.account.administrator) throw new OqsError("E9515");
  });
}

/** The session requireStaffSession found for this request. */
export function staffSession(request: FastifyRequest): StaffSession {
  return sessionOf<StaffSession["account"]>(request).session;
}

/** The facility's administrator as the cases record an actor: role facility, the staff account, its facility. */
export function facilityActor(request: FastifyRequest): CaseActor {
  const { account } = staffSession(request);
  return { role: "facility", accountId: account.accountId, name: account.displayName, facilityCode: account.facilityCode };
}

/** The session's cookie token (for sign-out). */
export function staffSessionToken(request: FastifyRequest): string {
  return sessionOf(request).token;
}
