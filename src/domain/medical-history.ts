// A patient's 薬剤・特定健診・診療・手術 history as onshi holds it (spec §3), one shape for every
// reader of it: the YZK/TKK answers (XML and PDF), the WebAPI, the terminal page, disaster access.
// Dates are strings as on the wire: months YYYYMM, days YYYYMMDD.
import type { ConsentCategory } from "./consent.ts";

/** The categories a history is read by: the consent categories of the same names (spec §5.1). */
export type MedicalInfoCategory = Extract<ConsentCategory, "pharmacists" | "specificHealthCheckups" | "diagnosis" | "operation">;
export const MEDICAL_INFO_CATEGORIES: readonly MedicalInfoCategory[] = ["pharmacists", "specificHealthCheckups", "diagnosis", "operation"];

export interface FacilityRef {
  /** 医療機関コード (10 digits). */
  code: string;
  name: string;
}

/**
 * Where a drug record comes from (spec §3): the monthly receipt (MeTrMonthInf, visible about 1.5
 * months after its month), an 電子処方箋 prescription (ShPrInf) or its dispensing (CzDiInf), both
 * visible at once.
 */
export type DrugSource = "receipt" | "prescription" | "dispensing";

export interface Drug {
  /** DrugC: the drug's code (which code system: the drug table's source says). */
  code: string;
  /** DrugN */
  name: string;
  /** IngreN: 一般名 (ingredient). */
  ingredient: string;
  /** Qua1: the daily (or single) quantity, as printed. */
  quantity: string;
  /** Unit: 錠, mg, mL … */
  unit: string;
  /** UsageN: 用法. */
  usage: string;
  /** SpInst: 特別指示, when any. */
  specialInstruction?: string;
  /** Times: 日数 or 回数. */
  times: number;
}

export interface DrugRecord {
  source: DrugSource;
  /** MeTrMonth: the 診療月 (receipt) or the month of the prescription / dispensing. */
  month: string;
  /** DiDateInf: the day dispensed (DiDate) and, for a dispensing, the day prescribed (PrDate). */
  dates: { dispensed: string; prescribed?: string }[];
  /** The facility that treated or dispensed (MeTrDiHCd / MeTrDiHNm). */
  facility: FacilityRef;
  /** The prescribing facility of a pharmacy's record (PrlsHCd / PrlsHNm). */
  prescriber?: FacilityRef;
  /** InOut: 入院 or 外来. */
  inpatient: boolean;
  drugs: Drug[];
}

export interface CheckupItem {
  /** ItemCode: the 特定健診 item code (JLAC10-style code of the standard item table). */
  code: string;
  /** ItemName */
  name: string;
  /** DataType: PQ a quantity, CD a coded answer, ST text. */
  dataType: "PQ" | "CD" | "ST";
  /** DataValue, as recorded. */
  value: string;
  unit?: string;
  /** DataValueName: the label of a coded answer (CD). */
  valueName?: string;
  /** The reference range of a quantity, when the item has one. */
  reference?: { low?: number; high?: number };
  /** A quantity outside its reference range. */
  outOfRange: boolean;
}

export interface Checkup {
  /** EffectiveTime: the day of the check-up. */
  date: string;
  facility: FacilityRef;
  items: CheckupItem[];
}

export interface Treatment {
  /** The 診療月 of the receipt it comes from. */
  month: string;
  /** The day performed. */
  date: string;
  facility: FacilityRef;
  /** 診療行為 class (手術, 放射線治療, 画像診断, 病理, 医学管理, 在宅, 処置 …). */
  classification: { code: string; name: string };
  /** The 診療行為 itself. */
  code: string;
  name: string;
  inpatient: boolean;
}

export interface Operation {
  date: string;
  facility: FacilityRef;
  code: string;
  name: string;
}

/** One person's histories, each sorted oldest first, as visible at the time they are read. */
export interface MedicalHistory {
  drugs: DrugRecord[];
  checkups: Checkup[];
  treatments: Treatment[];
  operations: Operation[];
}
