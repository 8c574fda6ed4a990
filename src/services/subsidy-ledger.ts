// The 補助金台帳 (第13) as the office reads it: a facility's entries with its sums per programme and
// the day its books may be discarded (第5 1(5)); the totals per 年度 and programme for the 厚生労働
// 大臣's report; an examiner's correction, which is a new entry (the ledger is never rewritten); and
// the disposal requests for funded readers within their life (第5 1(2)(3)).
//
// Who sees what: an examiner (and the system: onshi's own CLI) any facility; a facility (its
// administrator) its own only, and any other code is answered as one that does not exist (E9620).
// Vendors do not read the ledger: the 支払基金 keeps it (第13), the 取りまとめ者 only applies.
import type { Db } from "../db/client.ts";
import { FACILITY_KIND_LABELS } from "../domain/facility-code.ts";
import { OqsError } from "../errors/catalogue.ts";
import { dateInJapan, formatSource } from "../subsidy/engine.ts";
import { dayNumber } from "../subsidy/input-error.ts";
import type { PreparedApplication } from "../subsidy/office-application.ts";
import { loadPrograms } from "../subsidy/program-data.ts";
import { RETENTION_SOURCES, disposalNeedsApproval, facilityRetention, type FacilityRetention, type ProjectRecords } from "../subsidy/retention.ts";
import { insertDisposal, listDisposals, lockDisposal, decideDisposal, readersInDisposal, type Disposal, type DisposalState } from "../store/equipment-disposal-store.ts";
import { findFacility } from "../store/facility-store.ts";
import { cancellationsOf } from "../store/subsidy-return-store.ts";
import { appendLedger, listFacilityCases, loadCase, lockCase, type CaseActor, type LedgerEntryKind } from "../store/subsidy-case-store.ts";
import { facilityLedger, ledgerEntry, ledgerSums, readersProvided, type LedgerEntry, type LedgerFilter, type LedgerSumRow } from "../store/subsidy-ledger-store.ts";
import { idempotent, type OfficeAnswer } from "./subsidy-office.ts";

export const LEDGER_SOURCE = formatSource({ document: "online-shikaku-2020", line: 1431, lineTo: 1437, ref: "第13 備え付け帳簿等 (補助金台帳)" });

export const LEDGER_ENTRY_LABELS: Record<LedgerEntryKind, string> = {
  readers_distributed: "カードリーダー配付",
  decided: "交付決定",
  paid: "支払",
  cancelled: "取消",
  return_ordered: "返還命令",
  returned: "返還",
  interest: "延滞金",
  disposal_approved: "財産処分承認",
  correction: "訂正",
};

/** A programme's name as its data file gives it; an id onshi does not know is shown as it is. */
export function programName(id: string): string {
  return loadPrograms().find((p) => p.id === id)?.name ?? id;
}

export interface LedgerLine extends LedgerEntry {
  label: string;
  programName: string;
  /** For a correction: the kind of the entry it corrects. */
  correctsLabel: string | null;
}

export interface SumsLine extends LedgerSumRow {
  programName: string;
}

export interface FacilityLedgerView {
  facility: { code: string; name: string; kindLabel: string };
  /** The day the view was made (Japan). */
  asOf: string;
  entries: LedgerLine[];
  /** Per programme, then one row over all (program null). */
  sums: SumsLine[];
  retention: FacilityRetention;
  source: string;
}

/** The facility the actor may read the ledger of, or E9620 (unknown and not yours alike). */
async function readableFacility(db: Db, actor: CaseActor, code: string) {
  const mayRead = actor.role === "examiner" || actor.role === "system" || (actor.role === "facility" && actor.facilityCode === code);
  const facility = mayRead ? await findFacility(db, code) : undefined;
  if (!facility) throw new OqsError("E9620", code);
  return facility;
}

const sumsLine = (row: LedgerSumRow): SumsLine => ({ ...row, programName: row.program === null ? "合計" : programName(row.program) });

export async function facilityLedgerView(db: Db, actor: CaseActor, code: string, now: Date): Promise<FacilityLedgerView> {
  const facility = await readableFacility(db, actor, code);
  const entries = await facilityLedger(db, code);
  const byId = new Map(entries.map((e) => [e.entryId, e]));
  return {
    facility: { code, name: facility.name, kindLabel: FACILITY_KIND_LABELS[facility.kind] },
    asOf: dateInJapan(now),
    entries: entries.map((e) => {
      const corrected = e.corrects === null ? undefined : byId.get(e.corrects);
      return { ...e, label: LEDGER_ENTRY_LABELS[e.entry], programName: programName(e.program), correctsLabel: corrected ? LEDGER_ENTRY_LABELS[corrected.entry] : null };
    }),
    sums: (await ledgerSums(db, { facilityCode: code }, "perProgram")).map(sumsLine),
    retention: await retentionOf(db, code),
    source: LEDGER_SOURCE,
  };
}

/** States in which a case's project was decided (and so has books to keep). */
const FUNDED_STATES = new Set(["decided", "paid", "partly_cancelled", "cancelled", "return_ordered", "returned", "overdue", "settled"]);

/** 事業完了の日 as applied (the applied project's completedOn); a reader request completes when its readers were provided. */
function completedOnOf(application: Record<string, unknown>, provided: { providedOn: string }[]): string | null {
  const { profile, project } = application as Partial<PreparedApplication["application"]>;
  const completedOn = typeof project === "number" ? profile?.projects?.[project]?.completedOn : undefined;
  if (completedOn !== undefined && dayNumber(completedOn) !== null) return completedOn;
  return provided.length > 0 ? provided[provided.length - 1]!.providedOn : null;
}

async function retentionOf(db: Db, code: string): Promise<FacilityRetention> {
  const provided = await readersProvided(db, code);
  const approved = await listDisposals(db, { facilityCode: code, state: "approved" });
  const projects: ProjectRecords[] = (await listFacilityCases(db, code))
    .filter((c) => FUNDED_STATES.has(c.state))
    .map((c) => {
      const readers = provided.get(c.caseId) ?? [];
      return {
        caseId: c.caseId,
        program: c.program,
        completedOn: completedOnOf(c.application, readers),
        readers,
        disposalsApprovedOn: approved.filter((d) => d.caseId === c.caseId).map((d) => dateInJapan(d.decidedAt!)),
      };
    });
  return facilityRetention(projects);
}

export interface LedgerTotalsView {
  fromYear: number | null;
  toYear: number | null;
  program: string | null;
  /** Per 年度: its programmes, then a row over them (program null); then per programme over all 年度 (fiscalYear null), then everything. */
  rows: SumsLine[];
  source: string;
}

const YEAR_MIN = 2000;
const YEAR_MAX = 2100;

/** A 年度 as given (a query string's text or a number), or E9624 naming the field. */
function checkedYear(value: unknown, field: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const year = typeof value === "string" && /^\d{4}$/.test(value) ? Number(value) : value;
  if (typeof year !== "number" || !Number.isSafeInteger(year) || year < YEAR_MIN || year > YEAR_MAX) throw new OqsError("E9624", field);
  return year;
}

/** The conditions of a totals request checked (query strings or numbers), or E9624 naming the field. */
export function totalsFilter(query: { fromYear?: unknown; toYear?: unknown; program?: unknown }): LedgerFilter {
  const fromYear = checkedYear(query.fromYear, "fromYear");
  const toYear = checkedYear(query.toYear, "toYear");
  if (fromYear !== undefined && toYear !== undefined && fromYear > toYear) throw new OqsError("E9624", "fromYear > toYear");
  const program = query.program === undefined || query.program === "" ? undefined : query.program;
  if (program !== undefined && (typeof program !== "string" || !loadPrograms().some((p) => p.id === program))) throw new OqsError("E9624", "program");
  return { fromYear, toYear, program };
}

/** The totals per 年度 and programme (the 厚生労働大臣's report); E9624 for a bad range or programme. */
export async function ledgerTotalsView(db: Db, query: { fromYear?: unknown; toYear?: unknown; program?: unknown }): Promise<LedgerTotalsView> {
  const filter = totalsFilter(query);
  const rows = (await ledgerSums(db, filter, "perYear")).map(sumsLine);
  return { fromYear: filter.fromYear ?? null, toYear: filter.toYear ?? null, program: filter.program ?? null, rows, source: LEDGER_SOURCE };
}

const NOTE_MAX = 500;
const FIGURE_MAX = 1_000_000_000_000;

function checkedText(value: unknown, field: string, code: "E9623" | "E9625" | "E9632"): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > NOTE_MAX || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(value)) throw new OqsError(code, field);
  return value.trim();
}

function checkedInteger(value: unknown, field: string, code: "E9623" | "E9625", min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) throw new OqsError(code, field);
  return value;
}

export interface CorrectionRequest {
  entryId?: unknown;
  yen?: unknown;
  readers?: unknown;
  note?: unknown;
}

/**
 * An examiner's correction: a new entry naming the one it corrects, with the signed difference in
 * yen and readers and why. A correction is itself corrected by correcting the original again.
 */
export async function correctLedger(db: Db, actor: CaseActor, key: string | undefined, body: CorrectionRequest, now: Date): Promise<OfficeAnswer<{ entry: LedgerEntry }>> {
  const entryId = checkedInteger(body.entryId, "entryId", "E9623", 1, Number.MAX_SAFE_INTEGER);
  const yen = body.yen === undefined ? 0 : checkedInteger(body.yen, "yen", "E9623", -FIGURE_MAX, FIGURE_MAX);
  const readers = body.readers === undefined ? 0 : checkedInteger(body.readers, "readers", "E9623", -100_000, 100_000);
  if (yen === 0 && readers === 0) throw new OqsError("E9623", "yen/readers");
  const note = checkedText(body.note, "note", "E9623");
  return idempotent(db, actor, key, { op: "ledger.correct", entryId, yen, readers, note }, now, async (tx) => {
    const corrected = await ledgerEntry(tx, entryId);
    if (!corrected) throw new OqsError("E9621", String(entryId));
    if (corrected.entry === "correction") throw new OqsError("E9622", `${entryId} → ${corrected.corrects}`);
    const id = await appendLedger(tx, {
      facilityCode: corrected.facilityCode,
      caseId: corrected.caseId,
      program: corrected.program,
      entry: "correction",
      onDate: dateInJapan(now),
      yen,
      readers,
      corrects: entryId,
      note,
      actor,
      at: now,
    });
    return { status: 201, body: { entry: (await ledgerEntry(tx, id))! } };
  });
}

export interface DisposalRequest {
  caseId?: unknown;
  readers?: unknown;
  reason?: unknown;
  plannedOn?: unknown;
}

/**
 * A facility asks to dispose of readers a case funded (第5 1(2)). Refused: a case not the
 * facility's or without readers distributed, more readers than it holds (less those cancelled after
 * provision, approved for disposal or waiting), a day already past, or a day after the readers' life, when no approval is needed.
 * The case row is locked so that two requests at once cannot both claim the same readers.
 */
export async function requestDisposal(db: Db, actor: CaseActor, key: string | undefined, body: DisposalRequest, now: Date): Promise<OfficeAnswer<{ disposal: Disposal }>> {
  const caseId = checkedInteger(body.caseId, "caseId", "E9625", 1, Number.MAX_SAFE_INTEGER);
  const readers = checkedInteger(body.readers, "readers", "E9625", 1, 100_000);
  const reason = checkedText(body.reason, "reason", "E9625");
  const today = dateInJapan(now);
  if (typeof body.plannedOn !== "string" || dayNumber(body.plannedOn) === null || body.plannedOn < today) throw new OqsError("E9625", "plannedOn");
  const plannedOn = body.plannedOn;
  return idempotent(db, actor, key, { op: "disposal.request", caseId, readers, reason, plannedOn }, now, async (tx) => {
    const locked = await lockCase(tx, caseId);
    if (!locked || actor.role !== "facility" || locked.facilityCode !== actor.facilityCode) throw new OqsError("E9626", String(caseId));
    const provided = (await readersProvided(tx, locked.facilityCode)).get(caseId) ?? [];
    const held = provided.reduce((n, p) => n + p.readers, 0);
    if (held === 0) throw new OqsError("E9627", String(caseId));
    // Readers cancelled after they were provided were returned at their depreciated value (第11): no longer funded.
    const cancelled = ((await cancellationsOf(tx, [caseId])).get(caseId) ?? []).filter((x) => x.afterPayment).reduce((n, x) => n + x.readers, 0);
    const free = held - cancelled - (await readersInDisposal(tx, caseId));
    if (readers > free) throw new OqsError("E9628", `${readers}台 > ${free}台`);
    // The readers last provided are the last to leave their life: approval is needed while they are in it.
    const lastProvided = provided[provided.length - 1]!.providedOn;
    if (!disposalNeedsApproval(lastProvided, plannedOn)) throw new OqsError("E9629", `${lastProvided} 提供、${plannedOn} 処分`);
    const disposal = await insertDisposal(tx, { facilityCode: locked.facilityCode, caseId, readers, reason, plannedOn, requestedBy: actor.accountId!, requestedByName: actor.name }, now);
    return { status: 201, body: { disposal } };
  });
}

export interface DisposalDecision {
  approve?: unknown;
  note?: unknown;
}

/**
 * An examiner approves or refuses a request, once: the row is locked, and a request decided since
 * (another examiner first) is E9631. An approval adds the 補助金台帳 entry disposal_approved.
 */
export async function decideDisposalRequest(db: Db, actor: CaseActor, key: string | undefined, disposalId: number, body: DisposalDecision, now: Date): Promise<OfficeAnswer<{ disposal: Disposal }>> {
  if (typeof body.approve !== "boolean") throw new OqsError("E9625", "approve");
  const approve = body.approve;
  const note = body.note === undefined || body.note === "" ? null : checkedText(body.note, "note", "E9625");
  if (!approve && note === null) throw new OqsError("E9632");
  return idempotent(db, actor, key, { op: "disposal.decide", disposalId, approve, note }, now, async (tx) => {
    const locked = Number.isSafeInteger(disposalId) && disposalId > 0 ? await lockDisposal(tx, disposalId) : undefined;
    if (!locked) throw new OqsError("E9630", String(disposalId));
    if (locked.state !== "requested") throw new OqsError("E9631");
    const disposal = await decideDisposal(tx, disposalId, approve ? "approved" : "refused", { by: actor.accountId!, byName: actor.name, note }, now);
    if (approve) {
      await appendLedger(tx, {
        facilityCode: disposal.facilityCode,
        caseId: disposal.caseId,
        program: (await loadCase(tx, disposal.caseId))!.program,
        entry: "disposal_approved",
        onDate: dateInJapan(now),
        readers: disposal.readers,
        note: `${disposal.reason}${note ? ` (${note})` : ""}`,
        actor,
        at: now,
      });
    }
    return { status: 200, body: { disposal } };
  });
}

/** Requests: an examiner's view of all (optionally in one state), a facility's of its own. */
export async function disposalsFor(db: Db, actor: CaseActor, state?: unknown): Promise<{ disposals: Disposal[]; sources: string[] }> {
  if (state !== undefined && state !== "" && state !== "requested" && state !== "approved" && state !== "refused") throw new OqsError("E9625", "state");
  const filter = { state: (state || undefined) as DisposalState | undefined, facilityCode: actor.role === "examiner" ? undefined : (actor.facilityCode ?? "") };
  return { disposals: await listDisposals(db, filter), sources: [RETENTION_SOURCES.disposal, RETENTION_SOURCES.proceeds] };
}
