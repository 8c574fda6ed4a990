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
