// The face result of a card check at the 顔認証付きカードリーダー (spec §1.4, §5): a 個別照会 answer
// with ReferenceClassification 1, the consent flags and times the patient just gave, and the
// patient's choice of prescription (PrescriptionIssueSelect).
import { Type, type Static } from "@sinclair/typebox";
import { ResponseHeader } from "./fields.ts";
import { envelope, personResult } from "./qualification-check.ts";
import { outCode } from "./fields.ts";
import { compile } from "./schema.ts";

export const CardCheckResult = envelope(ResponseHeader.properties, {
  ...personResult,
  PrescriptionIssueSelect: Type.Optional(outCode(["1", "2"], "処方箋の選択 1:電子処方箋 2:紙の処方箋")),
});
export type CardCheckResult = Static<typeof CardCheckResult>;

/** The check of a face result before it is written and listed (compiled once). */
export const FACE_RESULT = compile(CardCheckResult);
