// The idToken is checked in onRequest, before Fastify reads or parses the body: a caller without
// a valid token costs a header check, never the decoding of a 60 MB upload. The refusal closes
// the connection, so the unread rest of the body is not even received.
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { OqsError } from "../errors/catalogue.ts";
import { noteAnswer } from "./request-log.ts";
import { certificateThumbprint } from "./tls.ts";
import type { TokenService } from "./tokens.ts";

const facilities = new WeakMap<FastifyRequest, string>();

/**
 * The onRequest hook of a route that takes a token. `refuse` answers in the route's own shape;
 * without it the OqsError goes to the scope's error handler.
 */
export function authenticateFirst(
  tokens: TokenService,
  refuse?: (request: FastifyRequest, reply: FastifyReply, error: OqsError) => unknown,
): onRequestAsyncHookHandler {
  return async (request, reply) => {
    try {
      const facility = await tokenFacility(tokens, request);
      facilities.set(request, facility);
      noteAnswer(reply, { facility });
    } catch (error) {
      if (!(error instanceof OqsError)) throw error;
      reply.header("connection", "close");
      if (!refuse) throw error;
      await refuse(request, reply, error);
      return reply;
    }
  };
}

/** The facility of the request's idToken (a certificate-bound one only over its certificate); E2002–E2004 otherwise. */
export function tokenFacility(tokens: TokenService, request: FastifyRequest): Promise<string> {
  return tokens.verify(request.headers.authorization, certificateThumbprint(request));
}

/** The facility authenticateFirst found for this request. */
export function authenticatedFacility(request: FastifyRequest): string {
  const facility = facilities.get(request);
  if (facility === undefined) throw new Error(`${request.routeOptions.url} has no authenticateFirst hook`);
  return facility;
}
