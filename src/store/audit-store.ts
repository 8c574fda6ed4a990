// The audit log (migration 012, docs/audit.md): appended in the transaction of the view it records,
// read back for verification and for the patient's own 閲覧履歴. Nothing here updates or deletes.
import type { Db } from "../db/client.ts";
import { auditBody, type AuditEvent } from "../domain/audit.ts";

// One statement: lock the head (concurrent appends queue here until this transaction ends), insert
// the next record chained to it, move the head. The hash is the formula of auditHash, in SQL.
const APPEND = `
with head as (select seq, hash from audit_chain_head where id = 1 for update),
record as (
  insert into audit_records (seq, at, facility_code, person_id, body, prev_hash, hash)
  select seq + 1, $1, $2, $3, $4, hash, encode(sha256(convert_to(hash || chr(10) || $4, 'UTF8')), 'hex') from head
  returning seq, hash
)
update audit_chain_head h set seq = record.seq, hash = record.hash from record where h.id = 1`;

/** Appends one event to the chain; call it inside the transaction of the view it records. */
export async function appendAudit(tx: Db, event: AuditEvent): Promise<void> {
  await tx.query(APPEND, [event.at.toISOString(), event.facilityCode, event.personId, auditBody(event)]);
}
