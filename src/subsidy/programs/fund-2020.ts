// fund-2020: 医療情報化支援基金 — free 顔認証付きカードリーダー and the subsidy for the rest of the
// オンライン資格確認 set-up (seed 002 実施要領 and its 別表; spec §2 for the later measures).
// The numbers live in fund-2020.json; this module only knows how 第3 combines them:
// the row by facility kind and readers, the measure by the reader application date, then
// min(総事業費 × 補助率, 補助限度額) truncated to 1,000 yen, and the deadlines of 第14.
import type { FacilityProfile, Project } from "../profile.ts";
import { valueAt, valuesAt, type DatedValue, type Parameter, type ProgramParameters, type Sourced, type Rate } from "../parameters.ts";
import { judgeLargeChain } from "./fund-2020-large-chain.ts";
import { NOT_PUBLISHED, ProgramDataError, ResultBuilder, applyRate, inWindow, projectsOf, truncateTo, type ProgramModule, type Source, type SubsidyResult, yenText } from "../engine.ts";

export const ROW_IDS = ["hospital-1", "hospital-2", "hospital-3", "large-chain-pharmacy", "clinic-or-pharmacy"] as const;
export type RowId = (typeof ROW_IDS)[number];

/** A measure (the value of `measure` for the reader application date): what it needs of a project. */
interface Measure {
  label: string;
  contractedBy?: string;
  /** Applies only when the project's operation started in this window (and it says so). */
  operationStartedFrom?: string;
  operationStartedTo?: string | null;
  /** Does not apply to a project whose subsidy was already paid (paidOn given). */
  notIfPaid?: boolean;
}
type MeasureValue = DatedValue<Measure>;
const measureOf = (m: MeasureValue) => m.value as Measure;

/** A cell of a measure: its rate and cap (null: 公表されていない) and the source of both. */
interface MeasureCell {
  rate: Rate | null;
  cap: number | null;
  source: Source;
}

export interface Fund2020 {
  id: string;
  name: string;
  params: ProgramParameters;
  inForce: DatedValue<true>;
  truncation: Sourced<number>;
  readerApplicationsFrom: Sourced<string>;
  subsidyApplicationsFrom: Sourced<string>;
  readerRequired: Source;
  applyAfterCompletion: Source;
  dentalAsClinic: Source;
  measures: Parameter<Measure>;
  inForceParameter: Parameter<true>;
  rows: Record<RowId, Row>;
}

function fund2020(p: ProgramParameters): Fund2020 {
  const data: Fund2020 = {
    id: p.id,
    name: p.name,
    params: p,
    inForce: p.only<true>("inForce"),
    truncation: p.onlyValue("truncation"),
    readerApplicationsFrom: p.onlyValue("readerApplicationsFrom"),
    subsidyApplicationsFrom: p.onlyValue("subsidyApplicationsFrom"),
    readerRequired: p.only("readerRequired").source,
    applyAfterCompletion: p.only("applyAfterCompletion").source,
    dentalAsClinic: p.only("dentalAsClinic").source,
    measures: p.get<Measure>("measure"),
    inForceParameter: p.get<true>("inForce"),
    rows: Object.fromEntries(ROW_IDS.map((row) => [row, rowOf(p, row)])) as Record<RowId, Row>,
  };
  // A cell's values are dated as their measure, and every measure has a cell for every row
  // (公表されていない where none is published): checked at load, so no answer finds a hole.
  for (const m of data.measures.values) {
    for (const row of ROW_IDS) {
      for (const name of [`rate.${row}`, `cap.${row}`, `rate.${row}:clinic`, `cap.${row}:clinic`, `rate.${row}:pharmacy`, `cap.${row}:pharmacy`]) {
        const v = p.has(name) ? p.get(name).values.find((x) => x.id === m.id) : undefined;
        if (v === undefined) {
          if (!name.includes(":")) throw new ProgramDataError("E9105", `補助金プログラムのデータファイルが不正です。(fund-2020.json parameters.${name}: every measure needs a value (公表されていない for an unpublished one); ${m.id} has none)`);
        } else if (v.from !== m.from || v.to !== m.to || v.priority !== m.priority) {
          throw new ProgramDataError("E9105", `補助金プログラムのデータファイルが不正です。(fund-2020.json parameters.${name}: the value of ${m.id} must be dated as the measure)`);
        }
      }
    }
  }
  return data;
}

/** A 別表 row as the formulas read it: its figures and its reason (the same for every profile), read once at load. */
interface Row {
  table: string;
  readersFree: Sourced<number>;
  readerPriceCap: Sourced<number>;
  text: string;
}
function rowOf(p: ProgramParameters, row: RowId): Row {
  const table = p.label(`row.${row}.table`);
  const readersFree = p.onlyValue<number>(`readersFree.${row}`);
  const readerPriceCap = p.onlyValue<number>(`readerPriceCap.${row}`);
  const text = `${table} ${p.label(`row.${row}.label`)}: 顔認証付きカードリーダー${readersFree.value}台を無償提供 (1台あたり${yenText(readerPriceCap.value)}まで)`;
  return { table, readersFree, readerPriceCap, text };
}

/** The cell of `measure` for a row, `ROW:clinic` / `ROW:pharmacy` winning over `ROW`; undefined when the measure has none. */
function cellOf(data: Fund2020, measure: MeasureValue, row: RowId, sub: Sub): MeasureCell | undefined {
  // By row, then by measure, every kind at once: the lookup builds no key string.
  return data.params.memo(row, measure, () => ({
    clinic: findCell(data, measure, row, "clinic"),
    pharmacy: findCell(data, measure, row, "pharmacy"),
    hospital: findCell(data, measure, row, "hospital"),
    "": findCell(data, measure, row, ""),
  }))[sub];
}
/** The kind a cell may be for (ROW:clinic, ROW:pharmacy), "" for the row's own cell. */
type Sub = "clinic" | "pharmacy" | "hospital" | "";

function findCell(data: Fund2020, measure: MeasureValue, row: RowId, sub: Sub): MeasureCell | undefined {
  const { params } = data;
  const name = sub !== "" && params.has(`rate.${row}:${sub}`) && params.get(`rate.${row}:${sub}`).values.some((v) => v.id === measure.id) ? `${row}:${sub}` : row;
  const rate = params.get<Rate>(`rate.${name}`).values.find((v) => v.id === measure.id);
  const cap = params.get<number>(`cap.${name}`).values.find((v) => v.id === measure.id);
  if (rate === undefined || cap === undefined) return undefined;
  return {
    rate: rate.value === NOT_PUBLISHED ? null : (rate.value as Rate),
    cap: cap.value === NOT_PUBLISHED ? null : (cap.value as number),
    source: rate.source,
  };
}

// ---- evaluation ----


/** The 別表 row of a facility; null when a fact it needs is missing or no reader is provided. */
function chooseRow(data: Fund2020, profile: FacilityProfile, project: Project, at: string, b: ResultBuilder, path: string): { row: RowId; sub: "clinic" | "pharmacy" | "hospital" } | null {
  const readers = project.readers ?? profile.readersProvided;
  const readersField = `${path}.readers`;
  if (readers === 0) {
    b.fail("顔認証付きカードリーダーの提供を受けていないため補助の対象外です", data.readerRequired);
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
  if (profile.kind === "dental_clinic") b.note("歯科診療所は診療所として別表3で計算します (健康保険法第63条第3項の診療所)", data.dentalAsClinic);
  return { row: "clinic-or-pharmacy", sub: "clinic" };
}

/** The measure in force for the reader application date: the engine's values at that date, highest priority first, that the project meets. */
function chooseMeasure(data: Fund2020, project: Project, b: ResultBuilder, path: string): MeasureValue | null {
  const appliedOn = project.readerAppliedOn;
  if (appliedOn === undefined) {
    b.cannotTell("補助率と補助限度額はリーダーの申込日で決まります", data.readerApplicationsFrom.source, `${path}.readerAppliedOn`);
    return null;
  }
  if (appliedOn < data.readerApplicationsFrom.value) {
    b.fail(`リーダーの申込日 ${appliedOn} は提供申請の受付開始 (${data.readerApplicationsFrom.value}) より前です`, data.readerApplicationsFrom.source);
    return null;
  }
  let chosen: MeasureValue | undefined;
  let undecided = false;
  for (const v of valuesAt(data.measures, appliedOn)) {
    const m = measureOf(v);
    if (m.operationStartedFrom !== undefined) {
      // Only a project that states its operation start is concerned (see the data file's readings).
      const started = project.operationStartedOn;
      if (started === undefined || !inWindow(started, m.operationStartedFrom, m.operationStartedTo ?? null)) continue;
      if (m.notIfPaid && project.paidOn !== undefined) {
        b.note(`補助金が支給済み (${project.paidOn}) のため「${m.label}」は適用されません`, cellOf(data, v, "clinic-or-pharmacy", "")?.source);
        continue;
      }
    }
    if (m.contractedBy !== undefined) {
      if (project.contractedOn === undefined) {
        b.cannotTell(`「${m.label}」の適用にはベンダーとの契約日が必要です`, v.source, `${path}.contractedOn`);
        undecided = true;
        continue;
      }
      if (project.contractedOn > m.contractedBy) {
        b.note(`契約日 ${project.contractedOn} が ${m.contractedBy} より後のため「${m.label}」は適用されません`);
        continue;
      }
    }
    // Highest priority first; the engine refused two of one priority in force on one date (E9106).
    chosen ??= v;
  }
  if (undecided) return null;
  if (chosen === undefined) {
    b.fail(`リーダーの申込日 ${appliedOn} に適用される規定がありません`);
    return null;
  }
  return chosen;
}

/** The measures below `top` that also apply, highest priority first (for a lower bound). */
function measuresBelow(data: Fund2020, project: Project, top: MeasureValue): MeasureValue[] {
  return valuesAt(data.measures, project.readerAppliedOn!)
    .filter((v) => v.priority < top.priority)
    .filter((v) => measureOf(v).contractedBy === undefined || (project.contractedOn !== undefined && project.contractedOn <= measureOf(v).contractedBy!))
    .filter((v) => measureOf(v).operationStartedFrom === undefined);
}

function checkDeadlines(data: Fund2020, project: Project, at: string, b: ResultBuilder, path: string): void {
  const type = project.deferralType;
  const key = type === undefined ? "none" : String(type);
  if (!data.params.has(`completeBy.${key}`)) {
    b.cannotTell(`猶予届 類型${type} の期限は${NOT_PUBLISHED}`);
    return;
  }
  const completeByValue = data.params.only<string>(`completeBy.${key}`);
  const applyByValue = data.params.only<string>(`applyBy.${key}`);
  const completeBy = completeByValue.value === NOT_PUBLISHED ? null : (completeByValue.value as string);
  const applyBy = applyByValue.value === NOT_PUBLISHED ? null : (applyByValue.value as string);
  const src = completeByValue.source;
  const { completedOn, appliedOn } = project;
  if (completeBy === null) b.cannotTell(`事業の完了期限は${NOT_PUBLISHED}`, src);
  else if (completedOn !== undefined && completedOn > completeBy) b.fail(`事業の完了 ${completedOn} が完了期限 ${completeBy} を過ぎています`, src);
  else if (completedOn === undefined && at > completeBy) b.cannotTell(`完了期限 ${completeBy} を過ぎています。完了日が必要です`, src, `${path}.completedOn`);
  else if (completedOn === undefined) b.note(`${completeBy} までに事業を完了させる必要があります`, src);

  if (applyBy === null) {
    b.cannotTell(`補助金の申請期限は${NOT_PUBLISHED}`, applyByValue.source);
  } else if (appliedOn === undefined) {
    // No application date means none made yet: after the deadline it can no longer be made.
    if (at > applyBy) b.fail(`補助金の申請期限 ${applyBy} を過ぎています`, applyByValue.source);
    else b.note(`${applyBy} までに補助金を申請してください`, applyByValue.source);
  } else if (appliedOn > applyBy) {
    b.fail(`補助金の申請 ${appliedOn} が申請期限 ${applyBy} を過ぎています`, applyByValue.source);
  }
  if (appliedOn !== undefined && appliedOn < data.subsidyApplicationsFrom.value) {
    b.fail(`補助金の申請 ${appliedOn} が受付開始 (${data.subsidyApplicationsFrom.value}) より前です`, data.subsidyApplicationsFrom.source);
  }
  if (appliedOn !== undefined && completedOn !== undefined && appliedOn < completedOn) {
    b.fail(`補助金の申請は全ての事業の完了後に行います (完了 ${completedOn}, 申請 ${appliedOn})`, data.applyAfterCompletion);
  }
}

export function evaluateFund2020(data: Fund2020, profile: FacilityProfile, at: string, project: Project, index?: number): SubsidyResult {
  const b = new ResultBuilder(data.id, index);
  const path = index === undefined ? "projects[]" : `projects[${index}]`;
  if (valueAt(data.inForceParameter, at).kind === "not-in-force") {
    b.fail(`${at} は実施要領の適用期間 (${data.inForce.from}〜) の外です`, data.inForce.source);
    return b.build(0);
  }
  const row = chooseRow(data, profile, project, at, b, path);
  if (row) {
    const r = data.rows[row.row];
    b.details = { table: r.table, readersFree: r.readersFree.value, readerPriceCap: r.readerPriceCap.value };
    b.note(r.text, r.readersFree.source);
  }
  const measure = chooseMeasure(data, project, b, path);
  checkDeadlines(data, project, at, b, path);
  if (b.isFailed || !row || !measure) return b.build(null);

  const cellFor = (m: MeasureValue) => cellOf(data, m, row.row, row.sub)!;
  const cell = cellFor(measure);
  const label = measureOf(measure).label;
  b.note(`適用: ${label}`);
  if (project.cost === undefined) {
    b.amountUnknown("補助額の計算には総事業費が必要です", cell.source, `${path}.cost`);
    return b.build(null);
  }
  const compute = (rate: Rate, cap: number) => truncateTo(Math.min(applyRate(project.cost!, rate), cap), data.truncation.value);
  if (cell.rate === null || cell.cap === null) {
    b.amountUnknown(`${label} の${cell.rate === null ? "補助率" : "補助限度額"}は${NOT_PUBLISHED}`, cell.source);
    // Every later measure raised the amount (10/10, the 2022 caps, the 差額), so the measure it
    // replaced gives a floor: shown as amountAtLeast, while amount stays null.
    for (const lower of measuresBelow(data, project, measure)) {
      const c = cellFor(lower);
      if (c.rate === null || c.cap === null) continue;
      b.details.amountAtLeast = compute(c.rate, c.cap);
      b.note(`少なくとも ${yenText(b.details.amountAtLeast as number)} (${measureOf(lower).label} による額)`, c.source);
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

export function fund2020Program(params: ProgramParameters): ProgramModule {
  const data = fund2020(params);
  return {
    id: data.id,
    name: data.name,
    evaluate: (profile, at) => projectsOf(profile, data.id).map(({ project, index }) => evaluateFund2020(data, profile, at, project, index)),
  };
}
