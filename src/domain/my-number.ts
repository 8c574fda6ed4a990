// 個人番号 (マイナンバー): 12 digits, the last a 検査用数字. The rule is the 算式 of 平成26年総務省令第85号
// (通知カード及び個人番号カード並びに情報提供ネットワークシステムによる特定個人情報の提供等に関する省令)
// 第5条, which 番号法施行令 第8条 delegates to (the text on e-Gov 法令検索, https://laws.e-gov.go.jp/):
// over the first 11 digits, with P(n) the n-th digit
// counted from the last of them and Q(n) = n + 1 for n ≤ 6, n − 5 for n ≥ 7, the check digit is
// 11 − (Σ P(n)·Q(n) mod 11), and 0 when the remainder is 0 or 1.
//
// onshi takes a 個人番号 only from a municipality's 医療費助成 upload, and only to find the person:
// the number is turned into an HMAC-SHA-256 digest under a key of the database's and looked up by
// that digest (docs/pmh.md). The digest is one-way: without the key nothing about the number can
// be tried from it.
import { createHmac } from "node:crypto";

export const MY_NUMBER_LENGTH = 12;

/** The 検査用数字 of the first 11 digits. */
export function myNumberCheckDigit(elevenDigits: string): number {
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = elevenDigits.charCodeAt(11 - n) - 48;
    sum += p * (n <= 6 ? n + 1 : n - 5);
  }
  const remainder = sum % 11;
  return remainder <= 1 ? 0 : 11 - remainder;
}

export type MyNumberProblem = "type" | "length" | "digits" | "checkDigit";

/** Why a value is not a 個人番号, or undefined when it is one. Never echoes the value. */
export function myNumberProblem(value: unknown): MyNumberProblem | undefined {
  if (typeof value !== "string") return "type";
  if (value.length !== MY_NUMBER_LENGTH) return "length";
  if (!/^[0-9]{12}$/.test(value)) return "digits";
  return myNumberCheckDigit(value) === value.charCodeAt(11) - 48 ? undefined : "checkDigit";
}

/** The digest a 個人番号 is found by: HMAC-SHA-256 under the database's resolution key. */
export function resolutionDigest(key: Buffer, myNumber: string): Buffer {
  return createHmac("sha256", key).update(myNumber, "ascii").digest();
}
