// A municipality's (or prefecture's) upload of 受給者証 to onshi's PMH, modelled on the 自治体→PMH
// registration API: register, update (by historyKey) and delete (isDeleted "1") in bulk. Every
// record is checked on its own; a refused record is answered in its place and the others are
// stored, all in one transaction. The upload reaches only the uploader's records: keys are the
// issuer's own, and deleting a key it never registered is answered as not found (E8568) whether
// another issuer has that key or nobody does. The same upload twice changes nothing.
//
// The 個人番号 of each record is hashed (HMAC-SHA-256 under the database's resolution key) as soon
// as the record is checked, the person is found by the digest, and the number goes no further:
// it is not stored, logged or answered (docs/pmh.md).
import type { Db } from "../db/client.ts";
import type { SubsidyCertificate } from "../domain/medical-subsidy.ts";
import { resolutionDigest } from "../domain/my-number.ts";
import { checkUploadRecord, recordHistoryKey, type CheckedRegistration, type RecordRefusal } from "../domain/pmh-upload-record.ts";
import { errorMessage, OqsError, type ErrorCode } from "../errors/catalogue.ts";
import { deleteCertificates, saveCertificates } from "../store/medical-subsidy-store.ts";
import { personsByDigest, resolutionKey } from "../store/person-resolution-store.ts";

/** Records per upload: about 6 MB of JSON at the API's field sizes, answered within seconds. */
export const MAX_UPLOAD_RECORDS = 10_000;

export type RecordOutcome = "registered" | "updated" | "unchanged" | "deleted" | "refused";

export interface RecordResult {
  /** The record's place in the upload, from 0. */
  index: number;
  historyKey?: string;
  result: RecordOutcome;
  code?: ErrorCode;
  message?: string;
}

export interface UploadAnswer {
  municipalityCode: string;
  counts: Record<RecordOutcome, number>;
  results: RecordResult[];
}

/** The records of an upload body; E8553 when it has none as an array, E8554 when there are too many or none. */
function recordsOf(body: unknown): unknown[] {
  const records = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as { certificates?: unknown }).certificates : undefined;
  if (!Array.isArray(records)) throw new OqsError("E8553", "certificates");
  if (Object.keys(body as object).some((k) => k !== "certificates")) throw new OqsError("E8553", Object.keys(body as object).find((k) => k !== "certificates"));
  if (records.length === 0 || records.length > MAX_UPLOAD_RECORDS) throw new OqsError("E8554");
  return records;
}

export async function uploadCertificates(db: Db, issuerCode: string, body: unknown, now: Date): Promise<UploadAnswer> {
  const raws = recordsOf(body);
  const results: RecordResult[] = new Array(raws.length);
  const refuse = (index: number, historyKey: string | undefined, refusal: RecordRefusal) => {
    results[index] = { index, ...(historyKey !== undefined ? { historyKey } : {}), result: "refused", code: refusal.code, message: errorMessage(refusal.code, refusal.field) };
  };

  // A key twice in one upload is ambiguous: every record with it is refused.
  const seen = new Map<string, number>();
  const keys = raws.map(recordHistoryKey);
  for (const key of keys) if (key !== undefined) seen.set(key, (seen.get(key) ?? 0) + 1);

  const hmacKey = await resolutionKey(db);
  const registrations: { index: number; record: Omit<CheckedRegistration, "myNumber">; digest: Buffer }[] = [];
  const deletions: { index: number; historyKey: string }[] = [];
  raws.forEach((raw, index) => {
    const key = keys[index];
    const checked = checkUploadRecord(raw, issuerCode);
    if (!checked.ok) return refuse(index, key, checked.refusal);
    if ((seen.get(checked.record.historyKey) ?? 0) > 1) return refuse(index, key, { code: "E8569", field: "historyKey" });
    if (checked.record.kind === "delete") return void deletions.push({ index, historyKey: checked.record.historyKey });
    // The number becomes its digest here and is dropped with the checked record.
    const { myNumber, ...record } = checked.record;
    registrations.push({ index, record, digest: resolutionDigest(hmacKey, myNumber) });
  });

  const persons = await personsByDigest(db, registrations.map((r) => r.digest));
  const certificates: { index: number; certificate: SubsidyCertificate }[] = [];
  for (const { index, record, digest } of registrations) {
    const personId = persons.get(digest.toString("hex"));
    if (personId === undefined) {
      refuse(index, record.historyKey, { code: "E8557", field: "myNumber" });
      continue;
    }
    certificates.push({ index, certificate: toCertificate(issuerCode, personId, record) });
  }

  await db.transaction(async (tx) => {
    const saved = await saveCertificates(tx, certificates.map((c) => c.certificate), now);
    const deleted = await deleteCertificates(tx, issuerCode, deletions.map((d) => d.historyKey), now);
    const outcome = new Map<string, RecordOutcome>();
    for (const k of saved.inserted) outcome.set(k, "registered");
    for (const k of saved.updated) outcome.set(k, "updated");
    for (const k of saved.unchanged) outcome.set(k, "unchanged");
    for (const c of certificates) results[c.index] = { index: c.index, historyKey: c.certificate.historyKey, result: outcome.get(c.certificate.historyKey)! };
    const gone = new Set(deleted.deleted);
    const missing = new Set(deleted.missing);
    for (const d of deletions) {
      if (missing.has(d.historyKey)) refuse(d.index, d.historyKey, { code: "E8568", field: "historyKey" });
      else results[d.index] = { index: d.index, historyKey: d.historyKey, result: gone.has(d.historyKey) ? "deleted" : "unchanged" };
    }
  });

  const counts: Record<RecordOutcome, number> = { registered: 0, updated: 0, unchanged: 0, deleted: 0, refused: 0 };
  for (const r of results) counts[r.result]++;
  return { municipalityCode: issuerCode, counts, results };
}

function toCertificate(issuerCode: string, personId: number, r: Omit<CheckedRegistration, "myNumber">): SubsidyCertificate {
  return {
    issuerCode,
    historyKey: r.historyKey,
    personId,
    programme: r.programme.key,
    orgCertificateTypeId: r.orgCertificateTypeId,
    insurerNumber: r.insurerNumber,
    recipientNumber: r.recipientNumber,
    certificationName: r.certificationName,
    certificationSubKey: r.certificationSubKey,
    segment: r.segment,
    incomeSegment: r.incomeSegment,
    additionalConditions: r.additionalConditions,
    designatedMedicalInstitutions: r.designatedMedicalInstitutions,
    alwaysReimbursement: r.alwaysReimbursement,
    maxCopayment: r.maxCopayment,
    validFrom: r.validFrom,
    validTo: r.validTo,
    isDeleted: false,
    certificationDetail: r.certificationDetail,
  };
}
