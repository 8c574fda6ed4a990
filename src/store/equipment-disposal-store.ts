// Disposal requests for funded readers (第5 1(2)(3), table equipment_disposals): a facility asks,
// an examiner approves or refuses once. A decision locks the request's row (select … for update),
// so of two examiners deciding at once exactly one decides and the other finds it decided.
import type { Db } from "../db/client.ts";

export type DisposalState = "requested" | "approved" | "refused";

export interface Disposal {
  disposalId: number;
  facilityCode: string;
  caseId: number;
  state: DisposalState;
  readers: number;
  reason: string;
  plannedOn: string;
  requestedAt: Date;
  requestedBy: number;
  requestedByName: string;
  decidedAt: Date | null;
  decidedBy: number | null;
  decidedByName: string | null;
  decisionNote: string | null;
}

interface Row {
  disposal_id: number;
  medical_institution_code: string;
  case_id: number;
  state: DisposalState;
  readers: number;
  reason: string;
  planned_on: string;
  requested_at: Date;
  requested_by: number;
  requested_by_name: string;
  decided_at: Date | null;
  decided_by: number | null;
  decided_by_name: string | null;
  decision_note: string | null;
}

const COLUMNS = `disposal_id, medical_institution_code, case_id, state, readers, reason, planned_on, requested_at, requested_by,
  requested_by_name, decided_at, decided_by, decided_by_name, decision_note`;

const disposalOf = (r: Row): Disposal => ({
  disposalId: r.disposal_id,
  facilityCode: r.medical_institution_code,
  caseId: r.case_id,
  state: r.state,
  readers: r.readers,
  reason: r.reason,
  plannedOn: r.planned_on,
  requestedAt: r.requested_at,
  requestedBy: r.requested_by,
  requestedByName: r.requested_by_name,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
  decidedByName: r.decided_by_name,
  decisionNote: r.decision_note,
});

export interface NewDisposal {
  facilityCode: string;
  caseId: number;
  readers: number;
  reason: string;
  plannedOn: string;
  requestedBy: number;
  requestedByName: string;
}

export async function insertDisposal(tx: Db, d: NewDisposal, at: Date): Promise<Disposal> {
  const [row] = await tx.query<Row>(
    `insert into equipment_disposals (medical_institution_code, case_id, state, readers, reason, planned_on, requested_at, requested_by, requested_by_name)
     values ($1, $2, 'requested', $3, $4, $5, $6, $7, $8) returning ${COLUMNS}`,
    [d.facilityCode, d.caseId, d.readers, d.reason, d.plannedOn, at.toISOString(), d.requestedBy, d.requestedByName],
  );
  return disposalOf(row!);
}

export async function loadDisposal(db: Db, disposalId: number): Promise<Disposal | undefined> {
  const [row] = await db.query<Row>(`select ${COLUMNS} from equipment_disposals where disposal_id = $1`, [disposalId]);
  return row && disposalOf(row);
}

/** The request with its row locked until the transaction ends. */
export async function lockDisposal(tx: Db, disposalId: number): Promise<Disposal | undefined> {
  const [row] = await tx.query<Row>(`select ${COLUMNS} from equipment_disposals where disposal_id = $1 for update`, [disposalId]);
  return row && disposalOf(row);
}

export async function decideDisposal(
  tx: Db,
  disposalId: number,
  state: "approved" | "refused",
  decision: { by: number; byName: string; note: string | null },
  at: Date,
): Promise<Disposal> {
  const [row] = await tx.query<Row>(
    `update equipment_disposals set state = $2, decided_at = $3, decided_by = $4, decided_by_name = $5, decision_note = $6
      where disposal_id = $1 and state = 'requested' returning ${COLUMNS}`,
    [disposalId, state, at.toISOString(), decision.by, decision.byName, decision.note],
  );
  if (!row) throw new Error(`disposal ${disposalId} was not locked in 'requested' before its decision`);
  return disposalOf(row);
}

/** Requests, newest first: a facility's, or (no facility) everyone's; optionally in one state. */
export async function listDisposals(db: Db, filter: { facilityCode?: string; state?: DisposalState } = {}): Promise<Disposal[]> {
  const rows = await db.query<Row>(
    `select ${COLUMNS} from equipment_disposals
      where ($1::text is null or medical_institution_code = $1) and ($2::text is null or state = $2)
      order by disposal_id desc limit 500`,
    [filter.facilityCode ?? null, filter.state ?? null],
  );
  return rows.map(disposalOf);
}

/** Readers of a case already approved for disposal or waiting for a decision. */
export async function readersInDisposal(db: Db, caseId: number): Promise<number> {
  const [row] = await db.query<{ readers: number }>(`select coalesce(sum(readers), 0)::bigint as readers from equipment_disposals where case_id = $1 and state <> 'refused'`, [caseId]);
  return row!.readers;
}
