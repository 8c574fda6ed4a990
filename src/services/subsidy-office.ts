// The subsidy office's cases (docs/subsidy-office.md): who may see a case, the generic action on
// one (every transition of src/subsidy/case-states.ts after the opening goes through `act`), and
// the Idempotency-Key wrapper every write route runs its work in. Each write is one transaction.
import { createHash } from "node:crypto";
import type { Db } from "../db/client.ts";
import { OqsError } from "../errors/catalogue.ts";
import { transitionOf, type CaseAction } from "../subsidy/case-states.ts";
import { dateInJapan } from "../subsidy/engine.ts";
import { prepareApplication, type PreparedApplication } from "../subsidy/office-application.ts";
import { isIsoDate, PROFILE_MAXIMA } from "../subsidy/profile.ts";
import { claimKey, findAnswer, storeAnswer } from "../store/idempotency-store.ts";
import { findActiveOfficeAccount } from "../store/office-account-store.ts";
import { cancellationsOf } from "../store/subsidy-return-store.ts";
import { findActiveAccount } from "../store/staff-store.ts";
import {
  appendLedger,
  listFacilityCases,
  listTransitions,
  loadCase,
  lockCase,
  openCase,
  refusalError,
  transition,
  vendorHasFacility,
  type CaseActor,
  type CaseChanges,
  type CaseTransition,
  type NewLedgerEntry,
  type SubsidyCase,
} from "../store/subsidy-case-store.ts";

export type { CaseActor, CaseTransition, SubsidyCase } from "../store/subsidy-case-store.ts";

/** 1–128 characters a header carries unchanged; anything longer or stranger is a client's bug. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/** What a write answers: the HTTP status and the JSON body, kept under its Idempotency-Key. */
export interface OfficeAnswer<T = unknown> {
  status: number;
  body: T;
  /** True when this is the stored answer of an earlier request under the same key. */
  replayed?: boolean;
}

/** JSON with object keys sorted, so one request hashes alike whatever its key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The key, or E9507 when it is missing or malformed. */
export function checkIdempotencyKey(key: string | undefined): string {
  if (key === undefined || !IDEMPOTENCY_KEY.test(key)) throw new OqsError("E9507");
  return key;
}

/**
 * Runs a write once per (actor, key): `run` and the key's answer commit in one transaction, so a
 * retry of the same request (same key, same `request`; put the route or operation in it) gets the
 * first answer again and changes nothing, and a different request under the key is refused E9508.
 * A refusal (an error from `run`) is not kept: it changed nothing, so a retry is judged afresh.
 */
export async function idempotent<T>(
  db: Db,
  actor: CaseActor,
  key: string | undefined,
  request: unknown,
  now: Date,
  run: (tx: Db) => Promise<OfficeAnswer<T>>,
): Promise<OfficeAnswer<T>> {
  const checked = checkIdempotencyKey(key);
  const owner = { role: actor.role, accountId: actor.accountId ?? 0 };
  const requestHash = createHash("sha256").update(canonicalJson(request)).digest("hex");
  return db.transaction(async (tx) => {
    if (!(await claimKey(tx, owner, checked, requestHash, now))) {
      const stored = (await findAnswer(tx, owner, checked))!;
      if (stored.requestHash !== requestHash) throw new OqsError("E9508");
      return { status: stored.status, body: stored.answer as T, replayed: true };
    }
    const answer = await run(tx);
    await storeAnswer(tx, owner, checked, answer.status, answer.body);
    return answer;
  });
}

/**
 * Whether the actor may see the case: a facility its own, a vendor those of the facilities it
 * registered (第8 3), an examiner or the system every case. "Not yours" is answered exactly as
 * "no such case" (E9500).
 */
export async function maySee(db: Db, c: SubsidyCase, actor: CaseActor): Promise<boolean> {
  switch (actor.role) {
    case "facility":
      return actor.facilityCode === c.facilityCode;
    case "vendor":
      return actor.accountId !== null && (await vendorHasFacility(db, actor.accountId, c.facilityCode));
    case "examiner":
    case "system":
      return true;
  }
}

/** The case the actor may see, or E9500. */
export async function visibleCase(db: Db, caseId: number, actor: CaseActor): Promise<SubsidyCase> {
  const found = Number.isSafeInteger(caseId) && caseId > 0 ? await loadCase(db, caseId) : undefined;
  if (!found || !(await maySee(db, found, actor))) throw new OqsError("E9500");
  return found;
}

/** The case and its transitions, oldest first, or E9500. */
export async function showCase(db: Db, caseId: number, actor: CaseActor): Promise<{ case: SubsidyCase; transitions: CaseTransition[] }> {
  const found = await visibleCase(db, caseId, actor);
  return { case: found, transitions: await listTransitions(db, caseId) };
}

/** A facility's cases the actor may see, newest first (none when the facility is not the actor's: alike whether it exists). */
export async function listCases(db: Db, facilityCode: string, actor: CaseActor, program?: string): Promise<SubsidyCase[]> {
  const allowed =
    actor.role === "facility" ? actor.facilityCode === facilityCode : actor.role === "vendor" ? await vendorHasFacility(db, actor.accountId ?? 0, facilityCode) : true;
  return allowed ? listFacilityCases(db, facilityCode, program) : [];
}

/** A ledger entry an action adds; the case fills in the facility, programme, actor and time. */
export type ActLedgerEntry = Omit<NewLedgerEntry, "facilityCode" | "caseId" | "program" | "actor" | "at">;

export interface ActOptions {
  /** The version the actor saw; the case moved since → E9505, nothing changed. */
  expectedVersion?: number;
  reason?: string;
  /** What the transition refers to (notice numbers, a return order, a payment's record). */
  documents?: unknown[];
  detail?: Record<string, unknown>;
  set?: CaseChanges;
  /** Entries of the 補助金台帳 the action adds, beyond the decide and pay entries `act` adds itself. */
  ledger?: ActLedgerEntry[];
}

function checkCount(value: unknown, field: string, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > max) throw new OqsError("E9512", field);
  return value;
}

/** What is left of a decision to pay: the decided yen and readers less the parts cancelled before payment (第10). */
interface Payable {
  yen: number | null;
  readers: number | null;
}

async function payableOf(tx: Db, c: SubsidyCase): Promise<Payable> {
  const cancelled = ((await cancellationsOf(tx, [c.caseId])).get(c.caseId) ?? []).filter((x) => !x.afterPayment);
  const less = (value: number | null, part: (x: (typeof cancelled)[number]) => number) => (value === null ? null : value - cancelled.reduce((sum, x) => sum + part(x), 0));
  return { yen: less(c.decidedYen, (x) => x.yen), readers: less(c.decidedReaders, (x) => x.readers) };
}

/**
 * The columns decide and pay set when the caller leaves them out, checked: a decision is the
 * calculated (requested) amount and readers unless reduced with a reason, never more (E9512, E9503);
 * a payment is what is left of the decision, paid today unless paidOn says otherwise, never more.
 */
function defaultsFor(action: CaseAction, c: SubsidyCase, options: ActOptions, today: string, payable: Payable): CaseChanges {
  const set = { ...options.set };
  if (action === "decide") {
    set.decidedYen = checkCount(set.decidedYen ?? c.requestedYen ?? undefined, "decidedYen", PROFILE_MAXIMA.yen);
    if (c.kind === "reader_request" || set.decidedReaders !== undefined || c.requestedReaders !== null) {
      set.decidedReaders = checkCount(set.decidedReaders ?? c.requestedReaders ?? 0, "decidedReaders", PROFILE_MAXIMA.readers);
    }
    const reduced = (c.requestedYen !== null && set.decidedYen < c.requestedYen) || (c.requestedReaders !== null && (set.decidedReaders ?? 0) < c.requestedReaders);
    if (c.requestedYen !== null && set.decidedYen > c.requestedYen) throw new OqsError("E9512", "decidedYen");
    if (c.requestedReaders !== null && (set.decidedReaders ?? 0) > c.requestedReaders) throw new OqsError("E9512", "decidedReaders");
    if ((reduced || c.requestedYen === null) && !options.reason?.trim()) throw new OqsError("E9503", "decide");
  }
  if (action === "pay") {
    set.paidOn ??= today;
    if (!isIsoDate(set.paidOn)) throw new OqsError("E9512", "paidOn");
    set.paidYen = checkCount(set.paidYen ?? payable.yen ?? undefined, "paidYen", PROFILE_MAXIMA.yen);
    if (payable.yen !== null && set.paidYen > payable.yen) throw new OqsError("E9512", "paidYen");
  }
  for (const key of ["requestedYen", "decidedYen", "paidYen"] as const) if (set[key] != null) checkCount(set[key], key, PROFILE_MAXIMA.yen);
  for (const key of ["requestedReaders", "decidedReaders"] as const) if (set[key] != null) checkCount(set[key], key, PROFILE_MAXIMA.readers);
  return set;
}

/** The 補助金台帳 entries a decision and a payment make by themselves (第13: amounts decided and paid, readers distributed). */
function ownLedger(action: CaseAction, c: SubsidyCase, today: string, payable: Payable): ActLedgerEntry[] {
  if (action === "decide") return [{ entry: "decided", onDate: today, yen: c.decidedYen ?? 0, readers: c.decidedReaders ?? 0 }];
  if (action === "pay") {
    return c.kind === "reader_request"
      ? [{ entry: "readers_distributed", onDate: c.paidOn!, readers: payable.readers ?? 0 }]
      : [{ entry: "paid", onDate: c.paidOn!, yen: c.paidYen ?? 0 }];
  }
  return [];
}

/**
 * Takes `action` on a case for `actor`, in one transaction: the case is locked and found as the
 * actor may see it (E9500), checked against the expected version and the state machine, moved, and the
 * 補助金台帳 entries of the move appended (decide and pay add theirs; others come in `ledger`).
 */
export async function act(db: Db, caseId: number, action: string, actor: CaseActor, now: Date, options: ActOptions = {}): Promise<SubsidyCase> {
  const today = dateInJapan(now);
  return db.transaction(async (tx) => {
    const locked = Number.isSafeInteger(caseId) && caseId > 0 ? await lockCase(tx, caseId) : undefined;
    if (!locked || !(await maySee(tx, locked, actor))) throw new OqsError("E9500");
    // The same checks as transition() makes, before the defaults below judge the amounts.
    if (options.expectedVersion !== undefined && options.expectedVersion !== locked.version) throw new OqsError("E9505");
    const rule = transitionOf(locked.state, action, actor.role, options.reason);
    if (typeof rule === "string") throw refusalError(rule, locked.state, action);
    const payable: Payable = rule.action === "pay" ? await payableOf(tx, locked) : { yen: locked.decidedYen, readers: locked.decidedReaders };
    const set = defaultsFor(rule.action, locked, options, today, payable);
    const moved = await transition(tx, caseId, rule, actor, now, { ...options, set });
    for (const entry of [...ownLedger(rule.action, moved, today, payable), ...(options.ledger ?? [])]) {
      await appendLedger(tx, { ...entry, facilityCode: moved.facilityCode, caseId: moved.caseId, program: moved.program, actor, at: now });
    }
    return moved;
  });
}

/** The facility's kind, or undefined when there is no such facility. */
async function facilityKind(db: Db, facilityCode: string): Promise<string | undefined> {
  const rows = await db.query<{ kind: string }>("select kind from facilities where medical_institution_code = $1", [facilityCode]);
  return rows[0]?.kind;
}

/**
 * Whether the actor may apply for the facility: a facility for itself, a vendor for a facility it
 * registered beforehand (第8 3); E9514 otherwise, alike whether the facility exists or not.
 */
async function checkApplicant(db: Db, prepared: PreparedApplication, actor: CaseActor): Promise<void> {
  if (actor.role !== "facility" && actor.role !== "vendor") throw new OqsError("E9502", "apply");
  const own = actor.role === "facility" ? actor.facilityCode === prepared.facilityCode : await vendorHasFacility(db, actor.accountId ?? 0, prepared.facilityCode);
  const kind = own ? await facilityKind(db, prepared.facilityCode) : undefined;
  if (kind === undefined) throw new OqsError("E9514", prepared.facilityCode);
  if (kind !== prepared.application.profile.kind) throw new OqsError("E9513", `profile.kind: ${kind}`);
}

/**
 * Opens a case for an application or reader provision request received now (the 申請日 is today in
 * Japan): checked and calculated by prepareApplication (E9513, E9102, E9103, E9509–E9511, E9516),
 * the applicant checked (E9502, E9514), a second live case refused (E9506). One transaction.
 */
export async function apply(db: Db, input: unknown, actor: CaseActor, now: Date, options: { batchId?: number } = {}): Promise<SubsidyCase> {
  const prepared = prepareApplication(input, dateInJapan(now));
  return db.transaction(async (tx) => {
    await checkApplicant(tx, prepared, actor);
    const opened = await openCase(
      tx,
      { ...prepared, batchId: options.batchId, detail: prepared.application.unknown.length > 0 ? { unknown: prepared.application.unknown } : {} },
      actor,
      now,
    );
    if (!opened) throw new OqsError("E9506", `${prepared.facilityCode} ${prepared.program}`);
    return opened;
  });
}

/**
 * Resubmits a case sent back (差戻し) with a corrected profile: checked and calculated again at the
 * case's first application date (the period was met then; a correction does not lose it), the
 * case moved back to 申請中 with the new application and amounts.
 */
export async function resubmit(
  db: Db,
  caseId: number,
  profile: unknown,
  actor: CaseActor,
  now: Date,
  options: Pick<ActOptions, "expectedVersion" | "documents"> = {},
): Promise<SubsidyCase> {
  return db.transaction(async (tx) => {
    const c = await visibleCase(tx, caseId, actor);
    const appliedOn = String(c.application.appliedOn ?? dateInJapan(c.createdAt));
    const prepared = prepareApplication({ facilityCode: c.facilityCode, program: c.program, kind: c.kind, profile }, appliedOn);
    await checkApplicant(tx, prepared, actor);
    return act(tx, caseId, "resubmit", actor, now, {
      ...options,
      set: { application: prepared.application, calculation: prepared.calculation, requestedYen: prepared.requestedYen, requestedReaders: prepared.requestedReaders },
    });
  });
}

/** Who an admin command acts as: a facility's administrator staff account, an office account, or the system. */
export type ActorLogin = { staff: { facilityCode: string; loginId: string } } | { office: string } | { system: true };

/**
 * The actor for a login: a staff account must be its facility's administrator (E9515; E2111 when
 * there is no such active account), an office account active (E9654).
 */
export async function actorOf(db: Db, login: ActorLogin): Promise<CaseActor> {
  if ("system" in login) return { role: "system", accountId: null, name: "system" };
  if ("office" in login) {
    const found = await findActiveOfficeAccount(db, login.office);
    if (!found) throw new OqsError("E9654", login.office);
    return { role: found.account.role, accountId: found.account.accountId, name: found.account.displayName };
  }
  const found = await findActiveAccount(db, login.staff.facilityCode, login.staff.loginId);
  if (!found) throw new OqsError("E2111", login.staff.loginId);
  if (!found.account.administrator) throw new OqsError("E9515", login.staff.loginId);
  return { role: "facility", accountId: found.account.accountId, name: found.account.displayName, facilityCode: found.account.facilityCode };
}
