// Sends an answer tree as the WebAPI's JSON, or as XML in a given charset, with the HTTP status
// of its error (if any).
import type { FastifyReply } from "fastify";
import { CodecError } from "../codec/errors.ts";
import { treeToJson } from "../codec/json.ts";
import { encodeXml, type Charset } from "../codec/xml.ts";
import { ERROR_CODES, OqsError, type ErrorCode } from "../oqs/error-codes.ts";
import type { XmlTree } from "../oqs/message-tree.ts";
import { failureMessage, type Answer, type OqsContext } from "../services/qualification-check.ts";

export function sendAnswer(reply: FastifyReply, answer: Answer, xmlCharset?: Charset) {
  if (answer.cause) reply.log.error({ err: answer.cause }, "qualification check failed");
  reply.code(answer.error ? ERROR_CODES[answer.error].http : 200);
  if (!xmlCharset) return reply.send(treeToJson(answer.message));
  const { bytes, charset } = encodeForReply(answer.message, xmlCharset);
  return reply.type(`application/xml; charset=${charset}`).serializer((b) => b as string).send(bytes);
}

/** A name Shift_JIS cannot carry (e.g. 𠮷) must not cost the answer: it goes out in UTF-8. */
function encodeForReply(message: XmlTree, charset: Charset): { bytes: Buffer; charset: Charset } {
  try {
    return { bytes: encodeXml(message, charset), charset };
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    const root = message.XmlMsg as XmlTree;
    const header = { ...(root.MessageHeader as XmlTree), CharacterCodeIdentifier: "0" };
    return { bytes: encodeXml({ XmlMsg: { ...root, MessageHeader: header } }, "UTF-8"), charset: "UTF-8" };
  }
}

export function oqsErrorReply(
  reply: FastifyReply,
  oqs: Pick<OqsContext, "characterCode" | "now">,
  code: ErrorCode,
  element?: string,
  xmlCharset?: Charset,
) {
  const message = failureMessage(oqs, oqs.now(), new OqsError(code, element), undefined);
  return sendAnswer(reply, { message, error: code }, xmlCharset);
}
