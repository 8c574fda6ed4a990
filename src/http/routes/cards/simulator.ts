// The card and reader simulator over HTTP: the synthetic cards to place on the reader, and a
// card's answer to a challenge after a PIN, a face match (or not) or a staff check by eye. Only
// with `onshi serve --demo` or `--simulator` (routes/card-reader/index.ts), and only with a token.
import type { FastifyInstance } from "fastify";
import type { Authority } from "../../../card/authority.ts";
import type { Db } from "../../../db/client.ts";
import { DEMO_CARD_IDS } from "../../../seed/demo-cards.ts";
import { PORTAL } from "../../../services/access-history.ts";
import { homeRelyingParty } from "../../../services/remote-consent.ts";
import { listSimulatedCards, simulateAnswer } from "../../../services/card-simulator.ts";
import { authenticatedFacility, authenticateFirst } from "../../authenticate-first.ts";
import type { TokenService } from "../../tokens.ts";
import { errorBodySchema, tokenHeaders } from "../../error-body.ts";
import { codedViolation } from "../../framework-errors.ts";

export const SIMULATOR_CARDS_PATH = "/onshi-api/simulator/cards";

// The codes the simulator itself answers: an unknown method E7015, a PIN that is not text E7016, any other field E7032.
const SIMULATOR_CODES: Record<string, "E7015" | "E7016"> = { method: "E7015", pin: "E7016" };

export function registerSimulatorRoutes(app: FastifyInstance, deps: { db: Db; now: () => Date; tokens: TokenService; authority: Authority }): void {
  app.get(
    SIMULATOR_CARDS_PATH,
    {
      onRequest: authenticateFirst(deps.tokens),
      schema: {
        tags: ["カードリーダー"], security: [{ idToken: [] }],
        summary: "シミュレータ: 合成マイナンバーカードの一覧",
        description:
          "開発用 (onshi serve --demo または --simulator のときのみ)。カードを置くのに要るものだけ: 券面の氏名・生年月日、電子証明書の有効期限、" +
          "利用登録・失効の有無、ロックの回数、デモカードかどうか (demo)。住所・セキュリティコード・暗証番号は返さない。",
        headers: tokenHeaders,
        response: {
          200: { type: "object", properties: { cards: { type: "array", items: { type: "object", description: "券面の氏名・生年月日、電子証明書の有効期限、利用登録・失効、ロックの回数、demo", additionalProperties: true } } } },
          401: errorBodySchema,
        },
      },
    },
    async () => ({ cards: await listSimulatedCards(deps.db, DEMO_CARD_IDS) }),
  );

  app.post(
    `${SIMULATOR_CARDS_PATH}/:cardId/answer`,
    {
      onRequest: authenticateFirst(deps.tokens),
      schemaErrorFormatter: codedViolation((field) => SIMULATOR_CODES[field] ?? "E7032"),
      schema: {
        tags: ["カードリーダー"], security: [{ idToken: [] }],
        summary: "シミュレータ: カードをかざしてチャレンジに応答する",
        description:
          '開発用 (onshi serve --demo または --simulator のときのみ)。body は { nonce, method: "pin" | "face" | "visual", pin?, faceMatched? }。暗証番号または顔照合の結果でカードが署名し、顔認証・目視確認では' +
          "この医療機関のカードリーダーが特定機関の鍵で証明 (reader) を付ける。暗証番号の誤りは E7010 (remaining つき)、3 回でロック E7011。",
        headers: tokenHeaders,
        params: { type: "object", properties: { cardId: { type: "string" } } },
        body: {
          type: "object",
          required: ["nonce", "method"],
          properties: {
            nonce: { type: "string", description: "challenge で得た nonce" },
            method: { type: "string", enum: ["pin", "face", "visual"] },
            pin: { type: "string", description: "暗証番号 (method が pin のとき)" },
            faceMatched: { type: "boolean", description: "顔照合の結果 (method が face のとき)" },
          },
        },
        response: {
          200: { type: "object", properties: { answer: { type: "object", description: "カードの応答: verify の body の answer にそのまま渡す", additionalProperties: true } } },
          400: errorBodySchema,
          401: errorBodySchema,
          404: errorBodySchema,
          423: errorBodySchema,
        },
      },
    },
    async (request) => {
      const facility = authenticatedFacility(request);
      const { cardId } = request.params as { cardId: string };
      return { answer: await simulateAnswer(deps.db, deps.authority, facility, cardId, request.body, deps.now()) };
    },
  );

  // The card at the patient's home, for the 閲覧履歴 (routes/portal): no facility and so no token, a PIN only.
  app.post(
    `${SIMULATOR_CARDS_PATH}/:cardId/portal-answer`,
    {
      schemaErrorFormatter: codedViolation((field) => SIMULATOR_CODES[field] ?? "E7032"),
      schema: {
        tags: ["閲覧履歴"],
        summary: "シミュレータ: 自宅でカードに暗証番号を入れて閲覧履歴のチャレンジに応答する",
        description:
          "開発用 (onshi serve --demo または --simulator のときのみ)。body は { nonce, pin }。nonce は /onshi-api/portal/challenge のもの。" +
          "カードが暗証番号を確かめて署名した応答 (answer) を返す。閲覧履歴の Authorization: OnshiCard <answer の JSON の base64url> に使う。暗証番号の誤りは E7010、3 回でロック E7011。",
        params: { type: "object", properties: { cardId: { type: "string" } } },
        body: {
          type: "object",
          required: ["nonce", "pin"],
          properties: { nonce: { type: "string", description: "閲覧履歴のチャレンジの nonce" }, pin: { type: "string", description: "暗証番号" } },
        },
        response: { 200: { type: "object", properties: { answer: { type: "object", additionalProperties: true } } }, 400: errorBodySchema, 404: errorBodySchema, 423: errorBodySchema },
      },
    },
    async (request) => {
      const { cardId } = request.params as { cardId: string };
      const { nonce, pin } = request.body as { nonce: string; pin: string };
      return { answer: await simulateAnswer(deps.db, deps.authority, PORTAL, cardId, { nonce, method: "pin", pin }, deps.now()) };
    },
  );

  // The card on the patient's own device, for a consent to a facility's オンライン診療・訪問診療 (routes/portal/home-consent.ts).
  app.post(
    `${SIMULATOR_CARDS_PATH}/:cardId/home-answer`,
    {
      schemaErrorFormatter: codedViolation((field) => SIMULATOR_CODES[field] ?? "E7032"),
      schema: {
        tags: ["居宅同意"],
        summary: "シミュレータ: 自宅でカードに暗証番号を入れて居宅同意のチャレンジに応答する",
        description:
          "開発用 (onshi serve --demo または --simulator のときのみ)。body は { nonce, pin, facilityCode }。nonce は /onshi-api/home-consent/{facilityCode}/challenge のもの。" +
          "カードが暗証番号を確かめて署名した応答 (answer) を返す。居宅同意の Authorization: OnshiCard <answer の JSON の base64url> に使う。暗証番号の誤りは E7010、3 回でロック E7011。",
        params: { type: "object", properties: { cardId: { type: "string" } } },
        body: {
          type: "object",
          required: ["nonce", "pin", "facilityCode"],
          properties: {
            nonce: { type: "string", description: "居宅同意のチャレンジの nonce" },
            pin: { type: "string", description: "暗証番号" },
            facilityCode: { type: "string", description: "同意する医療機関のコード" },
          },
        },
        response: { 200: { type: "object", properties: { answer: { type: "object", additionalProperties: true } } }, 400: errorBodySchema, 404: errorBodySchema, 423: errorBodySchema },
      },
    },
    async (request) => {
      const { cardId } = request.params as { cardId: string };
      const { nonce, pin, facilityCode } = request.body as { nonce: string; pin: string; facilityCode: string };
      return { answer: await simulateAnswer(deps.db, deps.authority, homeRelyingParty(facilityCode), cardId, { nonce, method: "pin", pin }, deps.now()) };
    },
  );
}
