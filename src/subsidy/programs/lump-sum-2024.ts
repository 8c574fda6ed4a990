// lump-sum-2024: the 一時金 of the マイナ保険証利用促進集中取組月間 (seed 001; spec §1.1, §1.2, §5).
// A fixed amount by two facts: the band of the facility's 2023-10 利用率 and the increase in 利用人数
// from 2023-10 to the best month of the period. The tier table was published as an image and most
// of it is unreadable (spec §1.2 [MISSING]), so lump-sum-2024.json lists only the tiers a source
// gives and this module answers a number only where those tiers settle it: at a known threshold
// exactly, or at the cap. Elsewhere the amount is null and the known tier reached is a floor.
import { MONTH_FIELDS, isYearMonth, type FacilityProfile } from "../profile.ts";
import { dataChecker, type Cell } from "../data-check.ts";
import { NOT_PUBLISHED, ResultBuilder, type ProgramModule, type Source, type SubsidyResult, yenText } from "../engine.ts";
import { addMonths, atLeastPercent, monthRate, percentText, type MonthField, type Ratio } from "../usage-rate.ts";

export const TABLE_IDS = ["hospital", "clinic-or-pharmacy"] as const;
type TableId = (typeof TABLE_IDS)[number];

interface Band {
  id: string;
  fromPercent: number;
  label: string;
}
export interface Tier {
  minIncrease: number;
  amount: number;
  source: Source;
}
/** Band id → the published tiers, ascending; tiers not listed are unpublished. */
type Table = Record<string, Tier[]>;
export interface Version {
  id: string;
  label: string;
  from: string;
  source: Source;
  period: { from: string; to: string; source: Source };
  caps: { hospital: Cell<number>; other: Cell<number> };
  /** null: this version's tiers are unpublished; `floorsFrom` names the version whose tiers are floors. */
  tables: Record<TableId, Table> | null;
  floorsFrom?: string;
  unpublishedTiers: Source;
}
export interface LumpSum2024Data {
  id: "lump-sum-2024";
  name: string;
  announced: Cell<string>;
  baseMonth: Cell<string>;
  rateBasis: { numerator: MonthField; denominator: MonthField; source: Source };
  countingUnit: { source: Source };
  conditions: Record<"poster" | "flyers", { label: string; source: Source }>;
  selfDeclaration: { source: Source };
  noApplication: { source: Source };
  newFacilities: { openedFrom: string; source: Source };
  bands: Band[];
  bandsSource: Source;
  smallFacility: {
    maxReceipts: Cell<number>;
    /** The normal rules govern a small facility whose rate is ≥ fromPercent and increase ≥ minIncrease. */
    normalRulesWhen: { fromPercent: number; minIncrease: number }[];
    normalRulesSource: Source;
    normalAlsoSource: Source;
    tiersSource: Source;
  };
  versions: Version[];
}

// ---- parsing the data file: every entry checked, the path named (E9105) ----

const check = dataChecker("lump-sum-2024.json");

export function parseLumpSum2024Data(raw: unknown): LumpSum2024Data {
  const { bad, obj, array, source, date, yen, cell } = check;
  const d = obj(raw, "(root)");
  if (d.id !== "lump-sum-2024") bad("id", "must be lump-sum-2024");
  const announced = cell(d.announced, "announced", date);
  cell(d.baseMonth, "baseMonth", check.yearMonth);
  const basis = obj(d.rateBasis, "rateBasis");
  for (const key of ["numerator", "denominator"]) {
    if (!MONTH_FIELDS.includes(basis[key] as MonthField)) bad(`rateBasis.${key}`, `one of ${MONTH_FIELDS.join(", ")} expected`);
  }
  source(basis.source, "rateBasis.source");
  for (const key of ["countingUnit", "selfDeclaration", "noApplication", "newFacilities"]) source(obj(d[key], key).source, `${key}.source`);
  date(obj(d.newFacilities, "newFacilities").openedFrom, "newFacilities.openedFrom");
  for (const key of ["poster", "flyers"]) source(obj(obj(d.conditions, "conditions")[key], `conditions.${key}`).source, `conditions.${key}.source`);

  const bands = array(d.bands, "bands").map((b, i) => obj(b, `bands[${i}]`) as unknown as Band);
  bands.forEach((b, i) => {
    const before = bands[i - 1];
    if (typeof b.id !== "string" || typeof b.label !== "string") bad(`bands[${i}]`, "id and label expected");
    if (typeof b.fromPercent !== "number" || (i === 0 ? b.fromPercent !== 0 : b.fromPercent <= before!.fromPercent)) {
      bad(`bands[${i}].fromPercent`, "the first band starts at 0, each next one higher");
    }
  });
  source(d.bandsSource, "bandsSource");

  const small = obj(d.smallFacility, "smallFacility");
  cell(small.maxReceipts, "smallFacility.maxReceipts", yen);
  array(small.normalRulesWhen, "smallFacility.normalRulesWhen").forEach((w, i) => {
    const r = obj(w, `smallFacility.normalRulesWhen[${i}]`);
    if (typeof r.fromPercent !== "number" || !Number.isInteger(r.minIncrease)) bad(`smallFacility.normalRulesWhen[${i}]`, "fromPercent and integer minIncrease expected");
  });
  for (const key of ["normalRulesSource", "normalAlsoSource", "tiersSource"]) source(small[key], `smallFacility.${key}`);

  const versions = array(d.versions, "versions").map((v, i) => obj(v, `versions[${i}]`) as unknown as Version);
  if (versions.length === 0) bad("versions", "non-empty array expected");
  versions.forEach((v, i) => {
    const path = `versions[${i}]`;
    if (typeof v.id !== "string" || typeof v.label !== "string") bad(path, "id and label expected");
    date(v.from, `${path}.from`);
    if (i === 0 && v.from !== announced.value) bad(`${path}.from`, "the first version starts on announced.value");
    if (i > 0 && v.from <= versions[i - 1]!.from) bad(`${path}.from`, "versions in ascending order of from");
    source(v.source, `${path}.source`);
    const period = obj(v.period, `${path}.period`);
    if (!isYearMonth(period.from) || !isYearMonth(period.to) || period.to < period.from) bad(`${path}.period`, "from ≤ to, both YYYY-MM");
    source(period.source, `${path}.period.source`);
    for (const key of ["hospital", "other"]) cell(obj(v.caps, `${path}.caps`)[key], `${path}.caps.${key}`, yen);
    source(v.unpublishedTiers, `${path}.unpublishedTiers`);
    if (v.tables === null) {
      // A version without its own tiers must say whose tiers are its floors.
      if (!versions.slice(0, i).some((w) => w.id === v.floorsFrom && w.tables !== null)) bad(`${path}.floorsFrom`, "an earlier version with tables expected");
      return;
    }
    const tables = obj(v.tables, `${path}.tables`);
    for (const t of TABLE_IDS) {
      const table = obj(tables[t], `${path}.tables.${t}`);
      const cap = v.caps[t === "hospital" ? "hospital" : "other"].value;
      for (const band of bands) {
        const tiers = array(table[band.id], `${path}.tables.${t}.${band.id}`);
        tiers.forEach((x, k) => {
          const tp = `${path}.tables.${t}.${band.id}[${k}]`;
          const tier = obj(x, tp);
          const prev = k > 0 ? (tiers[k - 1] as Tier) : undefined;
          if (!Number.isInteger(tier.minIncrease) || (tier.minIncrease as number) < 1 || (prev && (tier.minIncrease as number) <= prev.minIncrease)) {
            bad(`${tp}.minIncrease`, "a positive integer, higher than the tier before");
          }
          const amount = yen(tier.amount, `${tp}.amount`);
          if (amount > cap || (prev && amount <= prev.amount)) bad(`${tp}.amount`, "higher than the tier before and at most the cap");
          source(tier.source, `${tp}.source`);
        });
      }
    }
  });
  return d as unknown as LumpSum2024Data;
}

// ---- evaluation ----



/** The increase from the base month to the best month known; `exact` when every month of the period is known. */
interface Increase {
  value: number;
  bestMonth: string;
  exact: boolean;
  missing: string[];
}

function increaseOf(data: LumpSum2024Data, profile: FacilityProfile, version: Version, base: number): Increase | { value: null; missing: string[] } {
  const field = data.rateBasis.numerator;
  const missing: string[] = [];
  let best: { month: string; persons: number } | undefined;
  for (let m = version.period.from; m <= version.period.to; m = addMonths(m, 1)) {
    const persons = profile.months?.[m]?.[field];
    if (persons === undefined) missing.push(`months.${m}.${field}`);
    else if (best === undefined || persons > best.persons) best = { month: m, persons };
  }
  if (best === undefined) return { value: null, missing };
  return { value: best.persons - base, bestMonth: best.month, exact: missing.length === 0, missing };
}

/** 小規模施設 or not: all receipts ≤ 150; outpatient receipts above 150 already settle "no". */
function isSmall(data: LumpSum2024Data, profile: FacilityProfile): boolean | null {
  const facts = profile.months?.[data.baseMonth.value];
  const max = data.smallFacility.maxReceipts.value;
  if (facts?.receipts !== undefined) return facts.receipts <= max;
  if (facts?.outpatientReceipts !== undefined && facts.outpatientReceipts > max) return false;
  return null;
}

/** Sets eligibility by the poster and flyer conditions (seed 001 l.60): false fails, unknown leaves null. */
function checkConditions(data: LumpSum2024Data, profile: FacilityProfile, b: ResultBuilder): void {
  for (const key of ["poster", "flyers"] as const) {
    const { label, source } = data.conditions[key];
    const value = profile[key];
    if (value === false) b.fail(`${label}が支給条件ですが、行っていないため対象外です`, source);
    else if (value === undefined) b.cannotTell(`${label}が支給条件です。行っているかどうかが必要です`, source, key);
    else b.note(`${label}: 支給条件を満たしています`, source);
  }
  b.cite(data.selfDeclaration.source);
}

function finish(b: ResultBuilder, amount: number | null): SubsidyResult {
  // Eligibility still open (a condition not given): the figure is shown, not promised.
  if (amount !== null && b.eligible === null) {
    b.details.amountIfEligible = amount;
    return b.build(null);
  }
  return b.build(amount);
}

/** A version's first reason for a cap (hospital or other): the same for every profile, so made once per cap. */
const versionTexts = new WeakMap<Cell<number>, string>();
function versionText(version: Version, cap: Cell<number>): string {
  let text = versionTexts.get(cap);
  if (text === undefined) {
    text = `${version.label}: ${version.period.from}〜${version.period.to} のいずれかの月の利用人数で、上限 ${yenText(cap.value)}`;
    versionTexts.set(cap, text);
  }
  return text;
}

export function evaluateLumpSum2024(data: LumpSum2024Data, profile: FacilityProfile, at: string): SubsidyResult {
  const b = new ResultBuilder(data.id);
  const version = data.versions.findLast((v) => v.from <= at);
  if (version === undefined) {
    b.fail(`一時金は ${data.announced.value} に公表された制度で、${at} の時点ではまだありません`, data.announced.source);
    return b.build(0);
  }
  const hospital = profile.kind === "hospital";
  const cap = version.caps[hospital ? "hospital" : "other"];
  const { period } = version;
  b.details = { version: version.id };
  b.note(versionText(version, cap), version.source);
  b.cite(period.source).cite(cap.source);
  checkConditions(data, profile, b);
  b.note("申請は不要です。支払基金が診療報酬の振込口座に支払います (辞退もできます)", data.noApplication.source);

  if (profile.openedOn !== undefined && profile.openedOn >= data.newFacilities.openedFrom) {
    b.cannotTell(`${data.newFacilities.openedFrom} 以降に開設した施設の基準 (2023年10月実績) の扱いは${NOT_PUBLISHED}`, data.newFacilities.source);
    return b.build(null);
  }
  const baseMonth = data.baseMonth.value;
  const { numerator, denominator } = data.rateBasis;
  const rate = monthRate(profile, baseMonth, numerator, denominator);
  if (!rate.ok) {
    const why = rate.zero ? `${baseMonth} の外来レセプト件数が0のため利用率を計算できません` : `${baseMonth} の利用率 (利用人数 ÷ 外来レセプト件数) が必要です`;
    b.cannotTell(why, data.rateBasis.source);
    for (const field of rate.missing) b.cannotTell(`${field} が入力されていません`, undefined, field);
    return b.build(null);
  }
  const ratio: Ratio = rate.ratio;
  const band = data.bands.findLast((x) => atLeastPercent(ratio, x.fromPercent))!;
  const base = ratio.numerator;
  b.details.band = band.id;
  const percent = percentText(ratio);
  b.details.baseRate = percent;
  b.details.basePersons = base;
  b.note(`${baseMonth} の利用率 ${base}人 ÷ ${ratio.denominator}件 = ${percent} (区分: ${band.label})`, data.rateBasis.source);
  b.cite(data.bandsSource).cite(data.countingUnit.source);

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
  const normalGoverns = sf.normalRulesWhen.some((w) => atLeastPercent(ratio, w.fromPercent) && increase.value >= w.minIncrease);
  const smallTableMatters = small !== false && !normalGoverns;
  if (small === true) b.note(`${baseMonth} のレセプト件数が${sf.maxReceipts.value}件以下の小規模施設です`, sf.maxReceipts.source);
  if (small !== false && normalGoverns) b.note("小規模施設であっても、この利用率と増加人数では通常の基準が適用されます", sf.normalRulesSource);

  const table = version.tables ?? data.versions.find((v) => v.id === version.floorsFrom)!.tables!;
  const tiers = table[hospital ? "hospital" : "clinic-or-pharmacy"][band.id]!;
  const reached = tiers.findLast((t) => t.minIncrease <= increase.value);
  const monthsMissing = exact ? [] : increase.missing;

  if (reached === undefined) {
    const lowest = tiers[0];
    if (lowest) b.note(`公表されている区分で最も低いのは ${lowest.minIncrease}人以上の増加で ${yenText(lowest.amount)} です`, lowest.source);
    // No increase known yet (a month missing): only the missing months can settle it.
    if (increase.value > 0) b.cannotTell(`${band.label}で ${increase.value}人の増加に対応する一時金の区分は${NOT_PUBLISHED}`, version.unpublishedTiers);
    if (smallTableMatters) b.cannotTell(`小規模施設の区分は${NOT_PUBLISHED}`, sf.tiersSource);
    for (const field of monthsMissing) b.cannotTell(`${field} が入力されていません`, undefined, field);
    return b.build(null);
  }
  const floor = (why: string, source: Source, fields: string[] = []): SubsidyResult => {
    b.amountUnknown(why, source);
    for (const field of fields) b.amountUnknown(`${field} が入力されていません`, undefined, field);
    b.details.amountAtLeast = reached.amount;
    const whose = version.tables === null ? `${data.versions.find((v) => v.id === version.floorsFrom)!.label}の` : "";
    b.note(`少なくとも ${yenText(reached.amount)} (${whose}${reached.minIncrease}人以上の増加の区分)`, reached.source);
    return finish(b, null);
  };
  if (version.tables === null) return floor(`${version.label}の区分は${NOT_PUBLISHED}`, version.unpublishedTiers, monthsMissing);
  if (reached.amount === cap.value) {
    b.note(`${reached.minIncrease}人以上の増加で上限の ${yenText(reached.amount)} です`, reached.source);
    return finish(b, reached.amount);
  }
  if (!exact || increase.value !== reached.minIncrease) {
    // Between a known threshold and the next, an unpublished tier may start.
    return floor(`${reached.minIncrease}人を超える増加に対する中間の区分は${NOT_PUBLISHED}`, version.unpublishedTiers, monthsMissing);
  }
  if (smallTableMatters) {
    b.cite(sf.normalAlsoSource);
    return floor(`小規模施設の区分は${NOT_PUBLISHED} (通常の基準による額は下限です)`, sf.tiersSource, small === null ? [`months.${baseMonth}.receipts`] : []);
  }
  b.note(`${reached.minIncrease}人以上の増加で ${yenText(reached.amount)} です`, reached.source);
  return finish(b, reached.amount);
}

export function lumpSum2024Program(data: LumpSum2024Data): ProgramModule {
  return {
    id: data.id,
    name: data.name,
    // Not project-based: 支払基金 pays every facility that qualifies, without an application.
    evaluate: (profile, at) => [evaluateLumpSum2024(data, profile, at)],
  };
}
