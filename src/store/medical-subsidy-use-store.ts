// The changes of a facility's 医療費助成情報 setting (017_medical_subsidy_use.sql). The setting in
// force is consent_settings.medical_subsidy (consent-store.ts); these rows say who changed it when.
import type { Db } from "../db/client.ts";
import type { MedicalSubsidyUseChange } from "../domain/medical-subsidy-use.ts";

export async function recordUseChange(db: Db, facilityCode: string, change: MedicalSubsidyUseChange): Promise<void> {
  await db.query(
    "insert into medical_subsidy_use_changes (medical_institution_code, in_use, changed_at, changed_by) values ($1, $2, $3, $4)",
    [facilityCode, change.inUse, change.changedAt.toISOString(), change.changedBy],
  );
}

/** The facility's latest changes, newest first (at most `limit`). */
export async function listUseChanges(db: Db, facilityCode: string, limit: number): Promise<MedicalSubsidyUseChange[]> {
  const rows = await db.query<{ in_use: boolean; changed_at: Date | string; changed_by: string }>(
    `select in_use, changed_at, changed_by from medical_subsidy_use_changes
     where medical_institution_code = $1 order by change_id desc limit $2`,
    [facilityCode, limit],
  );
  return rows.map((r) => ({ inUse: r.in_use, changedAt: new Date(r.changed_at), changedBy: r.changed_by }));
}
