// Return orders (第11) and the payments recorded on them (022_subsidy_office.sql), and the
// cancellations (第10) they are ordered for, as the case's transitions hold them. Allocation and
// 延滞金 are never stored: src/subsidy/return-statement.ts computes them from these rows.
import type { Db } from "../db/client.ts";

export interface ReturnOrderRow {
  caseId: number;
  orderedOn: string;
  deadline: string;
  subsidyYen: number;
  readerYen: number;
  receivedOn: string;
  ground: string;
}

export interface ReturnPaymentRow {
  paymentId: number;
  caseId: number;
  paidOn: string;
  yen: number;
  recordedAt: Date;
  recordedBy: number;
}

/** A cancellation as its transition recorded it (detail: on, yen, readers; the ground is its reason). */
export interface CancellationRow {
  seq: number;
  on: string;
  yen: number;
  readers: number;
  ground: string;
  /** Whether a 'pay' transition came before it: only a paid part is returned (第11). */
  afterPayment: boolean;
}

type Row = Record<string, unknown>;

const orderOf = (r: Row): ReturnOrderRow => ({
  caseId: Number(r.case_id),
  orderedOn: r.ordered_on as string,
  deadline: r.deadline as string,
  subsidyYen: Number(r.subsidy_yen),
  readerYen: Number(r.reader_yen),
  receivedOn: r.received_on as string,
  ground: r.ground as string,
});

export async function insertReturnOrder(tx: Db, o: ReturnOrderRow): Promise<void> {
  await tx.query(
    `insert into subsidy_return_orders (case_id, ordered_on, deadline, subsidy_yen, reader_yen, received_on, ground) values ($1, $2, $3, $4, $5, $6, $7)`,
    [o.caseId, o.orderedOn, o.deadline, o.subsidyYen, o.readerYen, o.receivedOn, o.ground],
  );
}

export async function returnOrderOf(db: Db, caseId: number): Promise<ReturnOrderRow | undefined> {
  const [row] = await db.query<Row>(`select * from subsidy_return_orders where case_id = $1`, [caseId]);
  return row ? orderOf(row) : undefined;
}

export async function insertReturnPayment(tx: Db, p: Omit<ReturnPaymentRow, "paymentId">): Promise<number> {
  const [row] = await tx.query<Row>(
    `insert into subsidy_return_payments (case_id, paid_on, yen, recorded_at, recorded_by) values ($1, $2, $3, $4, $5) returning payment_id`,
    [p.caseId, p.paidOn, p.yen, p.recordedAt.toISOString(), p.recordedBy],
  );
  return Number(row!.payment_id);
}

/** The payments of the given cases, in the order they were paid (then recorded). */
export async function returnPaymentsOf(db: Db, caseIds: readonly number[]): Promise<ReturnPaymentRow[]> {
  if (caseIds.length === 0) return [];
  const rows = await db.query<Row>(`select * from subsidy_return_payments where case_id = any($1::bigint[]) order by case_id, paid_on, payment_id`, [caseIds]);
  return rows.map((r) => ({
    paymentId: Number(r.payment_id),
    caseId: Number(r.case_id),
    paidOn: r.paid_on as string,
    yen: Number(r.yen),
    recordedAt: new Date(r.recorded_at as string | Date),
    recordedBy: Number(r.recorded_by),
  }));
}

/** The cancellations of the given cases, by case and in order. */
export async function cancellationsOf(db: Db, caseIds: readonly number[]): Promise<Map<number, CancellationRow[]>> {
  const found = new Map<number, CancellationRow[]>(caseIds.map((id) => [id, []]));
  if (caseIds.length === 0) return found;
  const rows = await db.query<Row>(
    `select t.case_id, t.seq, t.reason, t.detail,
            exists (select 1 from subsidy_case_transitions p where p.case_id = t.case_id and p.action = 'pay' and p.seq < t.seq) as after_payment
       from subsidy_case_transitions t
      where t.case_id = any($1::bigint[]) and t.action in ('cancel_part', 'cancel')
      order by t.case_id, t.seq`,
    [caseIds],
  );
  for (const r of rows) {
    const detail = (r.detail ?? {}) as { on?: string; yen?: number; readers?: number };
    found.get(Number(r.case_id))!.push({
      seq: Number(r.seq),
      on: String(detail.on),
      yen: Number(detail.yen ?? 0),
      readers: Number(detail.readers ?? 0),
      ground: String(r.reason ?? ""),
      afterPayment: r.after_payment === true,
    });
  }
  return found;
}

/** Return orders whose deadline is before `day` on cases still waiting for the return. */
export async function returnsPastDeadline(db: Db, day: string): Promise<number[]> {
  const rows = await db.query<Row>(
    `select o.case_id from subsidy_return_orders o join subsidy_cases c using (case_id)
      where c.state = 'return_ordered' and o.deadline < $1 order by o.case_id`,
    [day],
  );
  return rows.map((r) => Number(r.case_id));
}

/** The return orders of a facility's cases. */
export async function returnOrdersOfFacility(db: Db, code: string): Promise<ReturnOrderRow[]> {
  const rows = await db.query<Row>(
    `select o.* from subsidy_return_orders o join subsidy_cases c using (case_id) where c.medical_institution_code = $1 order by o.case_id`,
    [code],
  );
  return rows.map(orderOf);
}
