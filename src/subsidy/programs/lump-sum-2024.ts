// lump-sum-2024: the 一時金 of the マイナ保険証利用促進集中取組月間 (seed 001; spec §1.1, §1.2, §5).
// A fixed amount by two facts: the band of the facility's 2023-10 利用率 and the increase in 利用人数
// from 2023-10 to the best month of the period. The tier table was published as an image and most
// of it is unreadable (spec §1.2 [MISSING]), so lump-sum-2024.json lists only the tiers a source
// gives and this module answers a number only where those tiers settle it: at a known threshold
// exactly, or at the cap. Elsewhere the amount is null and the known tier reached is a floor.
import type { FacilityProfile } from "../profile.ts";
import { NOT_PUBLISHED, ProgramDataError, ResultBuilder, type ProgramModule, type Source, type SubsidyResult, yenText } from "../engine.ts";
import { bandOf, valueAt, type Band, type DatedValue, type Parameter, type ProgramParameters, type Sourced } from "../parameters.ts";
import { addMonths, atLeastPercent, monthRate, percentText, type Ratio } from "../usage-rate.ts";

export const TABLE_IDS = ["hospital", "clinic-or-pharmacy"] as const;

/** A version of the 一時金 (the value of `version` at the calculation date). */
interface VersionValue {
  label: string;
  /** Its tiers are 公表されていない: this version's tiers are its floors. */
  floorsFrom?: string;
}
/** A version as the formulas read it: its own values, read once at load. */
interface Version {
  id: string;
  label: string;
  source: Source;
  period: { from: string; to: string; source: Source };
  caps: Record<"hospital" | "other", { value: number; source: Source; text: string }>;
  unpublishedTiers: Source;
  /** "…の" naming the version whose tiers are this one's floors; "" when it has its own. */
  floorsLabel: string;
  /** By table and band: the tiers, `own` false when they are the floorsFrom version's (floors only). */
  tiers: Record<(typeof TABLE_IDS)[number], Record<string, { own: boolean; tiers: Band<number>[] }>>;
}

export interface LumpSum2024 {
  id: string;
  name: string;
  params: ProgramParameters;
  announced: Sourced<string>;
  baseMonth: Sourced<string>;
  rateSource: Source;
  countingUnitSource: Source;
  selfDeclarationSource: Source;
  noApplicationSource: Source;
  newFacilityFrom: Sourced<string>;
  rateBands: Sourced<Band<string>[]>;
  /** The versions by their dated value of `version`, each with its own values read once. */
  version: Parameter<VersionValue>;
  versions: Map<DatedValue<VersionValue>, Version>;
  bandLabels: Record<string, string>;
  conditions: { key: "poster" | "flyers"; label: string; source: Source }[];
  smallFacility: {
    maxReceipts: Sourced<number>;
    normalRulesWhen: Sourced<{ fromPercent: number; minIncrease: number }[]>;
    normalAlsoSource: Source;
    tiersSource: Source;
  };
}

function lumpSum2024(p: ProgramParameters): LumpSum2024 {
  const data: LumpSum2024 = {
    id: p.id,
    name: p.name,
    params: p,
    announced: p.onlyValue("announced"),
    baseMonth: p.onlyValue("baseMonth"),
    rateSource: p.only("rate").source,
    countingUnitSource: p.only("countingUnit").source,
    selfDeclarationSource: p.only("selfDeclaration").source,
    noApplicationSource: p.only("noApplication").source,
    newFacilityFrom: p.onlyValue("newFacilityFrom"),
    rateBands: p.onlyValue("rateBand"),
    version: p.get<VersionValue>("version"),
    versions: new Map(),
    bandLabels: Object.fromEntries((p.only<Band<string>[]>("rateBand").value as Band<string>[]).map((b) => [b.value as string, p.label(`band.${b.value as string}`)])),
    conditions: (["poster", "flyers"] as const).map((key) => ({ key, label: p.label(`condition.${key}`), source: p.only(`condition.${key}`).source })),
    smallFacility: {
      maxReceipts: p.onlyValue("smallFacility.maxReceipts"),
      normalRulesWhen: p.onlyValue("smallFacility.normalRulesWhen"),
      normalAlsoSource: p.only("smallFacility.normalAlso").source,
      tiersSource: p.only("smallFacility.tiers").source,
    },
  };
  checkTables(data);
  for (const v of data.version.values) data.versions.set(v, versionOf(data, v));
  return data;
}

/** A version with the values of its id: period, caps, tiers (its own, or its floorsFrom version's as floors). */
function versionOf(data: LumpSum2024, v: DatedValue<VersionValue>): Version {
  const { label, floorsFrom } = v.value as VersionValue;
  const period = ofVersion<{ from: string; to: string }>(data, "period", v.id!);
  const { from, to } = period.value as { from: string; to: string };
  const cap = (kind: "hospital" | "other") => {
    const c = ofVersion<number>(data, `cap.${kind}`, v.id!);
    const value = c.value as number;
    return { value, source: c.source, text: `${label}: ${from}〜${to} のいずれかの月の利用人数で、上限 ${yenText(value)}` };
  };
  const tiers = {} as Version["tiers"];
  for (const table of TABLE_IDS) {
    tiers[table] = {};
    for (const band of Object.keys(data.bandLabels)) {
      const own = ofVersion<Band<number>[]>(data, `tiers.${table}.${band}`, v.id!).value;
      tiers[table][band] = own === NOT_PUBLISHED ? { own: false, tiers: ofVersion<Band<number>[]>(data, `tiers.${table}.${band}`, floorsFrom!).value as Band<number>[] } : { own: true, tiers: own as Band<number>[] };
    }
  }
  return {
    id: v.id!,
    label,
    source: v.source,
    period: { from, to, source: period.source },
    caps: { hospital: cap("hospital"), other: cap("other") },
    unpublishedTiers: ofVersion(data, "unpublishedTiers", v.id!).source,
    floorsLabel: floorsFrom === undefined ? "" : `${(ofVersion<VersionValue>(data, "version", floorsFrom).value as VersionValue).label}の`,
    tiers,
  };
}

/**
 * What the formulas rely on, checked at load (E9105): every band has its label and, for every
 * version, its tiers in each table (rising amounts, none above the version's cap), or none
 * published and an earlier version with tiers named as floors.
 */
function checkTables(data: LumpSum2024): void {
  const { params: p } = data;
  const bad = (path: string, rule: string): never => {
    throw new ProgramDataError("E9105", `補助金プログラムのデータファイルが不正です。(lump-sum-2024.json ${path}: ${rule})`);
  };
  const versions = p.get<VersionValue>("version").values;
  versions.forEach((v, i) => {
    const floorsFrom = (v.value as VersionValue).floorsFrom;
    for (const table of TABLE_IDS) {
      const cap = ofVersion<number>(data, `cap.${table === "hospital" ? "hospital" : "other"}`, v.id!).value as number;
      for (const band of data.rateBands.value) {
        p.label(`band.${band.value as string}`);
        const name = `tiers.${table}.${band.value as string}`;
        const k = p.get<Band<number>[]>(name).values.findIndex((t) => t.id === v.id);
        if (k < 0) bad(`parameters.${name}`, `a value for version ${v.id} expected`);
        const tiers = p.get<Band<number>[]>(name).values[k]!.value;
        if (tiers === NOT_PUBLISHED) {
          if (!versions.slice(0, i).some((w) => w.id === floorsFrom)) bad(`parameters.version.values[${i}].value.floorsFrom`, "an earlier version with tiers expected");
          continue;
        }
        (tiers as Band<number>[]).forEach((t, j, all) => {
          if ((t.value as number) > cap || (j > 0 && (t.value as number) <= (all[j - 1]!.value as number))) bad(`parameters.${name}.values[${k}].value[${j}].value`, "higher than the tier before and at most the cap");
        });
      }
    }
  });
}

/** A dated value of `name` for a version (by its id), with its source. */
function ofVersion<T>(data: LumpSum2024, name: string, version: string): DatedValue<T> {
  return data.params.get<T>(name).values.find((v) => v.id === version)!;
}

// ---- evaluation ----



/** The increase from the base month to the best month known; `exact` when every month of the period is known. */
interface Increase {
  value: number;
  bestMonth: string;
  exact: boolean;
  missing: string[];
}

function increaseOf(data: LumpSum2024, profile: FacilityProfile, version: Version, base: number): Increase | { value: null; missing: string[] } {
  const field = "cardPersons";
  const { period } = version;
  const missing: string[] = [];
  let best: { month: string; persons: number } | undefined;
  for (let m = period.from; m <= period.to; m = addMonths(m, 1)) {
    const persons = profile.months?.[m]?.[field];
    if (persons === undefined) missing.push(`months.${m}.${field}`);
    else if (best === undefined || persons > best.persons) best = { month: m, persons };
  }
  if (best === undefined) return { value: null, missing };
  return { value: best.persons - base, bestMonth: best.month, exact: missing.length === 0, missing };
}

/** 小規模施設 or not: all receipts ≤ 150; outpatient receipts above 150 already settle "no". */
function isSmall(data: LumpSum2024, profile: FacilityProfile): boolean | null {
  const facts = profile.months?.[data.baseMonth.value];
  const max = data.smallFacility.maxReceipts.value;
  if (facts?.receipts !== undefined) return facts.receipts <= max;
  if (facts?.outpatientReceipts !== undefined && facts.outpatientReceipts > max) return false;
  return null;
}

/** Sets eligibility by the poster and flyer conditions (seed 001 l.60): false fails, unknown leaves null. */
function checkConditions(data: LumpSum2024, profile: FacilityProfile, b: ResultBuilder): void {
  for (const { key, label, source } of data.conditions) {
    const value = profile[key];
    if (value === false) b.fail(`${label}が支給条件ですが、行っていないため対象外です`, source);
    else if (value === undefined) b.cannotTell(`${label}が支給条件です。行っているかどうかが必要です`, source, key);
    else b.note(`${label}: 支給条件を満たしています`, source);
  }
  b.cite(data.selfDeclarationSource);
}

function finish(b: ResultBuilder, amount: number | null): SubsidyResult {
  // Eligibility still open (a condition not given): the figure is shown, not promised.
  if (amount !== null && b.eligible === null) {
    b.details.amountIfEligible = amount;
    return b.build(null);
  }
  return b.build(amount);
}

/** The version in force at `at` (the engine's value at date), or undefined before the 一時金 existed. */
function versionAt(data: LumpSum2024, at: string): Version | undefined {
  const answer = valueAt<VersionValue>(data.version, at);
  return answer.kind === "value" ? data.versions.get(answer.entry) : undefined;
}

export function evaluateLumpSum2024(data: LumpSum2024, profile: FacilityProfile, at: string): SubsidyResult {
  const b = new ResultBuilder(data.id);
  const version = versionAt(data, at);
  if (version === undefined) {
    b.fail(`一時金は ${data.announced.value} に公表された制度で、${at} の時点ではまだありません`, data.announced.source);
    return b.build(0);
  }
  const hospital = profile.kind === "hospital";
  const cap = version.caps[hospital ? "hospital" : "other"];
  const capValue = cap.value;
  b.details = { version: version.id };
  b.note(cap.text, version.source);
  b.cite(version.period.source).cite(cap.source);
  checkConditions(data, profile, b);
  b.note("申請は不要です。支払基金が診療報酬の振込口座に支払います (辞退もできます)", data.noApplicationSource);

  if (profile.openedOn !== undefined && profile.openedOn >= data.newFacilityFrom.value) {
    b.cannotTell(`${data.newFacilityFrom.value} 以降に開設した施設の基準 (2023年10月実績) の扱いは${NOT_PUBLISHED}`, data.newFacilityFrom.source);
    return b.build(null);
  }
  const baseMonth = data.baseMonth.value;
  const rate = monthRate(profile, baseMonth, "cardPersons", "outpatientReceipts");
  if (!rate.ok) {
    const why = rate.zero ? `${baseMonth} の外来レセプト件数が0のため利用率を計算できません` : `${baseMonth} の利用率 (利用人数 ÷ 外来レセプト件数) が必要です`;
    b.cannotTell(why, data.rateSource);
    for (const field of rate.missing) b.cannotTell(`${field} が入力されていません`, undefined, field);
    return b.build(null);
  }
  const ratio: Ratio = rate.ratio;
  // The band by exact fractions (never floats): the last whose lower bound the rate reaches.
  const bandValue = data.rateBands.value.findLast((x) => atLeastPercent(ratio, x.from))!;
  const band = { id: bandValue.value as string, label: data.bandLabels[bandValue.value as string]! };
  const base = ratio.numerator;
  b.details.band = band.id;
  const percent = percentText(ratio);
  b.details.baseRate = percent;
  b.details.basePersons = base;
  b.note(`${baseMonth} の利用率 ${base}人 ÷ ${ratio.denominator}件 = ${percent} (区分: ${band.label})`, data.rateSource);
  b.cite(data.rateBands.source).cite(data.countingUnitSource);

  const increase = increaseOf(data, profile, version, base);
  if (increase.value === null) {
    for (const field of increase.missing) b.cannotTell(`${field} (期間中の利用人数) が入力されていません`, data.baseMonth.source, field);
    return b.build(null);
  }
  b.details.bestMonth = increase.bestMonth;
  b.details.increase = increase.value;
  const exact = increase.exact;
  b.note(
    `利用人数が最も多い月は ${increase.bestMonth} で、${baseMonth} から ${increase.value}人の増加${exact ? "" : ` (未入力の月があるため少なくとも ${increase.value}人)`}`,
    data.baseMonth.source,
  );
  if (exact && increase.value <= 0) {
    b.fail(`利用人数が ${baseMonth} より増えていないため支給されません`, data.baseMonth.source);
    return b.build(0);
  }

  const small = isSmall(data, profile);
  b.details.small = small;
  const sf = data.smallFacility;
  // seed 001 l.67: at these rates and increases the normal rules govern even a small facility.
  const normalGoverns = sf.normalRulesWhen.value.some((w) => atLeastPercent(ratio, w.fromPercent) && increase.value >= w.minIncrease);
  const smallTableMatters = small !== false && !normalGoverns;
  if (small === true) b.note(`${baseMonth} のレセプト件数が${sf.maxReceipts.value}件以下の小規模施設です`, sf.maxReceipts.source);
  if (small !== false && normalGoverns) b.note("小規模施設であっても、この利用率と増加人数では通常の基準が適用されます", sf.normalRulesWhen.source);

  // A version whose tiers are not published uses its floorsFrom version's as floors.
  const { own, tiers } = version.tiers[hospital ? "hospital" : "clinic-or-pharmacy"][band.id]!;
  const { unpublishedTiers } = version;
  const reached = bandOf(tiers, increase.value);
  const monthsMissing = exact ? [] : increase.missing;

  if (reached === undefined) {
    const lowest = tiers[0];
    if (lowest) b.note(`公表されている区分で最も低いのは ${lowest.from}人以上の増加で ${yenText(lowest.value as number)} です`, lowest.source);
    // No increase known yet (a month missing): only the missing months can settle it.
    if (increase.value > 0) b.cannotTell(`${band.label}で ${increase.value}人の増加に対応する一時金の区分は${NOT_PUBLISHED}`, unpublishedTiers);
    if (smallTableMatters) b.cannotTell(`小規模施設の区分は${NOT_PUBLISHED}`, sf.tiersSource);
    for (const field of monthsMissing) b.cannotTell(`${field} が入力されていません`, undefined, field);
    return b.build(null);
  }
  const floor = (why: string, source: Source, fields: string[] = []): SubsidyResult => {
    b.amountUnknown(why, source);
    for (const field of fields) b.amountUnknown(`${field} が入力されていません`, undefined, field);
    b.details.amountAtLeast = reached.value;
    const whose = version.floorsLabel;
    b.note(`少なくとも ${yenText(reached.value as number)} (${whose}${reached.from}人以上の増加の区分)`, reached.source);
    return finish(b, null);
  };
  if (!own) return floor(`${version.label}の区分は${NOT_PUBLISHED}`, unpublishedTiers, monthsMissing);
  const amount = reached.value as number;
  if (amount === capValue) {
    b.note(`${reached.from}人以上の増加で上限の ${yenText(amount)} です`, reached.source);
    return finish(b, amount);
  }
  if (!exact || increase.value !== reached.from) {
    // Between a known threshold and the next, an unpublished tier may start.
    return floor(`${reached.from}人を超える増加に対する中間の区分は${NOT_PUBLISHED}`, unpublishedTiers, monthsMissing);
  }
  if (smallTableMatters) {
    b.cite(sf.normalAlsoSource);
    return floor(`小規模施設の区分は${NOT_PUBLISHED} (通常の基準による額は下限です)`, sf.tiersSource, small === null ? [`months.${baseMonth}.receipts`] : []);
  }
  b.note(`${reached.from}人以上の増加で ${yenText(amount)} です`, reached.source);
  return finish(b, amount);
}

export function lumpSum2024Program(params: ProgramParameters): ProgramModule {
  const data = lumpSum2024(params);
  return {
    id: data.id,
    name: data.name,
    // Not project-based: 支払基金 pays every facility that qualifies, without an application.
    evaluate: (profile, at) => [evaluateLumpSum2024(data, profile, at)],
  };
}
