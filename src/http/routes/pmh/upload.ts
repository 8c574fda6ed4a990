// The 医療費助成 (PMH) upload of a 地方公共団体, under paths of onshi's own (the 自治体→PMH API's
// transport was not found; its fields are kept): an auth call with the 地方公共団体コード and its
// credential (`onshi pmh credential`) for a token naming that code, and the bulk upload, whose
// token is checked before the body is read. The token is a municipality's: a facility's token is
// refused here, and this one at every facility route.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { isDatabaseUnavailable } from "../../../db/unavailable.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { municipalityCredentialMatches } from "../../../services/municipality-credentials.ts";
import { MAX_UPLOAD_RECORDS, uploadCertificates } from "../../../services/pmh-upload.ts";
import { answerWithErrorBodies, errorBodySchema, sendErrorBody, tokenHeaders } from "../../error-body.ts";
import { LoginThrottle } from "../../login-throttle.ts";
import { noteAnswer } from "../../request-log.ts";
import type { ServerDeps } from "../../server-deps.ts";

export const PMH_PATHS = {
  auth: "/onshi-api/pmh/auth",
  certificates: "/onshi-api/pmh/certificates",
} as const;

const AUTH_BODY_LIMIT_BYTES = 4 * 1024;
/** 10,000 records at their fields' full sizes stay below this. */
export const UPLOAD_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

const errors = { 400: errorBodySchema, 401: errorBodySchema, 413: errorBodySchema, 415: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema };
const municipalities = new WeakMap<FastifyRequest, string>();

const recordSchema = {
  type: "object",
  description: "受給者証1件 (自治体→PMH 登録 API の項目。programmeType は onshi 独自)。isDeleted が \"1\" なら historyKey だけで削除する。",
  properties: {
    historyKey: { type: "string", description: "履歴キー (1〜100 文字): 同じキーは同じ受給者証の更新" },
    isDeleted: { type: "string", enum: ["0", "1"], description: "\"1\": 削除" },
    myNumber: { type: "string", description: "個人番号 (12桁)。対象者を探すためだけに使い、保存・記録・応答しない" },
    basicFiveInfo: { type: "object", description: "基本情報 (name, nameKana, address, dateOfBirth, sex)。検査するが保存しない" },
    isNotDisclosed: { type: "string", enum: ["0", "1"] },
    programmeType: { type: "string", description: "医療費助成の種別 (onshi 独自: children, intractableDisease … または こども, 難病 …)" },
    orgSpecificCertificateTypeId: { type: "string" },
    medicalSubsidyInsurerNumber: { type: "string", description: "公費負担者番号 (8桁、検証番号あり)" },
    medicalSubsidyRecipientNumber: { type: "string", description: "公費受給者番号 (公費負担医療は7桁・検証番号あり、地方単独は30文字以内)" },
    certificationName: { type: "string", description: "受給者証の名称 (100 文字以内)" },
    certificationSubKey: { type: "string" },
    segment: { type: "string" },
    incomeSegment: { type: "string" },
    additionalConditions: { type: "string", description: "コード-コード;…" },
    designatedMedicalInstitutions: { type: "array", items: { type: "string" }, description: "指定医療機関の医療機関コード (空: どこでも)" },
    isAlwaysReimbursement: { type: "string", enum: ["0", "1"] },
    maxCopaymentAmount: { type: "object", properties: { monthly: { type: "integer" }, perVisit: { type: "integer" } }, description: "自己負担上限額 (円)" },
    validFrom: { type: "string", format: "date" },
    validTo: { type: "string", format: "date" },
    certificationDetail: { type: "array", items: { type: "object", properties: { label: { type: "string" }, value: { type: "string" } } } },
  },
} as const;

export async function registerPmhUploadRoutes(app: FastifyInstance, { oqs, tokens }: ServerDeps): Promise<void> {
  const throttle = new LoginThrottle(oqs.now);
  await app.register(async (scope) => {
    answerWithErrorBodies(scope);
    // Each record is checked by the service, field by field, with its own code.
    scope.setValidatorCompiler(() => () => true);

    scope.post(
      PMH_PATHS.auth,
      {
        bodyLimit: AUTH_BODY_LIMIT_BYTES,
        schema: {
          tags: ["医療費助成"],
          summary: "医療費助成: 地方公共団体の認証 (idToken の取得)",
          description: "全国地方公共団体コードと onshi pmh credential で発行した認証情報で、受給者証の登録に使う idToken を得る。onshi 独自のパス。",
          body: {
            type: "object",
            required: ["municipalityCode", "credential"],
            properties: { municipalityCode: { type: "string", description: "全国地方公共団体コード (6桁)" }, credential: { type: "string", description: "認証情報" } },
          },
          response: { 200: { type: "object", properties: { idToken: { type: "string" }, expiresAt: { type: "string" } } }, ...errors },
        },
      },
      async (request, reply) => {
        const body = request.body as { municipalityCode?: unknown; credential?: unknown } | null;
        const code = body?.municipalityCode;
        const credential = body?.credential;
        if (typeof code !== "string" || typeof credential !== "string") throw new OqsError("E8573", typeof code !== "string" ? "municipalityCode" : "credential");
        const lockedFor = throttle.attempt(code, request.ip);
        if (lockedFor !== undefined) return sendErrorBody(reply.header("retry-after", String(lockedFor)), new OqsError("E2007"));
        let matches: boolean;
        try {
          matches = await municipalityCredentialMatches(oqs.db, code, credential);
        } catch (error) {
          // Not the caller's failure: no count towards a lockout.
          if (isDatabaseUnavailable(error)) throttle.withdrawn(code, request.ip);
          throw error;
        }
        if (!matches) throw new OqsError("E8551");
        throttle.succeeded(code, request.ip);
        noteAnswer(reply, { facility: code });
        const issued = await tokens.issueMunicipality(code);
        return { idToken: issued.token, expiresAt: issued.expiresAt.toISOString() };
      },
    );

    scope.post(
      PMH_PATHS.certificates,
      {
        bodyLimit: UPLOAD_BODY_LIMIT_BYTES,
        // The municipality's token before a byte of the body is read; a refusal closes the connection.
        onRequest: async (request, reply) => {
          try {
            const code = await tokens.verifyMunicipality(request.headers.authorization);
            municipalities.set(request, code);
            noteAnswer(reply, { facility: code });
          } catch (error) {
            if (!(error instanceof OqsError)) throw error;
            reply.header("connection", "close");
            await sendErrorBody(reply, error);
            return reply;
          }
        },
        schema: {
          tags: ["医療費助成"],
          summary: "医療費助成: 受給者証の一括登録・更新・削除",
          description:
            `自治体→PMH 登録 API の項目で受給者証を 1〜${MAX_UPLOAD_RECORDS.toLocaleString("en")} 件登録・更新 (同じ historyKey)・削除 (isDeleted "1") する。` +
            "1件ずつ検査し、拒否した件はその位置にコードで答え、ほかの件は登録する。同じ登録を2回送っても何も変わらない (unchanged)。" +
            "個人番号は対象者を探す鍵付きハッシュにだけ使い、保存・記録・応答しない。登録した地方公共団体の受給者証だけに作用する。",
          headers: tokenHeaders,
          security: [{ idToken: [] }],
          body: { type: "object", required: ["certificates"], properties: { certificates: { type: "array", items: recordSchema } } },
          response: {
            200: {
              type: "object",
              properties: {
                municipalityCode: { type: "string" },
                counts: {
                  type: "object",
                  properties: { registered: { type: "integer" }, updated: { type: "integer" }, unchanged: { type: "integer" }, deleted: { type: "integer" }, refused: { type: "integer" } },
                },
                results: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      index: { type: "integer" },
                      historyKey: { type: "string" },
                      result: { type: "string", enum: ["registered", "updated", "unchanged", "deleted", "refused"] },
                      code: { type: "string" },
                      message: { type: "string" },
                    },
                  },
                },
              },
            },
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const code = municipalities.get(request)!;
        const answer = await uploadCertificates(oqs.db, code, request.body, oqs.now());
        noteAnswer(reply, { result: `${answer.counts.refused === 0 ? "OK" : "一部拒否"}` });
        return answer;
      },
    );
  });
}
