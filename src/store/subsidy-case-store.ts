// The subsidy office's cases, their transitions and the 補助金台帳 (022_subsidy_office.sql). A
// transition is applied only inside a transaction that locked the case row (select … for update)
// and found the state machine (src/subsidy/case-states.ts) and the expected version agreeing, so
// two actors on one case leave exactly one outcome and the other a coded error, never a 500.
import type { Db } from "../db/client.ts";
import { OqsError } from "../errors/catalogue.ts";
import { transitionOf, type ActorRole, type CaseAction, type CaseKind, type CaseState, type TransitionRefusal, type TransitionRule } from "../subsidy/case-states.ts";
import { fiscalYearOf } from "../subsidy/retention.ts";

/** Who acts: role, account (staff or office account; null for 'system') and the name shown. */
export interface CaseActor {
  role: ActorRole;
  accountId: number | null;
  name: string;
  /** A facility actor's own facility: the only one whose cases it may see or act on. */
  facilityCode?: string;
}

export interface SubsidyCase {
  caseId: number;
  facilityCode: string;
  program: string;
  kind: CaseKind;
  state: CaseState;
  version: number;
  application: Record<string, unknown>;
  calculation: Record<string, unknown> | null;
  requestedYen: number | null;
  requestedReaders: number | null;
  decidedYen: number | null;
  decidedReaders: number | null;
  paidYen: number | null;
  paidOn: string | null;
  batchId: number | null;
  appliedByRole: "facility" | "vendor";
  appliedByAccount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CaseTransition {
  caseId: number;
  seq: number;
  fromState: CaseState | null;
  toState: CaseState;
  action: CaseAction;
  actorRole: ActorRole;
  actorAccount: number | null;
  actorName: string;
  at: Date;
  reason: string | null;
  documents: unknown[];
  detail: Record<string, unknown>;
}

/** A case's columns a transition may set besides its state (each optional; absent keeps the value). */
export interface CaseChanges {
  application?: object;
  calculation?: object | null;
  requestedYen?: number | null;
  requestedReaders?: number | null;
  decidedYen?: number | null;
  decidedReaders?: number | null;
  paidYen?: number | null;
  paidOn?: string | null;
}

const CHANGE_COLUMNS: Record<keyof CaseChanges, string> = {
  application: "application",
  calculation: "calculation",
  requestedYen: "requested_yen",
  requestedReaders: "requested_readers",
  decidedYen: "decided_yen",
  decidedReaders: "decided_readers",
  paidYen: "paid_yen",
  paidOn: "paid_on",
};
const JSON_CHANGES = new Set<keyof CaseChanges>(["application", "calculation"]);

export interface NewCase {
  facilityCode: string;
  program: string;
  kind: CaseKind;
  application: object;
  calculation: object | null;
  requestedYen: number | null;
  requestedReaders: number | null;
  batchId?: number;
  /** Of the opening transition (seq 1). */
  documents?: unknown[];
  detail?: Record<string, unknown>;
}

export interface TransitionOptions {
  /** The version the actor saw; a case moved since is refused E9505. */
  expectedVersion?: number;
  reason?: string;
  documents?: unknown[];
  detail?: Record<string, unknown>;
  set?: CaseChanges;
}

type Row = Record<string, unknown>;

export const CASE_COLUMNS = `c.case_id, c.medical_institution_code, c.program, c.kind, c.state, c.version, c.application, c.calculation,
  c.requested_yen, c.requested_readers, c.decided_yen, c.decided_readers, c.paid_yen, c.paid_on, c.batch_id,
  c.applied_by_role, c.applied_by_account, c.created_at, c.updated_at`;

const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const jsonOf = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

export function caseOf(row: Row): SubsidyCase {
  return {
    caseId: Number(row.case_id),
    facilityCode: row.medical_institution_code as string,
    program: row.program as string,
    kind: row.kind as CaseKind,
    state: row.state as CaseState,
    version: Number(row.version),
    application: jsonOf(row.application) as Record<string, unknown>,
    calculation: (jsonOf(row.calculation) ?? null) as Record<string, unknown> | null,
    requestedYen: numberOrNull(row.requested_yen),
    requestedReaders: numberOrNull(row.requested_readers),
    decidedYen: numberOrNull(row.decided_yen),
    decidedReaders: numberOrNull(row.decided_readers),
    paidYen: numberOrNull(row.paid_yen),
    paidOn: (row.paid_on as string | null) ?? null,
    batchId: numberOrNull(row.batch_id),
    appliedByRole: row.applied_by_role as "facility" | "vendor",
    appliedByAccount: Number(row.applied_by_account),
    createdAt: new Date(row.created_at as string | Date),
    updatedAt: new Date(row.updated_at as string | Date),
  };
}

function transitionRowOf(row: Row): CaseTransition {
  return {
    caseId: Number(row.case_id),
    seq: Number(row.seq),
    fromState: (row.from_state as CaseState | null) ?? null,
    toState: row.to_state as CaseState,
    action: row.action as CaseAction,
    actorRole: row.actor_role as ActorRole,
    actorAccount: numberOrNull(row.actor_account),
    actorName: row.actor_name as string,
    at: new Date(row.at as string | Date),
    reason: (row.reason as string | null) ?? null,
    documents: jsonOf(row.documents) as unknown[],
    detail: jsonOf(row.detail) as Record<string, unknown>,
  };
}

async function insertTransition(
  tx: Db,
  caseId: number,
  seq: number,
  from: CaseState | null,
  to: CaseState,
  action: CaseAction,
  actor: CaseActor,
  at: Date,
  options: TransitionOptions,
): Promise<void> {
  await tx.query(
    `insert into subsidy_case_transitions (case_id, seq, from_state, to_state, action, actor_role, actor_account, actor_name, at, reason, documents, detail)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      caseId,
      seq,
      from,
      to,
      action,
      actor.role,
      actor.accountId,
      actor.name,
      at.toISOString(),
      options.reason?.trim() || null,
      JSON.stringify(options.documents ?? []),
      JSON.stringify(options.detail ?? {}),
    ],
  );
}

/**
 * Opens a case in 申請中 with its first transition (seq 1, action apply). Undefined when the
 * facility already has a live case (申請中 or 差戻し) for the programme and kind: the partial unique
 * index decides, so two applications at once cannot both open one.
 */
export async function openCase(tx: Db, c: NewCase, actor: CaseActor, at: Date): Promise<SubsidyCase | undefined> {
  if (actor.role !== "facility" && actor.role !== "vendor") throw new OqsError("E9502", actor.role);
  const rows = await tx.query<Row>(
    `insert into subsidy_cases as c (medical_institution_code, program, kind, state, version, application, calculation,
       requested_yen, requested_readers, batch_id, applied_by_role, applied_by_account, created_at, updated_at)
     values ($1, $2, $3, 'applied', 1, $4, $5, $6, $7, $8, $9, $10, $11, $11)
     on conflict (medical_institution_code, program, kind) where state in ('applied', 'sent_back') do nothing
     returning ${CASE_COLUMNS}`,
    [
      c.facilityCode,
      c.program,
      c.kind,
      JSON.stringify(c.application),
      c.calculation === null ? null : JSON.stringify(c.calculation),
      c.requestedYen,
      c.requestedReaders,
      c.batchId ?? null,
      actor.role,
      actor.accountId,
      at.toISOString(),
    ],
  );
  const row = rows[0];
  if (!row) return undefined;
  const opened = caseOf(row);
  await insertTransition(tx, opened.caseId, 1, null, "applied", "apply", actor, at, { documents: c.documents, detail: c.detail });
  return opened;
}

export async function loadCase(db: Db, caseId: number): Promise<SubsidyCase | undefined> {
  const rows = await db.query<Row>(`select ${CASE_COLUMNS} from subsidy_cases c where c.case_id = $1`, [caseId]);
  return rows[0] && caseOf(rows[0]);
}

/** The case with its row locked until the transaction ends. */
export async function lockCase(tx: Db, caseId: number): Promise<SubsidyCase | undefined> {
  const rows = await tx.query<Row>(`select ${CASE_COLUMNS} from subsidy_cases c where c.case_id = $1 for update`, [caseId]);
  return rows[0] && caseOf(rows[0]);
}

/** A facility's cases, newest first; `program` narrows to one programme. */
export async function listFacilityCases(db: Db, facilityCode: string, program?: string): Promise<SubsidyCase[]> {
  const rows = await db.query<Row>(
    `select ${CASE_COLUMNS} from subsidy_cases c where c.medical_institution_code = $1 and ($2::text is null or c.program = $2)
     order by c.case_id desc`,
    [facilityCode, program ?? null],
  );
  return rows.map(caseOf);
}

export async function listTransitions(db: Db, caseId: number): Promise<CaseTransition[]> {
  const rows = await db.query<Row>(`select * from subsidy_case_transitions where case_id = $1 order by seq`, [caseId]);
  return rows.map(transitionRowOf);
}

/** Whether the vendor registered the facility beforehand (第8 3). */
export async function vendorHasFacility(db: Db, vendorAccountId: number, facilityCode: string): Promise<boolean> {
  const rows = await db.query("select 1 from vendor_facilities where vendor_account_id = $1 and medical_institution_code = $2", [vendorAccountId, facilityCode]);
  return rows.length > 0;
}

/** The reason transitionOf gives, as the coded error the actor is answered with. */
export function refusalError(refusal: TransitionRefusal, state: CaseState | null, action: string): OqsError {
  switch (refusal) {
    case "unknown_action":
      return new OqsError("E9504", action);
    case "not_by_role":
      return new OqsError("E9502", action);
    case "not_from_state":
      return new OqsError("E9501", `${state ?? "新規"} → ${action}`);
    case "reason_needed":
      return new OqsError("E9503", action);
  }
}

/**
 * Applies `rule` to the case: locks its row, checks the expected version (E9505) and the state
 * machine on the state as locked (E9501–E9504), then sets the new state and `set`, bumps the
 * version and records the transition (seq = the new version). Must run inside a transaction.
 * E9500 when there is no such case (the caller checked the actor may see it).
 */
export async function transition(tx: Db, caseId: number, rule: TransitionRule | CaseAction, actor: CaseActor, at: Date, options: TransitionOptions = {}): Promise<SubsidyCase> {
  const action = typeof rule === "string" ? rule : rule.action;
  const locked = await lockCase(tx, caseId);
  if (!locked) throw new OqsError("E9500");
  if (options.expectedVersion !== undefined && options.expectedVersion !== locked.version) throw new OqsError("E9505");
  const checked = transitionOf(locked.state, action, actor.role, options.reason);
  if (typeof checked === "string") throw refusalError(checked, locked.state, action);
  const assignments = ["state = $2", "version = version + 1", "updated_at = $3"];
  const params: unknown[] = [caseId, checked.to, at.toISOString()];
  for (const [key, value] of Object.entries(options.set ?? {}) as [keyof CaseChanges, unknown][]) {
    if (value === undefined) continue;
    const column = CHANGE_COLUMNS[key];
    if (!column) throw new Error(`unknown case column ${key}`);
    params.push(JSON_CHANGES.has(key) && value !== null ? JSON.stringify(value) : value);
    assignments.push(`${column} = $${params.length}`);
  }
  const rows = await tx.query<Row>(`update subsidy_cases c set ${assignments.join(", ")} where c.case_id = $1 returning ${CASE_COLUMNS}`, params);
  const moved = caseOf(rows[0]!);
  await insertTransition(tx, caseId, moved.version, locked.state, checked.to, checked.action, actor, at, options);
  return moved;
}

export type LedgerEntryKind = "readers_distributed" | "decided" | "paid" | "cancelled" | "return_ordered" | "returned" | "interest" | "disposal_approved" | "correction";

export interface NewLedgerEntry {
  facilityCode: string;
  caseId?: number | null;
  program: string;
  entry: LedgerEntryKind;
  /** The date the entry is of (a decision's, a payment's); its 年度 is the entry's fiscal year. */
  onDate: string;
  /** Signed: a cancellation or a correction may be negative. */
  yen?: number;
  readers?: number;
  corrects?: number | null;
  note?: string | null;
  actor: CaseActor;
  at: Date;
}

/** Appends one entry to the 補助金台帳 (第13), which no one may update or delete; its id. */
export async function appendLedger(tx: Db, e: NewLedgerEntry): Promise<number> {
  const rows = await tx.query<{ entry_id: number }>(
    `insert into subsidy_ledger (medical_institution_code, case_id, program, fiscal_year, entry, on_date, yen, readers, corrects, note, actor_role, actor_name, recorded_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning entry_id`,
    [
      e.facilityCode,
      e.caseId ?? null,
      e.program,
      fiscalYearOf(e.onDate),
      e.entry,
      e.onDate,
      e.yen ?? 0,
      e.readers ?? 0,
      e.corrects ?? null,
      e.note ?? null,
      e.actor.role,
      e.actor.name,
      e.at.toISOString(),
    ],
  );
  return Number(rows[0]!.entry_id);
}
