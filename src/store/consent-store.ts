// Consent settings and records. Every query names the facility: one facility's consents are
// never read for another.
import type { Db } from "../db/client.ts";
import {
  availableTimeOf,
  CATEGORY_NAMES,
  DEFAULT_CONSENT_SETTINGS,
  type ConsentCategory,
  type ConsentRecord,
  type ConsentSettings,
  type PrescriptionIssueSelect,
} from "../domain/consent.ts";

/** Column of each category, in CATEGORY_NAMES order (both tables use the same names). */
const COLUMN: Record<ConsentCategory, string> = {
  pharmacists: "pharmacists",
  specificHealthCheckups: "specific_health_checkups",
  diagnosis: "diagnosis",
  operation: "operation",
  limitCertificate: "limit_certificate",
  specificDiseases: "specific_diseases",
  medicalSubsidy: "medical_subsidy",
};
const COLUMNS = CATEGORY_NAMES.map((c) => COLUMN[c]);
// $n placeholders for the category columns, after `offset` leading parameters.
const placeholders = (offset: number) => COLUMNS.map((_, i) => `$${i + offset + 1}`).join(", ");
const updates = COLUMNS.map((c) => `${c} = excluded.${c}`).join(", ");

type Row = Record<string, unknown>;

export async function loadConsentSettings(db: Db, facilityCode: string): Promise<ConsentSettings> {
  const rows = await db.query<Row>(`select ${COLUMNS.join(", ")} from consent_settings where medical_institution_code = $1`, [facilityCode]);
  return consentSettingsOf(rows[0]);
}

/**
 * The facility's settings as one json column of a larger statement (`param` holds its code), so a
 * hot path reads them in a round trip it makes anyway; consentSettingsOf reads the value.
 */
export function consentSettingsColumn(param: string): string {
  return `(select json_build_object(${COLUMNS.map((c) => `'${c}', s.${c}`).join(", ")}) from consent_settings s where s.medical_institution_code = ${param})`;
}

export function consentSettingsOf(row: Row | null | undefined): ConsentSettings {
  if (!row) return { ...DEFAULT_CONSENT_SETTINGS };
  return Object.fromEntries(CATEGORY_NAMES.map((c) => [c, row[COLUMN[c]] === true])) as ConsentSettings;
}

const SAVE_SETTINGS = `
insert into consent_settings (medical_institution_code, ${COLUMNS.join(", ")}, updated_at)
values ($1, ${placeholders(1)}, $${COLUMNS.length + 2})
on conflict (medical_institution_code) do update set ${updates}, updated_at = excluded.updated_at`;

export async function saveConsentSettings(db: Db, facilityCode: string, settings: ConsentSettings, at: Date): Promise<void> {
  await db.query(SAVE_SETTINGS, [facilityCode, ...CATEGORY_NAMES.map((c) => settings[c]), at.toISOString()]);
}

/** The upsert of a card check's record, its parameters numbered after `offset` (to sit in a larger statement). */
export function consentUpsert(record: ConsentRecord, offset = 0): { sql: string; values: unknown[] } {
  const $ = (n: number) => `$${n + offset}`;
  return {
    sql: `insert into consents (medical_institution_code, person_id, cons_time, available_time, ${COLUMNS.join(", ")}, prescription_issue_select)
values (${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}, ${placeholders(4 + offset)}, ${$(COLUMNS.length + 5)})
on conflict (medical_institution_code, person_id) do update set
  cons_time = excluded.cons_time, available_time = excluded.available_time, ${updates},
  prescription_issue_select = excluded.prescription_issue_select`,
    values: [
      record.facilityCode,
      record.personId,
      record.consTime.toISOString(),
      availableTimeOf(record.consTime).toISOString(),
      ...CATEGORY_NAMES.map((c) => record.agreed.has(c)),
      record.prescriptionIssue ?? null,
    ],
  };
}

/** Stores the record of a card check, replacing the facility's earlier record for the person. */
export async function saveConsent(db: Db, record: ConsentRecord): Promise<void> {
  const { sql, values } = consentUpsert(record);
  await db.query(sql, values);
}

export async function findConsent(db: Db, facilityCode: string, personId: number): Promise<ConsentRecord | undefined> {
  return (await findConsents(db, facilityCode, [personId])).get(personId);
}

/** The facility's records of several persons in one query, by person. */
export async function findConsents(db: Db, facilityCode: string, personIds: readonly number[]): Promise<Map<number, ConsentRecord>> {
  const rows = await db.query<Row>(
    `select person_id, cons_time, ${COLUMNS.join(", ")}, prescription_issue_select from consents
     where medical_institution_code = $1 and person_id = any($2::bigint[])`,
    [facilityCode, personIds],
  );
  return new Map(
    rows.map((row) => {
      const personId = Number(row.person_id);
      const record: ConsentRecord = {
        facilityCode,
        personId,
        consTime: new Date(row.cons_time as Date | string),
        agreed: new Set(CATEGORY_NAMES.filter((c) => row[COLUMN[c]] === true)),
        prescriptionIssue: (row.prescription_issue_select as PrescriptionIssueSelect | null) ?? undefined,
      };
      return [personId, record];
    }),
  );
}
