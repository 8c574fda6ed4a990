// The レセコン・再来受付機 改修 subsidies for the マイナンバーカード as 受給者証 and 診察券:
// modification-da-2024 (デジタル庁, seeds 000 and 003), modification-mhlw-2024 (厚生労働省 via the
// prefectures, seed 003) and modification-2025 (seed 004). The three are one table shape — a row
// by facility, a column by scope, a cell of options (rate, 事業費上限, 補助上限, a condition ※1/※2)
// — so one evaluator reads all three data files; what differs (deadlines, the 2025 combined
// application, the 2024 one-time rule, the 厚生労働省 ※3 cap) is data or a flag in the file.
import { type FacilityProfile, type Project, SCOPES, type Scope } from "../profile.ts";
import { type DatedValue, type ProgramParameters, type Rate } from "../parameters.ts";
import { NOT_PUBLISHED, ResultBuilder, applyRate, formatSource, projectsOf, truncateTo, type ProgramModule, type RunMemo, type Source, type SubsidyResult, yenText } from "../engine.ts";
import { judgeLargeChain } from "./fund-2020-large-chain.ts";
import { addMonths, monthRate, percentText, risenByAtLeast, type Ratio } from "../usage-rate.ts";

/** Values of projects[i].agency: the デジタル庁 subsidy, or one of the 厚生労働省 ①②③ (seed 003 l.53-55). */
export const AGENCIES = ["digital", "mhlw-nanbyo", "mhlw-shoman", "mhlw-jiritsu"] as const;

export const ROWS = ["clinic", "pharmacy", "large-chain", "hospital-machine", "hospital-other"] as const;
export type RowId = (typeof ROWS)[number];

/** A cell's option (seed 000 l.447-453): the rate on the cost up to 事業費上限, up to 補助上限; its ※1/※2 condition in `when`. */
export interface CellOption {
  /** 事業費上限: the cost the rate applies to at most (null: none). */
  costCap: number | null;
  rate: Rate;
  /** 補助上限. */
  cap: number;
  /** 厚生労働省 ※3: the cap may fall, not below the デジタル庁 cap for the same row and scope. */
  provisional?: boolean;
}
type Option = DatedValue<CellOption>;

/** A date of the program's calendar with its source. */
interface Dated {
  value: string;
  source: Source;
}

/**
 * One modification program's parameters as its formulas read them: each program-wide value read
 * once, when the program is built (a missing or broken one fails at load, E9105).
 */
export interface ModificationData {
  id: string;
  name: string;
  params: ProgramParameters;
  agencies: string[];
  /** The table read once at load: a cell by row and scope, and each row's label. */
  cells: Record<RowId, Record<Scope, CellAnswer>>;
  rowLabels: Record<RowId, string>;
  truncation: { unit: number; source: Source };
  conditions?: {
    s1: { from: string; to: string; minUses: number; source: Source };
    s2: { baseMonth: string; from: string; points: number; source: Source; rateSource: Source; newFacilityFrom: string; newFacilitySource: Source };
  };
  dates: {
    completedFrom?: Dated & { unknownBefore: boolean };
    completeBy?: Dated;
    appliedFrom?: Dated;
    appliedTo?: Dated;
    applyAfterCompletion?: { source: Source };
    applicationNote?: { ref: string; source: Source };
  };
  provisionalCap?: { source: Source };
  prefectureAccepted?: { source: Source };
  oneApplication?: { source: Source };
  notBefore2025?: { source: Source };
  /** modification-da-2024: the 2024 subsidies are one, once (seed 003 l.38). */
  oneTime?: { source: Source };
}

const value = <T>(p: ProgramParameters, name: string): { value: T; source: Source } => {
  const v = p.only<T>(name);
  return { value: v.value as T, source: v.source };
};
const optional = <T>(p: ProgramParameters, name: string) => (p.has(name) ? value<T>(p, name) : undefined);
const rule = (p: ProgramParameters, name: string) => (p.has(name) ? { source: p.only(name).source } : undefined);

export function modificationData(p: ProgramParameters): ModificationData {
  const date = (name: string) => optional<string>(p, name);
  const completedFrom = date("completedFrom");
  const note = optional<string>(p, "applicationNote");
  const truncation = value<number>(p, "truncation");
  const data: ModificationData = {
    id: p.id,
    name: p.name,
    params: p,
    agencies: p.label("agencies").split(" "),
    cells: Object.fromEntries(ROWS.map((row) => [row, Object.fromEntries(SCOPES.map((scope) => [scope, readCell(p, row, scope)]))])) as ModificationData["cells"],
    rowLabels: Object.fromEntries(ROWS.map((row) => [row, p.label(`row.${row}`)])) as Record<RowId, string>,
    truncation: { unit: truncation.value, source: truncation.source },
    dates: {
      ...(completedFrom ? { completedFrom: { ...completedFrom, unknownBefore: p.has("completedFrom.earlierUnknown") } } : {}),
      ...(p.has("completeBy") ? { completeBy: date("completeBy") } : {}),
      ...(p.has("appliedFrom") ? { appliedFrom: date("appliedFrom") } : {}),
      ...(p.has("appliedTo") ? { appliedTo: date("appliedTo") } : {}),
      ...(p.has("applyAfterCompletion") ? { applyAfterCompletion: rule(p, "applyAfterCompletion") } : {}),
      ...(note ? { applicationNote: { ref: note.value, source: note.source } } : {}),
    },
  };
  if (p.has("s1.months")) {
    const months = value<{ from: string; to: string }>(p, "s1.months");
    const base = value<string>(p, "s2.baseMonth");
    const newFacility = value<string>(p, "s2.newFacilityFrom");
    data.conditions = {
      s1: { ...months.value, minUses: value<number>(p, "s1.minUses").value, source: months.source },
      s2: {
        baseMonth: base.value,
        from: value<string>(p, "s2.firstMonth").value,
        points: value<number>(p, "s2.points").value,
        source: base.source,
        rateSource: rule(p, "s2.rate")!.source,
        newFacilityFrom: newFacility.value,
        newFacilitySource: newFacility.source,
      },
    };
  }
  for (const key of ["provisionalCap", "prefectureAccepted", "oneApplication", "notBefore2025", "oneTime"] as const) {
    const r = rule(p, key);
    if (r) data[key] = r;
  }
  return data;
}

/** The table's cell for a row and scope: options in order, not published (with its source), not covered (ー, with its source), or none. */
type CellAnswer = { kind: "options"; options: Option[] } | { kind: "unknown"; source: Source } | { kind: "not-covered"; source: Source } | undefined;
function readCell(params: ProgramParameters, row: RowId, scope: Scope): CellAnswer {
  if (params.has(`notCovered.${row}.${scope}`)) return { kind: "not-covered", source: params.only(`notCovered.${row}.${scope}`).source };
  if (!params.has(`cell.${row}.${scope}`)) return undefined;
  const options = params.get<CellOption>(`cell.${row}.${scope}`).values;
  const unknown = options.find((o) => o.value === NOT_PUBLISHED);
  return unknown ? { kind: "unknown", source: unknown.source } : { kind: "options", options };
}
const cellOf = (data: ModificationData, row: RowId, scope: Scope): CellAnswer => data.cells[row][scope];
const firstOption = (data: ModificationData, row: RowId, scope: Scope): Option | undefined => {
  const cell = cellOf(data, row, scope);
  return cell?.kind === "options" ? cell.options[0] : undefined;
};
const rowLabel = (data: ModificationData, row: RowId): string => data.rowLabels[row];
const conditionOf = (o: Option) => o.when?.condition as "s1" | "s2" | undefined;

// ---- one project ----

const SCOPE_TEXT: Record<Scope, string> = {
  recipient_and_card: "受給者証＆診察券の両方対応",
  recipient_only: "受給者証のみ対応",
  card_only: "診察券のみ対応",
};

/** The table row of a facility for a project's scope; null when a fact is missing (noted on `b`). */
export function chooseRow(profile: FacilityProfile, project: Project, at: string, scope: Scope, b: ResultBuilder, data: ModificationData): RowId | null {
  if (profile.kind === "hospital") {
    // Row ① is 「再来受付機の改修を含む」: a 受給者証-only 改修 touches no 再来受付機 (see readings).
    if (scope === "recipient_only") return "hospital-other";
    if (profile.receptionMachine === undefined) {
      b.cannotTell("病院は再来受付機の改修を含むかどうかで補助額が変わります (再来受付機の有無が必要です)", firstOption(data, "hospital-machine", "card_only")?.source, "receptionMachine");
      return null;
    }
    return profile.receptionMachine ? "hospital-machine" : "hospital-other";
  }
  if (profile.kind === "pharmacy") {
    // The stated largeChainPharmacy, else seed 002 第4 over pharmacyGroup. The determination is the
    // one for the date the table applies to: the application (appliedOn), else the 改修's
    // completion (completedOn), else `at` for a project not yet done.
    const largeChain = judgeLargeChain(profile, project.appliedOn ?? project.completedOn ?? at, b);
    if (largeChain === null) {
      const rowSource = firstOption(data, "large-chain", "recipient_only")?.source;
      if (rowSource) b.cite(rowSource);
      return null;
    }
    return largeChain ? "large-chain" : "pharmacy";
  }
  return "clinic"; // 医科・歯科の診療所 (the tables list 診療所 only)
}

/** ※1: some month of the window with at least minUses マイナ保険証 uses (true / false / null = unknown). */
function condition1(data: ModificationData, profile: FacilityProfile, b: ResultBuilder): boolean | null {
  const s1 = data.conditions!.s1;
  const missing: string[] = [];
  for (let m = s1.from; m <= s1.to; m = addMonths(m, 1)) {
    const uses = profile.months?.[m]?.cardUses;
    if (uses === undefined) missing.push(`months.${m}.cardUses`);
    else if (uses >= s1.minUses) {
      b.note(`※1: ${m} のマイナ保険証利用件数 ${uses}件 が${s1.minUses}件以上です`, s1.source);
      return true;
    }
  }
  if (missing.length > 0) {
    b.note(`※1 (${s1.from}〜${s1.to} のいずれかの月に利用件数${s1.minUses}件以上) は、わかっている月では満たしていません。残りの月の利用件数が必要です`, s1.source);
    b.need(missing);
    return null;
  }
  b.note(`※1: ${s1.from}〜${s1.to} のどの月もマイナ保険証利用件数が${s1.minUses}件未満です`, s1.source);
  return false;
}

/** ※2: a month from `from` to the month before the application whose rate is ≥ the 2023-10 rate + points. */
function condition2(data: ModificationData, profile: FacilityProfile, project: Project, at: string, b: ResultBuilder): boolean | null {
  const s2 = data.conditions!.s2;
  let base: Ratio;
  if (profile.openedOn !== undefined && profile.openedOn >= s2.newFacilityFrom) {
    base = { numerator: 0, denominator: 1 };
    b.note(`※2: ${s2.newFacilityFrom} 以降の開設のため、${s2.baseMonth} の利用率は0%として比べます`, s2.newFacilitySource);
  } else {
    const r = monthRate(profile, s2.baseMonth, "cardPersons", "outpatientReceipts");
    if (!r.ok) {
      if (r.zero) b.note(`※2: ${s2.baseMonth} の外来レセプトが0件のため、基準の利用率を計算できません`, s2.rateSource);
      else b.need(r.missing);
      b.note(`※2 の判定には ${s2.baseMonth} の利用率 (マイナ保険証利用人数 ÷ 外来レセプト枚数) が必要です`, s2.rateSource);
      return null;
    }
    base = r.ratio;
  }
  // A month counts once it is over, before the application; never past the application deadline.
  const applied = project.appliedOn ?? at;
  const deadline = data.dates.appliedTo?.value;
  const last = addMonths((deadline !== undefined && deadline < applied ? deadline : applied).slice(0, 7), -1);
  const missing: string[] = [];
  for (let m = s2.from; m <= last; m = addMonths(m, 1)) {
    const r = monthRate(profile, m, "cardPersons", "outpatientReceipts");
    if (!r.ok) {
      missing.push(...r.missing);
      continue;
    }
    if (risenByAtLeast(r.ratio, base, s2.points)) {
      b.note(`※2: ${m} の利用率 ${percentText(r.ratio)} は ${s2.baseMonth} の ${percentText(base)} から${s2.points}%ポイント以上増えています`, s2.source);
      b.cite(s2.rateSource);
      return true;
    }
  }
  if (last < s2.from) {
    b.note(`※2 は ${s2.from} 以降の月の利用率で判定します。申請前に終わった月がまだありません`, s2.source);
    return null;
  }
  if (missing.length > 0) {
    b.note(`※2 (${s2.from} 以降のある月の利用率が ${s2.baseMonth} の ${percentText(base)} から${s2.points}%ポイント以上増加) は、わかっている月では満たしていません`, s2.source);
    b.need(missing);
    return null;
  }
  b.note(`※2: ${s2.from}〜${last} のどの月も利用率が ${s2.baseMonth} の ${percentText(base)} から${s2.points}%ポイント以上増えていません`, s2.source);
  return false;
}

/** The first option whose condition holds; `unsure` when an earlier (larger) one could not be decided. */
function chooseOption(data: ModificationData, options: Option[], profile: FacilityProfile, project: Project, at: string, b: ResultBuilder): { option: Option | null; unsure: boolean } {
  let unsure = false;
  for (const option of options) {
    const condition = conditionOf(option);
    const holds = condition === "s1" ? condition1(data, profile, b) : condition === "s2" ? condition2(data, profile, project, at, b) : true;
    if (holds === true) return { option, unsure };
    if (holds === null) unsure = true;
  }
  if (unsure) b.cannotTell("補助の条件を満たすかどうかは、上の月の数字がわかるまで判断できません");
  else b.fail("補助の条件 (※1 または ※2) を満たしていません", options[0]?.source);
  return { option: null, unsure };
}

function checkDates(data: ModificationData, project: Project, at: string, b: ResultBuilder, path: string): void {
  const { completedFrom, completeBy, appliedFrom, appliedTo, applyAfterCompletion, applicationNote } = data.dates;
  const { completedOn, appliedOn } = project;
  if (completedFrom && completedOn !== undefined && completedOn < completedFrom.value) {
    const reason = `改修 (${completedOn}) が対象期間 (${completedFrom.value}〜) より前です`;
    if (completedFrom.unknownBefore) b.cannotTell(`${reason}。それより前の改修の扱いは${NOT_PUBLISHED}`, completedFrom.source);
    else b.fail(reason, completedFrom.source);
  } else if (completedFrom && completedOn !== undefined) {
    b.note(`改修 (${completedOn}) は対象期間 (${completedFrom.value}〜) 内です`, completedFrom.source);
  }
  if (completeBy) {
    if (completedOn !== undefined && completedOn > completeBy.value) b.fail(`改修の完了 ${completedOn} が期限 ${completeBy.value} を過ぎています`, completeBy.source);
    else if (completedOn === undefined && at > completeBy.value) b.cannotTell(`改修の完了期限 ${completeBy.value} を過ぎています。完了日が必要です`, completeBy.source, `${path}.completedOn`);
    else if (completedOn === undefined) b.note(`${completeBy.value} までに改修を完了させる必要があります`, completeBy.source);
    else if (completedOn !== undefined) b.note(`改修の完了 ${completedOn} は期限 ${completeBy.value} 以内です`, completeBy.source);
  }
  if (appliedTo) {
    // No application date means none made yet: after the deadline it can no longer be made.
    if (appliedOn === undefined && at > appliedTo.value) b.fail(`補助金の申請期限 ${appliedTo.value} を過ぎています`, appliedTo.source);
    else if (appliedOn === undefined) b.note(`${appliedFrom ? `${appliedFrom.value}〜` : ""}${appliedTo.value} に申請してください`, appliedTo.source);
    else if (appliedOn > appliedTo.value) b.fail(`補助金の申請 ${appliedOn} が申請期限 ${appliedTo.value} を過ぎています`, appliedTo.source);
  }
  if (appliedFrom && appliedOn !== undefined && appliedOn < appliedFrom.value) b.fail(`補助金の申請 ${appliedOn} が受付開始 (${appliedFrom.value}) より前です`, appliedFrom.source);
  else if (appliedOn !== undefined && appliedTo && appliedOn <= appliedTo.value) {
    b.note(`補助金の申請 ${appliedOn} は受付期間 (${appliedFrom ? appliedFrom.value : ""}〜${appliedTo.value}) 内です`, appliedFrom?.source ?? appliedTo.source);
    b.cite(appliedTo.source);
  }
  if (applyAfterCompletion && appliedOn !== undefined && completedOn !== undefined && appliedOn < completedOn) {
    b.fail(`補助金の申請は改修の完了後に行います (完了 ${completedOn}, 申請 ${appliedOn})`, applyAfterCompletion.source);
  }
  if (applicationNote) b.note(applicationNote.ref, applicationNote.source);
}

/** Asked of most profiles, the same for every one: made once (per data file for the agencies). */
const SCOPE_QUESTION = `改修の範囲 (${SCOPES.join(" / ")}) で補助の対象と額が変わります`;
const agencyLabel = (data: ModificationData, agency: string): string | undefined => data.params.labels[`agency.${agency}`];
const agencyQuestion = (data: ModificationData): string =>
  data.params.memo("agencyQuestion", "", () => `どの補助 (${data.agencies.map((a) => `${a}: ${agencyLabel(data, a) ?? a}`).join(" / ")}) かを agency で指定してください`);

/**
 * One project of one program. `floorData` is the デジタル庁 file, whose cap for the same row and
 * scope is the lowest a 厚生労働省 ※3 cap can fall to.
 */
export function evaluateModification(data: ModificationData, profile: FacilityProfile, at: string, project: Project, index?: number, floorData?: ModificationData): SubsidyResult {
  const b = new ResultBuilder(data.id, index);
  const path = index === undefined ? "projects[]" : `projects[${index}]`;

  const agency = project.agency;
  if (agency === undefined && !data.agencies.includes("digital")) {
    b.cannotTell(agencyQuestion(data), data.prefectureAccepted?.source, `${path}.agency`);
  } else if (agency !== undefined && !data.agencies.includes(agency)) {
    const known = (AGENCIES as readonly string[]).includes(agency);
    b.fail(
      known
        ? `agency "${agency}" はこのプログラムの補助ではありません (${agency === "digital" ? "デジタル庁の補助は modification-da-2024" : "厚生労働省の補助は modification-mhlw-2024"} です)`
        : `agency "${agency}" は不明な値です (${data.agencies.join(" / ")} のいずれか)`,
    );
  } else if (agency !== undefined && agencyLabel(data, agency)) {
    b.note(`厚生労働省 ${agencyLabel(data, agency)} の補助`, data.prefectureAccepted?.source);
  }

  if (data.prefectureAccepted) {
    const accepted = project.prefectureAccepted;
    const src = data.prefectureAccepted.source;
    if (accepted === false) b.fail("都道府県を通じた申請・内示を受けていない (または内示前に改修に着手した) ため対象外です", src);
    else if (accepted === undefined) b.cannotTell("先行実施事業の参加自治体の指定医療機関として都道府県に申請し、内示後に改修に着手したかどうかが必要です", src, `${path}.prefectureAccepted`);
  }

  let option: Option | null = null;
  let unsure = false;
  let row: RowId | null = null;
  const scope = project.scope;
  if (scope === undefined) {
    b.cannotTell(SCOPE_QUESTION, undefined, `${path}.scope`);
  } else {
    row = chooseRow(profile, project, at, scope, b, data);
    const cell = row === null ? undefined : cellOf(data, row, scope);
    if (row !== null && cell !== undefined) {
      const label = rowLabel(data, row);
      b.details = { row: label, scope };
      if (cell.kind === "unknown") b.cannotTell(`${label} の${SCOPE_TEXT[scope]}の補助額は${NOT_PUBLISHED}`, cell.source);
      else if (cell.kind === "not-covered") b.fail(`${label} の${SCOPE_TEXT[scope]}は補助の対象外です`, cell.source);
      else ({ option, unsure } = chooseOption(data, cell.options, profile, project, at, b));
    }
  }
  checkDates(data, project, at, b, path);
  if (b.isFailed || option === null || row === null || scope === undefined) return b.build(null);

  const o = option.value as CellOption;
  const oSource = option.source;
  const cost = project.cost;
  if (cost === undefined) {
    b.amountUnknown("補助額の計算には改修の費用 (cost) が必要です", oSource, `${path}.cost`);
    return b.build(null);
  }
  const base = o.costCap === null ? cost : Math.min(cost, o.costCap);
  const byRate = applyRate(base, o.rate);
  const amount = truncateTo(Math.min(byRate, o.cap), data.truncation.unit);
  // Added in place (same key order as a copy): details is this result's own object.
  b.details.rate = `${o.rate[0]}/${o.rate[1]}`;
  b.details.costCap = o.costCap;
  b.details.cap = o.cap;
  b.note(
    `${rowLabel(data, row)} ${SCOPE_TEXT[scope]}: 費用 ${yenText(cost)}${o.costCap !== null && cost > o.costCap ? ` (事業費上限 ${yenText(o.costCap)})` : ""} × ${o.rate[0]}/${o.rate[1]} = ${yenText(byRate)}、上限 ${yenText(o.cap)}` +
      `${data.truncation.unit > 1 ? `、${yenText(data.truncation.unit)}未満切り捨て` : ""}で ${yenText(amount)}`,
    oSource,
  );
  b.cite(data.truncation.source);
  if (unsure) {
    // A larger option's condition is still open: this amount is the least the facility gets.
    b.details.amountAtLeast = amount;
    b.amountUnknown(`より高い補助額の条件が判断できないため、少なくとも ${yenText(amount)} です`);
    return b.build(null);
  }
  if (o.provisional) {
    // ※3: the cap falls with the 内示額, never below the デジタル庁 cap for the same row and scope.
    const floor = floorData && firstOption(floorData, row, scope);
    const floorCap = floor ? (floor.value as CellOption).cap : undefined;
    if (floorCap === undefined || amount > floorCap) {
      b.details.amountAtMost = amount;
      if (floorCap !== undefined) b.details.amountAtLeast = Math.min(amount, floorCap);
      b.amountUnknown(
        `補助上限額は内示額による按分で下がる見込みのため、額は${NOT_PUBLISHED} (${floorCap !== undefined ? `${yenText(Math.min(amount, floorCap))}〜` : ""}${yenText(amount)})`,
        data.provisionalCap!.source,
      );
      return b.build(null);
    }
    b.note(`費用がデジタル庁の補助上限 (${yenText(floorCap)}) 以内のため、上限の按分にかかわらず全額が補助されます`, data.provisionalCap!.source);
  }
  if (b.eligible === null) {
    b.details.amountIfEligible = amount;
    return b.build(null);
  }
  return b.build(amount);
}

// ---- rules across projects ----

/** Marks a result as overruled by a rule across projects (false: not received; null: depends on another). */
export function overrule(result: SubsidyResult, eligible: false | null, reason: string, source: string): void {
  if (result.eligible === false) return;
  if (eligible === null && result.amount !== null) result.details = { ...result.details, amountIfEligible: result.amount };
  if (eligible === false && result.details) {
    // Not received at all: a range or floor computed for the project no longer applies.
    const { amountAtLeast: _least, amountAtMost: _most, amountIfEligible: _if, ...rest } = result.details;
    result.details = rest;
  }
  result.eligible = eligible;
  result.amount = eligible === false ? 0 : null;
  result.reasons.push(reason);
  if (!result.sources.includes(source)) result.sources.push(source);
}

/** Project indices in application order: appliedOn first (those without come last), then profile order. */
export function byApplication(profile: FacilityProfile, indices: number[]): number[] {
  const key = (i: number) => profile.projects?.[i]?.appliedOn ?? "9999-12-31";
  return [...indices].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a - b));
}

/**
 * The 2024 subsidies of デジタル庁 and 厚生労働省 ①②③ for one profile, with seed 003 l.38 applied:
 * only one of them, once. The one kept is the first applied among those not ineligible (reading:
 * the subsidy is received by applying; without dates, the profile's order); the rest are false, or
 * null while the kept one is itself undecided (they may be received if it is not).
 */
export function evaluate2024(da: ModificationData, mhlw: ModificationData, profile: FacilityProfile, at: string, memo?: RunMemo): SubsidyResult[] {
  // modification-da-2024, modification-mhlw-2024 and modification-2025 each need these results in
  // one calculate() run: the first computes them, the others read them from the run's memo.
  const done = memo?.get(evaluate2024) as { da: ModificationData; mhlw: ModificationData; results: SubsidyResult[] } | undefined;
  if (done !== undefined && done.da === da && done.mhlw === mhlw) return done.results;
  const results = evaluate2024Once(da, mhlw, profile, at);
  memo?.set(evaluate2024, { da, mhlw, results });
  return results;
}

function evaluate2024Once(da: ModificationData, mhlw: ModificationData, profile: FacilityProfile, at: string): SubsidyResult[] {
  const results: SubsidyResult[] = [];
  for (const data of [da, mhlw]) {
    for (const { project, index } of projectsOf(profile, data.id)) results.push(evaluateModification(data, profile, at, project, index, da));
  }
  const real = results.filter((r) => r.project !== undefined && r.eligible !== false);
  if (real.length < 2) return results;
  const order = byApplication(profile, real.map((r) => r.project!));
  const kept = real.find((r) => r.project === order[0])!;
  const source = formatSource(da.oneTime!.source);
  for (const r of real) {
    if (r === kept) continue;
    if (kept.eligible === true) {
      overrule(r, false, `デジタル庁と厚生労働省①②③の改修補助はいずれか一つのみ一回限りです。projects[${kept.project}] (${kept.program}) が先に申請されているため受給できません`, source);
    } else {
      overrule(r, null, `デジタル庁と厚生労働省①②③の改修補助はいずれか一つのみ一回限りです。projects[${kept.project}] (${kept.program}) が受給できない場合に限り受給できます`, source);
    }
  }
  return results;
}

/** modification-da-2024 and modification-mhlw-2024: one evaluation of the pair (the one-time rule), each program keeping its own results. */
export function modification2024Programs(da: ModificationData, mhlw: ModificationData): ProgramModule[] {
  return [da, mhlw].map((data) => ({
    id: data.id,
    name: data.name,
    evaluate: (profile, at, memo) => evaluate2024(da, mhlw, profile, at, memo).filter((r) => r.program === data.id),
  }));
}
