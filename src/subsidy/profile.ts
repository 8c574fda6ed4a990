// The facility profile: the facts about one 医療機関・薬局 that the subsidy programs read.
// Field names are part of the interface (issue 5); the JSON Schema published next to this file
// (facility-profile.schema.json) states the same rules, and a test keeps the two in step.
// Validation is hand-written rather than a schema library so that each message can name the
// field and the rule in Japanese (E9102) without a dependency.

import { FACILITY_KINDS, type FacilityKind } from "../domain/facility-code.ts";

export { FACILITY_KINDS, type FacilityKind };

export const SCOPES = ["recipient_and_card", "recipient_only", "card_only"] as const;
export type Scope = (typeof SCOPES)[number];

export const MONTH_FIELDS = ["cardUses", "cardPersons", "onlineChecks", "receipts", "outpatientReceipts"] as const;
export type MonthFacts = Partial<Record<(typeof MONTH_FIELDS)[number], number>>;

export interface Project {
  /** The program id the project is for (e.g. `fund-2020`). */
  program: string;
  /** Total cost of the work (総事業費), yen, tax included. */
  cost?: number;
  readerAppliedOn?: string;
  /** fund-2020, 2022 revision: the vendor contract (契約) date. */
  contractedOn?: string;
  completedOn?: string;
  /** fund-2020, 2022 revision for earlier applicants: when the オンライン資格確認 went into operation. */
  operationStartedOn?: string;
  appliedOn?: string;
  /** fund-2020: when the subsidy was paid, if it has been. */
  paidOn?: string;
  purchasedOn?: string;
  /** Readers this project concerns (for fund-2020: readers provided by the fund). */
  readers?: number;
  scope?: Scope;
  /** Which subsidy a modification project is for: digital | mhlw-nanbyo | mhlw-shoman | mhlw-jiritsu (checked by the modification programs). */
  agency?: string;
  /** modification-mhlw-2024: the prefecture accepted the project (指定医療機関 in a participating municipality) and the 改修 began after the 内示. */
  prefectureAccepted?: boolean;
  /** fund-2020 after 原則義務化: the 猶予届 類型 (1–6) accepted for the facility, if any. */
  deferralType?: number;
}

/** A 保険薬局 of the pharmacy's group, for the 大型チェーン薬局 determination (seed 002 第4). */
export interface GroupPharmacy {
  name?: string;
  /** Designation as a 保険薬局 (the original one when a re-licence kept it, 第4(3)). */
  designatedOn: string;
  /** Prescription receptions by month, keyed YYYY-MM. */
  prescriptions: Record<string, number>;
}

export interface FacilityProfile {
  name?: string;
  kind: FacilityKind;
  largeChainPharmacy?: boolean;
  openedOn?: string;
  readersProvided?: number;
  readersInUse?: number;
  receptionMachine?: boolean;
  poster?: boolean;
  flyers?: boolean;
  /** dx-addition: a 電子処方箋 system is in place (加算1〜3 vs 4〜6 from 2025-04). */
  ePrescription?: boolean;
  /** dx-addition: 小児科特例 (bills 小児科外来診療料 and patients under 6 were ≥ 30 % of 2024's 延外来患者数). */
  pediatricSpecialCase?: boolean;
  /** dx-addition 加算1・2 (and 4・5): answers patients' health-management questions from マイナポータル information. */
  portalHealthConsultation?: boolean;
  months?: Record<string, MonthFacts>;
  projects?: Project[];
  /** The group's 保険薬局 (this one included), when largeChainPharmacy is to be determined by 第4. */
  pharmacyGroup?: GroupPharmacy[];
}

/** A profile field that breaks a rule: `field` is a JSON path such as `projects[0].cost`. */
export class ProfileError extends Error {
  readonly code = "E9102";
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`施設プロフィールの項目が不正です。(${field}: ${rule})`);
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** True for a month written YYYY-MM (the key of `months`, and of the data files' months). */
export function isYearMonth(value: unknown): value is string {
  return typeof value === "string" && YEAR_MONTH.test(value);
}

/** True for a real calendar date written YYYY-MM-DD (2023-02-29 is refused). Arithmetic, not Date: a batch checks millions. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
}

const PROFILE_FIELDS = [
  "name", "kind", "largeChainPharmacy", "openedOn", "readersProvided", "readersInUse",
  "receptionMachine", "poster", "flyers", "months", "projects", "pharmacyGroup",
  "ePrescription", "pediatricSpecialCase", "portalHealthConsultation",
] as const;
const PROJECT_FIELDS = [
  "program", "cost", "readerAppliedOn", "contractedOn", "completedOn", "operationStartedOn", "appliedOn", "paidOn", "purchasedOn",
  "readers", "scope", "agency", "prefectureAccepted", "deferralType",
] as const;
export const PROFILE_FIELD_NAMES: readonly string[] = PROFILE_FIELDS;
export const PROJECT_FIELD_NAMES: readonly string[] = PROJECT_FIELDS;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The largest value each kind of number can mean (facility-profile.schema.json's maxima): 2^53−1
 * prescriptions a month is a typo or an attack, not a pharmacy.
 */
export const PROFILE_MAXIMA = { count: 10_000_000, readers: 10_000, yen: 100_000_000_000 } as const;

function nonNegativeInt(obj: Obj, key: string, path: string, max: number): void {
  const v = obj[key];
  if (v === undefined) return;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v > max) throw new ProfileError(path, `0以上の整数 (上限 ${max}) で指定してください`);
}
function bool(obj: Obj, key: string, path: string): void {
  const v = obj[key];
  if (v !== undefined && typeof v !== "boolean") throw new ProfileError(path, "true または false で指定してください");
}
function date(obj: Obj, key: string, path: string): void {
  const v = obj[key];
  if (v !== undefined && !isIsoDate(v)) throw new ProfileError(path, "YYYY-MM-DD 形式の実在する日付で指定してください");
}
function unknownFields(obj: Obj, known: readonly string[], prefix: string): void {
  // Unknown names are refused: a misspelt `readerAppliedon` must not silently count as "not given".
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) throw new ProfileError(`${prefix}${key}`, "定義されていない項目です");
  }
}

/** Checks a parsed JSON value and returns it typed, or throws ProfileError naming the field and the rule. */
export function validateProfile(input: unknown): FacilityProfile {
  if (!isObject(input)) throw new ProfileError("(全体)", "JSONオブジェクトで指定してください");
  unknownFields(input, PROFILE_FIELDS, "");
  if (input.kind === undefined) throw new ProfileError("kind", "必須項目です");
  if (!FACILITY_KINDS.includes(input.kind as FacilityKind)) {
    throw new ProfileError("kind", `${FACILITY_KINDS.join(" / ")} のいずれかを指定してください`);
  }
  if (input.name !== undefined && typeof input.name !== "string") throw new ProfileError("name", "文字列で指定してください");
  for (const key of ["largeChainPharmacy", "receptionMachine", "poster", "flyers"]) bool(input, key, key);
  for (const key of ["ePrescription", "pediatricSpecialCase", "portalHealthConsultation"]) bool(input, key, key);
  if (input.largeChainPharmacy === true && input.kind !== "pharmacy") {
    throw new ProfileError("largeChainPharmacy", "薬局 (kind: pharmacy) 以外では true にできません");
  }
  date(input, "openedOn", "openedOn");
  nonNegativeInt(input, "readersProvided", "readersProvided", PROFILE_MAXIMA.readers);
  nonNegativeInt(input, "readersInUse", "readersInUse", PROFILE_MAXIMA.readers);
  if (input.months !== undefined) {
    if (!isObject(input.months)) throw new ProfileError("months", "YYYY-MM をキーとするオブジェクトで指定してください");
    for (const [month, facts] of Object.entries(input.months)) {
      const path = `months.${month}`;
      if (!isYearMonth(month)) throw new ProfileError(path, "キーは YYYY-MM 形式の年月で指定してください");
      if (!isObject(facts)) throw new ProfileError(path, "オブジェクトで指定してください");
      unknownFields(facts, MONTH_FIELDS, `${path}.`);
      for (const key of MONTH_FIELDS) nonNegativeInt(facts, key, `${path}.${key}`, PROFILE_MAXIMA.count);
    }
  }
  if (input.pharmacyGroup !== undefined) {
    if (input.kind !== "pharmacy") throw new ProfileError("pharmacyGroup", "薬局 (kind: pharmacy) 以外では指定できません");
    if (input.largeChainPharmacy !== undefined) throw new ProfileError("pharmacyGroup", "largeChainPharmacy と同時には指定できません (どちらで判定するか決まらないため)");
    if (!Array.isArray(input.pharmacyGroup) || input.pharmacyGroup.length === 0) throw new ProfileError("pharmacyGroup", "1件以上の配列で指定してください");
    input.pharmacyGroup.forEach((g: unknown, i: number) => {
      const path = `pharmacyGroup[${i}]`;
      if (!isObject(g)) throw new ProfileError(path, "オブジェクトで指定してください");
      unknownFields(g, ["name", "designatedOn", "prescriptions"], `${path}.`);
      if (g.name !== undefined && typeof g.name !== "string") throw new ProfileError(`${path}.name`, "文字列で指定してください");
      if (g.designatedOn === undefined) throw new ProfileError(`${path}.designatedOn`, "必須項目です");
      date(g, "designatedOn", `${path}.designatedOn`);
      if (!isObject(g.prescriptions)) throw new ProfileError(`${path}.prescriptions`, "YYYY-MM をキーとするオブジェクトで指定してください");
      for (const month of Object.keys(g.prescriptions)) {
        if (!isYearMonth(month)) throw new ProfileError(`${path}.prescriptions.${month}`, "キーは YYYY-MM 形式の年月で指定してください");
        nonNegativeInt(g.prescriptions, month, `${path}.prescriptions.${month}`, PROFILE_MAXIMA.count);
      }
    });
  }
  if (input.projects !== undefined) {
    if (!Array.isArray(input.projects)) throw new ProfileError("projects", "配列で指定してください");
    input.projects.forEach((p: unknown, i: number) => {
      const path = `projects[${i}]`;
      if (!isObject(p)) throw new ProfileError(path, "オブジェクトで指定してください");
      unknownFields(p, PROJECT_FIELDS, `${path}.`);
      if (typeof p.program !== "string" || p.program === "") throw new ProfileError(`${path}.program`, "必須項目です (プログラムIDの文字列)");
      nonNegativeInt(p, "cost", `${path}.cost`, PROFILE_MAXIMA.yen);
      nonNegativeInt(p, "readers", `${path}.readers`, PROFILE_MAXIMA.readers);
      for (const key of ["readerAppliedOn", "contractedOn", "completedOn", "operationStartedOn", "appliedOn", "paidOn", "purchasedOn"]) date(p, key, `${path}.${key}`);
      if (p.scope !== undefined && !SCOPES.includes(p.scope as Scope)) {
        throw new ProfileError(`${path}.scope`, `${SCOPES.join(" / ")} のいずれかを指定してください`);
      }
      if (p.agency !== undefined && typeof p.agency !== "string") throw new ProfileError(`${path}.agency`, "文字列で指定してください");
      bool(p, "prefectureAccepted", `${path}.prefectureAccepted`);
      if (p.deferralType !== undefined && !(Number.isInteger(p.deferralType) && (p.deferralType as number) >= 1 && (p.deferralType as number) <= 6)) {
        throw new ProfileError(`${path}.deferralType`, "1 から 6 の整数で指定してください");
      }
    });
  }
  return input as unknown as FacilityProfile;
}
