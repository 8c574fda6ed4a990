// The names of the 連携アプリ's files (spec §1.1): `<system><si|mu><process><NN>req_<free part>.xml`
// in `req`, answered as the same name with `req` replaced by `res` in `res`.
import type { MessageKind } from "../services/message-handlers.ts";

export const MESSAGE_KINDS: readonly MessageKind[] = ["OQSsiquc01", "OQSmuquc01", "OQSmuquc02", "OQSsiimm01", "OQSmuimm01", "OQSmuimm02"];

/**
 * What a name in `req` is:
 * - "request": a known kind, to be answered by its handler;
 * - "unsupported": the naming rule fits but onshi has no such kind (e.g. OQSmuonq01, YZKsiquc01);
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
 * case it was written); a name without `req` is answered as `<name>.res.xml`.
 */
function fallbackResponseName(name: string): string {
  const at = name.search(/req/i);
  if (at < 0) return `${name}.res.xml`;
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

/** The name of a zipped answer (spec §1.1: the 02 result may arrive as .zip holding the XML). */
export function zipName(xmlName: string): string {
  return xmlName.replace(/\.xml$/i, "") + ".zip";
}
