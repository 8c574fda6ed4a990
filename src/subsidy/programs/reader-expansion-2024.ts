// reader-expansion-2024: 顔認証付きカードリーダー増設支援 (seed 000 l.241–319 and its FAQ l.496–518;
// spec §1.4 for the extended period). The numbers live in reader-expansion-2024.json; this module
// knows how they combine: the best month's マイナ保険証 uses against 500 per reader in use, the
// readers supported (a hospital's by the lookup table, others 1), the costs arising from 2023-11-11,
// then min(費用総額 × 1/2, the cap for the readers counted).
import type { FacilityProfile, Project } from "../profile.ts";
import { NOT_PUBLISHED, ProgramDataError, ResultBuilder, applyRate, type ProgramModule, type Source, type SubsidyResult, yenText, projectsOf } from "../engine.ts";
import { bandOf, type Band, type ProgramParameters, type Sourced, type Rate } from "../parameters.ts";
import { addMonths } from "../usage-rate.ts";

export interface ReaderExpansion {
  id: string;
  name: string;
  params: ProgramParameters;
  costsFrom: Sourced<string>;
  usageMonths: { from: string; to: string; source: Source };
  usesPerReader: Sourced<number>;
  rate: Sourced<Rate>;
  maxReaders: { hospital: Sourced<number>; other: Sourced<number> };
  /** 補助上限額 by readers counted (a band table from 1). */
  caps: { hospital: Sourced<Band<number>[]>; other: Sourced<Band<number>[]> };
  newFacilityFrom: Sourced<string>;
  /** The lookup table's source (its columns), cited for a hospital whose row is not published. */
  tableSource: Source;
  applicationDeadline: { value: string | null; source: Source };
}

function readerExpansion(p: ProgramParameters): ReaderExpansion {
  const months = p.onlyValue<{ from: string; to: string }>("usageMonths");
  const deadline = p.only<string>("applicationDeadline");
  const data: ReaderExpansion = {
    id: p.id,
    name: p.name,
    params: p,
    costsFrom: p.onlyValue("costsFrom"),
    usageMonths: { ...months.value, source: months.source },
    usesPerReader: p.onlyValue("usesPerReader"),
    rate: p.onlyValue("rate"),
    maxReaders: { hospital: p.onlyValue("maxReaders.hospital"), other: p.onlyValue("maxReaders.other") },
    caps: { hospital: p.onlyValue("caps.hospital"), other: p.onlyValue("caps.other") },
    newFacilityFrom: p.onlyValue("newFacilityFrom"),
    tableSource: p.only("hospitalReaders.1").source,
    applicationDeadline: { value: deadline.value === NOT_PUBLISHED ? null : (deadline.value as string), source: deadline.source },
  };
  // The table must agree with the 500-per-reader rule: row N's first band starts at 500 × N, so
  // eligibility never depends on which rule is read; and every count supported finds its cap.
  for (let n = 1; p.has(`hospitalReaders.${n}`); n++) {
    const first = (p.only<Band<number>[]>(`hospitalReaders.${n}`).value as Band<number>[])[0]!;
    if (first.from !== data.usesPerReader.value * n) throw new ProgramDataError("E9105", `補助金プログラムのデータファイルが不正です。(reader-expansion-2024.json parameters.hospitalReaders.${n}: the first band must start at usesPerReader × ${n})`);
  }
  for (const kind of ["hospital", "other"] as const) {
    const caps = data.caps[kind].value;
    if (caps.length !== data.maxReaders[kind].value || caps.some((c, i) => c.from !== i + 1)) {
      throw new ProgramDataError("E9105", `補助金プログラムのデータファイルが不正です。(reader-expansion-2024.json parameters.caps.${kind}: one cap per reader from 1 up to maxReaders.${kind} expected)`);
    }
  }
  return data;
}

// ---- evaluation ----


/** The months of the usage period a facility can have (none before the month it opened). */
function usageMonths(data: ReaderExpansion, profile: FacilityProfile): string[] {
  const opened = profile.openedOn?.slice(0, 7);
  if (opened === undefined || opened <= data.usageMonths.from) return allUsageMonths(data);
  const months: string[] = [];
  for (let m = opened; m <= data.usageMonths.to; m = addMonths(m, 1)) months.push(m);
  return months;
}

/** The whole period's months, listed once (most facilities opened before it; read only). */
function allUsageMonths(data: ReaderExpansion): string[] {
  return data.params.memo("usageMonths", "all", () => {
    const months: string[] = [];
    for (let m = data.usageMonths.from; m <= data.usageMonths.to; m = addMonths(m, 1)) months.push(m);
    return months;
  });
}

/** The best month's uses, and the months not given (they could only raise the best). */
function bestMonth(profile: FacilityProfile, months: string[]): { month: string | null; uses: number; missing: string[] } {
  let bestMonth: string | null = null;
  let bestUses = -1;
  const missing: string[] = [];
  for (const month of months) {
    const uses = profile.months?.[month]?.cardUses;
    if (uses === undefined) missing.push(`months.${month}.cardUses`);
    else if (uses > bestUses) {
      bestMonth = month;
      bestUses = uses;
    }
  }
  return { month: bestMonth, uses: bestUses, missing };
}

/** Readers a hospital is supported for (the lookup table), or null when its row is not published. */
function hospitalReaders(data: ReaderExpansion, readersInUse: number, uses: number): { readers: number; source: Source } | null {
  const name = `hospitalReaders.${readersInUse}`;
  if (!data.params.has(name)) return null;
  const band = bandOf(data.params.only<Band<number>[]>(name).value as Band<number>[], uses);
  // Unreachable when the uses meet 500 per reader: the load checks the table agrees with that rule.
  if (band === undefined) throw new Error(`reader-expansion-2024: no band for ${readersInUse} readers and ${uses} uses`);
  return { readers: band.value as number, source: band.source! };
}

export function evaluateReaderExpansion(data: ReaderExpansion, profile: FacilityProfile, at: string, project: Project, index?: number): SubsidyResult {
  const b = new ResultBuilder(data.id, index);
  const path = index === undefined ? "projects[]" : `projects[${index}]`;
  const hospital = profile.kind === "hospital";
  const perReader = data.usesPerReader;

  // The base: readers in operation before this expansion (the readers at opening for a new facility).
  const inUse = profile.readersInUse;
  if (profile.openedOn !== undefined && profile.openedOn >= data.newFacilityFrom.value) {
    b.note(`${data.newFacilityFrom.value.slice(0, 7)}以降に開設した施設のため、開設時に導入したリーダーの台数 (readersInUse) が基準です`, data.newFacilityFrom.source);
  }
  if (inUse === undefined) b.cannotTell(`利用件数はリーダー1台当たり${perReader.value}件以上が条件のため、運用中のリーダーの台数が必要です`, perReader.source, "readersInUse");
  else if (inUse === 0) b.fail("運用中の顔認証付きカードリーダーがないため、増設支援の対象外です (最初の1台は増設ではありません)", perReader.source);

  const supported = usage(data, profile, inUse, b);
  checkProject(data, project, at, b, path);
  if (b.isFailed) return b.build(0);

  // Readers counted: those added, at most those supported (hospital table, or 1 elsewhere).
  const added = project.readers;
  if (added !== undefined && supported?.readers !== undefined && added > supported.readers) {
    b.note(`増設 ${added}台のうち支援の対象は${supported.readers}台までです (上限額も${supported.readers}台分)`, supported.source);
  }
  // Not decided, or a hospital row the table does not give (the reason is already said).
  if (supported === null || supported.readers === undefined) return b.build(null);
  const counted = added === undefined ? (supported.readers === 1 ? 1 : undefined) : Math.min(added, supported.readers);
  if (counted === undefined) {
    b.amountUnknown(`上限額は増設台数で決まります (支援は${supported.readers}台まで)`, data.caps.hospital.source, `${path}.readers`);
    return b.build(null);
  }
  const caps = hospital ? data.caps.hospital : data.caps.other;
  const cap = bandOf(caps.value, counted)!.value as number;
  b.details.readersSupported = supported.readers;
  b.details.readersCounted = counted;
  b.details.cap = cap;
  b.details.rate = `${data.rate.value[0]}/${data.rate.value[1]}`;
  if (project.cost === undefined) {
    b.amountUnknown("補助額の計算には費用総額 (リーダー・資格確認端末の購入費用と工事費) が必要です", data.rate.source, `${path}.cost`);
    return b.build(null);
  }
  const byRate = applyRate(project.cost, data.rate.value);
  const amount = Math.min(byRate, cap);
  b.note(
    `費用総額 ${yenText(project.cost)} × ${data.rate.value[0]}/${data.rate.value[1]} = ${yenText(byRate)}、上限額 ${yenText(cap)} (${hospital ? "病院" : "診療所・薬局"} ${counted}台) と比べて少ない額 ${yenText(amount)} です`,
    data.rate.source,
  );
  b.cite(caps.source);
  if (supported.moreMayCount && (added === undefined || added > supported.readers) && byRate > cap) {
    // A month not given could reach a higher column: this amount is a floor, not the answer.
    b.details.amountAtLeast = amount;
    b.amountUnknown(`利用件数が不明な月があり、支援台数が増える可能性があるため、少なくとも ${yenText(amount)} です`);
    b.need(supported.missing);
    return b.build(null);
  }
  // Eligibility still open (a fact missing): the figure is shown, not promised.
  if (b.eligible === null) {
    b.details.amountIfEligible = amount;
    return b.build(null);
  }
  return b.build(amount);
}

interface Supported {
  readers: number | undefined;
  source: Source;
  /** Months not given that could raise a hospital's readers supported. */
  moreMayCount: boolean;
  missing: string[];
}

/**
 * The 500-per-reader rule over the period (any one month, FAQ 4-2 Q2) and the readers it supports.
 * Null when the rule fails or cannot be decided; `readers` undefined when the hospital's row of the
 * table is not published (eligibility is still decided by the rule).
 */
function usage(data: ReaderExpansion, profile: FacilityProfile, inUse: number | undefined, b: ResultBuilder): Supported | null {
  const perReader = data.usesPerReader;
  const months = usageMonths(data, profile);
  const period = `${data.usageMonths.from}〜${data.usageMonths.to}`;
  if (months.length === 0) {
    b.fail(`利用件数の対象期間 (${period}) の後に開設したため対象外です`, data.usageMonths.source);
    return null;
  }
  if (inUse === undefined || inUse === 0) return null;
  const best = bestMonth(profile, months);
  const threshold = perReader.value * inUse;
  b.details = { readersInUse: inUse, threshold, bestMonth: best.month, bestUses: best.month === null ? null : best.uses };
  if (best.month === null || best.uses < threshold) {
    const most = best.month === null ? "" : ` (分かっている月の最多は ${best.month} の ${best.uses}件)`;
    if (best.missing.length === 0) {
      b.fail(`${period} のどの月もマイナ保険証利用件数がリーダー${inUse}台 × ${perReader.value}件 = ${threshold}件に届きません${most}`, perReader.source);
      return null;
    }
    b.cannotTell(`${period} のいずれかの月にリーダー${inUse}台 × ${perReader.value}件 = ${threshold}件以上の利用が必要です。利用件数が不明な月があります${most}`, perReader.source);
    b.need(best.missing);
    b.cite(data.usageMonths.source);
    return null;
  }
  b.note(`${best.month} のマイナ保険証利用件数 ${best.uses}件 は、リーダー${inUse}台 × ${perReader.value}件 = ${threshold}件以上です (${period} のいずれかの月)`, perReader.source);
  b.cite(data.usageMonths.source);
  if (profile.kind !== "hospital") {
    b.note(`病院以外の施設の支援はリーダー${data.maxReaders.other.value}台分です`, data.maxReaders.other.source);
    return { readers: data.maxReaders.other.value, source: data.maxReaders.other.source, moreMayCount: false, missing: [] };
  }
  const row = hospitalReaders(data, inUse, best.uses);
  if (row === null) {
    b.amountUnknown(`リーダー${inUse}台運用の病院の支援台数は${NOT_PUBLISHED} (表は1〜3台運用の病院のみ)`, data.tableSource);
    return { readers: undefined, source: data.tableSource, moreMayCount: false, missing: [] };
  }
  b.note(`リーダー${inUse}台運用の病院で月${best.uses}件: 支援台数は${row.readers}台です`, row.source);
  return { ...row, moreMayCount: row.readers < data.maxReaders.hospital.value && best.missing.length > 0, missing: best.missing };
}

/** The project's own conditions: readers added, the cost dates, the application deadline. */
function checkProject(data: ReaderExpansion, project: Project, at: string, b: ResultBuilder, path: string): void {
  const from = data.costsFrom;
  if (project.readers === 0) b.fail("増設したリーダーが0台のため対象外です", data.rate.source);
  if (project.purchasedOn === undefined) b.cannotTell(`${from.value} 以降に生じた増設の費用が対象のため、リーダー等の購入日が必要です`, from.source, `${path}.purchasedOn`);
  else if (project.purchasedOn < from.value) b.fail(`購入日 ${project.purchasedOn} は ${from.value} より前のため、その費用は対象外です`, from.source);
  else b.note(`購入日 ${project.purchasedOn} は ${from.value} 以降です`, from.source);
  if (project.completedOn !== undefined && project.completedOn < from.value) b.fail(`増設の完了 ${project.completedOn} が ${from.value} より前のため、その費用は対象外です`, from.source);
  else if (project.completedOn !== undefined) b.note(`${from.value} 以降の増設は、完了済み (${project.completedOn}) でも遡って対象です`, from.source);
  const applyBy = data.applicationDeadline.value;
  if (applyBy === null) {
    b.note(`申請期限は${NOT_PUBLISHED}ため、期限は判定していません`, data.applicationDeadline.source);
  } else if (project.appliedOn !== undefined ? project.appliedOn > applyBy : at > applyBy) {
    b.fail(`補助金の申請期限 ${applyBy} を過ぎています`, data.applicationDeadline.source);
  }
}

export function readerExpansionProgram(params: ProgramParameters): ProgramModule {
  const data = readerExpansion(params);
  return {
    id: data.id,
    name: data.name,
    evaluate: (profile, at) => projectsOf(profile, data.id).map(({ project, index }) => evaluateReaderExpansion(data, profile, at, project, index)),
  };
}
