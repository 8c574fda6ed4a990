// support-2024-h1 / support-2024-h2: the 2024 マイナ保険証利用促進 支援金 (seed 000 l.125-193, FAQ
// l.463-492). For each half: the half's average 利用率 against the 2023-10 rate gives a 支援単価 by
// the rise in %pt, paid on the half's total card uses. The 後半期 was replaced by the 一時金
// (seed 001 l.51-55; program lump-sum-2024): from that date it answers "not paid" and shows the
// amount it would have given as first announced. Numbers and readings live in support-2024.json.
import type { FacilityProfile } from "../profile.ts";
import { NOT_PUBLISHED, ResultBuilder, monthText, type ProgramModule, type RunMemo, type Source, type SubsidyResult, yenText } from "../engine.ts";
import { valueAt, type Band, type DatedValue, type Parameter, type ProgramParameters } from "../parameters.ts";
import { addMonths, monthRate, percentText, risenByAtLeast, type Ratio } from "../usage-rate.ts";

/** One half: a dated value of the band table unitPrice (its months from/to, its id the program's). */
export interface Half {
  id: string;
  name: string;
  label: string;
  months: string[];
  monthsSource: Source;
  /** Ascending by lower bound (%pt); the band applies when the rise is at least its bound. */
  table: Band<number>[];
  /** The program that replaced the half, from the day it was decided (value at `at`), and where that day is stated. */
  replacement: { parameter: Parameter<string>; decided: Source } | undefined;
  /** Its span as shown ("2024年1月〜2024年5月") and the first day after it. */
  span: string;
  over: string;
}

/** The two halves of support-2024.json, as the formulas read them (program-wide values once, at load). */
function halvesOf(p: ProgramParameters): Half[] {
  return p.get<Band<number>[]>("unitPrice").values.map((v: DatedValue<Band<number>[]>) => {
    const id = v.id!;
    const months: string[] = [];
    for (let m = v.from; m <= v.to!; m = addMonths(m, 1)) months.push(m);
    return {
      id,
      name: p.label(`${id}.name`),
      label: p.label(`${id}.label`),
      months,
      monthsSource: v.source,
      table: v.value as Band<number>[],
      replacement: p.has(`replacement.${id}`) ? { parameter: p.get<string>(`replacement.${id}`), decided: p.only(`replacement.${id}.decided`).source } : undefined,
      span: `${monthText(months[0]!)}〜${monthText(months.at(-1)!)}`,
      over: `${addMonths(months.at(-1)!, 1)}-01`,
    };
  });
}

interface Support2024 {
  params: ProgramParameters;
  baseMonth: string;
  rateSource: Source;
  amountBasisSource: Source;
  ruleSource: Source;
  newFacilityFrom: string;
  newFacilitySource: Source;
  paymentSource: Source;
}

function support2024(p: ProgramParameters): Support2024 {
  const newFacility = p.only<string>("newFacilityFrom");
  return {
    params: p,
    baseMonth: p.only<string>("baseMonth").value as string,
    rateSource: p.only("rate").source,
    amountBasisSource: p.only("amountBasis").source,
    ruleSource: p.only("rule").source,
    newFacilityFrom: newFacility.value as string,
    newFacilitySource: newFacility.source,
    paymentSource: p.only("payment").source,
  };
}

// ---- evaluation ----

/** The month facts a half needs, in the order missing ones are named. */
const MONTH_FACTS = ["cardPersons", "outpatientReceipts", "cardUses"] as const;

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
function baseRate(data: Support2024, profile: FacilityProfile, b: ResultBuilder, memo: RunMemo | undefined): Ratio | null {
  const kept = memo?.get(baseRate) as { data: Support2024; base: BaseRate } | undefined;
  const base = kept !== undefined && kept.data === data ? kept.base : computeBaseRate(data, profile);
  if (kept === undefined) memo?.set(baseRate, { data, base });
  if (base.ratio === null) b.cannotTell(base.reason, base.source, base.fields);
  else b.note(base.reason, base.source);
  return base.ratio;
}

/** The 2023-10 rate: 0 % for a facility opened from 2023-10-01, else the month's persons ÷ receipts. */
function computeBaseRate(data: Support2024, profile: FacilityProfile): BaseRate {
  const { newFacilityFrom: openedFrom, newFacilitySource: freshSource } = data;
  if (profile.openedOn !== undefined && profile.openedOn >= openedFrom) {
    return {
      ratio: { numerator: 0, denominator: 1 },
      reason: `${openedFrom} 以降の新設 (開設 ${profile.openedOn}) のため、${monthText(data.baseMonth)}の利用率は0%として計算します`,
      source: freshSource,
    };
  }
  const r = monthRate(profile, data.baseMonth, "cardPersons", "outpatientReceipts");
  if (r.ok) {
    return {
      ratio: r.ratio,
      reason: `${monthText(data.baseMonth)}の利用率 ${percentText(r.ratio)} (利用人数 ${r.ratio.numerator} ÷ 外来レセプト ${r.ratio.denominator}件)`,
      source: data.rateSource,
    };
  }
  if (r.zero) {
    return { ratio: null, reason: `${monthText(data.baseMonth)}の外来レセプトが0件のため基準の利用率を算出できません。この場合の扱いは${NOT_PUBLISHED}`, source: data.rateSource };
  }
  // Without the month's figures, the facility may still be new: its opening date settles that.
  const fields = profile.openedOn === undefined ? [...r.missing, "openedOn"] : r.missing;
  return {
    ratio: null,
    reason: `基準となる${monthText(data.baseMonth)}の利用人数 (名寄せ後) と外来レセプト枚数が必要です (${openedFrom} 以降の新設なら開設日だけで足ります)`,
    source: data.rateSource,
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
function figures(data: Support2024, half: Half, profile: FacilityProfile, months: string[], base: Ratio, b: ResultBuilder, final: boolean): Figures | null {
  let persons = 0;
  let receipts = 0;
  let uses = 0;
  for (const m of months) {
    const facts = profile.months![m]!;
    persons += facts.cardPersons!;
    receipts += facts.outpatientReceipts!;
    uses += facts.cardUses!;
  }
  // The months used may be fewer than the half's (opened within it, or not yet over).
  const span = months === half.months ? half.span : `${monthText(months[0]!)}〜${monthText(months.at(-1)!)}`;
  if (receipts === 0) {
    if (final) b.cannotTell(`${half.label} (${span}) の外来レセプトが0件のため平均利用率を算出できません。この場合の扱いは${NOT_PUBLISHED}`, data.rateSource);
    return null;
  }
  const average: Ratio = { numerator: persons, denominator: receipts };
  // The highest row reached: the last row that holds, so searched from the end.
  const row = half.table.findLast((r) => risenByAtLeast(average, base, r.from));
  const unitPrice = (row?.value as number | undefined) ?? 0;
  const result: Figures = { months, averageRate: percentText(average), rise: pointsText(average, base), unitPrice, cardUses: uses, amount: unitPrice * uses };
  b.note(`${half.label} ${span} の平均利用率 ${result.averageRate} (利用人数計 ${persons} ÷ 外来レセプト計 ${receipts}件)、増加量 ${result.rise}`, data.ruleSource);
  if (row) {
    b.note(`増加量${row.from}%pt以上の支援単価 ${row.value}円/件 × 総利用件数 (のべ) ${uses}件 = ${yenText(result.amount)}`, row.source);
    b.cite(data.amountBasisSource);
  }
  return result;
}

/**
 * The half computed as announced, its reasons and missing fields going to `b`: whether the half
 * is over at `at`, and its figures (over the months given so far while it is not), or null.
 */
function computeHalf(data: Support2024, half: Half, profile: FacilityProfile, at: string, b: ResultBuilder, memo: RunMemo | undefined): { final: boolean; f: Figures | null } {
  const { span, over } = half;
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
  // One pass over the months (no arrays made per month): the fields lacking, and the months complete.
  const lacking: string[] = [];
  let complete: string[] = [];
  for (const m of months) {
    const facts = profile.months?.[m];
    let whole = true;
    for (const f of MONTH_FACTS) {
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

export function evaluateHalf(data: Support2024, half: Half, profile: FacilityProfile, at: string, memo?: RunMemo): SubsidyResult {
  const b = new ResultBuilder(half.id);
  const replaced = half.replacement === undefined ? undefined : valueAt<string>(half.replacement.parameter, at);
  if (replaced?.kind === "value") {
    b.fail(`${half.label} (${half.span}) の支援金は、集中取組月間の一時金 (${replaced.value}) に見直されたため支給されません`, replaced.source);
    b.cite(half.replacement!.decided);
    // As announced, for comparison only: its own reasons, and no missing fields asked of the
    // facility (nothing it could enter would make this half payable).
    const shadow = new ResultBuilder(half.id);
    const { final, f } = computeHalf(data, half, profile, at, shadow, memo);
    if (f) {
      // Written out rather than spread from f: the spread showed high in profiles of this hot path.
      const { months, averageRate, rise, unitPrice, cardUses, amount } = f;
      b.details.asAnnounced = { months, averageRate, rise, unitPrice, cardUses, amount, final, reasons: shadow.reasons };
      b.note(`参考: 当初の発表どおりなら ${yenText(f.amount)}${final ? "" : " (見込み)"} でした`, data.ruleSource);
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
    b.fail(`${monthText(data.baseMonth)}からの増加量が${half.table[0]!.from}%pt未満のため、${half.label}の支援金の対象外です`, half.table[0]!.source);
    return b.build(0);
  }
  b.note("支払基金から年2回 (前半期・後半期) 交付され、実績報告は不要です", data.paymentSource);
  return b.build(f.amount);
}

export function support2024Programs(params: ProgramParameters): ProgramModule[] {
  const data = support2024(params);
  return halvesOf(params).map((half) => ({
    id: half.id,
    name: half.name,
    evaluate: (profile, at, memo) => [evaluateHalf(data, half, profile, at, memo)],
  }));
}
