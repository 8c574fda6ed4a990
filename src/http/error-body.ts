// Answers of onshi's own JSON routes (card reader, simulator, 利用者リスト, 補助金): an error body
// `{ code, message, remaining? }` with the code's HTTP status, for every refusal, including
// malformed JSON and bodies of the wrong type; a database that cannot be reached is E9002 with
// Retry-After; anything else unexpected is E9001 and logged.
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { CardCheckRefused } from "../card/chip.ts";
import { ERROR_CODES, OqsError, type ErrorCode } from "../errors/catalogue.ts";
import { frameworkErrorCode } from "./framework-errors.ts";
import { noteAnswer } from "./request-log.ts";
import { retryAfter } from "./retry-after.ts";

/** Not the message core's Problem (a violation in a message): the body of a refused JSON call. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  remaining?: number;
}

export function errorBodyOf(error: OqsError): ErrorBody {
  return { code: error.code, message: error.message, ...(error instanceof CardCheckRefused ? { remaining: error.remaining } : {}) };
}

export function sendErrorBody(reply: FastifyReply, error: OqsError) {
  noteAnswer(reply, { result: error.code });
  return retryAfter(reply, error.code).code(ERROR_CODES[error.code].http).type("application/json; charset=utf-8").send(errorBodyOf(error));
}

/** The error handler of a scope of JSON routes. */
export function answerWithErrorBodies(scope: FastifyInstance): void {
  scope.setErrorHandler((error: FastifyError | OqsError, request, reply) => {
    if (error instanceof OqsError) return sendErrorBody(reply, error);
    const code = frameworkErrorCode(error);
    if (code === "E9001") request.log.error(error);
    if (code === "E9002") request.log.warn({ err: String(error) }, "データベースに接続できません (E9002)");
    return sendErrorBody(reply, new OqsError(code));
  });
}

export const errorBodySchema = {
  type: "object",
  properties: {
    code: { type: "string", description: "エラーコード (docs/error-codes.md)" },
    message: { type: "string", description: "日本語のメッセージ" },
    remaining: { type: "integer", description: "ロックまでの残り回数 (E7010 / E7012)" },
  },
} as const;

export const tokenHeaders = { type: "object", properties: { authorization: { type: "string", description: "auth で得た idToken" } } } as const;
