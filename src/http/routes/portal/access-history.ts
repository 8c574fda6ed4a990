// The patient's own 閲覧履歴 over HTTP, under paths of onshi's own (マイナポータル's interface is
// not public): a challenge, then a GET carrying the card's signed answer in Authorization. The
// answer is checked in onRequest, before anything else of the request is looked at.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { CardAnswer } from "../../../card/answer.ts";
import type { Db } from "../../../db/client.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { AccessHistoryPortal, type AccessHistory } from "../../../services/access-history.ts";
import { answerWithErrorBodies, errorBodySchema } from "../../error-body.ts";

export const PORTAL_PATHS = {
  challenge: "/onshi-api/portal/challenge",
  accessHistory: "/onshi-api/portal/access-history",
} as const;

/** `Authorization: OnshiCard <base64url of the answer's JSON>`; the answer's certificate makes it about 2 KB. */
const SCHEME = "OnshiCard ";
const MAX_AUTHORIZATION = 8192;

/** The card's answer the header carries; E7100 when there is none or it does not decode. */
export function cardAnswerOf(authorization: string | undefined): Partial<Record<keyof CardAnswer, unknown>> {
  if (!authorization?.startsWith(SCHEME) || authorization.length > MAX_AUTHORIZATION) throw new OqsError("E7100");
  try {
    const answer: unknown = JSON.parse(Buffer.from(authorization.slice(SCHEME.length), "base64url").toString("utf8"));
    if (typeof answer === "object" && answer !== null && !Array.isArray(answer)) return answer as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new OqsError("E7100");
}

const histories = new WeakMap<FastifyRequest, Promise<AccessHistory>>();
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 410: errorBodySchema };

export async function registerPortalRoutes(app: FastifyInstance, deps: { db: Db; now: () => Date }): Promise<void> {
  const portal = await AccessHistoryPortal.open(deps.db, deps.now);
  await app.register(async (scope) => {
    answerWithErrorBodies(scope);
    scope.post(
      PORTAL_PATHS.challenge,
      {
        schema: {
          tags: ["閲覧履歴"],
          summary: "閲覧履歴: 本人確認のチャレンジの発行",
          description: "マイナンバーカードに暗証番号で署名させる使い捨てのチャレンジ (nonce, 60 秒)。onshi 独自のパス (マイナポータルの仕様は公開されていない)。",
          response: { 200: { type: "object", properties: { nonce: { type: "string" }, expiresAt: { type: "string" } } } },
        },
      },
      async () => {
        const challenge = portal.challenge();
        return { nonce: challenge.nonce, expiresAt: challenge.expiresAt.toISOString() };
      },
    );
    scope.get(
      PORTAL_PATHS.accessHistory,
      {
        // The card's answer is verified (and its challenge spent) before the query is read.
        onRequest: async (request, reply) => {
          const history = portal.read(cardAnswerOf(request.headers.authorization), rangeOf(request));
          histories.set(request, history);
          try {
            await history;
          } catch (error) {
            reply.header("connection", "close");
            throw error;
          }
        },
        schema: {
          tags: ["閲覧履歴"],
          summary: "閲覧履歴: 自分の薬剤・特定健診・診療・手術情報を閲覧した医療機関等の一覧",
          description:
            "Authorization: OnshiCard <カードの応答 (nonce, method: pin, certificate, signature) の JSON を base64url で>。" +
            "チャレンジは /onshi-api/portal/challenge のもの。カードの保険証利用登録をした本人の履歴だけを、新しい順に最大 500 件返す (more: さらに古いものがある)。" +
            "from / to (YYYY-MM-DD、日本時間、両端を含む) で期間を絞る。onshi 独自のパス。",
          querystring: { type: "object", properties: { from: { type: "string", description: "YYYY-MM-DD" }, to: { type: "string", description: "YYYY-MM-DD" } } },
          response: {
            200: {
              type: "object",
              properties: {
                from: { type: ["string", "null"] },
                to: { type: ["string", "null"] },
                more: { type: "boolean" },
                entries: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      date: { type: "string", description: "閲覧日 (日本時間)" },
                      at: { type: "string" },
                      facilityCode: { type: "string" },
                      facilityName: { type: ["string", "null"], description: "医療機関等の名称" },
                      categories: { type: "array", items: { type: "string" }, description: "閲覧された情報 (薬剤情報・特定健診情報・診療情報・手術情報)" },
                      disaster: { type: "boolean", description: "災害時の閲覧 (カードなし)" },
                    },
                  },
                },
              },
            },
            ...errors,
          },
        },
      },
      async (request) => histories.get(request)!,
    );
  });
}

/** from/to as given (one value each; E7104 for anything else), checked by the service. */
function rangeOf(request: FastifyRequest): { from?: string; to?: string } {
  const query = new URL(request.url, "http://x").searchParams;
  const one = (name: string) => {
    const values = query.getAll(name);
    if (values.length > 1) throw new OqsError("E7104", name);
    return values[0];
  };
  return { from: one("from"), to: one("to") };
}
