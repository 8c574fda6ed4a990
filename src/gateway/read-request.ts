// Which message a request file is, as the terminal reads it: its name picks the kind (the
// pipeline then decodes it by its XML declaration). Shared by the gateway and `onshi files
// validate`, so both report the same codes.
import type { ErrorCode } from "../errors/catalogue.ts";
import type { MessageKind } from "../oqs/messages/index.ts";
import { parseRequestName } from "./file-names.ts";

/** The kind a file's name picks among those the terminal answers, or the error its name gets. */
export function kindOfFile(
  name: string,
  kinds: ReadonlySet<MessageKind>,
): { ok: true; kind: MessageKind; responseName: string } | { ok: false; code: ErrorCode; detail: string; responseName: string } {
  const parsed = parseRequestName(name);
  const { responseName } = parsed;
  if (parsed.type === "invalid") {
    return { ok: false, code: "E4001", detail: `"${name}" is not <system><si|mu><process><NN>req_<free part>.xml`, responseName };
  }
  if (parsed.type === "unsupported") return { ok: false, code: "E4002", detail: `${parsed.kind} is not a kind onshi handles`, responseName };
  if (!kinds.has(parsed.kind)) return { ok: false, code: "E4002", detail: `${parsed.kind} is not handled yet`, responseName };
  return { ok: true, kind: parsed.kind, responseName };
}
