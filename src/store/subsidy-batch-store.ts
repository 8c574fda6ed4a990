// A 取りまとめ者's batches (022's subsidy_batches) and the cases they open, written in bulk: the
// batch row, then every case and its opening transition by COPY with ids reserved beforehand, in
// the caller's transaction, so thousands of lines cost a few statements, not a round trip each.
// A single application opens its case through subsidy-case-store.ts's openCase; both write the same
// columns (the opening transition is seq 1, action apply, from no state to 申請中).
import type { Db } from "../db/client.ts";
import { copyField } from "../db/copy-field.ts";
import type { CaseKind } from "../subsidy/case-states.ts";
import type { LineError } from "../subsidy/batch-lines.ts";

export interface BatchRow {
  batchId: number;
  vendorAccountId: number;
  mode: "partial" | "all_or_nothing";
  format: "csv" | "jsonl";
  receivedAt: Date;
  lines: number;
  accepted: number;
  refused: number;
  errors: LineError[];
}

/** One case a batch line opens. */
export interface BatchCase {
  line: number;
  facilityCode: string;
  program: string;
  kind: CaseKind;
  application: { unknown: readonly string[] } & object;
  calculation: object | null;
  requestedYen: number | null;
  requestedReaders: number | null;
}

/** The vendor who sent the batch, as the cases and their transitions record the actor. */
export interface BatchActor {
  accountId: number;
  name: string;
}

const jsonOf = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

function batchOf(row: Record<string, unknown>): BatchRow {
  return {
    batchId: Number(row.batch_id),
    vendorAccountId: Number(row.vendor_account_id),
    mode: row.mode as BatchRow["mode"],
    format: row.format as BatchRow["format"],
    receivedAt: new Date(row.received_at as string | Date),
    lines: Number(row.lines),
    accepted: Number(row.accepted),
    refused: Number(row.refused),
    errors: jsonOf(row.errors) as LineError[],
  };
}

/** Keys `facility|program|kind` of the live cases (申請中, 差戻し) among `facilities`: a second one is refused (022's subsidy_cases_live). */
export async function liveCaseKeys(db: Db, facilities: readonly string[]): Promise<Set<string>> {
  const rows = await db.query<{ key: string }>(
    `select medical_institution_code || '|' || program || '|' || kind as key from subsidy_cases
     where medical_institution_code = any($1::text[]) and state in ('applied', 'sent_back')`,
    [facilities],
  );
  return new Set(rows.map((r) => r.key));
}

export async function insertBatch(tx: Db, b: Omit<BatchRow, "batchId">): Promise<BatchRow> {
  const rows = await tx.query<Record<string, unknown>>(
    `insert into subsidy_batches (vendor_account_id, mode, format, received_at, lines, accepted, refused, errors)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning *`,
    [b.vendorAccountId, b.mode, b.format, b.receivedAt.toISOString(), b.lines, b.accepted, b.refused, JSON.stringify(b.errors)],
  );
  return batchOf(rows[0]!);
}

const CASE_COLUMNS = [
  "case_id", "medical_institution_code", "program", "kind", "state", "version", "application", "calculation",
  "requested_yen", "requested_readers", "batch_id", "applied_by_role", "applied_by_account", "created_at", "updated_at",
] as const;
const TRANSITION_COLUMNS = ["case_id", "seq", "from_state", "to_state", "action", "actor_role", "actor_account", "actor_name", "at", "detail"] as const;

/**
 * Opens the batch's cases in 申請中 with their opening transitions (detail: the batch and the line, as apply's),
 * by COPY in the caller's transaction; the case ids, in the order of `cases`. A live case opened
 * meanwhile by another application makes the COPY fail on 022's unique index (SQLSTATE 23505).
 */
export async function copyBatchCases(tx: Db, batchId: number, cases: readonly BatchCase[], actor: BatchActor, at: Date): Promise<number[]> {
  if (cases.length === 0) return [];
  const ids = (
    await tx.query<{ id: number }>("select nextval(pg_get_serial_sequence('subsidy_cases', 'case_id')) as id from generate_series(1, $1::int)", [cases.length])
  ).map((r) => Number(r.id));
  const when = at.toISOString();
  const vendor = copyField(actor.name);
  await tx.copyRows(
    "subsidy_cases",
    CASE_COLUMNS,
    cases.map(
      (c, i) =>
        `${ids[i]}\t${c.facilityCode}\t${copyField(c.program)}\t${c.kind}\tapplied\t1\t${copyField(JSON.stringify(c.application))}\t` +
        `${copyField(c.calculation === null ? null : JSON.stringify(c.calculation))}\t${copyField(c.requestedYen)}\t${copyField(c.requestedReaders)}\t` +
        `${batchId}\tvendor\t${actor.accountId}\t${when}\t${when}\n`,
    ),
  );
  await tx.copyRows(
    "subsidy_case_transitions",
    TRANSITION_COLUMNS,
    cases.map((c, i) => {
      // As a single application's opening transition, with the batch and the line; unknown: the period's limits not published.
      const detail = { batch: batchId, line: c.line, ...(c.application.unknown.length > 0 ? { unknown: c.application.unknown } : {}) };
      return `${ids[i]}\t1\t\\N\tapplied\tapply\tvendor\t${actor.accountId}\t${vendor}\t${when}\t${copyField(JSON.stringify(detail))}\n`;
    }),
  );
  return ids;
}

/** The vendor's batch (undefined for another vendor's or none: answered alike). */
export async function findBatch(db: Db, vendorAccountId: number, batchId: number): Promise<BatchRow | undefined> {
  const rows = await db.query<Record<string, unknown>>("select * from subsidy_batches where batch_id = $1 and vendor_account_id = $2", [batchId, vendorAccountId]);
  return rows[0] && batchOf(rows[0]);
}

/** The vendor's batches, newest first. */
export async function listBatches(db: Db, vendorAccountId: number, limit: number): Promise<BatchRow[]> {
  const rows = await db.query<Record<string, unknown>>("select * from subsidy_batches where vendor_account_id = $1 order by batch_id desc limit $2", [vendorAccountId, limit]);
  return rows.map(batchOf);
}

export interface BatchCaseRow {
  line: number;
  caseId: number;
  facilityCode: string;
  program: string;
  kind: CaseKind;
  state: string;
  requestedYen: number | null;
  requestedReaders: number | null;
}

/** The cases a batch opened, in line order, with their state now. */
export async function batchCases(db: Db, batchId: number): Promise<BatchCaseRow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `select (t.detail->>'line')::int as line, c.case_id, c.medical_institution_code, c.program, c.kind, c.state, c.requested_yen, c.requested_readers
     from subsidy_cases c join subsidy_case_transitions t on t.case_id = c.case_id and t.seq = 1
     where c.batch_id = $1 order by line`,
    [batchId],
  );
  return rows.map((r) => ({
    line: Number(r.line),
    caseId: Number(r.case_id),
    facilityCode: r.medical_institution_code as string,
    program: r.program as string,
    kind: r.kind as CaseKind,
    state: r.state as string,
    requestedYen: r.requested_yen === null ? null : Number(r.requested_yen),
    requestedReaders: r.requested_readers === null ? null : Number(r.requested_readers),
  }));
}
