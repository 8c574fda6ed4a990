// Cancellation (第10), return (第11) and 延滞金 (第12) of the subsidy office (docs/subsidy-office.md
// 「取消し・返還・延滞金」). Each write is one transaction with the case row locked (the cases store's
// transition), so a payment and a sweep on one case never both move it. The figures are
// src/subsidy/return-statement.ts's, over readerReturn and lateInterest; this file decides only
// which transition a figure calls for, and writes the 補助金台帳 entry each money move needs:
//   cancel → 'cancelled' (negative yen and readers), order_return → 'return_ordered' (what is owed),
//   return_in_full → 'returned' (the principal), settle → 'returned' and 'interest' (the 延滞金).
// Payments themselves stay in subsidy_return_payments: how a payment splits between 延滞金 and
// principal can change when the deadline passes (第12 3 applies to every payment of a late return),
// so the ledger records the amounts once they are final.
import type { Db } from "../db/client.ts";
import { OqsError } from "../errors/catalogue.ts";
import { appendLedger, listFacilityCases, lockCase, refusalError, transition, type CaseActor, type SubsidyCase } from "../store/subsidy-case-store.ts";
import { cancellationsOf, insertReturnOrder, insertReturnPayment, returnOrderOf, returnPaymentsOf, returnsPastDeadline, type CancellationRow, type ReturnOrderRow, type ReturnPaymentRow } from "../store/subsidy-return-store.ts";
import { findFacility } from "../store/facility-store.ts";
import { CASE_STATE_LABELS, transitionOf, type CaseAction, type CaseKind, type CaseState } from "../subsidy/case-states.ts";
import { dateInJapan } from "../subsidy/engine.ts";
import { SubsidyInputError, dayNumber } from "../subsidy/input-error.ts";
import { returnBalance, returnOrderAmounts, RETURN_STATEMENT_READINGS, type ReturnBalance, type ReturnOrderAmounts } from "../subsidy/return-statement.ts";

/** The actions this file takes (their amounts and 台帳 entries come from the return calculators): not for a generic act. */
export const RETURN_ACTIONS: readonly CaseAction[] = ["cancel", "cancel_part", "order_return", "return_in_full", "fall_overdue", "settle"];

export interface CancelRequest {
  /** true: the whole decision (what is left of it); false: the part given by yen and readers. */
  whole: boolean;
  yen?: number;
  readers?: number;
  /** 第10's ground (目的外使用, 条件違反, 虚偽の報告…), required. */
  ground: string;
  expectedVersion?: number;
}

export interface ReturnOrderRequest {
  deadline: string;
  /** 費用相当額 per reader: needed when a cancellation took back readers. */
  readerCost?: number;
  ground: string;
  expectedVersion?: number;
}

export interface PaymentRequest {
  paidOn: string;
  yen: number;
}

/** A bad date or figure as the subsidy calculators report it, as the office's coded error. */
function officeError(error: unknown): unknown {
  if (!(error instanceof SubsidyInputError)) return error;
  // Dates out of order in the calculators are a cancellation before the payment it would take back.
  return new OqsError(error.code === "E9131" || error.code === "E9133" ? "E9599" : error.code, error.field);
}

const wholeYen = (value: unknown, field: string): number => {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw new OqsError("E9512", field);
  return value;
};

function checkedDate(value: unknown, field: string): string {
  if (typeof value !== "string" || dayNumber(value) === null) throw new OqsError("E9599", field);
  return value;
}

function checkedGround(value: unknown): string {
  if (typeof value !== "string") throw new OqsError("E9601", "ground");
  return value;
}

/** What is left of a decision after the cancellations so far. */
function leftOf(c: SubsidyCase, cancellations: readonly CancellationRow[]): { yen: number; readers: number } {
  return {
    yen: (c.decidedYen ?? 0) - cancellations.reduce((s, x) => s + x.yen, 0),
    readers: (c.decidedReaders ?? 0) - cancellations.reduce((s, x) => s + x.readers, 0),
  };
}

/**
 * The case locked for this transaction; E9500 none, E9505 moved since the version its actor saw
 * (checked before the amounts, so the loser of a race hears that someone acted first).
 */
async function lockedCase(tx: Db, caseId: number, expectedVersion?: number): Promise<SubsidyCase> {
  const c = await lockCase(tx, caseId);
  if (!c) throw new OqsError("E9500");
  if (expectedVersion !== undefined && expectedVersion !== c.version) throw new OqsError("E9505");
  return c;
}

/**
 * 第10: cancels the decision in whole or part with its ground, dated today. A part that takes all
 * that is left is the whole. E9590 a part of nothing, E9591 more than is left.
 */
export async function cancelDecision(db: Db, caseId: number, actor: CaseActor, request: CancelRequest, now: Date): Promise<SubsidyCase> {
  const ground = checkedGround(request.ground);
  const yenAsked = wholeYen(request.yen, "yen");
  const readersAsked = wholeYen(request.readers, "readers");
  if (!request.whole && yenAsked === 0 && readersAsked === 0) throw new OqsError("E9590");
  return db.transaction(async (tx) => {
    const c = await lockedCase(tx, caseId, request.expectedVersion);
    const earlier = (await cancellationsOf(tx, [caseId])).get(caseId)!;
    const left = leftOf(c, earlier);
    if (!request.whole && (yenAsked > left.yen || readersAsked > left.readers)) throw new OqsError("E9591", `残り ${left.yen}円・${left.readers}台`);
    const yen = request.whole ? left.yen : yenAsked;
    const readers = request.whole ? left.readers : readersAsked;
    const action: CaseAction = request.whole || (yen === left.yen && readers === left.readers) ? "cancel" : "cancel_part";
    const on = dateInJapan(now);
    const moved = await transition(tx, caseId, action, actor, now, {
      expectedVersion: request.expectedVersion,
      reason: ground,
      detail: { on, yen, readers },
    });
    await appendLedger(tx, { facilityCode: c.facilityCode, caseId, program: c.program, entry: "cancelled", onDate: on, yen: -yen, readers: -readers, note: ground, actor, at: now });
    return moved;
  });
}

/**
 * 第11: orders the return of what was cancelled after payment, by `deadline`: the subsidy part and
 * the readers' depreciated value (return-statement.ts). E9592 nothing paid was cancelled, E9593 a
 * deadline before today, E9594 readers without their cost.
 */
export async function orderReturn(db: Db, caseId: number, actor: CaseActor, request: ReturnOrderRequest, now: Date): Promise<{ case: SubsidyCase; order: ReturnOrderRow; amounts: ReturnOrderAmounts }> {
  const ground = checkedGround(request.ground);
  const orderedOn = dateInJapan(now);
  if (typeof request.deadline !== "string" || dayNumber(request.deadline) === null || request.deadline < orderedOn) throw new OqsError("E9593", String(request.deadline));
  if (request.readerCost !== undefined) wholeYen(request.readerCost, "readerCost");
  return db.transaction(async (tx) => {
    const c = await lockedCase(tx, caseId, request.expectedVersion);
    const cancellations = (await cancellationsOf(tx, [caseId])).get(caseId)!.filter((x) => x.afterPayment);
    // The state machine's refusal comes first: an order from a state it does not allow is E9501.
    const refusal = transitionOf(c.state, "order_return", actor.role, ground);
    if (typeof refusal === "string") throw refusalError(refusal, c.state, "order_return");
    if (c.paidOn === null || cancellations.length === 0) throw new OqsError("E9592");
    let amounts: ReturnOrderAmounts;
    try {
      amounts = returnOrderAmounts({ paidOn: c.paidOn, paidYen: c.paidYen ?? 0, cancellations, readerCost: request.readerCost });
    } catch (error) {
      throw officeError(error);
    }
    const order: ReturnOrderRow = { caseId, orderedOn, deadline: request.deadline, subsidyYen: amounts.subsidyYen, readerYen: amounts.readerYen, receivedOn: c.paidOn, ground };
    const moved = await transition(tx, caseId, "order_return", actor, now, {
      expectedVersion: request.expectedVersion,
      reason: ground,
      documents: [{ kind: "return_order", orderedOn, deadline: request.deadline }],
      detail: { orderedOn, deadline: request.deadline, subsidyYen: amounts.subsidyYen, readerYen: amounts.readerYen, readerCost: request.readerCost ?? null, reasons: amounts.reasons },
    });
    await insertReturnOrder(tx, order);
    await appendLedger(tx, {
      facilityCode: c.facilityCode,
      caseId,
      program: c.program,
      entry: "return_ordered",
      onDate: orderedOn,
      yen: amounts.total,
      readers: cancellations.reduce((s, x) => s + x.readers, 0),
      note: `期限 ${request.deadline}: 補助金 ${amounts.subsidyYen}円、カードリーダー残額 ${amounts.readerYen}円`,
      actor,
      at: now,
    });
    return { case: moved, order, amounts };
  });
}

const balanceOf = (order: ReturnOrderRow, payments: readonly ReturnPaymentRow[], at: string): ReturnBalance =>
  returnBalance({ principal: order.subsidyYen + order.readerYen, receivedOn: order.receivedOn, deadline: order.deadline, payments: payments.map((p) => ({ on: p.paidOn, yen: p.yen })), at });

/**
 * Moves a case with a return order to the state its balance on `day` calls for: paid in full by
 * the deadline → 返還済; the deadline passed unpaid → 延滞中 (by 'system': a date moved it);
 * late and paid in full with its 延滞金 → 完済. Writes the ledger entries of the final amounts.
 */
async function follow(tx: Db, c: SubsidyCase, order: ReturnOrderRow, day: string, actor: CaseActor, now: Date): Promise<{ case: SubsidyCase; balance: ReturnBalance }> {
  const payments = await returnPaymentsOf(tx, [c.caseId]);
  const balance = balanceOf(order, payments, day);
  let current = c;
  const ledger = (entry: "returned" | "interest", yen: number, note: string) =>
    appendLedger(tx, { facilityCode: c.facilityCode, caseId: c.caseId, program: c.program, entry, onDate: day, yen, note, actor, at: now });
  if (current.state === "return_ordered" && balance.standing === "returned") {
    current = await transition(tx, c.caseId, "return_in_full", actor, now, { detail: { on: day, paid: balance.paid } });
    await ledger("returned", balance.principal, `期限 ${order.deadline} までに返還`);
  }
  if (current.state === "return_ordered" && (balance.standing === "overdue" || balance.standing === "settled")) {
    current = await transition(tx, c.caseId, "fall_overdue", SYSTEM, now, { detail: { on: day, deadline: order.deadline } });
  }
  if (current.state === "overdue" && balance.standing === "settled") {
    current = await transition(tx, c.caseId, "settle", actor, now, { detail: { on: day, paid: balance.paid, interest: balance.lateInterest.interest } });
    await ledger("returned", balance.principal, `延滞後に完済 (期限 ${order.deadline})`);
    await ledger("interest", balance.lateInterest.interest ?? 0, `延滞金 (第12)`);
  }
  return { case: current, balance };
}

/** The actor of what a date does by itself. */
export const SYSTEM: CaseActor = { role: "system", accountId: null, name: "システム (期限の経過)" };

/**
 * Records a payment on a return order as it comes, then moves the case as its balance on that
 * day says (returned, overdue, settled). Payments are recorded in the order they were paid:
 * E9596 a date before the order, before the last recorded payment or after today; E9597 no yen;
 * E9595 no order; E9598 the return is complete.
 */
export async function recordReturnPayment(db: Db, caseId: number, actor: CaseActor, request: PaymentRequest, now: Date): Promise<{ case: SubsidyCase; paymentId: number; balance: ReturnBalance }> {
  const paidOn = typeof request.paidOn === "string" && dayNumber(request.paidOn) !== null ? request.paidOn : undefined;
  if (paidOn === undefined) throw new OqsError("E9596", String(request.paidOn));
  if (typeof request.yen !== "number" || !Number.isSafeInteger(request.yen) || request.yen < 1) throw new OqsError("E9597", String(request.yen));
  if (actor.accountId === null) throw new OqsError("E9502", "payment");
  const today = dateInJapan(now);
  return db.transaction(async (tx) => {
    const c = await lockedCase(tx, caseId);
    const order = await returnOrderOf(tx, caseId);
    if (!order) throw new OqsError("E9595");
    if (c.state === "returned" || c.state === "settled") throw new OqsError("E9598");
    if (c.state !== "return_ordered" && c.state !== "overdue") throw new OqsError("E9595");
    const last = (await returnPaymentsOf(tx, [caseId])).at(-1)?.paidOn;
    const broken =
      paidOn < order.orderedOn ? `返還命令の日 ${order.orderedOn} より前`
      : paidOn > today ? `今日 ${today} より後`
      : last !== undefined && paidOn < last ? `最後の納付 ${last} より前`
      // A 延滞中 case was found unpaid after its deadline: a payment by the deadline would contradict it.
      : c.state === "overdue" && paidOn <= order.deadline ? `延滞中の案件に期限 ${order.deadline} 以前の納付`
      : undefined;
    if (broken) throw new OqsError("E9596", broken);
    const paymentId = await insertReturnPayment(tx, { caseId, paidOn, yen: request.yen, recordedAt: now, recordedBy: actor.accountId! });
    const followed = await follow(tx, c, order, paidOn, actor, now);
    return { ...followed, paymentId };
  });
}

/**
 * The sweep any day may run (第12 1): every return still waiting whose deadline passed before
 * `day` without full payment falls 延滞中, by 'system'. Each case in its own transaction; a case
 * another action moved meanwhile is left as it is. Running it twice moves nothing the second time.
 */
export async function sweepOverdueReturns(db: Db, day: string, now: Date): Promise<number[]> {
  checkedDate(day, "day");
  const moved: number[] = [];
  for (const caseId of await returnsPastDeadline(db, day)) {
    const did = await db.transaction(async (tx) => {
      const c = await lockCase(tx, caseId);
      const order = await returnOrderOf(tx, caseId);
      if (!c || !order || c.state !== "return_ordered" || order.deadline >= day) return false;
      return (await follow(tx, c, order, day, SYSTEM, now)).case.state !== c.state;
    });
    if (did) moved.push(caseId);
  }
  return moved;
}

export interface StatementCase {
  caseId: number;
  program: string;
  kind: CaseKind;
  state: CaseState;
  stateLabel: string;
  decidedYen: number | null;
  decidedReaders: number | null;
  paidYen: number | null;
  paidOn: string | null;
  cancellations: CancellationRow[];
  order: (ReturnOrderRow & { total: number }) | null;
  payments: { paymentId: number; paidOn: string; yen: number }[];
  /** The order's balance on the statement's day; null without an order. */
  balance: ReturnBalance | null;
}

export interface ReturnStatement {
  facility: { code: string; name: string };
  /** The day the balances are given for (YYYY-MM-DD). */
  at: string;
  cases: StatementCase[];
  totals: { ordered: number; paid: number; principalOutstanding: number; interestDue: number | null };
  readings: string[];
}

/**
 * A facility's statement on `at`: every case cancelled or ordered to return, with its orders,
 * payments and balance. E9600 for a facility not registered (and, on a facility's own page, any
 * other: the route passes the session's facility).
 */
export async function returnStatement(db: Db, code: string, at: string): Promise<ReturnStatement> {
  checkedDate(at, "at");
  const facility = /^\d{10}$/.test(code) ? await findFacility(db, code) : undefined;
  if (!facility) throw new OqsError("E9600", code);
  const cases = (await listFacilityCases(db, code)).reverse();
  const ids = cases.map((c) => c.caseId);
  const [cancellations, payments] = await Promise.all([cancellationsOf(db, ids), returnPaymentsOf(db, ids)]);
  const rows: StatementCase[] = [];
  for (const c of cases) {
    const cancelled = cancellations.get(c.caseId)!;
    const order = await returnOrderOf(db, c.caseId);
    if (cancelled.length === 0 && !order) continue;
    const paid = payments.filter((p) => p.caseId === c.caseId);
    rows.push({
      caseId: c.caseId,
      program: c.program,
      kind: c.kind,
      state: c.state,
      stateLabel: CASE_STATE_LABELS[c.state],
      decidedYen: c.decidedYen,
      decidedReaders: c.decidedReaders,
      paidYen: c.paidYen,
      paidOn: c.paidOn,
      cancellations: cancelled,
      order: order ? { ...order, total: order.subsidyYen + order.readerYen } : null,
      payments: paid.map((p) => ({ paymentId: p.paymentId, paidOn: p.paidOn, yen: p.yen })),
      balance: order && at >= order.receivedOn ? balanceOf(order, paid, at) : null,
    });
  }
  const balances = rows.flatMap((r) => (r.balance ? [r.balance] : []));
  const interest = balances.map((b) => b.interestDue);
  return {
    facility: { code, name: facility.name },
    at,
    cases: rows,
    totals: {
      ordered: rows.reduce((s, r) => s + (r.order?.total ?? 0), 0),
      paid: balances.reduce((s, b) => s + b.paid, 0),
      principalOutstanding: balances.reduce((s, b) => s + b.principalOutstanding, 0),
      interestDue: interest.includes(null) ? null : interest.reduce<number>((s, x) => s + (x ?? 0), 0),
    },
    readings: RETURN_STATEMENT_READINGS,
  };
}
