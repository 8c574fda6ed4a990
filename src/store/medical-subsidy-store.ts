// 受給者証 of 医療費助成 (migration 015). Writes are keyed by the issuing entity and its historyKey,
// so an entity's upload reaches its own records only; saving the same rows twice changes nothing
// (a row is rewritten only when a field differs, and then counted as updated).
import type { Db } from "../db/client.ts";
import type { CertificationDetailItem, SubsidyCertificate } from "../domain/medical-subsidy.ts";

export interface SaveOutcome {
  /** history keys per outcome (the issuer is the caller's, or each row's own in a mixed batch). */
  inserted: string[];
  updated: string[];
  unchanged: string[];
}

const FIELDS = `
  person_id bigint, programme text, org_certificate_type_id text, insurer_number text, recipient_number text,
  certification_name text, certification_sub_key text, segment text, income_segment text,
  additional_conditions text, designated_medical_institutions jsonb, always_reimbursement boolean,
  max_copayment_monthly integer, max_copayment_per_visit integer, valid_from date, valid_to date,
  is_deleted boolean, certification_detail jsonb`;

const COLUMNS = `person_id, programme, org_certificate_type_id, insurer_number, recipient_number,
  certification_name, certification_sub_key, segment, income_segment, additional_conditions,
  designated_medical_institutions, always_reimbursement, max_copayment_monthly, max_copayment_per_visit,
  valid_from, valid_to, is_deleted, certification_detail`;

// One statement per batch: the rows travel as one JSON parameter (arrays and objects inside rows
// included), and the update's WHERE keeps an identical row untouched, so `returning` lists exactly
// the rows that changed; xmax = 0 tells a fresh insert from an update.
const SAVE = `
insert into medical_subsidy_certificates (issuer_code, history_key, ${COLUMNS}, updated_at)
select r.issuer_code, r.history_key, r.person_id, r.programme, r.org_certificate_type_id, r.insurer_number,
       r.recipient_number, r.certification_name, r.certification_sub_key, r.segment, r.income_segment,
       r.additional_conditions, array(select jsonb_array_elements_text(r.designated_medical_institutions)),
       r.always_reimbursement, r.max_copayment_monthly, r.max_copayment_per_visit, r.valid_from, r.valid_to,
       r.is_deleted, r.certification_detail, $2
from jsonb_to_recordset($1::jsonb) as r(issuer_code text, history_key text, ${FIELDS})
on conflict (issuer_code, history_key) do update set
  ${COLUMNS.split(",").map((c) => `${c.trim()} = excluded.${c.trim()}`).join(", ")},
  updated_at = excluded.updated_at
where (${COLUMNS.split(",").map((c) => `medical_subsidy_certificates.${c.trim()}`).join(", ")})
  is distinct from (${COLUMNS.split(",").map((c) => `excluded.${c.trim()}`).join(", ")})
returning history_key, issuer_code, (xmax = 0) as inserted`;

const rowKey = (issuer: string, historyKey: string) => `${issuer}\u0000${historyKey}`;

/**
 * Registers or updates records by (issuerCode, historyKey), in one statement; a record with
 * isDeleted true is kept as deleted. Of two rows with one key in a batch, the later wins.
 */
export async function saveCertificates(db: Db, rows: readonly SubsidyCertificate[], at: Date): Promise<SaveOutcome> {
  const byKey = new Map<string, SubsidyCertificate>();
  for (const row of rows) byKey.set(rowKey(row.issuerCode, row.historyKey), row);
  if (byKey.size === 0) return { inserted: [], updated: [], unchanged: [] };
  const json = JSON.stringify(
    [...byKey.values()].map((c) => ({
      issuer_code: c.issuerCode,
      history_key: c.historyKey,
      person_id: c.personId,
      programme: c.programme,
      org_certificate_type_id: c.orgCertificateTypeId,
      insurer_number: c.insurerNumber,
      recipient_number: c.recipientNumber,
      certification_name: c.certificationName,
      certification_sub_key: c.certificationSubKey,
      segment: c.segment,
      income_segment: c.incomeSegment,
      additional_conditions: c.additionalConditions,
      designated_medical_institutions: c.designatedMedicalInstitutions,
      always_reimbursement: c.alwaysReimbursement,
      max_copayment_monthly: c.maxCopayment.monthly ?? null,
      max_copayment_per_visit: c.maxCopayment.perVisit ?? null,
      valid_from: c.validFrom,
      valid_to: c.validTo,
      is_deleted: c.isDeleted,
      certification_detail: c.certificationDetail,
    })),
  );
  const changed = await db.query<{ history_key: string; issuer_code: string; inserted: boolean }>(SAVE, [json, at.toISOString()]);
  const outcome: SaveOutcome = { inserted: [], updated: [], unchanged: [] };
  const seen = new Set<string>();
  for (const r of changed) {
    (r.inserted ? outcome.inserted : outcome.updated).push(r.history_key);
    seen.add(rowKey(r.issuer_code, r.history_key));
  }
  for (const [key, row] of byKey) if (!seen.has(key)) outcome.unchanged.push(row.historyKey);
  return outcome;
}

export interface DeleteOutcome {
  deleted: string[];
  /** Already deleted before: nothing changed. */
  unchanged: string[];
  /** No record of this issuer has the key (another issuer's key is answered alike). */
  missing: string[];
}

/** Marks the issuer's records deleted by historyKey; deleting twice changes nothing. */
export async function deleteCertificates(db: Db, issuerCode: string, historyKeys: readonly string[], at: Date): Promise<DeleteOutcome> {
  const keys = [...new Set(historyKeys)];
  if (keys.length === 0) return { deleted: [], unchanged: [], missing: [] };
  return db.transaction(async (tx) => {
    const deleted = await tx.query<{ history_key: string }>(
      `update medical_subsidy_certificates set is_deleted = true, updated_at = $3
       where issuer_code = $1 and history_key = any($2::text[]) and not is_deleted returning history_key`,
      [issuerCode, keys, at.toISOString()],
    );
    const found = await tx.query<{ history_key: string }>(
      "select history_key from medical_subsidy_certificates where issuer_code = $1 and history_key = any($2::text[])",
      [issuerCode, keys],
    );
    const gone = new Set(deleted.map((r) => r.history_key));
    const present = new Set(found.map((r) => r.history_key));
    return {
      deleted: keys.filter((k) => gone.has(k)),
      unchanged: keys.filter((k) => present.has(k) && !gone.has(k)),
      missing: keys.filter((k) => !present.has(k)),
    };
  });
}

interface CertificateRow {
  issuer_code: string;
  history_key: string;
  person_id: number;
  programme: string;
  org_certificate_type_id: string | null;
  insurer_number: string;
  recipient_number: string | null;
  certification_name: string;
  certification_sub_key: string | null;
  segment: string | null;
  income_segment: string | null;
  additional_conditions: string | null;
  designated_medical_institutions: string[];
  always_reimbursement: boolean;
  max_copayment_monthly: number | null;
  max_copayment_per_visit: number | null;
  valid_from: string;
  valid_to: string | null;
  is_deleted: boolean;
  certification_detail: CertificationDetailItem[];
}

function toCertificate(r: CertificateRow): SubsidyCertificate {
  const maxCopayment: SubsidyCertificate["maxCopayment"] = {};
  if (r.max_copayment_monthly !== null) maxCopayment.monthly = r.max_copayment_monthly;
  if (r.max_copayment_per_visit !== null) maxCopayment.perVisit = r.max_copayment_per_visit;
  return {
    issuerCode: r.issuer_code,
    historyKey: r.history_key,
    personId: Number(r.person_id),
    programme: r.programme,
    orgCertificateTypeId: r.org_certificate_type_id,
    insurerNumber: r.insurer_number,
    recipientNumber: r.recipient_number,
    certificationName: r.certification_name,
    certificationSubKey: r.certification_sub_key,
    segment: r.segment,
    incomeSegment: r.income_segment,
    additionalConditions: r.additional_conditions,
    designatedMedicalInstitutions: r.designated_medical_institutions,
    alwaysReimbursement: r.always_reimbursement,
    maxCopayment,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    isDeleted: r.is_deleted,
    certificationDetail: r.certification_detail,
  };
}

const SELECT = `select issuer_code, history_key, ${COLUMNS} from medical_subsidy_certificates`;

/** One record of an issuer (deleted ones included), or undefined. */
export async function findCertificate(db: Db, issuerCode: string, historyKey: string): Promise<SubsidyCertificate | undefined> {
  const [row] = await db.query<CertificateRow>(`${SELECT} where issuer_code = $1 and history_key = $2`, [issuerCode, historyKey]);
  return row ? toCertificate(row) : undefined;
}

/**
 * The persons' records in force on `date` (YYYY-MM-DD: validFrom ≤ date ≤ validTo, not deleted),
 * and, given a facility, only those valid there (no designated facilities, or the facility among
 * them). Ordered by person, then validFrom, issuer and key.
 */
export async function certificatesValidOn(db: Db, personIds: readonly number[], date: string, facilityCode?: string): Promise<SubsidyCertificate[]> {
  if (personIds.length === 0) return [];
  const rows = await db.query<CertificateRow>(
    `${SELECT}
     where person_id = any($1::bigint[]) and not is_deleted
       and valid_from <= $2::date and (valid_to is null or valid_to >= $2::date)
       and ($3::text is null or cardinality(designated_medical_institutions) = 0 or $3::text = any(designated_medical_institutions))
     order by person_id, valid_from, issuer_code, history_key`,
    [personIds, date, facilityCode ?? null],
  );
  return rows.map(toCertificate);
}
