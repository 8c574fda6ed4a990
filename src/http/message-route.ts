// Every OQS message route: the idToken is checked before the body is read (authenticateMessage,
// its onRequest hook), then the body (JSON, or XML in UTF-8 / Shift_JIS answered in the same
// charset) goes through the message pipeline (services/pipeline) and its answer is sent. Bad
// input gets the protocol's error codes, never an exception.
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { charsetNamed, identifierOf } from "../codec/xml.ts";
import { MESSAGE_SCHEMAS } from "../oqs/messages/index.ts";
import { handle, type MessageKind } from "../services/pipeline/index.ts";
import { authenticateFirst, authenticatedFacility } from "./authenticate-first.ts";
import { oqsErrorReply, sendAnswer } from "./oqs-reply.ts";
import type { ServerDeps } from "./server-deps.ts";

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

export async function answerMessageRequest(request: FastifyRequest, reply: FastifyReply, { oqs }: ServerDeps, kind: MessageKind) {
  const body = request.body;
  const input = Buffer.isBuffer(body) ? { xml: body } : { json: body };
  const answer = await handle(kind, input, { authorizedFacility: authenticatedFacility(request), channel: "webapi", transport: "webapi" }, oqs);
  return sendAnswer(reply, answer, Buffer.isBuffer(body) ? (answer.charset ?? "UTF-8") : undefined);
}

/** The OpenAPI tags of onshi's routes, in the page's order. */
export const OPENAPI_TAGS = ["資格確認", "一括照会", "照会番号", "薬剤・特定健診", "カードリーダー", "閲覧履歴", "居宅同意", "医療扶助", "医療費助成", "補助金", "マイナ保険証利用率"] as const;

/**
 * A message route's OpenAPI description, from its kind's schemas: the request (with an example
 * that works against the demo data), the answer for every status (a failure is the same
 * envelope with SegmentOfResult 9), the idToken security scheme.
 */
export function messageRouteSchema(
  kind: MessageKind,
  doc: { summary: string; description: string; tag: (typeof OPENAPI_TAGS)[number]; example: unknown; statuses: readonly number[] },
) {
  const { request, answer } = MESSAGE_SCHEMAS[kind];
  return {
    summary: doc.summary,
    description: doc.description,
    tags: [doc.tag],
    security: [{ idToken: [] }],
    body: { ...request.schema, example: doc.example },
    response: Object.fromEntries([200, 400, 401, 403, ...doc.statuses].map((status) => [status, answer])),
  };
}
