// Every OQS message route: the idToken is checked before the body is read (authenticateMessage,
// its onRequest hook), then the body decodes the XmlMsg (JSON, or XML in UTF-8 / Shift_JIS
// answered in the same charset), hands the tree to the message's handler
// (services/message-handlers.ts) and sends its answer. Bad input gets the protocol's error
// codes, never an exception.
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { CodecError } from "../codec/errors.ts";
import { jsonToTree } from "../codec/json.ts";
import { charsetNamed, decodeXml, identifierOf, type Charset } from "../codec/xml.ts";
import { CODEC_ERROR_CODES } from "../oqs/codec-error-codes.ts";
import type { ErrorCode } from "../errors/catalogue.ts";
import type { XmlTree } from "../oqs/message-tree.ts";
import type { MessageHandler } from "../services/message-handlers.ts";
import { authenticateFirst, authenticatedFacility } from "./authenticate-first.ts";
import { oqsErrorReply, sendAnswer } from "./oqs-reply.ts";
import type { ServerDeps } from "./server.ts";

/** Lets routes take application/xml bodies as bytes (registered once per server). */
export function acceptXmlBodies(app: FastifyInstance): void {
  if (app.hasContentTypeParser("application/xml")) return;
  app.addContentTypeParser(["application/xml", "text/xml"], { parseAs: "buffer" }, (_request, body, done) => done(null, body));
}

/**
 * The onRequest hook of every message route. The body is not read yet, so a refusal is answered
 * as the request is sent: XML (in the charset its Content-Type names) for an XML body, else JSON.
 */
export function authenticateMessage({ oqs, tokens }: Pick<ServerDeps, "oqs" | "tokens">): onRequestAsyncHookHandler {
  return authenticateFirst(tokens, (request, reply, error) => {
    const [type = "", ...params] = (request.headers["content-type"] ?? "").split(";").map((part) => part.trim().toLowerCase());
    const named = params.find((param) => param.startsWith("charset="))?.slice("charset=".length).replace(/"/g, "");
    const xmlCharset = type === "application/xml" || type === "text/xml" ? (named && charsetNamed(named)) || "UTF-8" : undefined;
    return oqsErrorReply(reply, { now: oqs.now, characterCode: identifierOf(xmlCharset ?? "UTF-8") }, error.code, undefined, xmlCharset);
  });
}

export async function answerMessageRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  { oqs }: ServerDeps,
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
    if (error instanceof CodecError) return fail(CODEC_ERROR_CODES[error.code], error.element);
    throw error;
  }
  const answer = await handler.answer({ ...oqs, characterCode: identifierOf(charset) }, tree, { authorizedFacility: authenticatedFacility(request) });
  return sendAnswer(reply, answer, isXml ? charset : undefined);
}
