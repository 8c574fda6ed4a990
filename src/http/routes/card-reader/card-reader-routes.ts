// The reader's protocol with the server (scratch/contract5.md, docs/card-reader.md): challenge,
// verify, 保険証利用登録 and completion, for the facility of the idToken.
import type { FastifyInstance } from "fastify";
import { treeToJson } from "../../../codec/json.ts";
import type { CardReader } from "../../../services/card-reader.ts";
import { authenticatedFacility, authenticateFirst } from "../../authenticate-first.ts";
import type { TokenService } from "../../tokens.ts";
import { errorBodySchema, tokenHeaders } from "../../error-body.ts";
import { codedViolation } from "../../framework-errors.ts";

export const READER_PATHS = {
  challenge: "/onshi-api/reader/challenge",
  verify: "/onshi-api/reader/verify",
  registration: "/onshi-api/reader/registration",
  complete: "/onshi-api/reader/complete",
} as const;

// A body that breaks its schema is E7032 naming the field (a 処方箋 choice of the wrong type E8004, as the service says).
const schemaErrorFormatter = codedViolation((field) => (field === "prescriptionIssueSelect" ? "E8004" : "E7032"));
const session = { type: "string", description: "verify で得た受付セッション" } as const;
const holder = {
  type: "object",
  description: "券面の氏名・生年月日 (表示用)",
  additionalProperties: true,
} as const;

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 410: errorBodySchema };

export function registerReaderRoutes(app: FastifyInstance, tokens: TokenService, reader: CardReader): void {
  app.post(
    READER_PATHS.challenge,
    {
      onRequest: authenticateFirst(tokens),
      schemaErrorFormatter,
      schema: {
        tags: ["カードリーダー"], security: [{ idToken: [] }],
        summary: "カードリーダー: チャレンジの発行",
        description: "カードに署名させる使い捨てのチャレンジ (nonce, 60 秒) を返す。onshi 独自のパス (実機とサーバの通信仕様は公開されていない)。",
        headers: tokenHeaders,
        response: { 200: { type: "object", properties: { nonce: { type: "string" }, expiresAt: { type: "string" } } }, ...errors },
      },
    },
    async (request) => {
      const challenge = reader.challenge(authenticatedFacility(request));
      return { nonce: challenge.nonce, expiresAt: challenge.expiresAt.toISOString() };
    },
  );

  app.post(
    READER_PATHS.verify,
    {
      onRequest: authenticateFirst(tokens),
      schemaErrorFormatter,
      schema: {
        tags: ["カードリーダー"], security: [{ idToken: [] }],
        summary: "カードリーダー: カードの応答の検証と受付セッションの開始",
        description:
          "body は { answer } (シミュレータの応答そのまま)。チャレンジ、電子証明書の発行元・有効期間・失効、カードの署名を検証し、顔認証・目視確認では" +
          "この医療機関のカードリーダーの特定機関証明も検証する。5 分間有効の受付セッション、利用登録の有無、表示する氏名・生年月日、同意画面の項目を返す。" +
          "電子証明書の期限切れから 3 か月以内は scope qualification-only と警告 E7050。",
        headers: tokenHeaders,
        body: { type: "object", required: ["answer"], properties: { answer: { type: "object", description: "シミュレータ (またはカード) の応答" } } },
        response: {
          200: {
            type: "object",
            properties: {
              session,
              expiresAt: { type: "string", description: "受付セッションの期限 (5 分)" },
              method: { type: "string", enum: ["pin", "face", "visual"] },
              scope: { type: "string", enum: ["full", "qualification-only"] },
              warning: errorBodySchema,
              registered: { type: "boolean", description: "保険証利用登録の有無" },
              holder,
              consent: { type: "object", description: "同意画面の項目", properties: { offered: { type: "array", items: { type: "object", additionalProperties: true } }, prescription: { type: "boolean" } } },
            },
          },
          ...errors,
        },
      },
    },
    async (request) => reader.verify(authenticatedFacility(request), request.body),
  );

  app.post(
    READER_PATHS.registration,
    {
      onRequest: authenticateFirst(tokens),
      schemaErrorFormatter,
      schema: {
        tags: ["カードリーダー"], security: [{ idToken: [] }],
        summary: "カードリーダー: 保険証利用登録",
        description: "body は { session }。暗証番号で確認したセッションでのみ、カードの電子証明書をカードの持ち主の資格に結び付ける。",
        headers: tokenHeaders,
        body: { type: "object", required: ["session"], properties: { session } },
        response: { 200: { type: "object", properties: { registered: { type: "boolean", enum: [true] }, holder } }, ...errors },
      },
    },
    async (request) => reader.register(authenticatedFacility(request), request.body),
  );

  app.post(
    READER_PATHS.complete,
    {
      onRequest: authenticateFirst(tokens),
      schemaErrorFormatter,
      schema: {
        tags: ["カードリーダー"], security: [{ idToken: [] }],
        summary: "カードリーダー: 同意の登録と受付完了",
        description:
          'body は { session, consent: { "pharmacists": true, … }, prescriptionIssueSelect?: "1" | "2" }。同意を記録し (資格確認のみの場合は記録しない)、' +
          "face フォルダに OQSsiquc01res_face_….xml を書き、利用者リストに追加する。応答は { faceFile, result (XmlMsg、WebAPI と同じ JSON 表現), user }。",
        headers: tokenHeaders,
        body: {
          type: "object",
          required: ["session"],
          properties: {
            session,
            consent: { type: "object", additionalProperties: { type: "boolean" }, description: "同意した項目 (pharmacists など) に true" },
            prescriptionIssueSelect: { type: "string", description: "処方箋の発行形態 1 紙 / 2 電子" },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              faceFile: { type: "string", description: "face フォルダに書いたファイル名" },
              result: { type: "object", description: "資格確認結果 (XmlMsg、WebAPI と同じ JSON 表現)", additionalProperties: true },
              user: { type: "object", description: "利用者リストに追加した項目", additionalProperties: true },
            },
            additionalProperties: true,
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const outcome = await reader.complete(authenticatedFacility(request), request.body);
      // The face result in the WebAPI's JSON rendering, as every XmlMsg onshi's routes answer.
      return { ...outcome, result: treeToJson(outcome.result) };
    },
  );
}
