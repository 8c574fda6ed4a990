// A person's synthetic 薬剤・特定健診・診療・手術 history, derived when asked from the person, their
// qualifications, their population's seed and the facilities near them: nothing per person is
// stored (docs/medical-history.md). Every draw is a hash of (seed, person, what, when), so a month's
// events never depend on which other months are asked for, and the same inputs give the same
// history on any machine. The rules below are onshi's own plausible figures, not statistics.
import type { Checkup, CheckupItem, Drug, DrugRecord, FacilityRef, MedicalHistory, Operation, Treatment } from "./medical-history.ts";
import { addMonths, type Horizons } from "./history-horizons.ts";
import { CHECKUP_ITEM_TABLE, PROCEDURE_TABLE, drug, procedure, type CheckupItemRow, type DrugRow } from "./medical-tables.ts";

export interface CoveragePeriod {
  /** YYYYMMDD: the first day covered. */
  from: string;
  /** YYYYMMDD: the first day no longer covered (資格喪失日), or null. */
  until: string | null;
  /** insurers.kind: 後期高齢 ("kouki") members have no 特定健診. */
  kind: string;
}

/** Facilities a person's history may name, each list in a fixed order (by code). */
export interface HistoryFacilities {
  hospitals: FacilityRef[];
  clinics: FacilityRef[];
  pharmacies: FacilityRef[];
}

export const CONDITIONS = ["hypertension", "diabetes", "dyslipidemia", "gerd", "insomnia", "osteoporosis", "hayFever", "copd"] as const;
export type Condition = (typeof CONDITIONS)[number];

/** What a data set may fix for one person instead of drawing it (the demo's rich history). */
export interface HistoryProfile {
  /** Conditions present over the whole history, whatever the draws say. */
  conditions?: Condition[];
  /** Operations on given days (YYYYMMDD) at the person's hospital, by procedures.json key. */
  operations?: { date: string; key: string }[];
  /** Check-up attendance every year the person is eligible. */
  alwaysCheckup?: boolean;
  /** Severity in [0, 1) per condition instead of the draw: it picks the regimen and how raised the values are. */
  severity?: Partial<Record<Condition, number>>;
}

export interface HistorySubject {
  personId: number;
  seed: number;
  sex: 1 | 2 | 3;
  /** YYYYMMDD */
  birthdate: string;
  coverage: CoveragePeriod[];
  /** YYYYMMDD from which the person is on 人工透析 (a 特定疾病 certificate of category 1), or null. */
  dialysisFrom: string | null;
  facilities: HistoryFacilities;
  profile?: HistoryProfile;
}

// ---- draws -------------------------------------------------------------------------------

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// What a draw is for: each number names one decision, so adding a decision moves no other.
const enum D {
  Condition = 1, Severity, Interval, Phase, HomeClinic, HomePharmacy, HomeHospital, Visit, VisitDay, Acute, AcuteKind,
  AcuteDay, AcuteClinic, Wound, Operation, OperationKind, OperationDay, Checkup, CheckupDay, CheckupPlace, Noise,
  Baseline, Imaging, Skip, Attendance,
}

/** Uniform draws in [0, 1) keyed by (seed, person, decision, a, b): random access, no state. */
export class Draws {
  private readonly base: number;

  constructor(seed: number, personId: number) {
    const seedHigh = Math.floor(seed / 4294967296);
    const idHigh = Math.floor(personId / 4294967296);
    this.base = mix(mix(mix(seed >>> 0) ^ seedHigh ^ 0x9e3779b9) ^ mix((personId >>> 0) + 0x7f4a7c15) ^ idHigh);
  }

  unit(what: D, a = 0, b = 0): number {
    let h = mix(this.base ^ Math.imul(what, 0x27d4eb2d));
    h = mix(h ^ Math.imul(a | 0, 0x165667b1));
    h = mix(h ^ Math.imul(b | 0, 0x9e3779b1));
    return h / 4294967296;
  }

  int(what: D, min: number, max: number, a = 0, b = 0): number {
    return min + Math.floor(this.unit(what, a, b) * (max - min + 1));
  }

  /** A standard normal value (Box–Muller on two draws). */
  normal(what: D, a = 0, b = 0): number {
    const u = Math.max(this.unit(what, a, b * 2), 1e-12);
    const v = this.unit(what, a, b * 2 + 1);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

// ---- days --------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const utc = (day: string): number => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)));
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replaceAll("-", "");
const addDays = (day: string, n: number): string => dayOf(utc(day) + n * DAY_MS);
const daysIn = (month: string): number => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(4, 6)), 0)).getUTCDate();
const monthNumber = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(4, 6)) - 1;
/** Completed years of age on a day (both YYYYMMDD). */
export const ageOn = (birthdate: string, day: string): number =>
  Number(day.slice(0, 4)) - Number(birthdate.slice(0, 4)) - (day.slice(4) < birthdate.slice(4) ? 1 : 0);

function covered(subject: HistorySubject, day: string): CoveragePeriod | undefined {
  return subject.coverage.find((c) => c.from <= day && (c.until === null || day < c.until));
}

// ---- conditions --------------------------------------------------------------------------

interface ConditionRule {
  /** [age from, share of persons of that age with the condition treated], ascending. */
  prevalence: readonly (readonly [number, number])[];
  sex?: 1 | 2;
  /** Drugs by severity: the first list for the mildest. */
  regimens: readonly (readonly string[])[];
  /** Months (1–12) the condition is treated; all year when absent. */
  season?: readonly number[];
  /** Managed under 特定疾患療養管理料 (B000) at the clinic. */
  managed?: boolean;
}

const CONDITION_RULES: Record<Condition, ConditionRule> = {
  hypertension: { prevalence: [[30, 0.02], [40, 0.08], [50, 0.2], [60, 0.35], [70, 0.5]], regimens: [["amlodipine"], ["candesartan"], ["amlodipine", "candesartan"]], managed: true },
  diabetes: { prevalence: [[30, 0.01], [40, 0.03], [50, 0.06], [60, 0.1], [70, 0.13]], regimens: [["metformin"], ["sitagliptin"], ["metformin", "sitagliptin"], ["metformin", "sitagliptin", "glimepiride"]], managed: true },
  dyslipidemia: { prevalence: [[40, 0.05], [50, 0.12], [60, 0.2], [70, 0.22]], regimens: [["rosuvastatin"], ["atorvastatin"]], managed: true },
  gerd: { prevalence: [[20, 0.02], [40, 0.04], [60, 0.08]], regimens: [["famotidine"], ["lansoprazole"]] },
  insomnia: { prevalence: [[30, 0.02], [50, 0.04], [70, 0.08]], regimens: [["zolpidem"]] },
  osteoporosis: { prevalence: [[60, 0.08], [70, 0.18]], sex: 2, regimens: [["alendronate"]] },
  hayFever: { prevalence: [[5, 0.1], [20, 0.12], [60, 0.06]], regimens: [["fexofenadine"]], season: [2, 3, 4] },
  copd: { prevalence: [[65, 0.01], [75, 0.03]], sex: 1, regimens: [[]] },
};

function share(rule: ConditionRule, age: number): number {
  let p = 0;
  for (const [from, value] of rule.prevalence) if (age >= from) p = value;
  return p;
}

// ---- the person --------------------------------------------------------------------------

/** Draws made once per person: where they go, how ill they are, their baseline values. */
class Person {
  readonly draws: Draws;
  readonly clinic?: FacilityRef;
  readonly pharmacy?: FacilityRef;
  readonly hospital?: FacilityRef;
  /** 1: a visit every month (28 days' drugs); 2: every other month (56 days'). */
  readonly interval: 1 | 2;
  readonly phase: number;

  constructor(readonly subject: HistorySubject) {
    this.draws = new Draws(subject.seed, subject.personId);
    const f = subject.facilities;
    this.clinic = pick(f.clinics, this.draws.unit(D.HomeClinic));
    this.pharmacy = pick(f.pharmacies, this.draws.unit(D.HomePharmacy));
    this.hospital = pick(f.hospitals, this.draws.unit(D.HomeHospital));
    this.interval = this.draws.unit(D.Interval) < 0.65 ? 1 : 2;
    this.phase = this.draws.int(D.Phase, 0, 1);
  }

  has(condition: Condition, day: string): boolean {
    if (this.subject.profile?.conditions?.includes(condition)) return true;
    const rule = CONDITION_RULES[condition];
    if (rule.sex !== undefined && rule.sex !== this.subject.sex) return false;
    return this.draws.unit(D.Condition, CONDITIONS.indexOf(condition)) < share(rule, ageOn(this.subject.birthdate, day));
  }

  /** Close to having it: the draw is under the share of five years later (raised values before the diagnosis). */
  approaching(condition: Condition, day: string): boolean {
    const rule = CONDITION_RULES[condition];
    return this.draws.unit(D.Condition, CONDITIONS.indexOf(condition)) < share(rule, ageOn(this.subject.birthdate, day) + 5);
  }

  severity(condition: Condition): number {
    return this.subject.profile?.severity?.[condition] ?? this.draws.unit(D.Severity, CONDITIONS.indexOf(condition));
  }

  regimen(condition: Condition): readonly string[] {
    const regimens = CONDITION_RULES[condition].regimens;
    return regimens[Math.min(regimens.length - 1, Math.floor(this.severity(condition) * regimens.length))]!;
  }
}

function pick<T>(items: readonly T[], u: number): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(u * items.length)];
}

// ---- receipts: drugs, treatments, operations ----------------------------------------------

interface MonthEvents {
  drugs: DrugRecord[];
  treatments: Treatment[];
  operations: Operation[];
}

function dispensed(row: DrugRow, times: number, quantity = row.quantity): Drug {
  return { code: row.code, name: row.name, ingredient: row.ingredient, quantity, unit: row.unit, usage: row.usage, times };
}

function treatment(month: string, date: string, facility: FacilityRef, key: string, inpatient: boolean): Treatment {
  const p = procedure(key);
  return { month, date, facility, classification: { code: p.class, name: PROCEDURE_TABLE.classes[p.class]! }, code: p.code, name: p.name, inpatient };
}

const OPERATIONS: readonly { key: string; minAge: number; sex?: 1 | 2; weight: number; inpatient: boolean; pathology: boolean; ct: boolean }[] = [
  { key: "cataract", minAge: 55, weight: 5, inpatient: false, pathology: false, ct: false },
  { key: "colonPolyp", minAge: 40, weight: 4, inpatient: false, pathology: true, ct: false },
  { key: "cholecystectomy", minAge: 30, weight: 2, inpatient: true, pathology: true, ct: true },
  { key: "inguinalHernia", minAge: 20, sex: 1, weight: 2, inpatient: true, pathology: false, ct: false },
  { key: "appendectomy", minAge: 7, weight: 1, inpatient: true, pathology: true, ct: true },
  { key: "kneeReplacement", minAge: 65, weight: 2, inpatient: true, pathology: false, ct: false },
  { key: "coronaryStent", minAge: 50, weight: 2, inpatient: true, pathology: false, ct: true },
  { key: "breastCancer", minAge: 40, sex: 2, weight: 1, inpatient: true, pathology: true, ct: true },
];

/** Monthly chance of an operation by age: about 1.5 % over three years under 40, 9 % from 65. */
function operationHazard(age: number): number {
  return age < 40 ? 0.0004 : age < 65 ? 0.001 : 0.0025;
}

function chooseOperation(person: Person, age: number, month: number): (typeof OPERATIONS)[number] | undefined {
  const fits = OPERATIONS.filter((o) => age >= o.minAge && (o.sex === undefined || o.sex === person.subject.sex));
  const total = fits.reduce((s, o) => s + o.weight, 0);
  let x = person.draws.unit(D.OperationKind, month) * total;
  for (const o of fits) if ((x -= o.weight) < 0) return o;
  return undefined;
}

/** The operations of a 診療月: the profile's, or drawn by the monthly hazard. */
function plannedOperations(person: Person, month: string): { date: string; op: (typeof OPERATIONS)[number] }[] {
  const fixed = person.subject.profile?.operations;
  if (fixed) return fixed.filter((o) => o.date.startsWith(month)).map((o) => ({ date: o.date, op: OPERATIONS.find((x) => x.key === o.key)! }));
  const m = monthNumber(month);
  const age = ageOn(person.subject.birthdate, `${month}15`);
  if (age < 0 || person.draws.unit(D.Operation, m) >= operationHazard(age)) return [];
  const op = chooseOperation(person, age, m);
  return op ? [{ date: `${month}${String(person.draws.int(D.OperationDay, 1, daysIn(month), m)).padStart(2, "0")}`, op }] : [];
}

function operationsIn(person: Person, month: string, out: MonthEvents): void {
  const hospital = person.hospital;
  if (!hospital) return;
  for (const { date, op } of plannedOperations(person, month)) {
    if (!covered(person.subject, date)) continue;
    const p = procedure(op.key);
    out.operations.push({ date, facility: hospital, code: p.code, name: p.name });
    const before = addDays(date, -3);
    if (op.ct && before.startsWith(month)) out.treatments.push(treatment(month, before, hospital, "ct", false));
    out.treatments.push(treatment(month, date, hospital, op.key, op.inpatient));
    if (op.pathology) out.treatments.push(treatment(month, date, hospital, "pathology", op.inpatient));
    if (op.inpatient) {
      const days = [date, addDays(date, 1)].filter((d) => d.startsWith(month)).map((d) => ({ dispensed: d }));
      out.drugs.push({ source: "receipt", month, dates: days, facility: hospital, inpatient: true, drugs: [dispensed(drug("cefazolin"), days.length)] });
    }
  }
  // 乳腺悪性腫瘍手術 is followed by 体外照射 on the weekdays of the next month.
  const operatedBefore = plannedOperations(person, addMonths(month, -1)).some((o) => o.op.key === "breastCancer" && covered(person.subject, o.date));
  if (!operatedBefore) return;
  for (let d = 1; d <= daysIn(month); d++) {
    const date = `${month}${String(d).padStart(2, "0")}`;
    const weekday = new Date(utc(date)).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && covered(person.subject, date)) out.treatments.push(treatment(month, date, hospital, "radiotherapy", false));
  }
}

function chronicIn(person: Person, month: string, out: MonthEvents): void {
  const { clinic, pharmacy, draws } = person;
  const m = monthNumber(month);
  const mid = `${month}15`;
  const calendarMonth = Number(month.slice(4, 6));
  const active = CONDITIONS.filter((c) => {
    const season = CONDITION_RULES[c].season;
    return (season === undefined || season.includes(calendarMonth)) && person.has(c, mid);
  });
  if (active.length === 0 || !clinic) return;
  const everyOther = person.interval === 2;
  if (everyOther && (m + person.phase) % 2 !== 0) return;
  if (draws.unit(D.Skip, m) < 0.06) return;
  const date = `${month}${String(draws.int(D.VisitDay, 1, daysIn(month), m)).padStart(2, "0")}`;
  if (!covered(person.subject, date)) return;
  const days = everyOther ? 56 : 28;
  const drugs = active.flatMap((c) => person.regimen(c).map((key) => dispensed(drug(key), c === "hayFever" ? 28 : key === "alendronate" ? days / 7 : days)));
  if (drugs.length > 0 && pharmacy) {
    out.drugs.push({ source: "receipt", month, dates: [{ dispensed: date, prescribed: date }], facility: pharmacy, prescriber: clinic, inpatient: false, drugs });
  }
  if (active.some((c) => CONDITION_RULES[c].managed)) out.treatments.push(treatment(month, date, clinic, "diseaseManagement", false));
  if (active.includes("copd") && person.hospital) out.treatments.push(treatment(month, date, person.hospital, "homeOxygen", false));
  // A yearly chest X-ray for those under management, in the month of their birthday.
  if (active.some((c) => CONDITION_RULES[c].managed) && person.subject.birthdate.slice(4, 6) === month.slice(4, 6)) {
    out.treatments.push(treatment(month, date, clinic, "xray", false));
  }
}

function acuteIn(person: Person, month: string, out: MonthEvents): void {
  const { draws, subject } = person;
  const m = monthNumber(month);
  const age = ageOn(subject.birthdate, `${month}15`);
  if (age < 0) return;
  const chance = age < 7 ? 0.2 : age < 16 ? 0.1 : age < 65 ? 0.06 : 0.08;
  if (draws.unit(D.Acute, m) >= chance) return;
  const clinic = pick(subject.facilities.clinics, draws.unit(D.AcuteClinic, m));
  const pharmacy = person.pharmacy;
  if (!clinic || !pharmacy) return;
  const date = `${month}${String(draws.int(D.AcuteDay, 1, daysIn(month), m)).padStart(2, "0")}`;
  if (!covered(subject, date)) return;
  const kind = draws.unit(D.AcuteKind, m);
  let drugs: Drug[];
  if (age < 12) drugs = [dispensed(drug("acetaminophen"), 3, "1")];
  else if (kind < 0.5) drugs = [dispensed(drug("acetaminophen"), 5), dispensed(drug("carbocisteine"), 5)];
  else if (kind < 0.7) drugs = [dispensed(drug(draws.unit(D.AcuteKind, m, 1) < 0.5 ? "clarithromycin" : "amoxicillin"), 5), dispensed(drug("carbocisteine"), 5)];
  else if (kind < 0.85) drugs = [dispensed(drug("loxoprofen"), 7), dispensed(drug("rebamipide"), 7)];
  else drugs = [dispensed(drug("bifidobacterium"), 5)];
  out.drugs.push({ source: "receipt", month, dates: [{ dispensed: date, prescribed: date }], facility: pharmacy, prescriber: clinic, inpatient: false, drugs });
  if (kind >= 0.7 && kind < 0.85 && draws.unit(D.Wound, m) < 0.4) out.treatments.push(treatment(month, date, clinic, "woundCare", false));
}

function dialysisIn(person: Person, month: string, out: MonthEvents): void {
  const { subject, hospital } = person;
  if (subject.dialysisFrom === null || !hospital) return;
  const dates: string[] = [];
  for (let d = 1; d <= daysIn(month); d++) {
    const date = `${month}${String(d).padStart(2, "0")}`;
    // Monday, Wednesday and Friday, as most outpatient dialysis runs.
    if (date >= subject.dialysisFrom && [1, 3, 5].includes(new Date(utc(date)).getUTCDay()) && covered(subject, date)) dates.push(date);
  }
  if (dates.length === 0) return;
  for (const date of dates) out.treatments.push(treatment(month, date, hospital, "dialysis", false));
  out.drugs.push({ source: "receipt", month, dates: [{ dispensed: dates[0]! }], facility: hospital, inpatient: false, drugs: [dispensed(drug("precipitatedCalciumCarbonate"), 28)] });
}

/** The receipts of one 診療月. */
function monthEvents(person: Person, month: string): MonthEvents {
  const out: MonthEvents = { drugs: [], treatments: [], operations: [] };
  chronicIn(person, month, out);
  acuteIn(person, month, out);
  dialysisIn(person, month, out);
  operationsIn(person, month, out);
  return out;
}

// ---- 特定健診 ----------------------------------------------------------------------------

/** 特定健診: the fiscal year (April–March) of persons aged 40–74 at its end, not 後期高齢. */
function checkupOf(person: Person, fiscalYear: number): Checkup | undefined {
  const { subject, draws } = person;
  const ageAtEnd = ageOn(subject.birthdate, `${fiscalYear + 1}0331`);
  if (ageAtEnd < 40 || ageAtEnd > 74) return undefined;
  // A day from May to December, the usual season.
  const offset = draws.int(D.CheckupDay, 0, 244, fiscalYear);
  const date = addDays(`${fiscalYear}0501`, offset);
  const coverage = covered(subject, date);
  if (!coverage || coverage.kind === "kouki" || ageOn(subject.birthdate, date) >= 75) return undefined;
  // 被用者保険 members attend more than 国保 ones; each person has a propensity around that share.
  const share = ["kyokai", "kumiai", "kyosai", "other"].includes(coverage.kind) ? 0.75 : 0.45;
  if (!subject.profile?.alwaysCheckup && draws.unit(D.Attendance, fiscalYear) >= share * (0.6 + 0.8 * draws.unit(D.Baseline, 99))) return undefined;
  const places = [...(person.hospital ? [person.hospital] : []), ...(person.clinic ? [person.clinic] : [])];
  const facility = pick(places, draws.unit(D.CheckupPlace, fiscalYear));
  if (!facility) return undefined;
  return { date, facility, items: checkupItems(person, date, fiscalYear) };
}

function checkupItems(person: Person, date: string, year: number): CheckupItem[] {
  const { subject, draws } = person;
  const male = subject.sex === 1;
  const age = ageOn(subject.birthdate, date);
  const noise = (i: number, sd: number) => draws.normal(D.Noise, year, i) * sd;
  const base = (i: number, sd: number) => draws.normal(D.Baseline, i) * sd;
  const has = (c: Condition) => person.has(c, date);
  const diabetes = has("diabetes");
  const hypertension = has("hypertension");
  const dyslipidemia = has("dyslipidemia");

  const bmi = 22.3 + base(1, 2.6) + (diabetes ? 2.5 : 0) + (hypertension ? 1.2 : 0) + noise(1, 0.4);
  const waist = 78 + (bmi - 22) * 2.6 + (male ? 4 : 0) + noise(2, 1.5);
  const systolic = hypertension ? 138 + person.severity("hypertension") * 18 + noise(3, 7) : 112 + 0.45 * (age - 40) + base(3, 7) + noise(3, 6);
  const diastolic = systolic * 0.6 - 2 + noise(4, 4);
  const hba1c = diabetes
    ? 6.6 + person.severity("diabetes") * 1.5 + noise(5, 0.25)
    : person.approaching("diabetes", date)
      ? 5.8 + draws.unit(D.Baseline, 5) * 0.5 + noise(5, 0.1)
      : 5.2 + 0.008 * (age - 40) + base(5, 0.15) + noise(5, 0.1);
  const glucose = 28.7 * hba1c - 58 + noise(6, 6);
  const ldl = dyslipidemia ? 142 + person.severity("dyslipidemia") * 35 + noise(7, 12) : 108 + base(7, 16) + noise(7, 8);
  const hdl = 58 + (male ? 0 : 9) - (bmi - 22) * 1.5 + base(8, 7) + noise(8, 4);
  const triglyceride = Math.max(35, 95 + (bmi - 22) * 11 + (dyslipidemia ? 55 : 0) + base(9, 25) + noise(9, 20));
  const ast = Math.max(10, 21 + base(10, 4) + noise(10, 3));
  const alt = Math.max(7, 18 + (bmi - 22) * 2 + base(11, 5) + noise(11, 4));
  const ggt = Math.max(8, 24 + (male ? 12 : 0) + base(12, 10) + noise(12, 6));
  const creatinine = subject.dialysisFrom !== null && date >= subject.dialysisFrom
    ? 8 + noise(13, 0.8)
    : (male ? 0.84 : 0.64) + 0.003 * (age - 40) + base(13, 0.07) + noise(13, 0.03);
  // 日本腎臓学会の推算式: eGFR = 194 × Cr^-1.094 × 年齢^-0.287 (× 0.739 for women).
  const egfr = 194 * creatinine ** -1.094 * age ** -0.287 * (male ? 1 : 0.739);
  const urineGlucose = hba1c >= 8 ? 4 : hba1c >= 7.2 ? 3 : hba1c >= 6.8 && draws.unit(D.Noise, year, 40) < 0.3 ? 2 : 1;
  const urineProtein = (diabetes || hypertension) && draws.unit(D.Noise, year, 41) < 0.2 ? (draws.unit(D.Noise, year, 42) < 0.5 ? 2 : 3) : 1;

  const values: Record<string, number> = {
    bmi, waist, systolic, diastolic, triglyceride, hdl, ldl, ast, alt, ggt, fastingGlucose: glucose, hba1c, creatinine, egfr,
    urineGlucose, urineProtein,
  };
  return CHECKUP_ITEM_TABLE.order.map((key) => item(CHECKUP_ITEM_TABLE.rows[key]!, values[key]!, male));
}

function item(row: CheckupItemRow, raw: number, male: boolean): CheckupItem {
  if (row.dataType === "CD") {
    const value = String(raw);
    return { code: row.code, name: row.name, dataType: "CD", value, valueName: CHECKUP_ITEM_TABLE.urineLabels[value], outOfRange: raw >= 2 };
  }
  const value = raw.toFixed(row.decimals ?? 0);
  const high = row.high ?? (male ? row.highMale : row.highFemale);
  const reference = row.low !== undefined || high !== undefined ? { ...(row.low !== undefined ? { low: row.low } : {}), ...(high !== undefined ? { high } : {}) } : undefined;
  const n = Number(value);
  const outOfRange = (row.low !== undefined && n < row.low) || (high !== undefined && n >= high);
  return { code: row.code, name: row.name, dataType: "PQ", value, unit: row.unit, ...(reference ? { reference } : {}), outOfRange };
}

// ---- the whole history -------------------------------------------------------------------

/** The history within the horizons (already narrowed to a request's months), each list oldest first. */
export function deriveHistory(subject: HistorySubject, h: Horizons): MedicalHistory {
  const person = new Person(subject);
  const history: MedicalHistory = { drugs: [], checkups: [], treatments: [], operations: [] };
  const from = h.drugs.from < h.treatments.from ? h.drugs.from : h.treatments.from;
  const to = h.drugs.to > h.treatments.to ? h.drugs.to : h.treatments.to;
  for (let month = from; month <= to; month = addMonths(month, 1)) {
    const events = monthEvents(person, month);
    if (month >= h.drugs.from && month <= h.drugs.to) history.drugs.push(...events.drugs);
    if (month >= h.treatments.from && month <= h.treatments.to) {
      history.treatments.push(...events.treatments);
      history.operations.push(...events.operations);
    }
  }
  if (h.checkups.from <= h.checkups.to) {
    for (let year = Number(h.checkups.from.slice(0, 4)) - 1; year <= Number(h.checkups.to.slice(0, 4)); year++) {
      const checkup = checkupOf(person, year);
      if (checkup && checkup.date >= h.checkups.from && checkup.date <= h.checkups.to) history.checkups.push(checkup);
    }
  }
  const byDate = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  history.drugs.sort(byDate((r: DrugRecord) => r.month + (r.dates[0]?.dispensed ?? "")));
  history.treatments.sort(byDate((t: Treatment) => t.date));
  history.operations.sort(byDate((o: Operation) => o.date));
  return history;
}
