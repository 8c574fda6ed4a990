// The names of the 連携アプリ's files (spec §1.1): `<system><si|mu><process><NN>req_<free part>.xml`
// in `req`, answered as the same name with `req` replaced by `res` in `res`.
import { createHash } from "node:crypto";
import { MESSAGE_KINDS, type MessageKind } from "../oqs/messages/index.ts";

/** The longest file name, in bytes of UTF-8, that common file systems take (ext4, NTFS, APFS). */
export const NAME_MAX_BYTES = 255;

/**
 * What a name in `req` is:
 * - "request": a known kind, to be answered by its handler;
 * - "unsupported": the naming rule fits but onshi has no such kind (e.g. OQSmuzzz01, a kind no client writes);
 * - "invalid": the name breaks the rule.
 * The last two are answered with an error under `responseName`.
 */
export type RequestName =
  | { type: "request"; kind: MessageKind; responseName: string }
  | { type: "unsupported"; kind: string; responseName: string }
  | { type: "invalid"; responseName: string };

// The free part is whatever the client generates (yyyyMMdd + a 4-digit sequence for most,
// timestamps and patient ids for others), so it is only required to be there. The extension's
// case is free, as on the Windows shares real clients write to.
const REQUEST_NAME = /^([A-Z]{3}(?:si|mu)[a-z]{3}[0-9]{2})req(_.+\.[xX][mM][lL])$/;

export function parseRequestName(name: string): RequestName {
  const match = REQUEST_NAME.exec(name);
  if (!match) return { type: "invalid", responseName: fallbackResponseName(name) };
  const [, prefix, rest] = match as unknown as [string, string, string];
  const responseName = `${prefix}res${rest}`;
  const kind = MESSAGE_KINDS.find((k) => k === prefix);
  return kind ? { type: "request", kind, responseName } : { type: "unsupported", kind: prefix, responseName };
}

/**
 * The spec does not say how the real terminal answers a name it cannot read. A client polls for
 * its own name with `req` replaced by `res`, so that is what it gets (the first `req`, in the
 * case it was written); a name without `req` is answered as `<name>.res.xml`, its name shortened
 * when that would be too long (such a name breaks the rule, so no client polls for it).
 */
function fallbackResponseName(name: string): string {
  const at = name.search(/req/i);
  if (at < 0) return `${fitName(name, NAME_MAX_BYTES - ".res.xml".length)}.res.xml`;
  const res = name.slice(at, at + 3).replace(/q/, "s").replace(/Q/, "S");
  return name.slice(0, at) + res + name.slice(at + 3);
}

/**
 * Names a writer uses while it is still writing (a temp file it renames when done, an editor's
 * swap file) or hidden files: the gateway leaves them alone, so that it never takes a file from
 * under its writer.
 */
export function isTransientName(name: string): boolean {
  return /^[.~]/.test(name) || /(\.tmp|\.temp|\.part|\.partial|\.crdownload|\.swp|~)$/i.test(name);
}

/**
 * `name` itself when it takes at most `maxBytes` bytes of UTF-8, else its longest start that
 * leaves room for `_` and 8 hex characters of its hash (so two long names sharing a start stay two).
 */
export function fitName(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const tag = `_${createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
  let start = "";
  let bytes = 0;
  for (const char of name) {
    bytes += Buffer.byteLength(char);
    if (bytes > maxBytes - tag.length) break;
    start += char;
  }
  return start + tag;
}

/** The name of a zipped answer (spec §1.1: the 02 result may arrive as .zip holding the XML). */
export function zipName(xmlName: string): string {
  return xmlName.replace(/\.xml$/i, "") + ".zip";
}

/** The name of a PDF answer (spec §3: a PDF result arrives as .pdf with the XML's base name). */
export function pdfName(xmlName: string): string {
  return xmlName.replace(/\.xml$/i, "") + ".pdf";
}
