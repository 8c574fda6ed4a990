// The curated tables behind synthetic histories (medical-data/*.json): drugs, 特定健診 items and
// 診療行為. Each file names its public source and marks which codes were checked against public
// material (`verified`) and which are onshi's reading; docs/medical-history.md lists them.
import checkupData from "./medical-data/checkup-items.json" with { type: "json" };
import drugData from "./medical-data/drugs.json" with { type: "json" };
import procedureData from "./medical-data/procedures.json" with { type: "json" };

export interface DrugRow {
  key: string;
  code: string;
  name: string;
  ingredient: string;
  quantity: string;
  unit: string;
  usage: string;
  verified: boolean;
}

export interface CheckupItemRow {
  key: string;
  code: string;
  name: string;
  dataType: "PQ" | "CD";
  unit?: string;
  /** Out of range below low, or at or above high (the 保健指導判定値). */
  low?: number;
  high?: number;
  highMale?: number;
  highFemale?: number;
  decimals?: number;
  verified: boolean;
}

export interface ProcedureRow {
  key: string;
  class: string;
  code: string;
  name: string;
  operation?: boolean;
  verified: boolean;
}

export interface MedicalTable<K extends string, R> {
  source: string;
  codeCheck: string;
  rows: Readonly<Record<K, R>>;
}

function byKey<R extends { key: string }>(rows: readonly R[]): Record<string, R> {
  return Object.fromEntries(rows.map((r) => [r.key, r]));
}

export const DRUG_TABLE = { source: drugData.source, codeCheck: drugData.codeCheck, rows: byKey(drugData.drugs as DrugRow[]) };
export const CHECKUP_ITEM_TABLE = {
  source: checkupData.source,
  codeCheck: checkupData.codeCheck,
  rows: byKey(checkupData.items as CheckupItemRow[]),
  /** Items in the order a check-up lists them. */
  order: (checkupData.items as CheckupItemRow[]).map((i) => i.key),
  urineLabels: checkupData.urineCodes.labels as Record<string, string>,
};
export const PROCEDURE_TABLE = {
  source: procedureData.source,
  codeCheck: procedureData.codeCheck,
  rows: byKey(procedureData.procedures as ProcedureRow[]),
  classes: Object.fromEntries(procedureData.classes.map((c) => [c.code, c.name])) as Record<string, string>,
};

export function drug(key: string): DrugRow {
  const row = DRUG_TABLE.rows[key];
  if (!row) throw new Error(`no drug ${key} in medical-data/drugs.json`);
  return row;
}

export function procedure(key: string): ProcedureRow {
  const row = PROCEDURE_TABLE.rows[key];
  if (!row) throw new Error(`no procedure ${key} in medical-data/procedures.json`);
  return row;
}

export function checkupItem(key: string): CheckupItemRow {
  const row = CHECKUP_ITEM_TABLE.rows[key];
  if (!row) throw new Error(`no check-up item ${key} in medical-data/checkup-items.json`);
  return row;
}
