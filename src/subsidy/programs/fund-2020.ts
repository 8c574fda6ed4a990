// fund-2020: 医療情報化支援基金 — free 顔認証付きカードリーダー and the subsidy for the rest of the
// オンライン資格確認 set-up (seed 002 実施要領 and its 別表; spec §2 for the later measures).
// The numbers live in fund-2020.json; this module only knows how 第3 combines them:
// the row by facility kind and readers, the measure by the reader application date, then
// min(総事業費 × 補助率, 補助限度額) truncated to 1,000 yen, and the deadlines of 第14.
import { isIsoDate, type FacilityProfile, type Project } from "../profile.ts";
import { dataChecker, type Cell, type Rate } from "../data-check.ts";
import { judgeLargeChain } from "./fund-2020-large-chain.ts";
import {
  NOT_PUBLISHED, ProgramDataError, ResultBuilder, applyRate, inWindow, truncateTo,
  type ProgramModule, type Source, type SubsidyResult, yenText, projectsOf } from "../engine.ts";

export const ROW_IDS = ["hospital-1", "hospital-2", "hospital-3", "large-chain-pharmacy", "clinic-or-pharmacy"] as const;
export type RowId = (typeof ROW_IDS)[number];

interface Row {
  label: string;
  table: string;
  readersFree: Cell<number>;
  readerPriceCap: Cell<number>;
  projectCost: Cell<number>;
}
export interface MeasureCell {
  rate: Rate | null;
  cap: number | null;
  source: Source;
}
export interface Measure {
  id: string;
  priority: number;
  label: string;
  readerApplied: { from: string; to: string | null };
  contractedBy?: string;
  /** Applies only when the project's operation started in this window (and it says so). */
  operationStarted?: { from: string; to: string | null };
  /** Does not apply to a project whose subsidy was already paid (paidOn given). */
  notIfPaid?: boolean;
  cells: Record<string, MeasureCell>;
}
interface Deadline {
  deferralTypes: number[];
  completeBy: string | null;
  applyBy: string | null;
  source: Source;
}
export interface Fund2020Data {
  id: "fund-2020";
  name: string;
  inForce: { from: string; to: string | null; source: Source };
  truncation: { unit: number; source: Source };
  readerApplicationsFrom: Cell<string>;
  subsidyApplicationsFrom: Cell<string>;
  readerRequired: { source: Source };
  applyAfterCompletion: { source: Source };
  rows: Record<RowId, Row>;
  measures: Measure[];
  deadlines: Deadline[];
}

// ---- parsing the data file: every entry checked, the path named (E9105) ----

const check = dataChecker("fund-2020.json");

export function parseFund2020Data(raw: unknown): Fund2020Data {
  const { bad, obj, source, date, dateOrNull, yen, yenOrNull, rateOrNull } = check;
  const d = obj(raw, "(root)");
  if (d.id !== "fund-2020") bad("id", "must be fund-2020");
  const inForce = obj(d.inForce, "inForce");
  date(inForce.from, "inForce.from");
  dateOrNull(inForce.to, "inForce.to");
  source(inForce.source, "inForce.source");
  const truncation = obj(d.truncation, "truncation");
  yen(truncation.unit, "truncation.unit");
  source(truncation.source, "truncation.source");
  for (const key of ["readerApplicationsFrom", "subsidyApplicationsFrom"]) {
    const c = obj(d[key], key);
    date(c.value, `${key}.value`);
    source(c.source, `${key}.source`);
  }
  for (const key of ["readerRequired", "applyAfterCompletion"]) source(obj(d[key], key).source, `${key}.source`);
  const rows = obj(d.rows, "rows");
  for (const id of ROW_IDS) {
    const row = obj(rows[id], `rows.${id}`);
    for (const cell of ["readersFree", "readerPriceCap", "projectCost"]) {
      const c = obj(row[cell], `rows.${id}.${cell}`);
      yen(c.value, `rows.${id}.${cell}.value`);
      source(c.source, `rows.${id}.${cell}.source`);
    }
  }
  if (!Array.isArray(d.measures) || d.measures.length === 0) bad("measures", "non-empty array expected");
  const measures = d.measures as Measure[];
  measures.forEach((m, i) => {
    const path = `measures[${i}]`;
    obj(m, path);
    if (typeof m.id !== "string" || !Number.isInteger(m.priority)) bad(path, "id and integer priority expected");
    date(m.readerApplied?.from, `${path}.readerApplied.from`);
    dateOrNull(m.readerApplied?.to, `${path}.readerApplied.to`);
    if (m.contractedBy !== undefined) date(m.contractedBy, `${path}.contractedBy`);
    if (m.operationStarted !== undefined) {
      date(m.operationStarted.from, `${path}.operationStarted.from`);
      dateOrNull(m.operationStarted.to, `${path}.operationStarted.to`);
    }
    if (m.notIfPaid !== undefined && typeof m.notIfPaid !== "boolean") bad(`${path}.notIfPaid`, "boolean expected");
    const cells = obj(m.cells, `${path}.cells`);
    for (const id of ROW_IDS) if (cells[id] === undefined) bad(`${path}.cells.${id}`, "every row needs a cell (null values for unpublished ones)");
    for (const [key, c] of Object.entries(cells)) {
      const [row, kind, extra] = key.split(":");
      if (!ROW_IDS.includes(row as RowId) || extra !== undefined || (kind !== undefined && kind !== "clinic" && kind !== "pharmacy")) {
        bad(`${path}.cells.${key}`, "ROW or ROW:clinic / ROW:pharmacy expected");
      }
      const cell = obj(c, `${path}.cells.${key}`);
      rateOrNull(cell.rate, `${path}.cells.${key}.rate`);
      yenOrNull(cell.cap, `${path}.cells.${key}.cap`);
      source(cell.source, `${path}.cells.${key}.source`);
    }
  });
  // Catala's rule: two measures of one priority whose windows meet is an error naming both.
  for (let i = 0; i < measures.length; i++) {
    for (let j = i + 1; j < measures.length; j++) {
      const a = measures[i]!;
      const b = measures[j]!;
      if (a.priority !== b.priority) continue;
      const aEnd = a.readerApplied.to ?? "9999-12-31";
      const bEnd = b.readerApplied.to ?? "9999-12-31";
      if (a.readerApplied.from <= bEnd && b.readerApplied.from <= aEnd) {
        throw new ProgramDataError("E9106", `同じ日付に複数の規定が適用され、優先順位が定められていません。(fund-2020: ${a.id} と ${b.id})`);
      }
    }
  }
  if (!Array.isArray(d.deadlines)) bad("deadlines", "array expected");
  (d.deadlines as unknown[]).forEach((x, i) => {
    const dl = obj(x, `deadlines[${i}]`);
    if (!Array.isArray(dl.deferralTypes)) bad(`deadlines[${i}].deferralTypes`, "array expected");
    dateOrNull(dl.completeBy, `deadlines[${i}].completeBy`);
    dateOrNull(dl.applyBy, `deadlines[${i}].applyBy`);
    source(dl.source, `deadlines[${i}].source`);
  });
  return d as unknown as Fund2020Data;
}

// ---- evaluation ----


/** One object for every profile: sources are formatted once per object (formatSource). */
const DENTAL_AS_CLINIC: Source = { seed: "002", line: 1175, ref: "第3の3 診療所" };

/** The 別表 row of a facility; null when a fact it needs is missing or no reader is provided. */
function chooseRow(data: Fund2020Data, profile: FacilityProfile, project: Project, at: string, b: ResultBuilder, path: string): { row: RowId; sub: "clinic" | "pharmacy" | "hospital" } | null {
  const readers = project.readers ?? profile.readersProvided;
  const readersField = `${path}.readers`;
  if (readers === 0) {
    b.fail("顔認証付きカードリーダーの提供を受けていないため補助の対象外です", data.readerRequired.source);
    return null;
  }
  if (profile.kind === "hospital") {
    if (readers === undefined) {
      b.cannotTell("病院の補助限度額はリーダーの提供台数 (1〜3台) で決まります", data.rows["hospital-1"].readersFree.source, readersField);
      return null;
    }
    if (readers > 3) b.note(`リーダーの無償提供は病院で3台までのため、別表1-3 (3台) で計算します (申告 ${readers}台)`, data.rows["hospital-3"].readersFree.source);
    return { row: `hospital-${Math.min(readers, 3)}` as RowId, sub: "hospital" };
  }
  if (readers !== undefined && readers > 1) b.note(`リーダーの無償提供は病院以外では1台までです (申告 ${readers}台)`, data.rows["clinic-or-pharmacy"].readersFree.source);
  if (profile.kind === "pharmacy") {
    // 別表2 or 別表3: the determination in force when the reader was applied for (else on `at`).
    const largeChain = judgeLargeChain(profile, project.readerAppliedOn ?? at, b);
    if (largeChain === null) return null;
    return largeChain ? { row: "large-chain-pharmacy", sub: "pharmacy" } : { row: "clinic-or-pharmacy", sub: "pharmacy" };
  }
  if (profile.kind === "dental_clinic") b.note("歯科診療所は診療所として別表3で計算します (健康保険法第63条第3項の診療所)", DENTAL_AS_CLINIC);
  return { row: "clinic-or-pharmacy", sub: "clinic" };
}

/** The measure in force for the reader application date (highest priority; a tie is E9106). */
function chooseMeasure(data: Fund2020Data, project: Project, b: ResultBuilder, path: string): Measure | null {
  const appliedOn = project.readerAppliedOn;
  if (appliedOn === undefined) {
    b.cannotTell("補助率と補助限度額はリーダーの申込日で決まります", data.readerApplicationsFrom.source, `${path}.readerAppliedOn`);
    return null;
  }
  if (appliedOn < data.readerApplicationsFrom.value) {
    b.fail(`リーダーの申込日 ${appliedOn} は提供申請の受付開始 (${data.readerApplicationsFrom.value}) より前です`, data.readerApplicationsFrom.source);
    return null;
  }
  const candidates: Measure[] = [];
  let undecided = false;
  for (const m of data.measures) {
    if (!inWindow(appliedOn, m.readerApplied.from, m.readerApplied.to)) continue;
    if (m.operationStarted !== undefined) {
      // Only a project that states its operation start is concerned (see the data file's readings).
      const started = project.operationStartedOn;
      if (started === undefined || !inWindow(started, m.operationStarted.from, m.operationStarted.to)) continue;
      if (m.notIfPaid && project.paidOn !== undefined) {
        b.note(`補助金が支給済み (${project.paidOn}) のため「${m.label}」は適用されません`, m.cells["clinic-or-pharmacy"]?.source);
        continue;
      }
    }
    if (m.contractedBy !== undefined) {
      if (project.contractedOn === undefined) {
        b.cannotTell(`「${m.label}」の適用にはベンダーとの契約日が必要です`, m.cells["hospital-1"]?.source, `${path}.contractedOn`);
        undecided = true;
        continue;
      }
      if (project.contractedOn > m.contractedBy) {
        b.note(`契約日 ${project.contractedOn} が ${m.contractedBy} より後のため「${m.label}」は適用されません`);
        continue;
      }
    }
    candidates.push(m);
  }
  if (undecided) return null;
  const top = Math.max(...candidates.map((m) => m.priority));
  const chosen = candidates.filter((m) => m.priority === top);
  if (chosen.length === 0) {
    b.fail(`リーダーの申込日 ${appliedOn} に適用される規定がありません`);
    return null;
  }
  if (chosen.length > 1) {
    throw new ProgramDataError("E9106", `同じ日付に複数の規定が適用され、優先順位が定められていません。(fund-2020: ${chosen.map((m) => m.id).join(" と ")})`);
  }
  return chosen[0]!;
}

/** The measures below `top` that also apply, highest priority first (for a lower bound). */
function measuresBelow(data: Fund2020Data, project: Project, top: Measure): Measure[] {
  const appliedOn = project.readerAppliedOn!;
  return data.measures
    .filter((m) => m.priority < top.priority && inWindow(appliedOn, m.readerApplied.from, m.readerApplied.to))
    .filter((m) => m.contractedBy === undefined || (project.contractedOn !== undefined && project.contractedOn <= m.contractedBy))
    .filter((m) => m.operationStarted === undefined)
    .sort((a, b) => b.priority - a.priority);
}

function checkDeadlines(data: Fund2020Data, project: Project, at: string, b: ResultBuilder, path: string): void {
  const type = project.deferralType;
  const deadline = data.deadlines.find((d) => (type === undefined ? d.deferralTypes.length === 0 : d.deferralTypes.includes(type)));
  if (!deadline) {
    b.cannotTell(`猶予届 類型${type} の期限は${NOT_PUBLISHED}`);
    return;
  }
  const { completeBy, applyBy, source: src } = deadline;
  const { completedOn, appliedOn } = project;
  if (completeBy === null) b.cannotTell(`事業の完了期限は${NOT_PUBLISHED}`, src);
  else if (completedOn !== undefined && completedOn > completeBy) b.fail(`事業の完了 ${completedOn} が完了期限 ${completeBy} を過ぎています`, src);
  else if (completedOn === undefined && at > completeBy) b.cannotTell(`完了期限 ${completeBy} を過ぎています。完了日が必要です`, src, `${path}.completedOn`);
  else if (completedOn === undefined) b.note(`${completeBy} までに事業を完了させる必要があります`, src);

  if (applyBy === null) {
    b.cannotTell(`補助金の申請期限は${NOT_PUBLISHED}`, src);
  } else if (appliedOn === undefined) {
    // No application date means none made yet: after the deadline it can no longer be made.
    if (at > applyBy) b.fail(`補助金の申請期限 ${applyBy} を過ぎています`, src);
    else b.note(`${applyBy} までに補助金を申請してください`, src);
  } else if (appliedOn > applyBy) {
    b.fail(`補助金の申請 ${appliedOn} が申請期限 ${applyBy} を過ぎています`, src);
  }
  if (appliedOn !== undefined && appliedOn < data.subsidyApplicationsFrom.value) {
    b.fail(`補助金の申請 ${appliedOn} が受付開始 (${data.subsidyApplicationsFrom.value}) より前です`, data.subsidyApplicationsFrom.source);
  }
  if (appliedOn !== undefined && completedOn !== undefined && appliedOn < completedOn) {
    b.fail(`補助金の申請は全ての事業の完了後に行います (完了 ${completedOn}, 申請 ${appliedOn})`, data.applyAfterCompletion.source);
  }
}

/** A row's reason: the same for every profile, so made once per row. */
const rowTexts = new WeakMap<Row, string>();
function rowText(r: Row): string {
  let text = rowTexts.get(r);
  if (text === undefined) {
    text = `${r.table} ${r.label}: 顔認証付きカードリーダー${r.readersFree.value}台を無償提供 (1台あたり${yenText(r.readerPriceCap.value)}まで)`;
    rowTexts.set(r, text);
  }
  return text;
}

export function evaluateFund2020(data: Fund2020Data, profile: FacilityProfile, at: string, project: Project, index?: number): SubsidyResult {
  const b = new ResultBuilder(data.id, index);
  const path = index === undefined ? "projects[]" : `projects[${index}]`;
  if (!inWindow(at, data.inForce.from, data.inForce.to)) {
    b.fail(`${at} は実施要領の適用期間 (${data.inForce.from}〜) の外です`, data.inForce.source);
    return b.build(0);
  }
  const row = chooseRow(data, profile, project, at, b, path);
  if (row) {
    const r = data.rows[row.row];
    b.details = { table: r.table, readersFree: r.readersFree.value, readerPriceCap: r.readerPriceCap.value };
    b.note(rowText(r), r.readersFree.source);
  }
  const measure = chooseMeasure(data, project, b, path);
  checkDeadlines(data, project, at, b, path);
  if (b.isFailed || !row || !measure) return b.build(null);

  const cellOf = (m: Measure) => m.cells[`${row.row}:${row.sub}`] ?? m.cells[row.row]!;
  const cell = cellOf(measure);
  b.note(`適用: ${measure.label}`);
  if (project.cost === undefined) {
    b.amountUnknown("補助額の計算には総事業費が必要です", cell.source, `${path}.cost`);
    return b.build(null);
  }
  const compute = (rate: Rate, cap: number) => truncateTo(Math.min(applyRate(project.cost!, rate), cap), data.truncation.unit);
  if (cell.rate === null || cell.cap === null) {
    b.amountUnknown(`${measure.label} の${cell.rate === null ? "補助率" : "補助限度額"}は${NOT_PUBLISHED}`, cell.source);
    // Every later measure raised the amount (10/10, the 2022 caps, the 差額), so the measure it
    // replaced gives a floor: shown as amountAtLeast, while amount stays null.
    for (const lower of measuresBelow(data, project, measure)) {
      const c = cellOf(lower);
      if (c.rate === null || c.cap === null) continue;
      b.details.amountAtLeast = compute(c.rate, c.cap);
      b.note(`少なくとも ${yenText(b.details.amountAtLeast as number)} (${lower.label} による額)`, c.source);
      break;
    }
    return b.build(null);
  }
  const byRate = applyRate(project.cost, cell.rate);
  const smaller = Math.min(byRate, cell.cap);
  const amount = compute(cell.rate, cell.cap);
  b.details.rate = `${cell.rate[0]}/${cell.rate[1]}`;
  b.details.cap = cell.cap;
  b.note(
    `総事業費 ${yenText(project.cost)} × ${cell.rate[0]}/${cell.rate[1]} = ${yenText(byRate)}、補助限度額 ${yenText(cell.cap)} と比べて少ない額 ${yenText(smaller)}、1,000円未満切り捨てで ${yenText(amount)}`,
    cell.source,
  );
  b.cite(data.truncation.source);
  // Eligibility still open (a deadline not published, say): the figure is shown, not promised.
  if (b.eligible === null) {
    b.details.amountIfEligible = amount;
    return b.build(null);
  }
  return b.build(amount);
}

export function fund2020Program(data: Fund2020Data): ProgramModule {
  return {
    id: data.id,
    name: data.name,
    evaluate: (profile, at) => projectsOf(profile, data.id).map(({ project, index }) => evaluateFund2020(data, profile, at, project, index)),
  };
}
