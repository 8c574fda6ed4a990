// The card reader's result file in the face folder: `OQSsiquc01res_face_<医療機関コード><20 hex>_
// <yyyyMMddHHmmss>.xml` (spec §1.1, from a real name). The 20 hex characters' meaning is not
// public; ours are random, so two checks in the same second never share a name.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { charsetOf } from "../codec/xml.ts";
import { jstTimestamp } from "../domain/dates.ts";
import { encodeAnswer } from "../oqs/answer-encoding.ts";
import type { XmlTree } from "../oqs/message-tree.ts";
import type { CharacterCode } from "../oqs/response-builder.ts";
import { writeDurably } from "../files/durable-write.ts";
import type { FaceFileSink } from "../services/card-reader.ts";

export const FACE_FILE_NAME = /^OQSsiquc01res_face_([0-9]{10})([0-9a-f]{20})_([0-9]{14})\.xml$/;

export function faceFileName(facilityCode: string, at: Date): string {
  return `OQSsiquc01res_face_${facilityCode}${randomBytes(10).toString("hex")}_${jstTimestamp(at)}.xml`;
}

/**
 * Writes the result durably as `name` in the terminal's encoding (falling back to UTF-8, and
 * saying so in CharacterCodeIdentifier, for a name Shift_JIS lacks).
 */
export async function writeFaceFile(faceDir: string, name: string, message: XmlTree, characterCode: CharacterCode): Promise<void> {
  await writeDurably(faceDir, name, encodeAnswer(message, charsetOf(characterCode)).bytes);
}

/** The card reader's face results go into `faceDir` (the 連携フォルダ's face folder), made on first use. */
export function faceFolder(faceDir: string): FaceFileSink {
  let made: Promise<unknown> | undefined;
  return {
    async ready() {
      made ??= mkdir(faceDir, { recursive: true });
      await made;
    },
    nameFor: faceFileName,
    write: (name, message, characterCode) => writeFaceFile(faceDir, name, message, characterCode),
  };
}
