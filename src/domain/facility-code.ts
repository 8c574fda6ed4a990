// 医療機関コード: 10 digits = 都道府県番号 2 + 点数表番号 1 (1 医科, 3 歯科, 4 調剤) + 郡市区番号 2
// + 医療機関番号 4 + 検証番号 1.
import { hasValidCheckDigit } from "./check-digit.ts";

export type FacilityCodeProblem = "length" | "digits" | "prefecture" | "checkDigit";

export function facilityCodeProblem(code: string): FacilityCodeProblem | undefined {
  if (code.length !== 10) return "length";
  if (!/^[0-9]+$/.test(code)) return "digits";
  const prefecture = Number(code.slice(0, 2));
  if (prefecture < 1 || prefecture > 47) return "prefecture";
  if (!hasValidCheckDigit(code)) return "checkDigit";
  return undefined;
}

export const FACILITY_KINDS = ["hospital", "medical_clinic", "dental_clinic", "pharmacy"] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

export const FACILITY_KIND_LABELS: Record<FacilityKind, string> = {
  hospital: "病院",
  medical_clinic: "医科診療所",
  dental_clinic: "歯科診療所",
  pharmacy: "薬局",
};

/** 点数表番号 each kind's code may have: 1 医科, 3 歯科, 4 調剤 (a hospital's dental department has a 歯科 code). */
const SCORE_TABLES: Record<FacilityKind, readonly string[]> = { hospital: ["1", "3"], medical_clinic: ["1"], dental_clinic: ["3"], pharmacy: ["4"] };

export function kindFitsCode(kind: FacilityKind, code: string): boolean {
  return SCORE_TABLES[kind].includes(code.charAt(2));
}
