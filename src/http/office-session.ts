// An office account's session on /office (session-guard.ts): the cookie onshi_office, scoped to
// /office, and the role guard every office route puts in its onRequest, before any body is read:
//   app.post("/office/api/…", { onRequest: requireOfficeRole(deps.office, "examiner") }, …)
// then officeSession(request).account is the signed-in account (its id, role and name).
import type { FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { OFFICE_ROLES, type OfficeRole } from "../domain/office.ts";
import { OqsError } from "../errors/catalogue.ts";
import type { OfficeAccount, OfficeSession, OfficeSessions } from "../services/office-accounts.ts";
import type { CaseActor } from "../services/subsidy-office.ts";
import { noteAnswer } from "./request-log.ts";
import { clearedScopedSessionCookie, requireSession, scopedSessionCookie, sessionOf, type CookieScope } from "./session-guard.ts";

export const OFFICE_PATH = "/office";
export const OFFICE_COOKIE = "onshi_office";
const SCOPE: CookieScope = { name: OFFICE_COOKIE, path: OFFICE_PATH };

export const officeSessionCookie = (token: string, secure: boolean) => scopedSessionCookie(SCOPE, token, secure);
export const clearedOfficeSessionCookie = (secure: boolean) => clearedScopedSessionCookie(SCOPE, secure);

/**
 * The onRequest hook of an office route: E9650 no session, E2103 expired, E2104 CSRF (any method
 * but GET/HEAD), E9651 when the account's role is none of `roles` (no role given: any office account).
 */
export function requireOfficeRole(office: OfficeSessions, ...roles: OfficeRole[]): onRequestAsyncHookHandler {
  return requireSession(office, SCOPE, (session) => {
    if (roles.length > 0 && !roles.includes(session.account.role)) throw new OqsError("E9651", roles.map((r) => OFFICE_ROLES[r]).join("・"));
  });
}

/** The session requireOfficeRole found for this request. */
export function officeSession(request: FastifyRequest): OfficeSession {
  return sessionOf<OfficeAccount>(request).session;
}

/** The signed-in account as the cases record an actor: (role, account id, display name). */
export function officeActor(request: FastifyRequest): CaseActor {
  const { account } = officeSession(request);
  return { role: account.role, accountId: account.accountId, name: account.displayName };
}

/** The session's cookie token (for sign-out). */
export function officeSessionToken(request: FastifyRequest): string {
  return sessionOf(request).token;
}
