// POST /oqs-api-pro/MSA12020/ILI12020SV01/auth — a facility's client certificate (--tls) or credential for an idToken.
// The response keeps the real shape {status, msg, result:{accessToken, idToken, linkSysCharCd}}.
import type { FastifyInstance, FastifyReply } from "fastify";
import { isDatabaseUnavailable } from "../../../db/unavailable.ts";
import { DUMMY_CREDENTIAL_HASH, verifyCredential } from "../../../domain/credential.ts";
import { facilityCodeProblem } from "../../../domain/facility-code.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { isTree } from "../../../oqs/message-tree.ts";
import { authRequestSchema, authResponseSchema } from "../../schemas.ts";
import { LoginThrottle } from "../../login-throttle.ts";
import { answerAuthRefusals, sendAuthRefusal } from "../../auth-reply.ts";
import { noteAnswer } from "../../request-log.ts";
import type { ServerDeps } from "../../server-deps.ts";
import { certificateThumbprint, certifiedFacility, clientCertificateCheck } from "../../tls.ts";

// A code and a credential: a few hundred bytes. The route takes no token, so nothing larger is read.
const AUTH_BODY_LIMIT_BYTES = 4 * 1024;

export const REFRESH_PATH = "/onshi-api/auth/refresh";

export async function registerAuthRoutes(server: FastifyInstance, deps: ServerDeps) {
  // A scope of their own: what Fastify refuses before the handler (malformed JSON, …) is answered in their shape too.
  await server.register(async (app) => {
    answerAuthRefusals(app);
    authRoutes(app, deps);
  });
}

function authRoutes(app: FastifyInstance, { oqs, tokens, tls }: ServerDeps) {
  const throttle = new LoginThrottle(oqs.now);
  app.post(
    "/oqs-api-pro/MSA12020/ILI12020SV01/auth",
    {
      bodyLimit: AUTH_BODY_LIMIT_BYTES,
      // With --tls the client certificate is checked before the body is read.
      onRequest: clientCertificateCheck(tls),
      // The body is checked against its schema; the handler answers a violation in this route's shape (E1005).
      attachValidation: true,
      schema: {
        tags: ["資格確認"],
        summary: "認証 (idToken の取得)",
        description:
          "idToken を発行する。--tls では医療機関等向け電子証明書 (TLS クライアント証明書) の医療機関に発行し (本文の医療機関コードは省略可、別の医療機関なら E2029)、医療機関コードと認証情報による認証は有効なときのみ受け付ける。",
        body: authRequestSchema,
        response: { 200: authResponseSchema, 400: authResponseSchema, 401: authResponseSchema, 403: authResponseSchema, 429: authResponseSchema, 503: authResponseSchema },
      },
    },
    async (request, reply) => {
      const body = isTree(request.body) ? request.body : {};
      const certified = certifiedFacility(request);
      if (certified !== undefined) {
        // The certificate names the facility: a body may repeat its code, never name another.
        const named = body.MedicalInstitutionCode;
        if (named !== undefined && named !== "" && named !== certified) {
          return sendAuthRefusal(reply, "E2029");
        }
        return sendToken(reply, certified, certificateThumbprint(request));
      }
      // Without a certificate both fields are required: a violation names the first that is not text.
      if (request.validationError) {
        const element = nonEmptyText(body.MedicalInstitutionCode) ? "Credential" : "MedicalInstitutionCode";
        return sendAuthRefusal(reply, "E1005", element);
      }
      const { MedicalInstitutionCode: code, Credential: credential } = request.body as { MedicalInstitutionCode: string; Credential: string };
      const lockedFor = throttle.attempt(code, request.ip);
      if (lockedFor !== undefined) {
        return sendAuthRefusal(reply.header("retry-after", String(lockedFor)), "E2007");
      }
      // An unknown code is checked against a dummy hash: the same scrypt, time and answer as a wrong credential.
      let account;
      try {
        account = facilityCodeProblem(code) ? undefined : await oqs.facilities.account(code);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        // Not the caller's failure: answered in this route's shape, and no count towards a lockout.
        throttle.withdrawn(code, request.ip);
        return sendAuthRefusal(reply, "E9002");
      }
      const matches = await verifyCredential(credential, account?.credentialHash ?? DUMMY_CREDENTIAL_HASH);
      if (!account?.credentialHash || !matches) {
        return sendAuthRefusal(reply, "E2006");
      }
      throttle.succeeded(code, request.ip);
      return sendToken(reply, code);
    },
  );

  // The refresh route: a refresh token (single-use, a day) for a new idToken and refresh token,
  // for the same facility and, with --tls, only on a connection presenting the same certificate.
  app.post(
    REFRESH_PATH,
    {
      bodyLimit: AUTH_BODY_LIMIT_BYTES,
      onRequest: clientCertificateCheck(tls),
      attachValidation: true,
      schema: {
        tags: ["資格確認"],
        summary: "idToken の再発行 (refreshToken による, onshi 独自のパス)",
        description:
          "auth で得た refreshToken を送ると、新しい idToken と refreshToken を返す。refreshToken は1回限り (使うと新しいものに替わる)、" +
          "有効期限は24時間。クライアント証明書で得たものは同じ証明書の接続でのみ使える。",
        body: { type: "object", required: ["refreshToken"], properties: { refreshToken: { type: "string", minLength: 1, description: "auth で得た refreshToken" } } },
        response: { 200: authResponseSchema, 401: authResponseSchema },
      },
    },
    async (request, reply) => {
      // No refresh token as text is a token not presented: E2002, as every token check answers.
      if (request.validationError) return sendAuthRefusal(reply, "E2002");
      const body = request.body as { refreshToken: string };
      try {
        const { facility, boundTo } = await tokens.redeem(body.refreshToken, certificateThumbprint(request));
        return await sendToken(reply, facility, boundTo);
      } catch (error) {
        if (!(error instanceof OqsError)) throw error;
        return sendAuthRefusal(reply, error.code);
      }
    },
  );

  function nonEmptyText(value: unknown): boolean {
    return typeof value === "string" && value !== "";
  }

  async function sendToken(reply: FastifyReply, code: string, thumbprint?: string) {
    noteAnswer(reply, { facility: code });
    const issued = await tokens.issue(code, thumbprint);
    const refresh = await tokens.issueRefresh(code, thumbprint);
    return reply.send({
      status: "OK",
      msg: "",
      result: {
        accessToken: issued.token,
        refreshToken: refresh.token,
        idToken: issued.token,
        linkSysCharCd: oqs.characterCode,
        expiresAt: issued.expiresAt.toISOString(),
      },
    });
  }
}
