// 保険者番号: 8 digits (法別番号 2 + 都道府県番号 2 + 保険者別番号 3 + 検証番号 1), or 6 digits for
// 国民健康保険 (都道府県番号 2 + 保険者別番号 3 + 検証番号 1). On the wire a 6-digit number is
// left-padded with spaces to 8; some clients pad it with zeros instead (no 法別番号 is 00).
import { hasValidCheckDigit } from "./check-digit.ts";

export type InsurerNumberProblem = "length" | "digits" | "checkDigit";

/** The stored form (6 or 8 digits) of a number as a client sent it, or the reason it is not one. */
export function parseInsurerNumber(raw: string): { ok: true; value: string } | { ok: false; problem: InsurerNumberProblem } {
  let value = raw.trimStart();
  if (value.length === 8 && value.startsWith("00")) value = value.slice(2);
  if (value.length !== 6 && value.length !== 8) return { ok: false, problem: "length" };
  if (!/^[0-9]+$/.test(value)) return { ok: false, problem: "digits" };
  if (!hasValidCheckDigit(value)) return { ok: false, problem: "checkDigit" };
  return { ok: true, value };
}

/** The wire form: 6-digit 国保 numbers space-padded to 8. */
export function formatInsurerNumber(stored: string): string {
  return stored.padStart(8, " ");
}

/** 後期高齢者医療 insurers have 法別番号 39. */
export function isLateElderlyInsurer(stored: string): boolean {
  return stored.length === 8 && stored.startsWith("39");
}
