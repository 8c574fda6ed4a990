// What is wrong with a request file, as the gateway would see it: its name, then the message
// pipeline's own pass without an answer (encoding, XML, every element). Unlike the gateway it does
// not stop at a bad name, so a vendor sees every problem at once.
import { decodeXml, type Charset } from "../codec/xml.ts";
import { ERROR_CODES, type ErrorCode } from "../errors/catalogue.ts";
import { MESSAGE_SCHEMAS, type MessageKind } from "../oqs/messages/index.ts";
import type { XmlValue } from "../oqs/message-tree.ts";
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

/** Not refused, but likely not what the sender meant: the answer will not say why. */
export interface FileWarning {
  element: string;
  value: string;
  ja: string;
  en: string;
}

export interface FileReport {
  kind?: string;
  charset?: Charset;
  /** Whether the file has an XML declaration naming its encoding (without one it is read as UTF-8). */
  declared?: boolean;
  problems: ProblemReport[];
  warnings?: FileWarning[];
}

const FULL_WIDTH_DIGIT = /[０-９]/;

/**
 * Elements holding full-width digits (記号 "２１"): a 記号 or 番号 may be any text, so the check
 * passes, but the insurer registered half-width digits and the answer is 該当資格なし with no hint.
 */
function fullWidthDigits(tree: XmlValue, path: string, found: FileWarning[]): FileWarning[] {
  if (typeof tree === "string") {
    if (FULL_WIDTH_DIGIT.test(tree)) {
      found.push({
        element: path,
        value: tree,
        ja: "全角数字が含まれています。記号・番号などの数字は半角で送ってください (全角のままでは一致せず、該当資格なしと応答されます)。",
        en: "Full-width digits: send digits half-width; as sent the key matches no one and is answered 4 (no qualification) without an error.",
      });
    }
  } else if (Array.isArray(tree)) {
    tree.forEach((item, i) => fullWidthDigits(item, `${path}[${i + 1}]`, found));
  } else {
    for (const [name, child] of Object.entries(tree)) fullWidthDigits(child, path ? `${path}.${name}` : name, found);
  }
  return found;
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
  const faulted = new Set(problems.map((p) => p.element));
  const body = (decodeXml(bytes, { bulk: MESSAGE_SCHEMAS[as].bulk }).tree.XmlMsg ?? {}) as XmlValue;
  const warnings = fullWidthDigits(body, "", []).filter((w) => !faulted.has(w.element));
  return { kind, charset: checked.charset, declared, problems, ...(warnings.length > 0 ? { warnings } : {}) };
}
