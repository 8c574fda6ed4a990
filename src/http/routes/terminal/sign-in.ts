// POST /terminal/api/sign-in, POST /terminal/api/sign-out, GET /terminal/api/session.
// Sign-in is throttled per account (facility code + login id) and per client address with the
// facility credentials' lockout (login-throttle.ts); every refusal is one answer, E2100.
import type { FastifyInstance } from "fastify";
import { MEDICAL_INFO_CATEGORIES } from "../../../domain/medical-history.ts";
import { mayView, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, STAFF_ROLES } from "../../../domain/staff.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import type { StaffSession, StaffSessions } from "../../../services/staff.ts";
import type { FacilityDirectory } from "../../../store/facility-directory.ts";
import { errorBodySchema } from "../../error-body.ts";
import { LoginThrottle } from "../../login-throttle.ts";
import { noteAnswer } from "../../request-log.ts";
import { throttledSignIn } from "../../sign-in-route.ts";
import { clearedSessionCookie, requireStaffSession, sessionCookie, staffSession, staffSessionToken } from "../../staff-session.ts";

// A facility code, a login id and a password: a few hundred bytes.
const SIGN_IN_BODY_LIMIT_BYTES = 4 * 1024;

interface Deps {
  facilities: FacilityDirectory;
  now: () => Date;
  staff: StaffSessions;
  /** HTTPS: the cookie is Secure. */
  secure: boolean;
}

/** What the page shows of a session: who, where, what the role may open, and when the session ends. */
export async function sessionAnswer(facilities: FacilityDirectory, session: StaffSession) {
  const { account } = session;
  const facility = await facilities.account(account.facilityCode);
  return {
    account: { loginId: account.loginId, displayName: account.displayName, role: account.role, roleLabel: STAFF_ROLES[account.role], administrator: account.administrator },
    facility: { code: account.facilityCode, name: facility?.name ?? "" },
    mayView: MEDICAL_INFO_CATEGORIES.filter((c) => mayView(account.role, c)),
    csrfToken: session.csrfToken,
    idleMinutes: SESSION_IDLE_MS / 60_000,
    endsAt: new Date(session.createdAt.getTime() + SESSION_ABSOLUTE_MS).toISOString(),
  };
}

const sessionSchema = { type: "object", additionalProperties: true, description: "職員・医療機関・閲覧できる区分・CSRF トークン" };

export function registerSignInRoutes(app: FastifyInstance, deps: Deps): void {
  const throttle = new LoginThrottle(deps.now);
  app.post(
    "/terminal/api/sign-in",
    {
      bodyLimit: SIGN_IN_BODY_LIMIT_BYTES,
      schema: {
        hide: true,
        summary: "職員のサインイン (セッション Cookie を発行)",
        description: "医療機関コード・ログインID・パスワード。失敗が続くとアカウントと接続元ごとに一時的に受け付けない (E2101, Retry-After)。",
        body: {
          type: "object",
          required: ["facilityCode", "loginId", "password"],
          properties: { facilityCode: { type: "string", maxLength: 10 }, loginId: { type: "string", maxLength: 32 }, password: { type: "string", maxLength: 128 } },
        },
        response: { 200: sessionSchema, 400: errorBodySchema, 401: errorBodySchema, 429: errorBodySchema },
      },
      // Any body that is not the three strings is the same refusal as a wrong password.
      schemaErrorFormatter: () => new OqsError("E2100"),
    },
    async (request, reply) => {
      const { facilityCode, loginId, password } = request.body as { facilityCode: string; loginId: string; password: string };
      const signedIn = await throttledSignIn(throttle, `${facilityCode}/${loginId}`, request, reply, () => deps.staff.signIn(facilityCode, loginId, password));
      noteAnswer(reply, { facility: facilityCode });
      reply.header("set-cookie", sessionCookie(signedIn.token, deps.secure)).header("cache-control", "no-store");
      return sessionAnswer(deps.facilities, signedIn.session);
    },
  );

  app.get(
    "/terminal/api/session",
    {
      onRequest: requireStaffSession(deps.staff),
      schema: { hide: true, summary: "サインイン中の職員 (画面の再読み込み用)", response: { 200: sessionSchema, 401: errorBodySchema } },
    },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      return sessionAnswer(deps.facilities, staffSession(request));
    },
  );

  app.post(
    "/terminal/api/sign-out",
    {
      onRequest: requireStaffSession(deps.staff),
      bodyLimit: 1024,
      schema: { hide: true, summary: "サインアウト (セッションを削除)", response: { 204: { type: "null", description: "サインアウトした" }, 401: errorBodySchema, 403: errorBodySchema } },
    },
    async (request, reply) => {
      await deps.staff.signOut(staffSessionToken(request));
      return reply.header("set-cookie", clearedSessionCookie(deps.secure)).code(204).send();
    },
  );
}
