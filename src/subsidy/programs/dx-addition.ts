// dx-addition: 医療DX推進体制整備加算 — the tier (加算1〜6) a facility reaches in a 算定月 from its
// monthly マイナ保険証利用率 — and the 医療情報取得加算 points of that month (spec §3, §4.1).
// The numbers live in dx-addition.json; this module only knows how §3.3 picks the rate (the
// highest of the data months, on the basis allowed in that 算定月) and how the tiers are ranked:
// the 利用率 and マイナポータル conditions give a group (1, 2 or 3), and from 2025-04 the
// 電子処方箋 system says whether group g is 加算g or 加算g+3.
import type { FacilityKind, FacilityProfile } from "../profile.ts";
import { NOT_PUBLISHED, ProgramDataError, ResultBuilder, type ProgramModule, type Source, type SubsidyResult, yenText } from "../engine.ts";
import { valueAt, valuesAt, type DatedValue, type Parameter, type ProgramParameters } from "../parameters.ts";
import { addMonths, atLeastPercent, compare, monthRate, percentText, type MonthField, type Ratio } from "../usage-rate.ts";

/** 医科 (hospital, medical clinic), 歯科, 調剤: the columns of spec §3.1. */
export type FeeClass = "medical" | "dental" | "pharmacy";
type Group = "1" | "2" | "3";
const GROUPS: readonly Group[] = ["1", "2", "3"];
/** A group's name in reasons: 加算1, or 加算1・4 for 医科・歯科 when the 電子処方箋 split doubles the tiers. */
const GROUP_LABELS = { "1": { plain: "加算1", split: "加算1・4" }, "2": { plain: "加算2", split: "加算2・5" }, "3": { plain: "加算3", split: "加算3・6" } } as const;
/** The name of group `g` for a class: 調剤 has no 加算4〜6, so only 医科・歯科 take the split name. */
export function groupLabel(g: Group | 1 | 2 | 3, split: boolean, cls: FeeClass): string {
  return GROUP_LABELS[String(g) as Group][split && cls !== "pharmacy" ? "split" : "plain"];
}

/** A tier of a 算定月 (the value of `tiers`): 1–6, or 0 for the single 加算 of 2024-06〜09. */
interface Tier {
  tier: number;
  label: string;
  group?: number;
  /** From 2025-04: true for 1〜3 (電子処方箋 system in place), false for 4〜6. */
  ePrescription?: boolean;
}
/** A value with its source (a threshold, the points of a tier); value null: 公表されていない. */
interface Cell<T> {
  value: T;
  source: Source;
}
interface InformationItem {
  setting: string;
  item: string;
  frequency: string;
  points: number;
}
/** A data month and basis of the rate rule (the value of `rateRule`). */
interface RateMonth {
  basis: "receipt" | "online";
  monthsBack: number;
}

export interface DxAddition {
  id: string;
  name: string;
  params: ProgramParameters;
  yenPerPoint: Cell<number>;
  addedFrom: Cell<string>;
  nextRevision: Source;
  portalRequirement: Source;
  pharmacyTiers: Source;
  pediatricRule: Source;
  receiptNumerator: Source;
  onlineBasis: Source;
  // The dated parameters, found once by name (the formulas look them up at a month).
  tiers: Parameter<Tier[]>;
  split: Parameter<boolean>;
  rateRequired: Parameter<boolean>;
  rateRule: Parameter<RateMonth[]>;
  receiptDenominator: Parameter<MonthField>;
  pediatric: Parameter<number>;
  /** By class and tier number; a class without a parameter for a tier has no such tier. */
  points: Record<FeeClass, Map<number, Parameter<number>>>;
  thresholds: Record<Group, Record<"medicalDental" | "pharmacy", Parameter<number>>>;
  informationAcquisition: Parameter<true>;
  /** 医療情報取得加算 by period (its dated value) and class: the items and their note. */
  items: Map<DatedValue, Record<FeeClass, { items: DatedValue<InformationItem>[]; text: string }>>;
}

function dxAddition(p: ProgramParameters): DxAddition {
  const data: DxAddition = {
    id: p.id,
    name: p.name,
    params: p,
    yenPerPoint: p.onlyValue("yenPerPoint"),
    addedFrom: p.onlyValue("addedFrom"),
    nextRevision: p.only("nextRevision").source,
    portalRequirement: p.only("portalRequirement").source,
    pharmacyTiers: p.only("pharmacyTiers").source,
    pediatricRule: p.only("pediatricRule").source,
    receiptNumerator: p.only("receiptNumerator").source,
    onlineBasis: p.only("onlineBasis").source,
    tiers: p.get("tiers"),
    split: p.get("ePrescriptionSplit"),
    rateRequired: p.get("rateRequired"),
    rateRule: p.get("rateRule"),
    receiptDenominator: p.get("receiptDenominator"),
    pediatric: p.get("threshold.pediatric"),
    points: { medical: new Map(), dental: new Map(), pharmacy: new Map() },
    thresholds: Object.fromEntries(GROUPS.map((g) => [g, { medicalDental: p.get(`threshold.${g}.medicalDental`), pharmacy: p.get(`threshold.${g}.pharmacy`) }])) as DxAddition["thresholds"],
    informationAcquisition: p.get("informationAcquisition"),
    items: new Map(),
  };
  for (const v of data.tiers.values) {
    for (const t of v.value as Tier[]) for (const cls of FEE_CLASSES) if (p.has(`points.${cls}.${t.tier}`)) data.points[cls].set(t.tier, p.get(`points.${cls}.${t.tier}`));
  }
  for (const period of data.informationAcquisition.values) {
    const byClass = {} as Record<FeeClass, { items: DatedValue<InformationItem>[]; text: string }>;
    for (const cls of FEE_CLASSES) {
      const items = p.has(`informationAcquisition.${cls}`) ? valuesAt<InformationItem>(p.get(`informationAcquisition.${cls}`), period.from) : [];
      const text = `医療情報取得加算: ${items.map(({ value }) => { const i = value as InformationItem; return `${i.setting} ${i.item} ${i.points}点 (${i.frequency})`; }).join("、")}`;
      byClass[cls] = { items, text };
    }
    data.items.set(period, byClass);
  }
  // Evaluation looks these up without a fallback: every data month a rate rule names has a
  // denominator, and every 算定月 with a 利用率 requirement has a rule and its thresholds.
  const bad = (path: string, rule: string): never => {
    throw new ProgramDataError("E9105", `補助金プログラムのデータファイルが不正です。(dx-addition.json ${path}: ${rule})`);
  };
  const denominators = p.get<string>("receiptDenominator").values;
  if (denominators.at(-1)!.to !== null) bad("parameters.receiptDenominator", "the last value must be open-ended (to null)");
  p.get<RateMonth[]>("rateRule").values.forEach((r, i) => {
    for (const m of r.value as RateMonth[]) {
      if (m.basis !== "receipt" && m.basis !== "online") bad(`parameters.rateRule.values[${i}].value`, "basis receipt or online expected");
      if (m.basis === "receipt" && valueAt(p.get("receiptDenominator"), addMonths(r.from, -m.monthsBack)).kind !== "value") bad(`parameters.rateRule.values[${i}]`, "a data month without a receiptDenominator");
    }
  });
  p.get<boolean>("rateRequired").values.forEach((t, i) => {
    if (t.value !== true) return;
    if (valueAt(p.get("rateRule"), t.from).kind !== "value") bad(`parameters.rateRequired.values[${i}].from`, "no rateRule covers it");
    for (const g of GROUPS) for (const col of ["medicalDental", "pharmacy"]) if (valueAt(p.get(`threshold.${g}.${col}`), t.from).kind === "not-in-force") bad(`parameters.threshold.${g}.${col}`, `no value for ${t.from}`);
  });
  for (const v of denominators) if (v.value !== "receipts" && v.value !== "outpatientReceipts") bad("parameters.receiptDenominator", "receipts or outpatientReceipts expected");
  return data;
}

// ---- evaluation ----

export function feeClassOf(kind: FacilityKind): FeeClass {
  return kind === "dental_clinic" ? "dental" : kind === "pharmacy" ? "pharmacy" : "medical";
}

const CLASS_NAMES: Record<FeeClass, string> = { medical: "医科", dental: "歯科", pharmacy: "調剤" };
const FEE_CLASSES: readonly FeeClass[] = ["medical", "dental", "pharmacy"];

/** A threshold or points value at a month as a cell (null: 公表されていない); undefined when not in force. */
function cellAt<T>(p: Parameter<T> | undefined, month: string): Cell<T | null> | undefined {
  if (p === undefined) return undefined;
  const answer = valueAt<T>(p, month);
  // The engine's answer is the cell: value (null when unknown) and source, made once per value.
  return answer.kind === "not-in-force" ? undefined : answer;
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
function highestRate(data: DxAddition, profile: FacilityProfile, month: string, rule: DatedValue<RateMonth[]>, b: ResultBuilder): { best: UsedRate | null; incomplete: boolean; missing: string[] } {
  let best: UsedRate | null = null;
  const missing: string[] = [];
  const shown: string[] = [];
  const candidates = candidatesFor(data, rule, month);
  for (const c of candidates) {
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
  for (const c of candidates) if (c.source !== undefined) b.cite(c.source); // cite() skips repeats
  if ((rule.value as RateMonth[]).some((m) => m.basis === "online")) b.cite(data.onlineBasis);
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
/** The candidates of the rule for a 算定月: the same for every profile, so made once per month (kept with the parameters). */
function candidatesFor(data: DxAddition, rule: DatedValue<RateMonth[]>, month: string): Candidate[] {
  return data.params.memo("candidates", month, () => {
    const months = rule.value as RateMonth[];
    const candidates: Candidate[] = [];
    // Receipt months first, then online ones (the order the reasons list them in).
    for (const { basis, monthsBack } of months) {
      if (basis !== "receipt") continue;
      const m = addMonths(month, -monthsBack);
      const denominator = valueAt<MonthField>(data.receiptDenominator, m) as { value: MonthField; source: Source };
      candidates.push({ month: m, basis: "receipt", numerator: "cardPersons", denominator: denominator.value, source: denominator.source });
    }
    for (const { basis, monthsBack } of months) if (basis === "online") candidates.push({ month: addMonths(month, -monthsBack), basis: "online", numerator: "cardUses", denominator: "onlineChecks" });
    return candidates;
  });
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

export function evaluateDxAddition(data: DxAddition, profile: FacilityProfile, at: string): SubsidyResult {
  const b = new ResultBuilder(data.id);
  const month = at.slice(0, 7);
  const cls = feeClassOf(profile.kind);
  b.details = { month, feeClass: cls, informationAcquisitionPoints: informationAcquisition(data, cls, month, b) };

  if (month < data.addedFrom.value) {
    b.fail(`医療DX推進体制整備加算は ${data.addedFrom.value} からの点数で、算定月 ${month} にはありません`, data.addedFrom.source);
    return b.build(0);
  }
  const tierList = valueAt<Tier[]>(data.tiers, month);
  const required = valueAt<boolean>(data.rateRequired, month);
  if (tierList.kind !== "value" || required.kind !== "value") {
    b.cannotTell(`算定月 ${month} の要件と点数は次回改定で定めるもので、${NOT_PUBLISHED}`, data.nextRevision);
    return b.build(null);
  }
  b.note("利用率以外の施設基準 (届出、電子カルテ情報共有サービス等) は確認していません");
  // The class's tiers of the month: the same for every profile, so made once per class and month.
  const list = tierList.value;
  const tiers = data.params.memo(cls, month, () => list.filter((t) => cellAt(data.points[cls].get(t.tier), month) !== undefined));
  const split = (valueAt<boolean>(data.split, month) as { value: boolean }).value;

  if (!required.value) {
    // 2024-06〜09: one 加算, no 利用率 requirement.
    const tier = tiers[0]!;
    b.note(`算定月 ${month} は利用率の要件がありません`, required.source);
    return withPoints(data, b, tier, cls, month);
  }

  // The group (1 best … 3) each condition allows: true / false / null per group.
  const rule = (valueAt<RateMonth[]>(data.rateRule, month) as { entry: DatedValue<RateMonth[]> }).entry;
  const rate = highestRate(data, profile, month, rule, b);
  if (rate.best) {
    b.details.rateUsed = { month: rate.best.month, basis: rate.best.basis, percent: rate.best.percent, ...rate.best.ratio };
  }
  const pediatricThreshold = cellAt<number>(data.pediatric, month) as Cell<number> | undefined;
  const pediatric = cls === "medical" && pediatricThreshold !== undefined ? profile.pediatricSpecialCase : false;
  if (profile.pediatricSpecialCase === true && cls !== "medical") b.note(`小児科特例は小児科外来診療料を算定する医科の施設のものです (${CLASS_NAMES[cls]}には適用しません)`, data.pediatricRule);
  if (profile.pediatricSpecialCase === true && cls === "medical" && pediatricThreshold === undefined) b.note(`算定月 ${month} には小児科特例がありません`, data.pediatricRule);
  if (split && cls === "pharmacy" && profile.ePrescription === false) {
    b.fail("電子処方箋の体制がない薬局は算定できません (調剤は加算1〜3のみで、2025-04 からは電子処方箋の体制がある区分です)", data.pharmacyTiers);
    return b.build(0);
  }
  // Groups best first; stop at the first one reached. An open (null) group before it leaves a floor.
  const reached: { group: Group; state: boolean | null }[] = [];
  for (const g of GROUPS) {
    const cell = cellAt<number>(data.thresholds[g][cls === "pharmacy" ? "pharmacy" : "medicalDental"], month)!;
    const label = groupLabel(g, split, cls);
    const verdicts = [rateVerdict(label, g === "3" ? withPediatric(cell, pediatricThreshold, pediatric) : cell, rate)];
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
  return chooseTier(data, b, profile, cls, split, month, tiers, reached);
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

function portalVerdict(label: string, profile: FacilityProfile, data: DxAddition): Verdict {
  const source = data.portalRequirement;
  const has = profile.portalHealthConsultation;
  if (has === true) return { state: true, text: `${label}: マイナポータルの医療情報等に基づく健康管理の相談に応じる体制があります`, source, missing: [] };
  if (has === false) return { state: false, text: `${label}: マイナポータルの医療情報等に基づく健康管理の相談に応じる体制がないため算定できません`, source, missing: [] };
  return { state: null, text: `${label}: マイナポータルの医療情報等に基づく健康管理の相談に応じる体制があるかが必要です`, source, missing: ["portalHealthConsultation"] };
}

/** The first group reached decides; when a better group is open, it is a floor (tierAtLeast). */
function chooseTier(data: DxAddition, b: ResultBuilder, profile: FacilityProfile, cls: FeeClass, split: boolean, month: string, tiers: Tier[], reached: { group: Group; state: boolean | null }[]): SubsidyResult {
  const last = reached[reached.length - 1]!;
  if (last.state !== true) {
    if (reached.every((r) => r.state === false)) b.fail("どの区分の要件も満たしません");
    return b.build(null); // build gives 0 when failed; the open conditions were said above
  }
  const settled = reached.every((r) => r === last || r.state === false);
  let candidates = tiers.filter((t) => String(t.group) === last.group);
  if (split) {
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
  return withPoints(data, b, candidates[0]!, cls, month);
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

function withPoints(data: DxAddition, b: ResultBuilder, tier: Tier, cls: FeeClass, month: string): SubsidyResult {
  const cell = cellAt<number>(data.points[cls].get(tier.tier), month)!;
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

/** 医療情報取得加算 items of the 算定月 for the class; null when none is published for it. */
function informationAcquisition(data: DxAddition, cls: FeeClass, month: string, b: ResultBuilder): { setting: string; item: string; points: number; frequency: string }[] | null {
  const period = valueAt(data.informationAcquisition, month);
  if (period.kind !== "value") {
    b.note(`医療情報取得加算: 算定月 ${month} は対象期間 (${data.informationAcquisition.values[0]!.from}〜) の外です`);
    return null;
  }
  const { items, text } = data.items.get(period.entry)![cls];
  if (items.length === 0) {
    b.note(`医療情報取得加算: ${CLASS_NAMES[cls]}の点数は${NOT_PUBLISHED}`);
    return null;
  }
  for (const i of items) b.cite(i.source);
  b.note(text);
  return items.map(({ value }) => {
    const i = value as InformationItem;
    return { setting: i.setting, item: i.item, points: i.points, frequency: i.frequency };
  });
}

export function dxAdditionProgram(params: ProgramParameters): ProgramModule {
  const data = dxAddition(params);
  return {
    id: data.id,
    name: data.name,
    evaluate: (profile, at) => [evaluateDxAddition(data, profile, at)],
  };
}
