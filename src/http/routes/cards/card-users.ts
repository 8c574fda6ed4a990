// The 利用者リスト on the reception side: a day's card users as JSON, and a live stream of them
// (server-sent events) that resumes from Last-Event-ID. The stream takes the idToken in the
// Authorization header only, like every other route: a token in a URL ends up in access logs,
// proxies and browser history. (EventSource cannot set headers, so the reception page reads the
// stream with fetch.) An open stream ends when its token expires.
import type { FastifyInstance } from "fastify";
import { decodeJwt } from "jose";
import { isValidYyyymmdd, jstDate, yyyymmddToIso } from "../../../domain/dates.ts";
import type { Db } from "../../../db/client.ts";
import { errorMessage, OqsError } from "../../../errors/catalogue.ts";
import type { CardUserFeed } from "../../../services/card-user-feed.ts";
import { listCardUsers } from "../../../store/card-user-store.ts";
import type { TokenService } from "../../tokens.ts";
import { authenticatedFacility, authenticateFirst, tokenFacility } from "../../authenticate-first.ts";
import { errorBodySchema, tokenHeaders } from "../../error-body.ts";
import { codedViolation } from "../../framework-errors.ts";

export const CARD_USERS_PATH = "/onshi-api/card-users";
export const CARD_USERS_STREAM_PATH = "/onshi-api/card-users/stream";
export const HEARTBEAT_MS = 15_000;

export function registerCardUserRoutes(app: FastifyInstance, deps: { db: Db; now: () => Date; tokens: TokenService; feed: CardUserFeed }): void {
  app.get(
    CARD_USERS_PATH,
    {
      // The token before the query: a caller without one learns nothing, not even that a date is wrong.
      onRequest: authenticateFirst(deps.tokens),
      schemaErrorFormatter: codedViolation("E1008"),
      schema: {
        tags: ["カードリーダー"], security: [{ idToken: [] }],
        summary: "利用者リスト (その日のマイナ保険証の利用者)",
        description: "?date=YYYY-MM-DD (既定は今日, 日本時間)。この医療機関で受付が完了したカード確認を古い順に返す。",
        headers: tokenHeaders,
        querystring: { type: "object", properties: { date: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "YYYY-MM-DD" } } },
        response: {
          200: {
            type: "object",
            properties: { date: { type: "string" }, users: { type: "array", items: { type: "object", description: "受付が完了したカード確認", additionalProperties: true } } },
          },
          400: errorBodySchema,
          401: errorBodySchema,
        },
      },
    },
    async (request) => {
      const facility = authenticatedFacility(request);
      const { date } = request.query as { date?: unknown };
      const day = date === undefined ? yyyymmddToIso(jstDate(deps.now())) : date;
      // The schema holds the form; the calendar is checked here (2025-02-30 has the form).
      if (typeof day !== "string" || !isValidYyyymmdd(day.replaceAll("-", ""))) throw new OqsError("E1008", "date");
      return { date: day, users: await listCardUsers(deps.db, facility, day) };
    },
  );

  // Open streams, ended when the server closes (a stream never ends by itself).
  const streams = new Set<AbortController>();
  app.addHook("preClose", async () => {
    for (const stream of streams) stream.abort();
  });

  app.get(
    CARD_USERS_STREAM_PATH,
    {
      schema: {
        tags: ["カードリーダー"], security: [{ idToken: [] }],
        summary: "利用者リストのライブ配信 (server-sent events)",
        description:
          "接続すると今日の利用者を、その後は新しい利用者を event: card-user (id: 連番, data: 利用者の JSON) で送る。Last-Event-ID の続きから再開する。" +
          "15 秒ごとにコメント行を送る。idToken は Authorization ヘッダでのみ受け付ける (URL には載せない)。idToken の有効期限が来ると " +
          "event: token-expired (data: E2003 の JSON) を送って終わる。",
        headers: tokenHeaders,
        response: { 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const facility = await tokenFacility(deps.tokens, request);
      const expiresAt = tokenExpiry(request.headers.authorization!);
      const lastId = Number(request.headers["last-event-id"] ?? 0);
      const after = Number.isSafeInteger(lastId) && lastId > 0 ? lastId : 0;

      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" });
      out.write("retry: 3000\n\n");
      const stream = new AbortController();
      streams.add(stream);
      out.on("close", () => stream.abort());
      const heartbeat = setInterval(() => out.write(": heartbeat\n\n"), HEARTBEAT_MS);
      try {
        for await (const entry of deps.feed.follow(facility, after, stream.signal, expiresAt)) {
          out.write(`event: card-user\nid: ${entry.sequence}\ndata: ${JSON.stringify(entry)}\n\n`);
        }
        // The token expired: said so, then the stream ends (the client signs in again and reconnects).
        if (!stream.signal.aborted) out.write(`event: token-expired\ndata: ${JSON.stringify({ code: "E2003", message: errorMessage("E2003") })}\n\n`);
      } catch (error) {
        if (!stream.signal.aborted) request.log.error({ err: error }, "利用者リストの配信でエラーが発生しました");
      } finally {
        clearInterval(heartbeat);
        streams.delete(stream);
        out.end();
      }
    },
  );
}

/** When a verified token expires (its exp claim; verify has checked the signature). */
function tokenExpiry(authorization: string): Date {
  const { exp } = decodeJwt(authorization.replace(/^Bearer\s+/i, "").trim());
  return new Date(exp! * 1000);
}
