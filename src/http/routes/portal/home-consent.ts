// The consent at home for オンライン診療・訪問診療 over HTTP, under paths of onshi's own (the real Web
// service's interface is not public): a challenge for the chosen facility, then a POST (consent) or
// DELETE (withdrawal) carrying the card's signed answer in Authorization. The answer is checked in
// onRequest, before anything else of the request is read; the body is read only for its holder.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Db } from "../../../db/client.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { HomeConsentPortal, readHomeConsentRequest } from "../../../services/remote-consent.ts";
import type { FacilityDirectory } from "../../../store/facility-directory.ts";
import { answerWithErrorBodies, errorBodySchema } from "../../error-body.ts";
import { codedViolation } from "../../framework-errors.ts";
import { cardAnswerOf } from "./access-history.ts";

export const HOME_CONSENT_PATHS = {
  challenge: "/onshi-api/home-consent/:facilityCode/challenge",
  consent: "/onshi-api/home-consent/:facilityCode",
} as const;

/** A consent's body is three small fields. */
const BODY_LIMIT_BYTES = 4096;

/** The code of each body field's violation (the others: E8817). */
const FIELD_CODES: Record<string, "E8805" | "E8806" | "E8809"> = { treatment: "E8805", examinationDate: "E8806", categories: "E8809" };

const holders = new WeakMap<FastifyRequest, number>();
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 410: errorBodySchema, 413: errorBodySchema };
const facilityOf = (request: FastifyRequest) => (request.params as { facilityCode: string }).facilityCode;
const params = { type: "object", properties: { facilityCode: { type: "string", description: "医療機関コード 10桁 (医療機関から案内された URL のもの)" } } };
const AUTHORIZATION =
  "Authorization: OnshiCard <カードの応答 (nonce, method: pin, certificate, signature) の JSON を base64url で>。チャレンジはこの医療機関の /challenge のもの。";

const consentSchema = {
  type: "object",
  properties: {
    facilityCode: { type: "string" },
    facilityName: { type: "string" },
    treatment: { type: "string", description: "2 訪問診療 / 3 オンライン診療" },
    consentDate: { type: "string", description: "同意日 YYYYMMDD (日本時間)" },
    examinationDate: { type: ["string", "null"], description: "受診予定日 YYYYMMDD (オンライン診療)" },
    validFrom: { type: "string" },
    validTo: { type: "string", description: "同意が有効な最後の日 (訪問診療は365日、オンライン診療は受診予定日)" },
    categories: { type: "array", items: { type: "string" } },
  },
};

export async function registerHomeConsentRoutes(app: FastifyInstance, deps: { db: Db; facilities: FacilityDirectory; now: () => Date }): Promise<void> {
  const portal = await HomeConsentPortal.open(deps.db, deps.facilities, deps.now);
  // The card's answer is verified (and its challenge spent) before the body is read.
  const verifyCard = async (request: FastifyRequest, reply: { header(name: string, value: string): unknown }) => {
    try {
      holders.set(request, await portal.holder(facilityOf(request), cardAnswerOrRefuse(request.headers.authorization)));
    } catch (error) {
      reply.header("connection", "close");
      throw error;
    }
  };
  await app.register(async (scope) => {
    answerWithErrorBodies(scope);
    scope.post(
      HOME_CONSENT_PATHS.challenge,
      {
        schema: {
          tags: ["居宅同意"],
          summary: "居宅同意: 本人確認のチャレンジの発行",
          description: "オンライン診療・訪問診療の同意を自宅で登録するため、マイナンバーカードに暗証番号で署名させる使い捨てのチャレンジ (nonce, 60 秒)。onshi 独自のパス。医療機関がなければ E8804。",
          params,
          response: { 200: { type: "object", properties: { nonce: { type: "string" }, expiresAt: { type: "string" }, facilityName: { type: "string" } } }, 404: errorBodySchema },
        },
      },
      async (request) => {
        const challenge = await portal.challenge(facilityOf(request));
        return { nonce: challenge.nonce, expiresAt: challenge.expiresAt.toISOString(), facilityName: challenge.facilityName };
      },
    );
    scope.post(
      HOME_CONSENT_PATHS.consent,
      {
        onRequest: verifyCard,
        bodyLimit: BODY_LIMIT_BYTES,
        // The schema documents the body; a violation answers the field's own code, as readHomeConsentRequest does.
        schemaErrorFormatter: codedViolation((field) => FIELD_CODES[field.split(".")[0]!] ?? "E8817"),
        schema: {
          tags: ["居宅同意"],
          summary: "居宅同意: オンライン診療・訪問診療の同意を登録する",
          description:
            `${AUTHORIZATION} body は { treatment: "2" | "3", examinationDate?: YYYYMMDD (オンライン診療の受診予定日、同意日から30日以内), categories: [pharmacists, specificHealthCheckups, diagnosis, operation のうち同意するもの] }。` +
            "カードの保険証利用登録をした本人の同意として記録し、医療機関の一括照会 (OQSmuonq / OQSmuhvq) に載る。onshi 独自のパス。",
          params,
          body: {
            // Other fields are kept (not stripped) for readHomeConsentRequest to refuse with E8817.
            type: "object",
            properties: {
              treatment: { type: "string", enum: ["2", "3"], description: "2 訪問診療 / 3 オンライン診療" },
              examinationDate: { type: "string", description: "オンライン診療の受診予定日 YYYYMMDD (同意日から30日以内)" },
              categories: { type: "array", items: { type: "string", enum: ["pharmacists", "specificHealthCheckups", "diagnosis", "operation"] }, description: "同意する情報" },
            },
          },
          response: { 200: consentSchema, ...errors },
        },
      },
      async (request) => portal.consent(facilityOf(request), holders.get(request)!, readHomeConsentRequest(request.body)),
    );
    scope.delete(
      HOME_CONSENT_PATHS.consent,
      {
        onRequest: verifyCard,
        schema: {
          tags: ["居宅同意"],
          summary: "居宅同意: 同意を取り消す",
          description: `${AUTHORIZATION} ?treatment=2 または 3。この医療機関へのその診療の同意で、今日有効なものを取り消す (なければ E8816)。onshi 独自のパス。`,
          params,
          querystring: { type: "object", properties: { treatment: { type: "string" } } },
          response: { 200: { type: "object", properties: { withdrawn: { type: "integer" } } }, ...errors },
        },
      },
      async (request) => portal.withdraw(facilityOf(request), holders.get(request)!, new URL(request.url, "http://x").searchParams.get("treatment")),
    );
  });
}

/** The card's answer from Authorization, with this route's own code (E8800) when there is none. */
function cardAnswerOrRefuse(authorization: string | undefined): unknown {
  try {
    return cardAnswerOf(authorization);
  } catch (error) {
    if (error instanceof OqsError && error.code === "E7100") throw new OqsError("E8800");
    throw error;
  }
}
