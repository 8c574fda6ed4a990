// support-2024-h1 / support-2024-h2: the 2024 マイナ保険証利用促進 支援金 (seed 000 l.125-193, FAQ
// l.463-492). For each half: the half's average 利用率 against the 2023-10 rate gives a 支援単価 by
// the rise in %pt, paid on the half's total card uses. The 後半期 was replaced by the 一時金
// (seed 001 l.51-55; program lump-sum-2024): from that date it answers "not paid" and shows the
// amount it would have given as first announced. Numbers and readings live in support-2024.json.
import type { FacilityProfile } from "../profile.ts";
import { MONTH_FIELDS } from "../profile.ts";
import { dataChecker } from "../data-check.ts";
import { NOT_PUBLISHED, ResultBuilder, type ProgramModule, type RunMemo, type Source, type SubsidyResult, yenText } from "../engine.ts";
import { addMonths, monthRate, percentText, risenByAtLeast, type MonthField, type Ratio } from "../usage-rate.ts";

export interface UnitPriceRow {
  minPoints: number;
  unitPrice: number;
  source: Source;
}
export interface Half {
  id: string;
  name: string;
  label: string;
  months: string[];
  monthsSource: Source;
  /** Ascending by minPoints; the row applies when the rise is at least minPoints %pt. */
  table: UnitPriceRow[];
  replaced: { on: string; by: string; source: Source; onSource: Source } | null;
}
export interface Support2024Data {
  id: "support-2024";
  name: string;
  base: { month: string; source: Source };
  rate: { numerator: MonthField; denominator: MonthField; source: Source };
  amountBasis: { field: MonthField; source: Source };
  rule: { source: Source };
  newFacility: { openedFrom: string; source: Source };
  payment: { source: Source };
  halves: Half[];
}

// ---- parsing the data file: every entry checked, the path named (E9105) ----

const check = dataChecker("support-2024.json");

export function parseSupport2024Data(raw: unknown): Support2024Data {
  const { bad, obj, array, source, date, yen } = check;
  const d = obj(raw, "(root)");
  if (d.id !== "support-2024") bad("id", "must be support-2024");
  if (typeof d.name !== "string") bad("name", "string expected");
  const { yearMonth } = check;
  const field = (v: unknown, path: string): MonthField =>
    MONTH_FIELDS.includes(v as MonthField) ? (v as MonthField) : bad(path, `one of ${MONTH_FIELDS.join(", ")} expected`);
  const base = obj(d.base, "base");
  yearMonth(base.month, "base.month");
  source(base.source, "base.source");
  const rate = obj(d.rate, "rate");
  field(rate.numerator, "rate.numerator");
  field(rate.denominator, "rate.denominator");
  source(rate.source, "rate.source");
  const basis = obj(d.amountBasis, "amountBasis");
  field(basis.field, "amountBasis.field");
  source(basis.source, "amountBasis.source");
  for (const key of ["rule", "payment"]) source(obj(d[key], key).source, `${key}.source`);
  const fresh = obj(d.newFacility, "newFacility");
  date(fresh.openedFrom, "newFacility.openedFrom");
  source(fresh.source, "newFacility.source");
  const ids = new Set<string>();
  array(d.halves, "halves").forEach((x, i) => {
    const path = `halves[${i}]`;
    const h = obj(x, path);
    for (const key of ["id", "name", "label"]) if (typeof h[key] !== "string" || h[key] === "") bad(`${path}.${key}`, "non-empty string expected");
    if (ids.has(h.id as string)) bad(`${path}.id`, "ids must be unique");
    ids.add(h.id as string);
    const months = array(h.months, `${path}.months`);
    if (months.length === 0) bad(`${path}.months`, "non-empty array expected");
    // Consecutive months: "the half" is a run of 診療月, and its end date is taken from the last.
    months.forEach((m, j) => {
      yearMonth(m, `${path}.months[${j}]`);
      if (j > 0 && m !== addMonths(months[j - 1] as string, 1)) bad(`${path}.months[${j}]`, "consecutive months expected");
    });
    source(h.monthsSource, `${path}.monthsSource`);
    const table = array(h.table, `${path}.table`);
    if (table.length === 0) bad(`${path}.table`, "non-empty array expected");
    table.forEach((r, j) => {
      const row = obj(r, `${path}.table[${j}]`);
      if (typeof row.minPoints !== "number" || !(row.minPoints > 0)) bad(`${path}.table[${j}].minPoints`, "positive number expected");
      if (j > 0 && (row.minPoints as number) <= ((table[j - 1] as UnitPriceRow).minPoints)) bad(`${path}.table[${j}].minPoints`, "rows ascending by minPoints expected");
      yen(row.unitPrice, `${path}.table[${j}].unitPrice`);
      source(row.source, `${path}.table[${j}].source`);
    });
    if (h.replaced !== null) {
      const r = obj(h.replaced, `${path}.replaced`);
      date(r.on, `${path}.replaced.on`);
      if (typeof r.by !== "string" || r.by === "") bad(`${path}.replaced.by`, "program id expected");
      source(r.source, `${path}.replaced.source`);
      source(r.onSource, `${path}.replaced.onSource`);
    }
  });
  return d as unknown as Support2024Data;
}

// ---- evaluation ----

/** "2024年8月". Kept per month: the months are the data file's few, and every result shows several. */
const monthTexts = new Map<string, string>();
function monthText(m: string): string {
  let text = monthTexts.get(m);
  if (text === undefined) {
    text = `${m.slice(0, 4)}年${Number(m.slice(5))}月`;
    monthTexts.set(m, text);
  }
  return text;
}
/** A half's span as shown ("2024年1月〜2024年5月") and the first day after it: made once per half. */
const halfTexts = new WeakMap<Half, { span: string; over: string }>();
function textsOf(half: Half): { span: string; over: string } {
  let texts = halfTexts.get(half);
  if (texts === undefined) {
    const last = half.months.at(-1)!;
    texts = { span: `${monthText(half.months[0]!)}〜${monthText(last)}`, over: `${addMonths(last, 1)}-01` };
    halfTexts.set(half, texts);
  }
  return texts;
}
/** The rise in %pt for display only (decisions use risenByAtLeast on exact fractions). */
const pointsText = (later: Ratio, base: Ratio): string =>
  `${((later.numerator / later.denominator - base.numerator / base.denominator) * 100).toFixed(2)}%pt`;

/** The 2023-10 rate, or null when it cannot be had, and the one reason it gives (cannotTell when null). */
interface BaseRate {
  ratio: Ratio | null;
  reason: string;
  source: Source;
  fields?: string[];
}

/**
 * The 2023-10 rate with its reason to `b`. Both halves (and the replaced half's comparison) use
 * it, so one calculate() run computes it once and keeps it in the run's memo.
 */
function baseRate(data: Support2024Data, profile: FacilityProfile, b: ResultBuilder, memo: RunMemo | undefined): Ratio | null {
  const kept = memo?.get(baseRate) as { data: Support2024Data; base: BaseRate } | undefined;
  const base = kept !== undefined && kept.data === data ? kept.base : computeBaseRate(data, profile);
  if (kept === undefined) memo?.set(baseRate, { data, base });
  if (base.ratio === null) b.cannotTell(base.reason, base.source, base.fields);
  else b.note(base.reason, base.source);
  return base.ratio;
}

/** The 2023-10 rate: 0 % for a facility opened from 2023-10-01, else the month's persons ÷ receipts. */
function computeBaseRate(data: Support2024Data, profile: FacilityProfile): BaseRate {
  const { openedFrom, source: freshSource } = data.newFacility;
  if (profile.openedOn !== undefined && profile.openedOn >= openedFrom) {
    return {
      ratio: { numerator: 0, denominator: 1 },
      reason: `${openedFrom} 以降の新設 (開設 ${profile.openedOn}) のため、${monthText(data.base.month)}の利用率は0%として計算します`,
      source: freshSource,
    };
  }
  const r = monthRate(profile, data.base.month, data.rate.numerator, data.rate.denominator);
  if (r.ok) {
    return {
      ratio: r.ratio,
      reason: `${monthText(data.base.month)}の利用率 ${percentText(r.ratio)} (利用人数 ${r.ratio.numerator} ÷ 外来レセプト ${r.ratio.denominator}件)`,
      source: data.rate.source,
    };
  }
  if (r.zero) {
    return { ratio: null, reason: `${monthText(data.base.month)}の外来レセプトが0件のため基準の利用率を算出できません。この場合の扱いは${NOT_PUBLISHED}`, source: data.rate.source };
  }
  // Without the month's figures, the facility may still be new: its opening date settles that.
  const fields = profile.openedOn === undefined ? [...r.missing, "openedOn"] : r.missing;
  return {
    ratio: null,
    reason: `基準となる${monthText(data.base.month)}の利用人数 (名寄せ後) と外来レセプト枚数が必要です (${openedFrom} 以降の新設なら開設日だけで足ります)`,
    source: data.rate.source,
    fields,
  };
}

/** The half's figures as shown in details (rates as display text; decisions are made on fractions). */
interface Figures {
  months: string[];
  averageRate: string;
  rise: string;
  unitPrice: number;
  cardUses: number;
  amount: number;
}

/** What the half gives over `months` (all with their figures), or null when its rate cannot be computed. */
function figures(data: Support2024Data, half: Half, profile: FacilityProfile, months: string[], base: Ratio, b: ResultBuilder, final: boolean): Figures | null {
  let persons = 0;
  let receipts = 0;
  let uses = 0;
  for (const m of months) {
    const facts = profile.months![m]!;
    persons += facts[data.rate.numerator]!;
    receipts += facts[data.rate.denominator]!;
    uses += facts[data.amountBasis.field]!;
  }
  // The months used may be fewer than the half's (opened within it, or not yet over).
  const span = months === half.months ? textsOf(half).span : `${monthText(months[0]!)}〜${monthText(months.at(-1)!)}`;
  if (receipts === 0) {
    if (final) b.cannotTell(`${half.label} (${span}) の外来レセプトが0件のため平均利用率を算出できません。この場合の扱いは${NOT_PUBLISHED}`, data.rate.source);
    return null;
  }
  const average: Ratio = { numerator: persons, denominator: receipts };
  // The highest row reached: the last row that holds, so searched from the end.
  const row = half.table.findLast((r) => risenByAtLeast(average, base, r.minPoints));
  const unitPrice = row?.unitPrice ?? 0;
  const result: Figures = { months, averageRate: percentText(average), rise: pointsText(average, base), unitPrice, cardUses: uses, amount: unitPrice * uses };
  b.note(`${half.label} ${span} の平均利用率 ${result.averageRate} (利用人数計 ${persons} ÷ 外来レセプト計 ${receipts}件)、増加量 ${result.rise}`, data.rule.source);
  if (row) {
    b.note(`増加量${row.minPoints}%pt以上の支援単価 ${row.unitPrice}円/件 × 総利用件数 (のべ) ${uses}件 = ${yenText(result.amount)}`, row.source);
    b.cite(data.amountBasis.source);
  }
  return result;
}

/**
 * The half computed as announced, its reasons and missing fields going to `b`: whether the half
 * is over at `at`, and its figures (over the months given so far while it is not), or null.
 */
function computeHalf(data: Support2024Data, half: Half, profile: FacilityProfile, at: string, b: ResultBuilder, memo: RunMemo | undefined): { final: boolean; f: Figures | null } {
  const { span, over } = textsOf(half);
  // The half is settled once its last month is over; before that its average can still move.
  const final = at >= over;
  const base = baseRate(data, profile, b, memo);
  // Months before the opening month had no patients: they are neither needed nor counted (the
  // half's own array when none is dropped, so figures() can use the span made once).
  const openedMonth = profile.openedOn?.slice(0, 7);
  const months = openedMonth === undefined || openedMonth <= half.months[0]! ? half.months : half.months.filter((m) => m >= openedMonth);
  if (months.length === 0) {
    b.fail(`開設 (${profile.openedOn}) が${half.label} (${span}) の後のため対象外です`, half.monthsSource);
    return { final, f: null };
  }
  const { numerator, denominator } = data.rate;
  const uses = data.amountBasis.field;
  // One pass over the months (no arrays made per month): the fields lacking, and the months complete.
  const lacking: string[] = [];
  let complete: string[] = [];
  for (const m of months) {
    const facts = profile.months?.[m];
    let whole = true;
    for (const f of [numerator, denominator, uses]) {
      if (facts?.[f] === undefined) {
        lacking.push(`months.${m}.${f}`);
        whole = false;
      }
    }
    if (whole) complete.push(m);
  }
  // Every month complete: the same months, as the array figures() can show the span of.
  if (lacking.length === 0) complete = months;
  if (!final) {
    b.cannotTell(`${half.label} (${span}) は ${at} 時点でまだ終わっていません。入力済みの月からの見込額を details に示します`, half.monthsSource);
  } else if (lacking.length > 0) {
    b.cannotTell(`${half.label} (${span}) の各月の利用人数 (名寄せ後)・外来レセプト枚数・のべ利用件数が必要です`, half.monthsSource, lacking);
  }
  const usable = final ? (lacking.length === 0 ? months : []) : complete;
  return { final, f: base !== null && usable.length > 0 ? figures(data, half, profile, usable, base, b, final) : null };
}

export function evaluateHalf(data: Support2024Data, half: Half, profile: FacilityProfile, at: string, memo?: RunMemo): SubsidyResult {
  const b = new ResultBuilder(half.id);
  if (half.replaced !== null && at >= half.replaced.on) {
    const { by, source, onSource } = half.replaced;
    b.fail(`${half.label} (${textsOf(half).span}) の支援金は、集中取組月間の一時金 (${by}) に見直されたため支給されません`, source);
    b.cite(onSource);
    // As announced, for comparison only: its own reasons, and no missing fields asked of the
    // facility (nothing it could enter would make this half payable).
    const shadow = new ResultBuilder(half.id);
    const { final, f } = computeHalf(data, half, profile, at, shadow, memo);
    if (f) {
      // Written out rather than spread from f: the spread showed high in profiles of this hot path.
      const { months, averageRate, rise, unitPrice, cardUses, amount } = f;
      b.details.asAnnounced = { months, averageRate, rise, unitPrice, cardUses, amount, final, reasons: shadow.reasons };
      b.note(`参考: 当初の発表どおりなら ${yenText(f.amount)}${final ? "" : " (見込み)"} でした`, data.rule.source);
    }
    return b.build(0);
  }
  const { final, f } = computeHalf(data, half, profile, at, b, memo);
  if (!final) {
    if (f) {
      b.details.estimate = f;
      b.note(`見込額 ${yenText(f.amount)} (${f.months.length}か月分の実績による。確定は${half.label}の終了後)`);
    }
    return b.build(null);
  }
  if (f === null) return b.build(null);
  const { months, averageRate, rise, unitPrice, cardUses, amount } = f;
  b.details = { months, averageRate, rise, unitPrice, cardUses, amount };
  if (f.unitPrice === 0) {
    b.fail(`${monthText(data.base.month)}からの増加量が${half.table[0]!.minPoints}%pt未満のため、${half.label}の支援金の対象外です`, half.table[0]!.source);
    return b.build(0);
  }
  b.note("支払基金から年2回 (前半期・後半期) 交付され、実績報告は不要です", data.payment.source);
  return b.build(f.amount);
}

export function support2024Programs(data: Support2024Data): ProgramModule[] {
  return data.halves.map((half) => ({
    id: half.id,
    name: half.name,
    evaluate: (profile, at, memo) => [evaluateHalf(data, half, profile, at, memo)],
  }));
}
