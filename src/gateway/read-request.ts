// Reads a request file as the terminal would: its name picks the handler, its XML declaration
// the charset. Shared by the gateway and `onshi files validate`, so both report the same codes.
import { CodecError } from "../codec/errors.ts";
import { decodeXml, type Charset } from "../codec/xml.ts";
import { CODEC_ERROR_CODES } from "../oqs/codec-error-codes.ts";
import type { ErrorCode } from "../errors/catalogue.ts";
import type { XmlTree } from "../oqs/message-tree.ts";
import type { MessageHandler, MessageKind } from "../services/message-handlers.ts";
import { parseRequestName } from "./file-names.ts";

export type Handlers = Partial<Record<MessageKind, MessageHandler>>;

export type RequestReading =
  | { ok: true; kind: MessageKind; handler: MessageHandler; tree: XmlTree; charset: Charset; responseName: string }
  | {
      ok: false;
      code: ErrorCode;
      /** English, naming what is at fault (the codec's detail for bad XML). */
      detail: string;
      responseName: string;
      /** Set when the content (not the name) is at fault: a writer may still be writing it. */
      content?: true;
    };

/** The handler a file's name picks, or the error its name gets. */
export function handlerFor(
  name: string,
  handlers: Handlers,
): { ok: true; kind: MessageKind; handler: MessageHandler; responseName: string } | { ok: false; code: ErrorCode; detail: string; responseName: string } {
  const parsed = parseRequestName(name);
  const { responseName } = parsed;
  if (parsed.type === "invalid") {
    return { ok: false, code: "E4001", detail: `"${name}" is not <system><si|mu><process><NN>req_<free part>.xml`, responseName };
  }
  if (parsed.type === "unsupported") return { ok: false, code: "E4002", detail: `${parsed.kind} is not a kind onshi handles`, responseName };
  const handler = handlers[parsed.kind];
  if (!handler) return { ok: false, code: "E4002", detail: `${parsed.kind} is not handled yet`, responseName };
  return { ok: true, kind: parsed.kind, handler, responseName };
}

/** The XML of a request file, in the charset its declaration names. */
export function decodeRequest(bytes: Buffer, bulk: boolean): { ok: true; tree: XmlTree; charset: Charset } | { ok: false; code: ErrorCode; detail: string } {
  if (bytes.length === 0) return { ok: false, code: "E4003", detail: "the file is empty" };
  try {
    return { ok: true, ...decodeXml(bytes, { bulk }) };
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    return { ok: false, code: CODEC_ERROR_CODES[error.code], detail: error.detail };
  }
}

export function readRequest(name: string, bytes: Buffer, handlers: Handlers): RequestReading {
  const named = handlerFor(name, handlers);
  if (!named.ok) return named;
  const decoded = decodeRequest(bytes, named.handler.bulk);
  if (!decoded.ok) return { ...decoded, responseName: named.responseName, content: true };
  return { ...named, ...decoded };
}
