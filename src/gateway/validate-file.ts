// What is wrong with a request file, as the gateway would see it: its name, its encoding and XML,
// then its content by the kind's own `validate`. Unlike the gateway it does not stop at a bad
// name, so a vendor sees every problem at once.
import type { Charset } from "../codec/xml.ts";
import { ERROR_CODES, type ErrorCode } from "../errors/catalogue.ts";
import type { Problem } from "../services/message-handlers.ts";
import { parseRequestName } from "./file-names.ts";
import { decodeRequest, handlerFor, type Handlers } from "./read-request.ts";

export interface ProblemReport extends Problem {
  ja: string;
  en: string;
  /** What exactly is at fault, in English, when the code alone does not say (bad XML, names). */
  detail?: string;
}

export interface FileReport {
  kind?: string;
  charset?: Charset;
  /** Whether the file has an XML declaration naming its encoding (without one it is read as UTF-8). */
  declared?: boolean;
  problems: ProblemReport[];
}

export function validateRequestFile(name: string, bytes: Buffer, handlers: Handlers): FileReport {
  const problems: ProblemReport[] = [];
  const report = (code: ErrorCode, extra: Omit<Problem, "code"> & { detail?: string } = {}) =>
    problems.push({ code, ...extra, ja: ERROR_CODES[code].ja, en: ERROR_CODES[code].en });

  const parsed = parseRequestName(name);
  const named = handlerFor(name, handlers);
  if (!named.ok) report(named.code, { element: "(ファイル名)", value: name, detail: named.detail });
  const kind = parsed.type === "invalid" ? undefined : parsed.kind;

  // Bulk kinds repeat their body elements; an unknown kind is read by its si/mu part.
  const decoded = decodeRequest(bytes, named.ok ? named.handler.bulk : /^...mu/.test(kind ?? ""));
  if (!decoded.ok) {
    report(decoded.code, { detail: decoded.detail });
    return { kind, problems };
  }
  const declared = /^(?:\xEF\xBB\xBF)?<\?xml\s[^>]*\bencoding\s*=/.test(bytes.subarray(0, 200).toString("latin1"));
  if (named.ok) for (const problem of named.handler.validate(decoded.tree)) report(problem.code, problem);
  return { kind, charset: decoded.charset, declared, problems };
}
