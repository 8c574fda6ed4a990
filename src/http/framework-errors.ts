// What a Fastify error (raised before a handler runs: body too large, wrong media type, malformed
// JSON, …) becomes in onshi's catalogue. One table for the OQS routes and for onshi's own JSON routes.
import type { FastifyError } from "fastify";
import { OqsError, type ErrorCode } from "../oqs/error-codes.ts";

export function frameworkErrorCode(error: FastifyError | OqsError): ErrorCode {
  // A body parser's own refusal (json-body.ts: bytes that are not UTF-8) already has its code.
  if (error instanceof OqsError) return error.code;
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") return "E1011";
  if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return "E1012";
  return (error.statusCode ?? 500) < 500 ? "E1001" : "E9001";
}
