// Examination and decision (docs/subsidy-office.md 「審査と交付決定」, 第9): the examiner's queue, a
// case beside the engine's calculation (stored when applied, and recomputed at the application
// date), the decision with its notice (様式3, src/subsidy/decision-notice.ts), sending back, and the
// payment with its date (第12 1: 延滞金 counts from the receipt). Every write is one transaction
// under an Idempotency-Key (subsidy-office.ts `idempotent`), the case row locked by the store.
import type { Db } from "../db/client.ts";
import { OqsError } from "../errors/catalogue.ts";
import { actionsFrom, CASE_STATE_LABELS, transitionOf, type CaseAction } from "../subsidy/case-states.ts";
import { decisionNotice, noticeNumber, type DecisionNotice } from "../subsidy/decision-notice.ts";
import { ceilingOf, decisionOf, DECISION_OUTCOMES, type CalculatedFigures, type Ceiling, type DecisionBasis, type DecisionInput } from "../subsidy/decision.ts";
import { calculate, dateInJapan, type ProgramModule, type SubsidyResult } from "../subsidy/engine.ts";
import type { PreparedApplication } from "../subsidy/office-application.ts";
import { isIsoDate, type FacilityProfile, type Project } from "../subsidy/profile.ts";
import { listTransitions, lockCase, refusalError, type CaseTransition, type SubsidyCase } from "../store/subsidy-case-store.ts";
import { examQueue, examQueueLength, insertNotice, listNotices, loadNotice, type QueueItem, type StoredNotice } from "../store/subsidy-exam-store.ts";
import { decisionNoticePdf } from "./decision-notice-pdf.ts";
import { act, idempotent, maySee, showCase, type CaseActor, type OfficeAnswer } from "./subsidy-office.ts";

export interface ExamContext {
  db: Db;
  now: () => Date;
  programs: readonly ProgramModule[];
}

export const QUEUE_PAGE = { default: 50, max: 200 } as const;

export interface QueuePage {
  /** Cases waiting in 申請中, all pages. */
  waiting: number;
  cases: QueueItem[];
  /** The `after` of the next page; null on the last. */
  next: number | null;
}

/** A query parameter as an integer in [min, max], or E9565. */
function queryInt(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = typeof value === "number" ? value : /^\d{1,16}$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new OqsError("E9565", name);
  return n;
}

/** The queue, oldest first, a page at a time after case `after` (E9565 for a bad page). */
export async function examinerQueue(db: Db, query: { after?: unknown; limit?: unknown }): Promise<QueuePage> {
  const after = queryInt(query.after, "after", 0, Number.MAX_SAFE_INTEGER, 0);
  const limit = queryInt(query.limit, "limit", 1, QUEUE_PAGE.max, QUEUE_PAGE.default);
  const [cases, waiting] = await Promise.all([examQueue(db, after, limit + 1), examQueueLength(db)]);
  const more = cases.length > limit;
  const page = more ? cases.slice(0, limit) : cases;
  return { waiting, cases: page, next: more ? page[page.length - 1]!.caseId : null };
}

/** The project applied for and the facts it was calculated on, as the case keeps them (office-application.ts). */
export interface AppliedFacts {
  profile: FacilityProfile | null;
  /** The project's index in profile.projects. */
  projectIndex: number | null;
  project: Project | null;
  appliedOn: string | null;
}

export function appliedFacts(c: SubsidyCase): AppliedFacts {
  const application = c.application as Partial<PreparedApplication["application"]>;
  const profile = application.profile ?? null;
  const index = typeof application.project === "number" ? application.project : null;
  const project = index === null ? null : (profile?.projects?.[index] ?? null);
  return { profile, projectIndex: index, project, appliedOn: typeof application.appliedOn === "string" ? application.appliedOn : null };
}

/** The figures the decision reads from an engine result (stored or recomputed). */
function figuresOf(result: Partial<SubsidyResult> | null | undefined): CalculatedFigures | null {
  if (!result) return null;
  const readersFree = (result.details as { readersFree?: unknown } | undefined)?.readersFree;
  return { eligible: result.eligible ?? null, amount: result.amount ?? null, readersFree: typeof readersFree === "number" ? readersFree : null };
}

/** The engine run again on the application's facts at its date, for its programme (null when the case keeps no profile or date). */
export function recompute(c: SubsidyCase, programs: readonly ProgramModule[]): SubsidyResult | null {
  const facts = appliedFacts(c);
  if (!facts.profile || !facts.appliedOn) return null;
  const results = calculate(facts.profile, facts.appliedOn, programs, c.program).results;
  return results.find((r) => r.project === facts.projectIndex) ?? results[0] ?? null;
}

function basisOf(c: SubsidyCase, recomputed: SubsidyResult | null): DecisionBasis {
  return {
    kind: c.kind,
    requestedYen: c.requestedYen,
    requestedReaders: c.requestedReaders,
    stored: figuresOf(c.calculation as Partial<SubsidyResult> | null),
    recomputed: figuresOf(recomputed),
  };
}

export interface ExamView {
  case: SubsidyCase;
  stateLabel: string;
  facility: { code: string; name: string };
  programName: string;
  transitions: CaseTransition[];
  application: AppliedFacts;
  /** The engine's answer when the case was applied (amount, reasons, sources). */
  calculation: Record<string, unknown> | null;
  /** The engine at the application date now, and whether it says the same. */
  recomputed: { result: SubsidyResult | null; sameAmount: boolean; sameEligibility: boolean };
  /** What "accept" decides, and why it may not. */
  ceiling: Ceiling;
  actions: CaseAction[];
  notices: StoredNotice[];
}

const programName = (programs: readonly ProgramModule[], id: string) => programs.find((p) => p.id === id)?.name ?? id;

/** The case as an examiner sees it; E9500 when there is none. */
export async function examView(ctx: ExamContext, caseId: number, actor: CaseActor): Promise<ExamView> {
  const { case: c, transitions } = await showCase(ctx.db, caseId, actor);
  const [facility, notices] = await Promise.all([facilityOf(ctx.db, c.facilityCode), listNotices(ctx.db, { caseId: c.caseId })]);
  const result = recompute(c, ctx.programs);
  const stored = c.calculation as Partial<SubsidyResult> | null;
  return {
    case: c,
    stateLabel: CASE_STATE_LABELS[c.state],
    facility,
    programName: programName(ctx.programs, c.program),
    transitions,
    application: appliedFacts(c),
    calculation: c.calculation,
    recomputed: { result, sameAmount: (result?.amount ?? null) === (stored?.amount ?? null), sameEligibility: (result?.eligible ?? null) === (stored?.eligible ?? null) },
    ceiling: ceilingOf(basisOf(c, result)),
    actions: actionsFrom(c.state, actor.role),
    notices,
  };
}

async function facilityOf(db: Db, code: string): Promise<{ code: string; name: string }> {
  const rows = await db.query<{ name: string }>("select name from facilities where medical_institution_code = $1", [code]);
  return { code, name: rows[0]?.name ?? code };
}

/**
 * Locks the case and checks what act() checks first (E9500, E9505, the state machine), before the
 * decision's own figures are judged: deciding a case already decided is E9501, not an amount's error.
 */
async function lockedFor(tx: Db, caseId: number, action: CaseAction, actor: CaseActor, expectedVersion: number | undefined, reason?: string): Promise<SubsidyCase> {
  const locked = Number.isSafeInteger(caseId) && caseId > 0 ? await lockCase(tx, caseId) : undefined;
  if (!locked || !(await maySee(tx, locked, actor))) throw new OqsError("E9500");
  if (expectedVersion !== undefined && expectedVersion !== locked.version) throw new OqsError("E9505");
  const rule = transitionOf(locked.state, action, actor.role, reason);
  if (typeof rule === "string") throw refusalError(rule, locked.state, action);
  return locked;
}

type Body = Record<string, unknown>;
const isObject = (v: unknown): v is Body => typeof v === "object" && v !== null && !Array.isArray(v);

function expectedVersionOf(body: Body): number | undefined {
  const v = body.expectedVersion;
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) throw new OqsError("E9564", "expectedVersion");
  return v;
}

function reasonOf(body: Body): string | undefined {
  const r = body.reason;
  if (r === undefined || r === null) return undefined;
  if (typeof r !== "string" || r.length > 2000) throw new OqsError("E9564", "reason: 2000文字以内の文字列");
  return r;
}

/** The decision as sent: outcome accept | reduce, yen or readers for a reduction, reason, expectedVersion. */
function decisionInputOf(body: unknown): DecisionInput & { expectedVersion?: number } {
  if (!isObject(body)) throw new OqsError("E9564", "body");
  const outcome = body.outcome;
  if (typeof outcome !== "string" || !(DECISION_OUTCOMES as readonly string[]).includes(outcome)) throw new OqsError("E9564", "outcome: accept または reduce");
  for (const field of ["yen", "readers"] as const) {
    if (body[field] !== undefined && (typeof body[field] !== "number" || !Number.isSafeInteger(body[field]))) throw new OqsError("E9564", `${field}: 整数`);
  }
  return { outcome: outcome as DecisionInput["outcome"], yen: body.yen as number | undefined, readers: body.readers as number | undefined, reason: reasonOf(body), expectedVersion: expectedVersionOf(body) };
}

/** What an examiner's action answers: the case as moved, and the notice a decision issued. */
export interface ExamAnswer {
  case: SubsidyCase;
  notice?: { noticeId: number; noticeNumber: string; issuedOn: string };
}

/** The actions with rules of their own here; `onshi office act` sends them here too, so every decision issues its notice. */
export const EXAM_ACTIONS = ["decide", "send_back", "pay"] as const;
export type ExamAction = (typeof EXAM_ACTIONS)[number];
export const isExamAction = (action: string): action is ExamAction => (EXAM_ACTIONS as readonly string[]).includes(action);

/**
 * An examiner's action on a case inside the caller's transaction, its body as a route receives it:
 * decide `{ outcome, yen | readers, reason, expectedVersion }`, send_back `{ reason, expectedVersion }`,
 * pay `{ paidOn, expectedVersion }`.
 */
export async function examAct(tx: Db, programs: readonly ProgramModule[], caseId: number, action: ExamAction, actor: CaseActor, now: Date, body: unknown): Promise<ExamAnswer> {
  if (!isObject(body)) throw new OqsError("E9564", "body");
  switch (action) {
    case "decide":
      return decideIn(tx, programs, caseId, actor, now, decisionInputOf(body));
    case "send_back":
      return { case: await act(tx, caseId, "send_back", actor, now, { expectedVersion: expectedVersionOf(body), reason: reasonOf(body) }) };
    case "pay":
      return payIn(tx, caseId, actor, now, body.paidOn, expectedVersionOf(body));
  }
}

/** Runs an examiner's action as a write route does: once per Idempotency-Key, in one transaction. */
function examWrite(action: ExamAction) {
  return (ctx: ExamContext, actor: CaseActor, caseId: number, body: unknown, key: string | undefined): Promise<OfficeAnswer<ExamAnswer>> => {
    const now = ctx.now();
    return idempotent(ctx.db, actor, key, { op: action, caseId, body }, now, async (tx) => ({ status: 200, body: await examAct(tx, ctx.programs, caseId, action, actor, now, body) }));
  };
}

/**
 * Decides a case in 申請中 (E9560–E9568 from decision.ts, E9500/E9501/E9505 from the case), records
 * the decision on the 補助金台帳 and issues its notice.
 */
export const decideCase = examWrite("decide");
/** Sends a case in 申請中 back to its applicant with the reason (E9503 without one). */
export const sendBackCase = examWrite("send_back");
/**
 * Records the payment of a decided case on `paidOn` (E9563 unless a real date from the decision's
 * day to today): the amount decided (less any part cancelled before payment), or for a reader
 * provision request the readers delivered (提供済). 第12 1's 延滞金 counts from this date.
 */
export const recordPayment = examWrite("pay");

async function decideIn(tx: Db, programs: readonly ProgramModule[], caseId: number, actor: CaseActor, now: Date, input: DecisionInput & { expectedVersion?: number }): Promise<ExamAnswer> {
  const locked = await lockedFor(tx, caseId, "decide", actor, input.expectedVersion);
  const decision = decisionOf(basisOf(locked, recompute(locked, programs)), input);
  const issuedOn = dateInJapan(now);
  const number = noticeNumber(caseId, locked.version + 1, issuedOn);
  // act() checks the figures against what was applied for and appends the 台帳's 'decided' entry.
  const moved = await act(tx, caseId, "decide", actor, now, {
    expectedVersion: locked.version,
    reason: decision.reason ?? undefined,
    documents: [{ kind: "decision_notice", number }],
    detail: { outcome: input.outcome, decidedYen: decision.decidedYen, decidedReaders: decision.decidedReaders },
    set: { decidedYen: decision.decidedYen ?? 0, decidedReaders: decision.decidedReaders ?? undefined },
  });
  const facts = appliedFacts(moved);
  const content = decisionNotice({
    noticeNumber: number,
    issuedOn,
    facility: await facilityOf(tx, moved.facilityCode),
    program: { id: moved.program, name: programName(programs, moved.program) },
    kind: moved.kind,
    appliedOn: facts.appliedOn ?? dateInJapan(moved.createdAt),
    requestedYen: moved.requestedYen,
    requestedReaders: moved.requestedReaders,
    decidedYen: decision.decidedYen ?? 0,
    decidedReaders: decision.decidedReaders ?? facts.project?.readers ?? null,
    reason: decision.reason,
    sources: ((moved.calculation as Partial<SubsidyResult> | null)?.sources ?? []) as string[],
  });
  const notice = await insertNotice(tx, { caseId, seq: moved.version, kind: "decision", noticeNumber: number, facilityCode: moved.facilityCode, issuedOn, content, at: now });
  return { case: moved, notice: { noticeId: notice.noticeId, noticeNumber: number, issuedOn } };
}

async function payIn(tx: Db, caseId: number, actor: CaseActor, now: Date, paidOn: unknown, expectedVersion: number | undefined): Promise<ExamAnswer> {
  if (!isIsoDate(paidOn) || paidOn > dateInJapan(now)) throw new OqsError("E9563", String(paidOn));
  const locked = await lockedFor(tx, caseId, "pay", actor, expectedVersion);
  const decidedOn = lastDecisionDate(await listTransitions(tx, caseId));
  if (decidedOn !== null && paidOn < decidedOn) throw new OqsError("E9563", `${paidOn} (交付決定 ${decidedOn})`);
  // act() pays the amount decided (提供済 for a reader provision request) and appends its 台帳 entry.
  const moved = await act(tx, caseId, "pay", actor, now, {
    expectedVersion: locked.version,
    documents: [{ kind: locked.kind === "reader_request" ? "reader_delivery" : "payment", on: paidOn }],
    set: { paidOn },
  });
  return { case: moved };
}

function lastDecisionDate(transitions: readonly CaseTransition[]): string | null {
  const decided = transitions.filter((t) => t.action === "decide").at(-1);
  return decided ? dateInJapan(decided.at) : null;
}

/** A facility's notices (its portal), newest first. */
export function facilityNotices(db: Db, facilityCode: string): Promise<StoredNotice[]> {
  return listNotices(db, { facilityCode });
}

/** One notice the actor may read (a facility its own, an examiner any), or E9566 alike for "none" and "not yours". */
export async function readableNotice(db: Db, noticeId: number, facilityCode: string | null): Promise<StoredNotice> {
  const found = Number.isSafeInteger(noticeId) && noticeId > 0 ? await loadNotice(db, noticeId) : undefined;
  if (!found || (facilityCode !== null && found.facilityCode !== facilityCode)) throw new OqsError("E9566");
  return found;
}

/** The notice's PDF, drawn from its content as issued. */
export function noticePdf(notice: StoredNotice): Promise<Buffer> {
  return decisionNoticePdf(notice.content as unknown as DecisionNotice);
}
