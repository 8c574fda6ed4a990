// What a Fastify error (raised before a handler runs: body too large, wrong media type, malformed
// JSON, …) or a handler's failure becomes in onshi's catalogue; a database that cannot be reached
// is E9002. One table for the OQS routes and for onshi's own JSON routes.
import type { FastifyError } from "fastify";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { OqsError, type ErrorCode } from "../errors/catalogue.ts";

export function frameworkErrorCode(error: FastifyError | OqsError): ErrorCode {
  // A body parser's own refusal (json-body.ts: bytes that are not UTF-8) already has its code.
  if (error instanceof OqsError) return error.code;
  // Framework errors carry an HTTP status (a client's aborted upload is ECONNRESET with 400).
  if (error.statusCode === undefined && isDatabaseUnavailable(error)) return "E9002";
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") return "E1011";
  if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return "E1012";
  return (error.statusCode ?? 500) < 500 ? "E1001" : "E9001";
}
