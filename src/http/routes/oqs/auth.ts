// POST /oqs-api-pro/MSA12020/ILI12020SV01/auth — a facility's credential for an idToken.
// The response keeps the real shape {status, msg, result:{accessToken, idToken, linkSysCharCd}}.
import type { FastifyInstance } from "fastify";
import { verifyCredential } from "../../../domain/credential.ts";
import { facilityCodeProblem } from "../../../domain/facility-code.ts";
import { ERROR_CODES, errorMessage } from "../../../oqs/error-codes.ts";
import { isTree } from "../../../oqs/message-tree.ts";
import { authRequestSchema, authResponseSchema } from "../../schemas.ts";
import type { ServerDeps } from "../../server.ts";

export function registerAuthRoute(app: FastifyInstance, { oqs, tokens }: ServerDeps) {
  app.post(
    "/oqs-api-pro/MSA12020/ILI12020SV01/auth",
    {
      schema: {
        summary: "認証 (idToken の取得)",
        description: "医療機関コードと認証情報から idToken を発行する。実システムは医療機関等向け電子証明書 (TLS クライアント証明書) で認証する。",
        body: authRequestSchema,
        response: { 200: authResponseSchema, 400: authResponseSchema, 401: authResponseSchema },
      },
    },
    async (request, reply) => {
      const body = isTree(request.body) ? request.body : {};
      const code = body.MedicalInstitutionCode;
      const credential = body.Credential;
      if (typeof code !== "string" || typeof credential !== "string" || code === "" || credential === "") {
        const element = typeof code !== "string" || code === "" ? "MedicalInstitutionCode" : "Credential";
        return reply.code(400).send({ status: "NG", errorCode: "E1005", msg: errorMessage("E1005", element) });
      }
      const account = facilityCodeProblem(code) ? undefined : await oqs.facilities.account(code);
      if (!account?.credentialHash || !verifyCredential(credential, account.credentialHash)) {
        return reply.code(ERROR_CODES.E2006.http).send({ status: "NG", errorCode: "E2006", msg: errorMessage("E2006") });
      }
      const issued = await tokens.issue(code);
      return reply.send({
        status: "OK",
        msg: "",
        result: {
          accessToken: issued.token,
          idToken: issued.token,
          linkSysCharCd: oqs.characterCode,
          expiresAt: issued.expiresAt.toISOString(),
        },
      });
    },
  );
}
