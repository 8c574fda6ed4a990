// POST /office/api/sign-in, POST /office/api/sign-out, GET /office/api/session: an office account
// (取りまとめ者, 支払基金 審査担当) signs in as the terminal's staff do (throttled; every refusal E2100).
import type { FastifyInstance } from "fastify";
import { OFFICE_ROLES } from "../../../domain/office.ts";
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "../../../domain/staff.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import type { OfficeSession } from "../../../services/office-accounts.ts";
import { errorBodySchema } from "../../error-body.ts";
import { LoginThrottle } from "../../login-throttle.ts";
import { clearedOfficeSessionCookie, officeSession, officeSessionCookie, officeSessionToken, requireOfficeRole } from "../../office-session.ts";
import { throttledSignIn } from "../../sign-in-route.ts";
import type { OfficeRouteDeps } from "./deps.ts";

// A login id and a password: a few hundred bytes.
const SIGN_IN_BODY_LIMIT_BYTES = 4 * 1024;

/** What the page shows of a session: who, in which role, and when the session ends. */
export function officeSessionAnswer(session: OfficeSession) {
  const { account } = session;
  return {
    account: { loginId: account.loginId, displayName: account.displayName, role: account.role, roleLabel: OFFICE_ROLES[account.role] },
    csrfToken: session.csrfToken,
    idleMinutes: SESSION_IDLE_MS / 60_000,
    endsAt: new Date(session.createdAt.getTime() + SESSION_ABSOLUTE_MS).toISOString(),
  };
}

const sessionSchema = { type: "object", additionalProperties: true, description: "アカウント・役割・CSRF トークン" };

export function registerOfficeSignInRoutes(app: FastifyInstance, deps: OfficeRouteDeps): void {
  const throttle = new LoginThrottle(deps.now);
  app.post(
    "/office/api/sign-in",
    {
      bodyLimit: SIGN_IN_BODY_LIMIT_BYTES,
      schema: {
        hide: true,
        summary: "補助金事務のサインイン (セッション Cookie を発行)",
        body: {
          type: "object",
          required: ["loginId", "password"],
          properties: { loginId: { type: "string", maxLength: 32 }, password: { type: "string", maxLength: 128 } },
        },
        response: { 200: sessionSchema, 400: errorBodySchema, 401: errorBodySchema, 429: errorBodySchema },
      },
      // Any body that is not the two strings is the same refusal as a wrong password.
      schemaErrorFormatter: () => new OqsError("E2100"),
    },
    async (request, reply) => {
      const { loginId, password } = request.body as { loginId: string; password: string };
      // The key's prefix keeps office login ids apart from a facility's staff ("code/login").
      const signedIn = await throttledSignIn(throttle, `office/${loginId}`, request, reply, () => deps.office.signIn(loginId, password));
      reply.header("set-cookie", officeSessionCookie(signedIn.token, deps.secure)).header("cache-control", "no-store");
      return officeSessionAnswer(signedIn.session);
    },
  );

  app.get(
    "/office/api/session",
    { onRequest: requireOfficeRole(deps.office), schema: { hide: true, summary: "サインイン中のアカウント (画面の再読み込み用)", response: { 200: sessionSchema, 401: errorBodySchema } } },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      return officeSessionAnswer(officeSession(request));
    },
  );

  app.post(
    "/office/api/sign-out",
    {
      onRequest: requireOfficeRole(deps.office),
      bodyLimit: 1024,
      schema: { hide: true, summary: "サインアウト (セッションを削除)", response: { 204: { type: "null", description: "サインアウトした" }, 401: errorBodySchema, 403: errorBodySchema } },
    },
    async (request, reply) => {
      await deps.office.signOut(officeSessionToken(request));
      return reply.header("set-cookie", clearedOfficeSessionCookie(deps.secure)).code(204).send();
    },
  );
}
