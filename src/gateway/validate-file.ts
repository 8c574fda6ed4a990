// What is wrong with a request file, as the gateway would see it: its name, then the message
// pipeline's own pass without an answer (encoding, XML, every element). Unlike the gateway it does
// not stop at a bad name, so a vendor sees every problem at once.
import type { Charset } from "../codec/xml.ts";
import { ERROR_CODES, type ErrorCode } from "../errors/catalogue.ts";
import type { MessageKind } from "../oqs/messages/index.ts";
import { validate } from "../services/pipeline/index.ts";
import type { Problem } from "../services/pipeline/types.ts";
import { parseRequestName } from "./file-names.ts";
import { kindOfFile } from "./read-request.ts";

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

export function validateRequestFile(name: string, bytes: Buffer, kinds: ReadonlySet<MessageKind>): FileReport {
  const problems: ProblemReport[] = [];
  const report = (code: ErrorCode, extra: Omit<Problem, "code"> & { detail?: string } = {}) =>
    problems.push({ code, ...extra, ja: ERROR_CODES[code].ja, en: ERROR_CODES[code].en });

  const named = kindOfFile(name, kinds);
  if (!named.ok) report(named.code, { element: "(ファイル名)", value: name, detail: named.detail });
  const parsed = parseRequestName(name);
  const kind = parsed.type === "invalid" ? undefined : parsed.kind;
  // A kind onshi does not answer is still read as XML, as its si/mu part says.
  const as: MessageKind = named.ok ? named.kind : /^...mu/.test(kind ?? "") ? "OQSmuquc01" : "OQSsiquc01";
  const checked = validate(as, { xml: bytes, file: true });
  if (!checked.charset) {
    for (const problem of checked.problems) report(problem.code, problem);
    return { kind, problems };
  }
  const declared = /^(?:\xEF\xBB\xBF)?<\?xml\s[^>]*\bencoding\s*=/.test(bytes.subarray(0, 200).toString("latin1"));
  if (named.ok) for (const problem of checked.problems) report(problem.code, problem);
  return { kind, charset: checked.charset, declared, problems };
}
