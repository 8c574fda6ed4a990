// Encodes an answer in the charset the terminal is set to, shared by the WebAPI's XML replies and
// the folder gateway.
import { CodecError } from "../codec/errors.ts";
import { encodeXml, identifierOf, type Charset } from "../codec/xml.ts";
import type { XmlTree } from "./message-tree.ts";

/** A name Shift_JIS cannot carry (e.g. 𠮷) must not cost the answer: it goes out in UTF-8. */
export function encodeAnswer(message: XmlTree, charset: Charset): { bytes: Buffer; charset: Charset } {
  try {
    return { bytes: encodeXml(message, charset), charset };
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    const root = message.XmlMsg as XmlTree;
    const header = { ...(root.MessageHeader as XmlTree), CharacterCodeIdentifier: identifierOf("UTF-8") };
    return { bytes: encodeXml({ XmlMsg: { ...root, MessageHeader: header } }, "UTF-8"), charset: "UTF-8" };
  }
}
