// Sends an answer tree as the WebAPI's JSON, or as XML in a given charset, with the HTTP status
// of its error (if any).
import type { FastifyReply } from "fastify";
import { treeToJson } from "../codec/json.ts";
import type { Charset } from "../codec/xml.ts";
import { encodeAnswer } from "../oqs/answer-encoding.ts";
import { ERROR_CODES, OqsError, type ErrorCode } from "../errors/catalogue.ts";
import type { XmlTree } from "../oqs/message-tree.ts";
import { failureMessage } from "../services/pipeline/index.ts";
import type { Answer, OqsContext } from "../services/pipeline/types.ts";
import { noteAnswer } from "./request-log.ts";
import { retryAfter } from "./retry-after.ts";

export function sendAnswer(reply: FastifyReply, answer: Answer, xmlCharset?: Charset) {
  if (answer.cause) {
    // An outage is the operator's to see once, not a stack trace per request.
    if (answer.error === "E9002") reply.log.warn({ err: String(answer.cause) }, "データベースに接続できません (E9002)");
    else reply.log.error({ err: answer.cause }, "電文の処理で予期しないエラーが発生しました (E9001)");
  }
  noteAnswer(reply, { result: answer.error ?? "OK" });
  retryAfter(reply, answer.error).code(answer.error ? ERROR_CODES[answer.error].http : 200);
  // A PDF answer (薬剤・特定健診) is the document itself; its refusal is the XmlMsg like any other.
  if (answer.pdf && !answer.error) return reply.type("application/pdf").send(answer.pdf);
  if (!xmlCharset) return reply.send(treeToJson(answer.message));
  const { bytes, charset } = encodeAnswer(answer.message, xmlCharset);
  return reply.type(`application/xml; charset=${charset}`).serializer((b) => b as string).send(bytes);
}

export function oqsErrorReply(
  reply: FastifyReply,
  oqs: Pick<OqsContext, "characterCode" | "now">,
  code: ErrorCode,
  element?: string,
  xmlCharset?: Charset,
) {
  const message = failureMessage(undefined, oqs, oqs.now(), new OqsError(code, element));
  return sendAnswer(reply, { message, error: code }, xmlCharset);
}
