// The simulated nation as a plan, before anything is written: its facilities (kinds in the
// published proportions, prefectures by population, valid 医療機関コード) and, month by month,
// each facility's checks by method, the persons behind them and its receipts, with the card's
// adoption calibrated so that the national rate on the オンライン資格確認件数ベース follows the
// published series (nation-series.ts). Both writers (simulate.ts) take the same plan, so the
// records written check by check and the monthly totals agree.
//
// Every modelling choice the sources do not make is a named constant below (docs/usage.md 「読み方」).
import { withCheckDigit } from "../domain/check-digit.ts";
import { FACILITY_KINDS, type FacilityKind } from "../domain/facility-code.ts";
import { municipalityNamed } from "../domain/municipalities.ts";
import { dayNumber, isoOf } from "./calendar.ts";
import type { DirectoryFacility } from "./facility-directory.ts";
import { monthTargets, NATION_SERIES, NATIONAL_FACILITIES, type MonthTarget } from "./nation-series.ts";
import { PREFECTURE_WEIGHTS } from "./places.ts";
import { Random } from "./random.ts";

export interface NationPlanOptions {
  /** Facilities of all kinds (229,717 is the nation). */
  facilities: number;
  /** First and last 診療月, YYYY-MM. */
  from: string;
  to: string;
  seed: number;
  /**
   * Each facility-month's checks as a fraction of the national volume (1 = the nation's, about
   * 1,000 checks a facility-month): a run through the real check code takes a small fraction.
   */
  volume?: number;
}

/** Names of simulated facilities start with this, so that a later run can tell them from registered ones. */
export const SIMULATED_NAME_PREFIX = "【模擬】";

/** A facility of the directory's shape, with what the simulation draws for it. */
export interface SimulatedFacility extends DirectoryFacility {
  openedOn: string;
  /** The month (YYYY-MM) of openedOn: no checks before it. */
  openedMonth: string;
  readersProvided: number;
  readersInUse: number;
  /** Relative size within its kind (lognormal, mean about 1). */
  size: number;
  /** Latent propensity of its patients to use the card (standard normal × PROPENSITY_SPREAD). */
  propensity: number;
}

/** One facility's month, in the methods of usage_days and the persons after 名寄せ. */
export interface FacilityMonth {
  facility: number;
  cardFace: number;
  cardPin: number;
  cardVisual: number;
  insuranceNumber: number;
  /** Distinct card users (名寄せ) and distinct other patients. */
  cardPersons: number;
  otherPersons: number;
  receipts: number;
  outpatientReceipts: number;
}

export interface PlannedMonth {
  target: MonthTarget;
  /** Every open facility's figures (facilities not yet opened are absent). */
  rows: FacilityMonth[];
}

/** Spread of facility sizes within a kind (σ of the log), a reading: hospitals differ most. */
const SIZE_SPREAD: Record<FacilityKind, number> = { hospital: 1.0, medical_clinic: 0.7, dental_clinic: 0.5, pharmacy: 0.7 };
/** Month-to-month wobble of a facility's checks (σ of the log), a reading. */
const MONTH_SPREAD = 0.1;
/** σ of the latent propensity on the logit scale, a reading: some facilities far ahead, some far behind. */
const PROPENSITY_SPREAD = 1.2;
/** Share of facilities opened within the simulated months (新設), a reading; the others opened 1970-01-01 … the day before the first month. */
const NEW_FACILITY_SHARE = 0.03;
const OLDEST_OPENING = "1970-01-01";
/** How card checks split among 顔認証 / 暗証番号 / 目視, a reading (no published split). */
const CARD_METHOD_SHARES = { face: 0.8, pin: 0.19 } as const;
/** Checks per person in a month of a card user (visits per patient), per kind, a reading. */
const CHECKS_PER_CARD_PERSON: Record<FacilityKind, number> = { hospital: 1.3, medical_clinic: 1.5, dental_clinic: 1.6, pharmacy: 1.2 };
/**
 * Checks per person of the others, relative to card users: a 保険証 is looked up again at visits a
 * card user's check covers. 1.35 makes the receipt basis stand to the count basis as the 2025-10
 * figures do (44.40 % against 37.14 %), a reading.
 */
const OTHER_CHECKS_FACTOR = 1.35;
/** A hospital's inpatient receipts per outpatient receipt, a reading. */
const INPATIENT_RECEIPTS_PER_OUTPATIENT = 0.1;

const TABLE_DIGIT: Record<FacilityKind, string> = { hospital: "1", medical_clinic: "1", dental_clinic: "3", pharmacy: "4" };
const NAME_WORD: Record<FacilityKind, string> = { hospital: "病院", medical_clinic: "クリニック", dental_clinic: "歯科医院", pharmacy: "薬局" };
/**
 * 郡市区番号 10–69 with 医療機関番号 0000–9999: 600,000 codes per prefecture and 点数表, clear of the
 * demo's (01) and the seeded directory's (70 up).
 */
const FIRST_DISTRICT = 10;
const CODES_PER_TABLE = 600_000;

/** Facilities one run may simulate: about twice the nation (codes for every prefecture fit). */
export const MAX_SIMULATED_FACILITIES = 500_000;

/** How many facilities of each kind: the published proportions, by largest remainder so they sum to n. */
export function facilitiesByKind(n: number): Record<FacilityKind, number> {
  const counts = NATION_SERIES.facilities.counts;
  const exact = FACILITY_KINDS.map((kind) => (n * counts[kind]) / NATIONAL_FACILITIES);
  const result = FACILITY_KINDS.map((_, i) => Math.floor(exact[i]!));
  let left = n - result.reduce((a, b) => a + b, 0);
  const order = FACILITY_KINDS.map((_, i) => i).sort((a, b) => exact[b]! - Math.floor(exact[b]!) - (exact[a]! - Math.floor(exact[a]!)) || a - b);
  for (const i of order) if (left-- > 0) result[i]!++;
  return Object.fromEntries(FACILITY_KINDS.map((kind, i) => [kind, result[i]!])) as Record<FacilityKind, number>;
}

function normal(random: Random): number {
  // Box–Muller; 1 − next() keeps the logarithm's argument above 0.
  return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
}

/** The nation's facilities, the same for the same options (seed, count, months). */
export function planFacilities(options: NationPlanOptions): SimulatedFacility[] {
  const random = new Random(options.seed);
  const byKind = facilitiesByKind(options.facilities);
  const serials = new Map<string, number>();
  const municipalityCodes = new Map<string, string | null>();
  const lastOldDay = dayNumber(`${options.from}-01`) - 1;
  const firstNewDay = dayNumber(`${options.from}-01`);
  const lastNewDay = dayNumber(`${options.to}-01`) + 27;
  const facilities: SimulatedFacility[] = [];
  for (const kind of FACILITY_KINDS) {
    for (let i = 0; i < byKind[kind]; i++) {
      const prefecture = random.weighted(PREFECTURE_WEIGHTS);
      const city = random.pick(prefecture.cities);
      const pref = String(prefecture.code).padStart(2, "0");
      const table = TABLE_DIGIT[kind];
      const serial = serials.get(pref + table) ?? 0;
      if (serial >= CODES_PER_TABLE) throw new RangeError(`${prefecture.name}の医療機関コードが足りません`);
      serials.set(pref + table, serial + 1);
      const district = FIRST_DISTRICT + Math.floor(serial / 10_000);
      const code = withCheckDigit(`${pref}${table}${district}${String(serial % 10_000).padStart(4, "0")}`);
      const cityKey = `${prefecture.code}:${city.name}`;
      if (!municipalityCodes.has(cityKey)) municipalityCodes.set(cityKey, municipalityNamed(prefecture.code, city.name)?.code ?? null);
      const size = Math.exp(SIZE_SPREAD[kind] * normal(random) - SIZE_SPREAD[kind] ** 2 / 2);
      const isNew = random.chance(NEW_FACILITY_SHARE);
      const openedOn = isNew ? isoOf(random.int(firstNewDay, lastNewDay)) : isoOf(random.int(dayNumber(OLDEST_OPENING), lastOldDay));
      // Readers provided free: up to 3 for a hospital (by its size), 1 for the others.
      const readers = kind === "hospital" ? Math.min(NATION_SERIES.readers.hospital, size < 0.5 ? 1 : size < 1.5 ? 2 : 3) : NATION_SERIES.readers[kind];
      facilities.push({
        code,
        name: `${SIMULATED_NAME_PREFIX}${city.name}${NAME_WORD[kind]} ${serial + 1}`,
        kind,
        prefecture: prefecture.code,
        municipality: city.name,
        municipalityCode: municipalityCodes.get(cityKey)!,
        openedOn,
        openedMonth: openedOn.slice(0, 7),
        readersProvided: readers,
        readersInUse: readers,
        size,
        propensity: PROPENSITY_SPREAD * normal(random),
      });
    }
  }
  return facilities;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * The shift of the logit for which the checks-weighted mean of logistic(shift + propensity) is
 * `rate` (0–1), by bisection: the mean rises with the shift, so 60 halvings of [−30, 30] pin it.
 */
export function solveShift(checks: ArrayLike<number>, propensities: ArrayLike<number>, rate: number): number {
  let total = 0;
  for (let i = 0; i < checks.length; i++) total += checks[i]!;
  if (total === 0) return 0;
  let lo = -30;
  let hi = 30;
  for (let step = 0; step < 60; step++) {
    const mid = (lo + hi) / 2;
    let uses = 0;
    for (let i = 0; i < checks.length; i++) uses += checks[i]! * logistic(mid + propensities[i]!);
    if (uses / total < rate) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Splits `total` in proportion to weights, whole numbers summing to round(total) (largest remainder). */
function apportion(total: number, weights: Float64Array): Int32Array {
  const n = Math.round(total);
  const out = new Int32Array(weights.length);
  let sum = 0;
  for (const w of weights) sum += w;
  if (sum === 0) return out;
  const remainders = new Float64Array(weights.length);
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const exact = (n * weights[i]!) / sum;
    out[i] = Math.floor(exact);
    remainders[i] = exact - out[i]!;
    given += out[i]!;
  }
  const order = Array.from(remainders.keys()).sort((a, b) => remainders[b]! - remainders[a]! || a - b);
  for (let k = 0; k < n - given; k++) out[order[k]!]!++;
  return out;
}

/** The checks a plan holds, from the targets alone (the plan apportions each kind-month's round total): to choose how to write it before making it. */
export function expectedChecks(options: NationPlanOptions): number {
  const scale = (options.facilities / NATIONAL_FACILITIES) * (options.volume ?? 1);
  const byKind = facilitiesByKind(options.facilities);
  return monthTargets(options.from, options.to).reduce(
    (sum, t) => sum + FACILITY_KINDS.reduce((s, k) => s + (byKind[k] > 0 ? Math.round(t.onlineChecks * scale * NATION_SERIES.checkShares[k]) : 0), 0),
    0,
  );
}

/** Each month's figures for every open facility, the same for the same options. */
export function* planMonths(facilities: readonly SimulatedFacility[], options: NationPlanOptions): Generator<PlannedMonth> {
  const scale = (options.facilities / NATIONAL_FACILITIES) * (options.volume ?? 1);
  const kindOf = new Map<FacilityKind, number[]>(FACILITY_KINDS.map((k) => [k, []]));
  facilities.forEach((f, i) => kindOf.get(f.kind)!.push(i));
  for (const target of monthTargets(options.from, options.to)) {
    // A stream per month, so a month's figures do not depend on the months before it.
    const random = new Random(options.seed * 1_000_000 + Number(target.month.replace("-", "")));
    const rows: FacilityMonth[] = [];
    for (const kind of FACILITY_KINDS) {
      const members = kindOf.get(kind)!.filter((i) => facilities[i]!.openedMonth <= target.month);
      const weights = new Float64Array(members.length);
      members.forEach((i, j) => (weights[j] = facilities[i]!.size * Math.exp(MONTH_SPREAD * normal(random) - MONTH_SPREAD ** 2 / 2)));
      const checks = apportion(target.onlineChecks * scale * NATION_SERIES.checkShares[kind], weights);
      const propensities = Float64Array.from(members, (i) => facilities[i]!.propensity);
      const shift = solveShift(checks, propensities, target.kindRates[kind] / 100);
      const perCardPerson = CHECKS_PER_CARD_PERSON[kind];
      members.forEach((i, j) => {
        const all = checks[j]!;
        const card = Math.round(all * logistic(shift + propensities[j]!));
        const cardFace = Math.round(card * CARD_METHOD_SHARES.face);
        const cardPin = Math.min(card - cardFace, Math.round(card * CARD_METHOD_SHARES.pin));
        const other = all - card;
        const cardPersons = card === 0 ? 0 : Math.max(1, Math.round(card / perCardPerson));
        const otherPersons = other === 0 ? 0 : Math.max(1, Math.round(other / (perCardPerson * OTHER_CHECKS_FACTOR)));
        const outpatientReceipts = cardPersons + otherPersons;
        const inpatient = kind === "hospital" ? Math.round(outpatientReceipts * INPATIENT_RECEIPTS_PER_OUTPATIENT) : 0;
        rows.push({
          facility: i,
          cardFace,
          cardPin,
          cardVisual: card - cardFace - cardPin,
          insuranceNumber: other,
          cardPersons,
          otherPersons,
          receipts: outpatientReceipts + inpatient,
          outpatientReceipts,
        });
      });
    }
    yield { target, rows };
  }
}
