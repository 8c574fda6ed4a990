// The facility's 医療費助成情報 setting (OQS 環境設定 利用する / 利用しない). In force it is the
// reader's 医療費助成 consent screen: consent_settings.medical_subsidy, so the reader asks the
// patient exactly when the facility uses PMH. Each change is recorded with who made it, and
// choosing 利用する is the facility's acceptance of the PMH terms of use (spec §8).
import type { Db } from "../db/client.ts";
import type { SubsidyCertificate } from "../domain/medical-subsidy.ts";
import { acceptanceOf, readChangedBy, shownAtFacility, useLabel, type MedicalSubsidyUseChange } from "../domain/medical-subsidy-use.ts";
import { OqsError } from "../errors/catalogue.ts";
import { loadConsentSettings, saveConsentSettings } from "../store/consent-store.ts";
import { certificatesValidOn } from "../store/medical-subsidy-store.ts";
import { listUseChanges, recordUseChange } from "../store/medical-subsidy-use-store.ts";

/** How many past changes a status shows. */
export const CHANGES_SHOWN = 20;

export interface MedicalSubsidyUseView {
  facilityCode: string;
  inUse: boolean;
  label: string;
  /** The acceptance of the PMH terms in force: the change to 利用する, while in use. */
  acceptedAt?: string;
  acceptedBy?: string;
  /** Whether this call changed the setting (false: it was so already, and nothing was recorded). */
  changed?: boolean;
  changes: { inUse: boolean; label: string; changedAt: string; changedBy: string }[];
}

/** Sets 利用する / 利用しない for the facility (E2001, E8600); asking for the state in force changes and records nothing. */
export async function setMedicalSubsidyUse(db: Db, input: { facilityCode: string; inUse: boolean; by: string }, now: Date): Promise<MedicalSubsidyUseView> {
  const changedBy = readChangedBy(input.by);
  const changed = await db.transaction(async (tx) => {
    // The facility's row, locked: two changes of one facility's setting are made one after the other.
    const found = await tx.query("select 1 from facilities where medical_institution_code = $1 for update", [input.facilityCode]);
    if (found.length === 0) throw new OqsError("E2001", input.facilityCode);
    const settings = await loadConsentSettings(tx, input.facilityCode);
    if (settings.medicalSubsidy === input.inUse) return false;
    await saveConsentSettings(tx, input.facilityCode, { ...settings, medicalSubsidy: input.inUse }, now);
    await recordUseChange(tx, input.facilityCode, { inUse: input.inUse, changedAt: now, changedBy });
    return true;
  });
  return { ...(await medicalSubsidyUseOf(db, input.facilityCode)), changed };
}

/** The setting in force and its latest changes (E2001 for a facility not registered). */
export async function medicalSubsidyUseOf(db: Db, facilityCode: string): Promise<MedicalSubsidyUseView> {
  const found = await db.query("select 1 from facilities where medical_institution_code = $1", [facilityCode]);
  if (found.length === 0) throw new OqsError("E2001", facilityCode);
  const inUse = (await loadConsentSettings(db, facilityCode)).medicalSubsidy;
  const changes = await listUseChanges(db, facilityCode, CHANGES_SHOWN);
  // A setting made in force without a recorded change (the demo data) has no acceptance to show.
  const accepted = inUse ? acceptanceOf(changes) : undefined;
  return {
    facilityCode,
    inUse,
    label: useLabel(inUse),
    ...(accepted ? { acceptedAt: accepted.changedAt.toISOString(), acceptedBy: accepted.changedBy } : {}),
    changes: changes.map(view),
  };
}

const view = (c: MedicalSubsidyUseChange) => ({ inUse: c.inUse, label: useLabel(c.inUse), changedAt: c.changedAt.toISOString(), changedBy: c.changedBy });

/**
 * The 受給者証 a card check at the facility carries when the patient consented to 医療費助成
 * (the reader asks only where the facility uses it): the person's records valid on the day
 * (YYYY-MM-DD), valid at this facility (its designated facilities, if any, include it), of
 * issuers taking part in PMH that day.
 */
export async function subsidiesForCardCheck(db: Db, personId: number, facilityCode: string, date: string): Promise<SubsidyCertificate[]> {
  return shownAtFacility(await certificatesValidOn(db, [personId], date, facilityCode), date);
}
