// Recording what a patient chose on the reader's consent screens: only categories the facility's
// reader offers can have been asked, and the record replaces the facility's earlier one for the
// person (a new card check is how a patient changes consent, spec §5.1).
import type { Db } from "../db/client.ts";
import {
  CONSENT_CATEGORIES,
  type ConsentSettings,
  consentTimeOf,
  PrescriptionIssue,
  unofferedChoices,
  type ConsentChoices,
  type ConsentRecord,
} from "../domain/consent.ts";
import { OqsError } from "../errors/catalogue.ts";
import { loadConsentSettings, saveConsent } from "../store/consent-store.ts";

const PRESCRIPTION_VALUES: ReadonlySet<string> = new Set(Object.values(PrescriptionIssue));

/** Checks the choices against the facility's settings (E8001, E8004) and stores them. */
export async function recordConsent(db: Db, facilityCode: string, personId: number, choices: ConsentChoices, now: Date): Promise<ConsentRecord> {
  const record = consentRecordOf(await loadConsentSettings(db, facilityCode), facilityCode, personId, choices, now);
  await saveConsent(db, record);
  return record;
}

/** The record to store for the choices, if the facility's settings allow them (E8001, E8004). */
export function consentRecordOf(settings: ConsentSettings, facilityCode: string, personId: number, choices: ConsentChoices, now: Date): ConsentRecord {
  if (choices.prescriptionIssue !== undefined && !PRESCRIPTION_VALUES.has(choices.prescriptionIssue)) {
    throw new OqsError("E8004", "PrescriptionIssueSelect");
  }
  const unoffered = unofferedChoices(settings, choices);
  if (unoffered.length > 0) throw new OqsError("E8001", unoffered.map((c) => CONSENT_CATEGORIES[c].label).join("・"));
  return {
    facilityCode,
    personId,
    consTime: consentTimeOf(now),
    agreed: new Set(choices.agreed),
    prescriptionIssue: choices.prescriptionIssue,
  };
}
