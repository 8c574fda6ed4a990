// The card reader's result file in the face folder: `OQSsiquc01res_face_<医療機関コード><20 hex>_
// <yyyyMMddHHmmss>.xml` (spec §1.1, from a real name). The 20 hex characters' meaning is not
// public; ours are random, so two checks in the same second never share a name.
import { randomBytes } from "node:crypto";
import { charsetOf } from "../codec/xml.ts";
import { jstTimestamp } from "../domain/dates.ts";
import { encodeAnswer } from "../oqs/answer-encoding.ts";
import type { XmlTree } from "../oqs/message-tree.ts";
import type { CharacterCode } from "../oqs/response-builder.ts";
import { writeDurably } from "../files/durable-write.ts";

export const FACE_FILE_NAME = /^OQSsiquc01res_face_([0-9]{10})([0-9a-f]{20})_([0-9]{14})\.xml$/;

export function faceFileName(facilityCode: string, at: Date): string {
  return `OQSsiquc01res_face_${facilityCode}${randomBytes(10).toString("hex")}_${jstTimestamp(at)}.xml`;
}

/**
 * Writes the result durably in the terminal's encoding (falling back to UTF-8, and saying so in
 * CharacterCodeIdentifier, for a name Shift_JIS lacks) and returns the file name; `name` when the
 * caller fixed it beforehand (the card reader records it before the file is written).
 */
export async function writeFaceFile(
  faceDir: string,
  facilityCode: string,
  at: Date,
  message: XmlTree,
  characterCode: CharacterCode,
  name = faceFileName(facilityCode, at),
): Promise<string> {
  await writeDurably(faceDir, name, encodeAnswer(message, charsetOf(characterCode)).bytes);
  return name;
}
