// The audit log (migration 012, docs/audit.md): appended in the transaction of the view it records,
// read back for verification and for the patient's own 閲覧履歴. Nothing here updates or deletes.
import type { Db } from "../db/client.ts";
import { CHAIN_START, type ChainLink, type StoredAuditRecord } from "../domain/audit-chain.ts";
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

// The time as a number: parsing a timestamptz into a Date costs more than all the hashing.
const AT_MS = "(extract(epoch from at) * 1000)::float8 as at_ms";
type RecordRow = { seq: number; at_ms: number; facility_code: string; person_id: number; body: string; prev_hash: string; hash: string };
const recordOf = (r: RecordRow): StoredAuditRecord => ({ seq: r.seq, atMs: r.at_ms, facilityCode: r.facility_code, personId: r.person_id, body: r.body, prevHash: r.prev_hash, hash: r.hash });

/** The chain's last record as audit_chain_head records it. */
export async function auditHead(db: Db): Promise<ChainLink> {
  const [head] = await db.query<ChainLink>("select seq, hash from audit_chain_head where id = 1");
  return head ?? CHAIN_START;
}

/** The first and last seq of the records viewed in [from, to) (either open), or undefined when there are none. */
export async function auditSeqRange(db: Db, from: Date | undefined, to: Date | undefined): Promise<{ first: number; last: number } | undefined> {
  const [row] = await db.query<{ first: number | null; last: number | null }>(
    "select min(seq) as first, max(seq) as last from audit_records where ($1::timestamptz is null or at >= $1) and ($2::timestamptz is null or at < $2)",
    [from?.toISOString() ?? null, to?.toISOString() ?? null],
  );
  return row?.first == null || row.last == null ? undefined : { first: Number(row.first), last: Number(row.last) };
}

/** The record before `seq` (the anchor of a check starting there), or undefined at the chain's start. */
export async function auditLinkBefore(db: Db, seq: number): Promise<ChainLink | undefined> {
  const [row] = await db.query<ChainLink>("select seq, hash from audit_records where seq < $1 order by seq desc limit 1", [seq]);
  return row;
}

/** Records with first ≤ seq ≤ last, in seq order, read `batch` at a time. */
export async function* readAuditRecords(db: Db, first: number, last: number, batch = 10_000): AsyncGenerator<StoredAuditRecord[]> {
  let after = first - 1;
  for (;;) {
    const rows = await db.query<RecordRow>(
      `select seq, ${AT_MS}, facility_code, person_id, body, prev_hash, hash from audit_records where seq > $1 and seq <= $2 order by seq limit $3`,
      [after, last, batch],
    );
    if (rows.length === 0) return;
    yield rows.map(recordOf);
    after = rows[rows.length - 1]!.seq;
  }
}

/** The seq of the record with this hash, if any (to tell a removed record from a moved one). */
export async function auditSeqOfHash(db: Db, hash: string): Promise<number | undefined> {
  const [row] = await db.query<{ seq: number }>("select seq from audit_records where hash = $1 limit 1", [hash]);
  return row?.seq;
}

/** When the record at seq was viewed, if it exists. */
export async function auditTimeOf(db: Db, seq: number): Promise<Date | undefined> {
  const [row] = await db.query<{ at: Date }>("select at from audit_records where seq = $1", [seq]);
  return row?.at;
}

/** One view of a person's information as their 閲覧履歴 shows it. */
export interface AccessRow {
  at: Date;
  facilityCode: string;
  /** The facility's name as registered now (null if it is no longer registered). */
  facilityName: string | null;
  categories: string[];
  basis: "consent" | "disaster" | null;
}

/**
 * The views of `personId`'s information that were shown (refusals showed nothing), newest first,
 * viewed in [from, to); at most `limit`. Only this person's: the person is the query's key.
 */
export async function personAccessHistory(db: Db, personId: number, from: Date | undefined, to: Date | undefined, limit: number): Promise<AccessRow[]> {
  const rows = await db.query<{ at: Date; facility_code: string; name: string | null; categories: string[]; basis: AccessRow["basis"] }>(
    `select r.at, r.facility_code, f.name, b.doc -> 'categories' as categories, b.doc -> 'basis' ->> 'kind' as basis
     from audit_records r cross join lateral (select r.body::jsonb as doc) b
     left join facilities f on f.medical_institution_code = r.facility_code
     where r.person_id = $1 and b.doc ->> 'result' = 'shown'
       and ($2::timestamptz is null or r.at >= $2) and ($3::timestamptz is null or r.at < $3)
     order by r.person_id, r.seq desc limit $4`,
    [personId, from?.toISOString() ?? null, to?.toISOString() ?? null, limit],
  );
  return rows.map((r) => ({ at: r.at, facilityCode: r.facility_code, facilityName: r.name, categories: r.categories, basis: r.basis }));
}
