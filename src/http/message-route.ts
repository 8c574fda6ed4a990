// The body of every OQS message route: decode the XmlMsg (JSON, or XML in UTF-8 / Shift_JIS
// answered in the same charset), authenticate the idToken, hand the tree to the message's
// handler (services/message-handlers.ts) and send its answer. Bad input gets the protocol's
// error codes, never an exception.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CodecError } from "../codec/errors.ts";
import { jsonToTree } from "../codec/json.ts";
import { decodeXml, identifierOf, type Charset } from "../codec/xml.ts";
import { CODEC_ERROR_CODES } from "../oqs/codec-error-codes.ts";
import { OqsError, type ErrorCode } from "../oqs/error-codes.ts";
import type { XmlTree } from "../oqs/message-tree.ts";
import type { MessageHandler } from "../services/message-handlers.ts";
import { oqsErrorReply, sendAnswer } from "./oqs-reply.ts";
import type { ServerDeps } from "./server.ts";

/** Lets routes take application/xml bodies as bytes (registered once per server). */
export function acceptXmlBodies(app: FastifyInstance): void {
  if (app.hasContentTypeParser("application/xml")) return;
  app.addContentTypeParser(["application/xml", "text/xml"], { parseAs: "buffer" }, (_request, body, done) => done(null, body));
}

export async function answerMessageRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  { oqs, tokens }: ServerDeps,
  handler: Pick<MessageHandler, "answer" | "bulk">,
) {
  const isXml = Buffer.isBuffer(request.body);
  let charset: Charset = "UTF-8";
  const fail = (code: ErrorCode, element?: string) =>
    oqsErrorReply(reply, { now: oqs.now, characterCode: identifierOf(charset) }, code, element, isXml ? charset : undefined);
  let tree: XmlTree;
  try {
    if (isXml) {
      const decoded = decodeXml(request.body as Buffer, { bulk: handler.bulk });
      charset = decoded.charset;
      tree = decoded.tree;
    } else {
      tree = jsonToTree(request.body, { bulk: handler.bulk });
    }
  } catch (error) {
    if (error instanceof CodecError) return fail(CODEC_ERROR_CODES[error.code], error.code === "JSON_SHAPE" ? error.detail.split(" ")[0] : undefined);
    throw error;
  }
  let facility: string;
  try {
    facility = await tokens.verify(request.headers.authorization);
  } catch (error) {
    if (error instanceof OqsError) return fail(error.code);
    throw error;
  }
  const answer = await handler.answer({ ...oqs, characterCode: identifierOf(charset) }, tree, { authorizedFacility: facility });
  return sendAnswer(reply, answer, isXml ? charset : undefined);
}
