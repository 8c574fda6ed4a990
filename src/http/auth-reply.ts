// The auth routes' own answer shape, `{status: "NG", errorCode, msg}` (the real auth API's
// `{status, msg}`), for every refusal: the route's own, the certificate check's, and what Fastify
// refuses before the handler runs (malformed JSON, a body too large, a wrong Content-Type).
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { ERROR_CODES, errorMessage, type ErrorCode } from "../errors/catalogue.ts";
import { frameworkErrorCode } from "./framework-errors.ts";
import { noteAnswer } from "./request-log.ts";
import { retryAfter } from "./retry-after.ts";

export function sendAuthRefusal(reply: FastifyReply, code: ErrorCode, element?: string) {
  noteAnswer(reply, { result: code });
  return retryAfter(reply, code).code(ERROR_CODES[code].http).send({ status: "NG", errorCode: code, msg: errorMessage(code, element) });
}

/** The error handler of the auth routes' scope. */
export function answerAuthRefusals(scope: FastifyInstance): void {
  scope.setErrorHandler((error: FastifyError, request, reply) => {
    const code = frameworkErrorCode(error);
    if (code === "E9001") request.log.error(error);
    return sendAuthRefusal(reply, code);
  });
}
