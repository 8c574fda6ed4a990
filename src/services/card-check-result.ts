// The end of a card check at the 顔認証付きカードリーダー: the patient's consent is recorded and the
// 個別照会 result with ReferenceClassification 1 (マイナンバーカード) is built, with the consent
// flags and times and the facility's 照会番号. Input is the person's qualification key: the card
// module resolves card → person → key before calling this.
import { jstDate } from "../domain/dates.ts";
import type { ConsentChoices, ConsentRecord } from "../domain/consent.ts";
import { decideValidity } from "../domain/validity.ts";
import { OqsError } from "../oqs/error-codes.ts";
import type { XmlTree } from "../oqs/message-tree.ts";
import { Reference, Segment, message, responseHeader, searchResultBody } from "../oqs/response-builder.ts";
import { findQualificationsForFacility, type SearchKey } from "../store/qualification-store.ts";
import { recordConsent } from "./consent.ts";
import type { OqsContext } from "./qualification-check.ts";

export interface CardCheckInput {
  facilityCode: string;
  key: SearchKey;
  /** YYYYMMDD, from the card face; it picks the person among a card's family members. */
  birthdate: string;
  choices: ConsentChoices;
}

export interface CardCheckResult {
  message: XmlTree;
  personId: number;
  consent: ConsentRecord;
}

/** Records consent and builds the face result; an OqsError (E2001, E8001–E8004) stores nothing. */
export async function completeCardCheck(ctx: OqsContext, input: CardCheckInput): Promise<CardCheckResult> {
  const now = ctx.now();
  if (!(await ctx.facilities.exists(input.facilityCode))) throw new OqsError("E2001", "MedicalInstitutionCode");
  const date = jstDate(now);
  const { records, referenceNumbers } = await findQualificationsForFacility(ctx.db, input.key, input.facilityCode);
  const decision = decideValidity(records, input.birthdate, date);
  const persons = new Set(decision.results.map((q) => q.person.personId));
  if (persons.size === 0) throw new OqsError("E8002");
  if (persons.size > 1) throw new OqsError("E8003");
  const personId = [...persons][0]!;
  const consent = await recordConsent(ctx.db, input.facilityCode, personId, input.choices, now);
  const body: XmlTree = {
    ...searchResultBody(decision, date, consent, referenceNumbers),
    ...(consent.prescriptionIssue ? { PrescriptionIssueSelect: consent.prescriptionIssue } : {}),
  };
  const header = responseHeader({
    now,
    characterCode: ctx.characterCode,
    segment: Segment.Normal,
    confirmationDate: date,
    facilityCode: input.facilityCode,
    referenceClassification: Reference.MyNumberCard,
  });
  return { message: message(header, body), personId, consent };
}
