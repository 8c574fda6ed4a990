// Retry-After on answers that mean "try again shortly" (E9002: the database cannot be reached).
import type { FastifyReply } from "fastify";
import type { ErrorCode } from "../errors/catalogue.ts";

/**
 * Seconds a client is asked to wait after E9002. A PostgreSQL restart, or a start with crash
 * recovery after a killed postmaster, takes a few seconds (about 1–3 s in the outage test): 5 s
 * lets most clients succeed at their first retry without every reception terminal hammering a
 * server that is still starting; a longer outage just answers 503 again with the same hint.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Sets Retry-After when the code asks the client to come back later. */
export function retryAfter(reply: FastifyReply, code: ErrorCode | undefined): FastifyReply {
  return code === "E9002" ? reply.header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS)) : reply;
}
