// The examiner's side of the subsidy office (docs/subsidy-office.md 「審査と交付決定」): the queue of
// cases waiting for a decision, and the notices sent (025_subsidy_notices.sql).
import type { Db } from "../db/client.ts";

export interface QueueItem {
  caseId: number;
  version: number;
  facilityCode: string;
  facilityName: string;
  program: string;
  kind: "reader_request" | "application";
  requestedYen: number | null;
  requestedReaders: number | null;
  /** The engine's amount when the case was applied (null: it could not tell). */
  calculatedYen: number | null;
  appliedByRole: "facility" | "vendor";
  batchId: number | null;
  /** When the case opened (its place in the queue). */
  openedAt: Date;
  /** When it last moved (a resubmission is later than the opening). */
  updatedAt: Date;
}

type Row = Record<string, unknown>;
const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * Up to `limit` cases in 申請中 after case `after`, oldest first. The order is the case's id, i.e.
 * its first application: a resubmitted case keeps its place (it waited since then), and the
 * queue index (state, case_id) serves the page whatever its depth.
 */
export async function examQueue(db: Db, after: number, limit: number): Promise<QueueItem[]> {
  const rows = await db.query<Row>(
    `select c.case_id, c.version, c.medical_institution_code, f.name, c.program, c.kind, c.requested_yen, c.requested_readers,
       (c.calculation ->> 'amount')::bigint as calculated_yen, c.applied_by_role, c.batch_id, c.created_at, c.updated_at
     from subsidy_cases c join facilities f using (medical_institution_code)
     where c.state = 'applied' and c.case_id > $1 order by c.case_id limit $2`,
    [after, limit],
  );
  return rows.map((r) => ({
    caseId: Number(r.case_id),
    version: Number(r.version),
    facilityCode: r.medical_institution_code as string,
    facilityName: r.name as string,
    program: r.program as string,
    kind: r.kind as QueueItem["kind"],
    requestedYen: numberOrNull(r.requested_yen),
    requestedReaders: numberOrNull(r.requested_readers),
    calculatedYen: numberOrNull(r.calculated_yen),
    appliedByRole: r.applied_by_role as QueueItem["appliedByRole"],
    batchId: numberOrNull(r.batch_id),
    openedAt: new Date(r.created_at as string | Date),
    updatedAt: new Date(r.updated_at as string | Date),
  }));
}

/** How many cases wait in 申請中 (the queue's length). */
export async function examQueueLength(db: Db): Promise<number> {
  const rows = await db.query<{ n: number }>("select count(*)::int as n from subsidy_cases where state = 'applied'");
  return Number(rows[0]!.n);
}

export type NoticeKind = "decision" | "cancellation" | "return_order" | "late_interest";

export interface StoredNotice {
  noticeId: number;
  caseId: number;
  seq: number;
  kind: NoticeKind;
  noticeNumber: string;
  facilityCode: string;
  issuedOn: string;
  content: Record<string, unknown>;
  createdAt: Date;
}

export interface NewNotice {
  caseId: number;
  seq: number;
  kind: NoticeKind;
  noticeNumber: string;
  facilityCode: string;
  issuedOn: string;
  content: object;
  at: Date;
}

const jsonOf = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

function noticeOf(r: Row): StoredNotice {
  return {
    noticeId: Number(r.notice_id),
    caseId: Number(r.case_id),
    seq: Number(r.seq),
    kind: r.kind as NoticeKind,
    noticeNumber: r.notice_number as string,
    facilityCode: r.medical_institution_code as string,
    issuedOn: r.issued_on as string,
    content: jsonOf(r.content) as Record<string, unknown>,
    createdAt: new Date(r.created_at as string | Date),
  };
}

/** Records a notice as sent; in the transaction of the transition it notifies. */
export async function insertNotice(tx: Db, n: NewNotice): Promise<StoredNotice> {
  const rows = await tx.query<Row>(
    `insert into subsidy_notices (case_id, seq, kind, notice_number, medical_institution_code, issued_on, content, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning *`,
    [n.caseId, n.seq, n.kind, n.noticeNumber, n.facilityCode, n.issuedOn, JSON.stringify(n.content), n.at.toISOString()],
  );
  return noticeOf(rows[0]!);
}

/** A facility's notices, newest first; `facilityCode` null lists every facility's (an examiner). */
export async function listNotices(db: Db, filter: { facilityCode?: string; caseId?: number }): Promise<StoredNotice[]> {
  const rows = await db.query<Row>(
    `select * from subsidy_notices where ($1::text is null or medical_institution_code = $1) and ($2::bigint is null or case_id = $2)
     order by notice_id desc`,
    [filter.facilityCode ?? null, filter.caseId ?? null],
  );
  return rows.map(noticeOf);
}

export async function loadNotice(db: Db, noticeId: number): Promise<StoredNotice | undefined> {
  const rows = await db.query<Row>("select * from subsidy_notices where notice_id = $1", [noticeId]);
  return rows[0] && noticeOf(rows[0]);
}
