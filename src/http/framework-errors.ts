// What a Fastify error (raised before a handler runs: body too large, wrong media type, malformed
// JSON, …) or a handler's failure becomes in onshi's catalogue; a database that cannot be reached
// is E9002. One table for the OQS routes and for onshi's own JSON routes.
import type { FastifyError, FastifySchemaValidationError, RouteShorthandOptions } from "fastify";
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

/** The field a schema violation names (`consent`, `answer.x`), or the part of the request (`body`). */
export function violatedField(errors: readonly FastifySchemaValidationError[] | undefined, part: string): string {
  const [first] = errors ?? [];
  const missing = first?.params.missingProperty;
  const path = [...(first?.instancePath.split("/").filter(Boolean) ?? []), ...(typeof missing === "string" ? [missing] : [])];
  return path.join(".") || part;
}

/**
 * A route's schemaErrorFormatter: a violation of its request schema becomes the coded error (the
 * field named) that the scope's error handler answers in the route's own shape, never Fastify's
 * generic 400 body.
 */
export function codedViolation(code: ErrorCode | ((field: string) => ErrorCode)): NonNullable<RouteShorthandOptions["schemaErrorFormatter"]> {
  return (errors, part) => {
    const field = violatedField(errors, part);
    return new OqsError(typeof code === "function" ? code(field) : code, field);
  };
}
