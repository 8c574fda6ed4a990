// 全国地方公共団体コード (総務省; JIS X 0402 with a 検査数字): 6 digits, the 2-digit 都道府県コード, a
// 3-digit 市区町村 number, and a check digit. The rule, as 総務省 states it: multiply the five
// digits by 6, 5, 4, 3, 2, add the products, divide by 11, and the check digit is the last digit of
// 11 minus the remainder (remainder 0 → 1, remainder 1 → 0).

const WEIGHTS = [6, 5, 4, 3, 2] as const;

/** The check digit of a 5-digit code (no other input is a code). */
export function municipalityCheckDigit(fiveDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += WEIGHTS[i]! * (fiveDigits.charCodeAt(i) - 48);
  return (11 - (sum % 11)) % 10;
}

export type MunicipalityCodeProblem = "length" | "digits" | "checkDigit";

/** Each problem as a refusal names it. */
export const MUNICIPALITY_CODE_PROBLEMS: Record<MunicipalityCodeProblem, string> = { length: "6桁ではありません", digits: "数字以外の文字があります", checkDigit: "検査数字 (6桁目) が合いません" };

/** Why a text is not a 6-digit code with its check digit, or undefined when it is one. */
export function municipalityCodeProblem(code: string): MunicipalityCodeProblem | undefined {
  if (code.length !== 6) return "length";
  if (!/^[0-9]{6}$/.test(code)) return "digits";
  return municipalityCheckDigit(code) === Number(code[5]) ? undefined : "checkDigit";
}
