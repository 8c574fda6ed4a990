// dx-addition: 医療DX推進体制整備加算 — the tier (加算1〜6) a facility reaches in a 算定月 from its
// monthly マイナ保険証利用率 — and the 医療情報取得加算 points of that month (spec §3, §4.1).
// The numbers live in dx-addition.json; this module only knows how §3.3 picks the rate (the
// highest of the data months, on the basis allowed in that 算定月) and how the tiers are ranked:
// the 利用率 and マイナポータル conditions give a group (1, 2 or 3), and from 2025-04 the
// 電子処方箋 system says whether group g is 加算g or 加算g+3.
import type { FacilityKind, FacilityProfile } from "../profile.ts";
import { dataChecker, type Cell, type Obj } from "../data-check.ts";
import { NOT_PUBLISHED, ResultBuilder, type ProgramModule, type Source, type SubsidyResult, yenText } from "../engine.ts";
import { addMonths, atLeastPercent, compare, monthRate, percentText, type MonthField, type Ratio } from "../usage-rate.ts";

/** 医科 (hospital, medical clinic), 歯科, 調剤: the columns of spec §3.1. */
export type FeeClass = "medical" | "dental" | "pharmacy";
type Group = "1" | "2" | "3";
const GROUPS: readonly Group[] = ["1", "2", "3"];
/** A group's name in reasons: 加算1, or 加算1・4 for 医科・歯科 when the 電子処方箋 split doubles the tiers. */
const GROUP_LABELS = { "1": { plain: "加算1", split: "加算1・4" }, "2": { plain: "加算2", split: "加算2・5" }, "3": { plain: "加算3", split: "加算3・6" } } as const;

interface Period {
  from: string | null;
  to: string | null;
}
interface Tier {
  /** 1–6; 0 for the single 加算 of 2024-06〜09. */
  tier: number;
  label: string;
  group: number | null;
  /** From 2025-04: true for 1〜3 (電子処方箋 system in place), false for 4〜6. */
  ePrescription?: boolean;
  /** A class without a cell has no such tier (調剤 has no 4〜6). */
  points: Partial<Record<FeeClass, Cell<number | null>>>;
}
interface PointPeriod extends Period {
  ePrescriptionSplit?: boolean;
  tiers: Tier[];
}
interface ThresholdPeriod extends Period {
  required: boolean;
  source?: Source;
  groups?: Record<Group, { medicalDental: Cell<number | null>; pharmacy: Cell<number | null> }>;
  pediatric?: Cell<number>;
}
interface RateRule extends Period {
  receiptMonthsBack: number[];
  onlineMonthsBack: number[];
  source: Source;
}
interface Denominator extends Period {
  field: MonthField;
  source: Source;
}
interface InformationItem {
  classes: FeeClass[];
  setting: string;
  item: string;
  frequency: string;
  points: Cell<number>;
}
export interface DxAdditionData {
  id: "dx-addition";
  name: string;
  yenPerPoint: Cell<number>;
  addedFrom: Cell<string>;
  nextRevision: Source;
  portalRequirement: Source;
  pharmacyTiers: Source;
  pointPeriods: PointPeriod[];
  thresholdPeriods: ThresholdPeriod[];
  pediatricRule: Source;
  rateRules: RateRule[];
  receiptNumerator: Source;
  receiptDenominators: Denominator[];
  onlineBasis: Source;
  informationAcquisition: (Period & { items: InformationItem[] })[];
}

// ---- parsing the data file: every entry checked, the path named (E9105) ----

const check = dataChecker("dx-addition.json");
const FEE_CLASSES: readonly FeeClass[] = ["medical", "dental", "pharmacy"];

export function parseDxAdditionData(raw: unknown): DxAdditionData {
  const { bad, obj, array, source, cell, yearMonth: month } = check;
  const monthOrNull = (v: unknown, path: string): string | null => (v === null ? null : month(v, path));
  const count = (v: unknown, path: string): number => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : bad(path, "non-negative integer expected"));
  const countOrNull = (v: unknown, path: string): number | null => (v === null ? null : count(v, path));
  const percentOrNull = (v: unknown, path: string): number | null => (v === null ? null : typeof v === "number" && v > 0 && v <= 100 ? v : bad(path, "percent in (0, 100] or null expected"));
  // Periods of one list must not overlap: a month would get two rules (checked in file order).
  const periods = <T extends Period>(v: unknown, path: string, each: (p: Obj, path: string) => void): T[] => {
    const list = array(v, path);
    list.forEach((x, i) => {
      const p = obj(x, `${path}[${i}]`);
      const from = p.from === null && i === 0 ? null : month(p.from, `${path}[${i}].from`);
      const to = monthOrNull(p.to, `${path}[${i}].to`);
      if (from !== null && to !== null && from > to) bad(`${path}[${i}]`, "from after to");
      const prev = i > 0 ? (list[i - 1] as Period) : undefined;
      if (prev && (prev.to === null || (from !== null && from <= prev.to))) bad(`${path}[${i}].from`, "periods must follow each other without overlap");
      each(p, `${path}[${i}]`);
    });
    return list as T[];
  };

  const d = obj(raw, "(root)");
  if (d.id !== "dx-addition") bad("id", "must be dx-addition");
  if (typeof d.name !== "string") bad("name", "string expected");
  cell(d.yenPerPoint, "yenPerPoint", count);
  cell(d.addedFrom, "addedFrom", month);
  for (const key of ["nextRevision", "portalRequirement", "pharmacyTiers", "pediatricRule", "receiptNumerator", "onlineBasis"]) source(d[key], key);
  periods(d.pointPeriods, "pointPeriods", (p, path) => {
    array(p.tiers, `${path}.tiers`).forEach((t, j) => {
      const tier = obj(t, `${path}.tiers[${j}]`);
      const tp = `${path}.tiers[${j}]`;
      if (!Number.isInteger(tier.tier) || typeof tier.label !== "string") bad(tp, "integer tier and label expected");
      if (tier.group !== null && !GROUPS.includes(String(tier.group) as Group)) bad(`${tp}.group`, "1, 2, 3 or null expected");
      if (tier.ePrescription !== undefined && typeof tier.ePrescription !== "boolean") bad(`${tp}.ePrescription`, "boolean expected");
      if (p.ePrescriptionSplit === true && tier.ePrescription === undefined) bad(`${tp}.ePrescription`, "required when the period is split by 電子処方箋");
      const pts = obj(tier.points, `${tp}.points`);
      for (const [key, c] of Object.entries(pts)) {
        if (!FEE_CLASSES.includes(key as FeeClass)) bad(`${tp}.points.${key}`, "medical, dental or pharmacy expected");
        cell(c, `${tp}.points.${key}`, countOrNull);
      }
    });
  });
  periods(d.thresholdPeriods, "thresholdPeriods", (p, path) => {
    if (typeof p.required !== "boolean") bad(`${path}.required`, "boolean expected");
    if (!p.required) {
      source(p.source, `${path}.source`);
      return;
    }
    const groups = obj(p.groups, `${path}.groups`);
    for (const g of GROUPS) {
      const row = obj(groups[g], `${path}.groups.${g}`);
      cell(row.medicalDental, `${path}.groups.${g}.medicalDental`, percentOrNull);
      cell(row.pharmacy, `${path}.groups.${g}.pharmacy`, percentOrNull);
    }
    if (p.pediatric !== undefined) cell(p.pediatric, `${path}.pediatric`, (v, q) => percentOrNull(v, q) ?? bad(q, "percent expected"));
  });
  periods(d.rateRules, "rateRules", (p, path) => {
    for (const key of ["receiptMonthsBack", "onlineMonthsBack"]) {
      array(p[key], `${path}.${key}`).forEach((n, k) => count(n, `${path}.${key}[${k}]`));
    }
    source(p.source, `${path}.source`);
  });
  periods(d.receiptDenominators, "receiptDenominators", (p, path) => {
    if (p.field !== "receipts" && p.field !== "outpatientReceipts") bad(`${path}.field`, "receipts or outpatientReceipts expected");
    source(p.source, `${path}.source`);
  });
  periods(d.informationAcquisition, "informationAcquisition", (p, path) => {
    array(p.items, `${path}.items`).forEach((x, j) => {
      const it = obj(x, `${path}.items[${j}]`);
      const ip = `${path}.items[${j}]`;
      if (!Array.isArray(it.classes) || !it.classes.every((c) => FEE_CLASSES.includes(c))) bad(`${ip}.classes`, "list of medical / dental / pharmacy expected");
      for (const key of ["setting", "item", "frequency"]) if (typeof it[key] !== "string") bad(`${ip}.${key}`, "string expected");
      cell(it.points, `${ip}.points`, count);
    });
  });
  // Evaluation looks these up without a fallback: every receipt month has a denominator, and every
  // 算定月 with a 利用率 requirement has a rule for its months.
  const denominators = d.receiptDenominators as Period[];
  if (denominators[0]?.from !== null || denominators[denominators.length - 1]?.to !== null) bad("receiptDenominators", "must cover every month (first from null, last to null)");
  (d.thresholdPeriods as (ThresholdPeriod & Period)[]).forEach((t, i) => {
    if (t.required && !periodOf(d.rateRules as RateRule[], t.from!)) bad(`thresholdPeriods[${i}].from`, "no rateRules period covers it");
  });
  return d as unknown as DxAdditionData;
}

// ---- evaluation ----

export function feeClassOf(kind: FacilityKind): FeeClass {
  return kind === "dental_clinic" ? "dental" : kind === "pharmacy" ? "pharmacy" : "medical";
}

const CLASS_NAMES: Record<FeeClass, string> = { medical: "医科", dental: "歯科", pharmacy: "調剤" };

function periodOf<T extends Period>(list: readonly T[], month: string): T | undefined {
  for (const p of list) if ((p.from === null || month >= p.from) && (p.to === null || month <= p.to)) return p;
  return undefined;
}

/** One data month's rate on one basis, as §4.1 defines it. */
interface UsedRate {
  month: string;
  basis: "receipt" | "online";
  ratio: Ratio;
  /** percentText(ratio), made once: the best rate is shown in several reasons. */
  percent: string;
}
const BASIS_NAMES = { receipt: "レセプト件数ベース", online: "オンライン資格確認件数ベース" } as const;

/**
 * The highest rate §3.3 allows for 算定月 `month`, over the months it names; `incomplete` when a
 * month's figures are missing (that month could be higher). Generic enough to share: it only
 * needs the rule's months back and each basis's fields.
 */
function highestRate(data: DxAdditionData, profile: FacilityProfile, month: string, rule: RateRule, b: ResultBuilder): { best: UsedRate | null; incomplete: boolean; missing: string[] } {
  let best: UsedRate | null = null;
  const missing: string[] = [];
  const shown: string[] = [];
  for (const c of candidatesFor(data, rule, month)) {
    const r = monthRate(profile, c.month, c.numerator, c.denominator);
    if (!r.ok) {
      missing.push(...r.missing);
      shown.push(`${c.month} ${BASIS_NAMES[c.basis]} ${r.zero ? "分母0のため利用率なし" : "データなし"}`);
      continue;
    }
    const percent = percentText(r.ratio);
    shown.push(`${c.month} ${BASIS_NAMES[c.basis]} ${percent}`);
    if (best === null || compare(r.ratio, best.ratio) > 0) best = { month: c.month, basis: c.basis, ratio: r.ratio, percent };
  }
  b.note(`算定月 ${month} に使える利用率: ${shown.join("、")}`, rule.source);
  b.cite(data.receiptNumerator);
  for (const c of candidatesFor(data, rule, month)) if (c.source !== undefined) b.cite(c.source); // cite() skips repeats
  if (rule.onlineMonthsBack.length > 0) b.cite(data.onlineBasis);
  return { best, incomplete: missing.length > 0, missing };
}

/** A data month and basis §3.3 allows for a 算定月, with the receipt basis's denominator source. */
interface Candidate {
  month: string;
  basis: UsedRate["basis"];
  numerator: MonthField;
  denominator: MonthField;
  source?: Source;
}
/** The candidates of a rule for a 算定月: the same for every profile, so made once per rule and month. */
const candidatesByRule = new WeakMap<RateRule, Map<string, Candidate[]>>();
function candidatesFor(data: DxAdditionData, rule: RateRule, month: string): Candidate[] {
  let byMonth = candidatesByRule.get(rule);
  if (byMonth === undefined) candidatesByRule.set(rule, (byMonth = new Map()));
  let candidates = byMonth.get(month);
  if (candidates === undefined) {
    candidates = [];
    for (const back of rule.receiptMonthsBack) {
      const m = addMonths(month, -back);
      const denominator = periodOf(data.receiptDenominators, m)!;
      candidates.push({ month: m, basis: "receipt", numerator: "cardPersons", denominator: denominator.field, source: denominator.source });
    }
    for (const back of rule.onlineMonthsBack) candidates.push({ month: addMonths(month, -back), basis: "online", numerator: "cardUses", denominator: "onlineChecks" });
    byMonth.set(month, candidates);
  }
  return candidates;
}

/** Three-valued AND of the verdicts: false wins, then null (cannot tell). */
function and3(verdicts: readonly Verdict[]): boolean | null {
  let state: boolean | null = true;
  for (const v of verdicts) {
    if (v.state === false) return false;
    if (v.state === null) state = null;
  }
  return state;
}

export function evaluateDxAddition(data: DxAdditionData, profile: FacilityProfile, at: string): SubsidyResult {
  const b = new ResultBuilder(data.id);
  const month = at.slice(0, 7);
  const cls = feeClassOf(profile.kind);
  b.details = { month, feeClass: cls, informationAcquisitionPoints: informationAcquisition(data, cls, month, b) };

  if (month < data.addedFrom.value) {
    b.fail(`医療DX推進体制整備加算は ${data.addedFrom.value} からの点数で、算定月 ${month} にはありません`, data.addedFrom.source);
    return b.build(0);
  }
  const points = periodOf(data.pointPeriods, month);
  const thresholds = periodOf(data.thresholdPeriods, month);
  if (!points || !thresholds) {
    b.cannotTell(`算定月 ${month} の要件と点数は次回改定で定めるもので、${NOT_PUBLISHED}`, data.nextRevision);
    return b.build(null);
  }
  b.note("利用率以外の施設基準 (届出、電子カルテ情報共有サービス等) は確認していません");
  const tiers = points.tiers.filter((t) => t.points[cls] !== undefined);

  if (!thresholds.required) {
    // 2024-06〜09: one 加算, no 利用率 requirement.
    const tier = tiers[0]!;
    b.note(`算定月 ${month} は利用率の要件がありません`, thresholds.source);
    return withPoints(data, b, tier, cls);
  }

  // The group (1 best … 3) each condition allows: true / false / null per group.
  const rule = periodOf(data.rateRules, month)!;
  const rate = highestRate(data, profile, month, rule, b);
  if (rate.best) {
    b.details.rateUsed = { month: rate.best.month, basis: rate.best.basis, percent: rate.best.percent, ...rate.best.ratio };
  }
  const pediatric = cls === "medical" && thresholds.pediatric !== undefined ? profile.pediatricSpecialCase : false;
  if (profile.pediatricSpecialCase === true && cls !== "medical") b.note(`小児科特例は小児科外来診療料を算定する医科の施設のものです (${CLASS_NAMES[cls]}には適用しません)`, data.pediatricRule);
  if (profile.pediatricSpecialCase === true && cls === "medical" && thresholds.pediatric === undefined) b.note(`算定月 ${month} には小児科特例がありません`, data.pediatricRule);
  if (points.ePrescriptionSplit && cls === "pharmacy" && profile.ePrescription === false) {
    b.fail("電子処方箋の体制がない薬局は算定できません (調剤は加算1〜3のみで、2025-04 からは電子処方箋の体制がある区分です)", data.pharmacyTiers);
    return b.build(0);
  }
  // Groups best first; stop at the first one reached. An open (null) group before it leaves a floor.
  const reached: { group: Group; state: boolean | null }[] = [];
  for (const g of GROUPS) {
    const row = thresholds.groups![g];
    const cell = cls === "pharmacy" ? row.pharmacy : row.medicalDental;
    const label = GROUP_LABELS[g][points.ePrescriptionSplit && cls !== "pharmacy" ? "split" : "plain"];
    const verdicts = [rateVerdict(label, g === "3" ? withPediatric(cell, thresholds.pediatric, pediatric) : cell, rate)];
    if (g !== "3") verdicts.push(portalVerdict(label, profile, data));
    const state = and3(verdicts);
    // Say only what decided the group: the failing condition, else the met and the open ones.
    for (const v of verdicts) {
      if (state === false && v.state === false) b.note(v.text, v.source);
      if (state === null && v.state === null) {
        b.cannotTell(v.text, v.source, v.missing);
      }
      if (state !== false && v.state === true) b.note(v.text, v.source);
    }
    reached.push({ group: g, state });
    if (state === true) break;
  }
  return chooseTier(data, b, profile, cls, points, tiers, reached);
}

interface Verdict {
  state: boolean | null;
  text: string;
  source?: Source;
  missing: string[];
}
type Threshold = Cell<number | null> & { special?: number };

/** The 加算3・6 threshold under the 小児科特例: its own when it applies; kept aside when not stated. */
function withPediatric(cell: Cell<number | null>, special: Cell<number> | undefined, applies: boolean | undefined): Threshold {
  if (!special || applies === false) return cell;
  if (applies === true) return { value: special.value, source: special.source };
  return { value: cell.value, source: cell.source, special: special.value };
}

function rateVerdict(label: string, cell: Threshold, rate: ReturnType<typeof highestRate>): Verdict {
  const source = cell.source;
  if (cell.value === null) return { state: null, text: `${label} の利用率の基準は${NOT_PUBLISHED}`, source, missing: [] };
  const best = rate.best;
  if (best && atLeastPercent(best.ratio, cell.value)) {
    return { state: true, text: `${label}: 利用率 ${cell.value}% 以上 — ${best.month} の${BASIS_NAMES[best.basis]} ${best.percent} で満たします`, source, missing: [] };
  }
  const have = best ? `最も高い ${best.month} の${BASIS_NAMES[best.basis]} ${best.percent}` : "使える月の利用率がありません";
  // A missing month could be the highest (§3.3): below the threshold is then not a "no".
  if (rate.incomplete) return { state: null, text: `${label}: 利用率 ${cell.value}% 以上が必要です (${have})。データのない月があり判定できません`, source, missing: rate.missing };
  if (cell.special !== undefined && best && atLeastPercent(best.ratio, cell.special)) {
    return { state: null, text: `${label}: 利用率 ${cell.value}% 以上 (小児科特例なら ${cell.special}% 以上) が必要です (${have})。小児科特例に当たるかが必要です`, source, missing: ["pediatricSpecialCase"] };
  }
  return { state: false, text: `${label}: 利用率 ${cell.value}% 以上が必要ですが、${have} です`, source, missing: [] };
}

function portalVerdict(label: string, profile: FacilityProfile, data: DxAdditionData): Verdict {
  const source = data.portalRequirement;
  const has = profile.portalHealthConsultation;
  if (has === true) return { state: true, text: `${label}: マイナポータルの医療情報等に基づく健康管理の相談に応じる体制があります`, source, missing: [] };
  if (has === false) return { state: false, text: `${label}: マイナポータルの医療情報等に基づく健康管理の相談に応じる体制がないため算定できません`, source, missing: [] };
  return { state: null, text: `${label}: マイナポータルの医療情報等に基づく健康管理の相談に応じる体制があるかが必要です`, source, missing: ["portalHealthConsultation"] };
}

/** The first group reached decides; when a better group is open, it is a floor (tierAtLeast). */
function chooseTier(data: DxAdditionData, b: ResultBuilder, profile: FacilityProfile, cls: FeeClass, points: PointPeriod, tiers: Tier[], reached: { group: Group; state: boolean | null }[]): SubsidyResult {
  const last = reached[reached.length - 1]!;
  if (last.state !== true) {
    if (reached.every((r) => r.state === false)) b.fail("どの区分の要件も満たしません");
    return b.build(null); // build gives 0 when failed; the open conditions were said above
  }
  const settled = reached.every((r) => r === last || r.state === false);
  let candidates = tiers.filter((t) => String(t.group) === last.group);
  if (points.ePrescriptionSplit) {
    const e = profile.ePrescription;
    if (e === undefined) {
      b.cannotTell(`電子処方箋の体制の有無で区分が変わります (あり: 加算1〜3、なし: 加算4〜6${cls === "pharmacy" ? "。調剤は加算1〜3のみ" : ""})`, data.pharmacyTiers, "ePrescription");
      if (cls === "pharmacy") {
        b.details.tierIfEPrescription = candidates[0]!.tier;
        return b.build(null);
      }
    } else {
      candidates = candidates.filter((t) => t.ePrescription === e);
    }
  }
  if (!settled) {
    b.details.tier = null;
    b.details.tierAtLeast = candidates.map((t) => t.tier);
    b.note(`少なくとも${candidates.map((t) => t.label).join(" または ")}を算定できます`);
    return buildOpen(b);
  }
  if (candidates.length > 1) {
    b.details.tier = null;
    b.details.tierCandidates = candidates.map((t) => t.tier);
    b.note(`${candidates.map((t) => t.label).join(" または ")}を算定できます`);
    return buildOpen(b);
  }
  return withPoints(data, b, candidates[0]!, cls);
}

/**
 * A tier is reached but which one (or its points) is open: eligible true, amount null. ResultBuilder
 * would say eligible null after a cannotTell, but here the open facts only decide between tiers.
 */
function buildOpen(b: ResultBuilder): SubsidyResult {
  const r = b.build(null);
  r.eligible = true; // a fresh object: set in place, the key keeps its place
  return r;
}

function withPoints(data: DxAdditionData, b: ResultBuilder, tier: Tier, cls: FeeClass): SubsidyResult {
  const cell = tier.points[cls]!;
  b.details.tier = tier.tier;
  b.details.tierLabel = tier.label;
  b.details.points = cell.value;
  const per = cls === "pharmacy" ? "調剤基本料に患者ごと月1回" : "初診料に月1回";
  if (cell.value === null) {
    b.amountUnknown(`${tier.label} を算定できます。${CLASS_NAMES[cls]}の点数は${NOT_PUBLISHED}`, cell.source);
    return buildOpen(b);
  }
  const yen = cell.value * data.yenPerPoint.value;
  b.note(`${tier.label} (${CLASS_NAMES[cls]} ${cell.value}点 = ${yenText(yen)}、${per}) を算定できます`, cell.source);
  b.cite(data.yenPerPoint.source);
  return b.build(yen);
}

/** A period's items for a class and their note: the same for every profile, so made once per period and class. */
const itemsByPeriod = new WeakMap<object, Map<FeeClass, { items: InformationItem[]; text: string }>>();
function itemsFor(period: { items: InformationItem[] }, cls: FeeClass): { items: InformationItem[]; text: string } {
  let byClass = itemsByPeriod.get(period);
  if (byClass === undefined) itemsByPeriod.set(period, (byClass = new Map()));
  let found = byClass.get(cls);
  if (found === undefined) {
    const items = period.items.filter((i) => i.classes.includes(cls));
    found = { items, text: `医療情報取得加算: ${items.map((i) => `${i.setting} ${i.item} ${i.points.value}点 (${i.frequency})`).join("、")}` };
    byClass.set(cls, found);
  }
  return found;
}

/** 医療情報取得加算 items of the 算定月 for the class; null when none is published for it. */
function informationAcquisition(data: DxAdditionData, cls: FeeClass, month: string, b: ResultBuilder): { setting: string; item: string; points: number; frequency: string }[] | null {
  const period = periodOf(data.informationAcquisition, month);
  if (!period) {
    b.note(`医療情報取得加算: 算定月 ${month} は対象期間 (${data.informationAcquisition[0]!.from}〜) の外です`);
    return null;
  }
  const { items, text } = itemsFor(period, cls);
  if (items.length === 0) {
    b.note(`医療情報取得加算: ${CLASS_NAMES[cls]}の点数は${NOT_PUBLISHED}`);
    return null;
  }
  for (const i of items) b.cite(i.points.source);
  b.note(text);
  return items.map((i) => ({ setting: i.setting, item: i.item, points: i.points.value, frequency: i.frequency }));
}

export function dxAdditionProgram(data: DxAdditionData): ProgramModule {
  return {
    id: data.id,
    name: data.name,
    evaluate: (profile, at) => [evaluateDxAddition(data, profile, at)],
  };
}
