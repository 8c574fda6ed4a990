// The end of a card check at the 顔認証付きカードリーダー: the patient's consent is recorded and the
// 個別照会 result with ReferenceClassification 1 (マイナンバーカード) is built, with the consent
// flags and times, the facility's 照会番号 and, with 医療費助成 consent, the 受給者証. Input is the person the card is registered to
// (保険証利用登録 linked the certificate serial to the person): their qualification on the day.
import { jstDate, yyyymmddToIso } from "../domain/dates.ts";
import type { ConsentChoices, ConsentRecord, ConsentSettings } from "../domain/consent.ts";
import { decideValidity } from "../domain/validity.ts";
import { errorMessage, OqsError } from "../errors/catalogue.ts";
import type { XmlTree, XmlValue } from "../oqs/message-tree.ts";
import { Reference, Segment, message, responseHeader, searchResultBody } from "../oqs/response-builder.ts";
import { loadConsentSettings, saveConsent } from "../store/consent-store.ts";
import { findQualificationsOfPerson } from "../store/qualification-store.ts";
import { consentRecordOf } from "./consent.ts";
import { subsidiesForCardCheck } from "./medical-subsidy-use.ts";
import { attachMedicalTickets } from "./welfare.ts";
import type { OqsContext } from "./pipeline/types.ts";

export interface CardCheckInput {
  facilityCode: string;
  personId: number;
  /**
   * The patient's answers on the consent screens. Absent in the 3-month grace after the
   * certificate's expiry, when the card answers for qualification only: nothing is asked or
   * recorded and every consent flag is 0.
   */
  choices?: ConsentChoices;
  /** Supplementary information for the result (E7050 in the grace), as ProcessingResultCode/Message. */
  warning?: "E7050";
}

export interface CardCheckResult {
  message: XmlTree;
  personId: number;
  consent?: ConsentRecord;
}

/** Records consent and builds the face result; an OqsError (E2001, E8001, E8002, E8004) stores nothing. */
export async function completeCardCheck(ctx: OqsContext, input: CardCheckInput): Promise<CardCheckResult> {
  const result = await buildCardCheck(ctx, input, input.choices && (await loadConsentSettings(ctx.db, input.facilityCode)));
  if (result.consent) await saveConsent(ctx.db, result.consent);
  return result;
}

/**
 * The face result and the consent record to store (E2001, E8001, E8002, E8004), without storing
 * it: the reader's completion writes it with the 利用者リスト entry in one statement.
 */
export async function buildCardCheck(ctx: OqsContext, input: CardCheckInput, settings: ConsentSettings | undefined): Promise<CardCheckResult> {
  const now = ctx.now();
  if (!(await ctx.facilities.exists(input.facilityCode))) throw new OqsError("E2001", "MedicalInstitutionCode");
  const date = jstDate(now);
  // 医療費助成 only with the patient's consent, which the reader asks only where the facility uses
  // it (consentRecordOf refuses it otherwise, E8001); read beside the qualifications.
  const subsidiesAsked = settings?.medicalSubsidy === true && input.choices?.agreed.has("medicalSubsidy") === true;
  const [found, subsidies] = await Promise.all([
    findQualificationsOfPerson(ctx.db, input.personId, input.facilityCode),
    subsidiesAsked ? subsidiesForCardCheck(ctx.db, input.personId, input.facilityCode, yyyymmddToIso(date)) : [],
  ]);
  if (found.records.length === 0) throw new OqsError("E8002");
  const { referenceNumbers } = found;
  const records = await attachMedicalTickets(ctx.db, found.records, input.facilityCode, date);
  const decision = decideValidity(records, records[0]!.person.birthdate, date);
  const consent = input.choices && settings && consentRecordOf(settings, input.facilityCode, input.personId, input.choices, now);
  const { ProcessingResultStatus, ...rest } = searchResultBody(decision, date, consent ?? false, referenceNumbers, subsidies) as Record<string, XmlValue>;
  // Spec §1.4: on success ProcessingResultCode/Message carry supplementary information only, such
  // as the card certificate's expiry; they follow ProcessingResultStatus, as in real files.
  const body: XmlTree = {
    ProcessingResultStatus: ProcessingResultStatus!,
    ...(input.warning ? { ProcessingResultCode: input.warning, ProcessingResultMessage: errorMessage(input.warning) } : {}),
    ...rest,
    ...(consent?.prescriptionIssue ? { PrescriptionIssueSelect: consent.prescriptionIssue } : {}),
  };
  const header = responseHeader({
    now,
    characterCode: ctx.characterCode,
    segment: Segment.Normal,
    confirmationDate: date,
    facilityCode: input.facilityCode,
    referenceClassification: Reference.MyNumberCard,
  });
  return { message: message(header, body), personId: input.personId, ...(consent ? { consent } : {}) };
}
