// What the server logs of a request: one line at info once it is answered (facility, route, result
// code, HTTP status, milliseconds), and at debug one as it arrives (method, route, client address,
// length). Never a URL as sent: a query string can carry a token a client put there by mistake,
// and a path a card's number (the simulator's /cards/:cardId); the route's pattern holds neither.
// Headers, the Authorization header with them, and bodies are never logged.
import { LogController, type FastifyReply, type FastifyRequest } from "fastify";
import type { AnswerFields } from "./log-output.ts";

const noted = new WeakMap<FastifyRequest, { facility?: string; result?: string }>();

/** Tells the request's line what its hooks and handler know: the token's or login's facility, the error code answered. */
export function noteAnswer(reply: FastifyReply, note: { facility?: string; result?: string }): void {
  noted.set(reply.request, { ...noted.get(reply.request), ...note });
}

/** The route as registered (`GET /onshi-api/simulator/cards/:cardId`); a URL no route has is not repeated (it may hold a card's number too). */
function routeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? "(該当するURLなし)"}`;
}

/**
 * Fastify's request logging, as onshi's lines: Fastify's own (two a request, with the URL as sent,
 * and its 404 and error lines) are off; these two are logged whatever the level allows.
 */
export class RequestLog extends LogController {
  constructor() {
    super({ disableRequestLogging: true });
  }

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ route: routeOf(request), remoteAddress: request.ip, bytes: request.headers["content-length"] }, "受信しました");
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const note = noted.get(request);
    const status = reply.statusCode;
    const line: AnswerFields = {
      facility: note?.facility,
      kind: routeOf(request),
      result: note?.result ?? (status < 400 ? "OK" : `HTTP${status}`),
      status,
      ms: Math.round(reply.elapsedTime),
    };
    // An error here is the response's own (the client went away mid-answer), not a refusal.
    if (error) request.log.warn({ ...line, err: error }, "応答を送り終えられませんでした");
    else request.log.info(line, "応答しました");
  }
}
