// 公費負担者番号 and 公費負担医療の受給者番号, as 厚生労働省's 設定要領 defines them
// (https://www.mhlw.go.jp/topics/2008/03/dl/tp0305-1az_0004.pdf; for 更生医療 also
// https://www.mhlw.go.jp/web/t_doc?dataId=00ta8638&dataType=1&pageNo=1):
// - 公費負担者番号: 8 digits, 法別番号 (2) + 都道府県番号 (2) + 実施機関番号 (3) + 検証番号 (1);
// - 受給者番号 of a national programme (公費負担医療): 7 digits, 6 + 検証番号 (1).
// Both 検証番号 follow the rule of the 保険者番号 (check-digit.ts). 八王子市's published numbers
// 88138243 (マル乳), 88131248 (マル子), 89131247 (マル青), 81136244 and 81137242 (マル親) pass it.
// A local programme (地方単独医療費助成) numbers its recipients as it likes: the PMH registration
// API takes up to 30 characters (medicalSubsidyRecipientNumber); onshi reads them as 半角英数字
// and '-' (its reading: the API's character set was not found).
import { hasValidCheckDigit } from "./check-digit.ts";

export type PublicExpenseNumberProblem = "length" | "digits" | "prefecture" | "checkDigit";

export interface PublicExpenseInsurerNumber {
  value: string;
  /** 法別番号: the programme's law (54 難病, 52 小児慢性, 21 精神通院, 8x/9x local programmes …). */
  lawNumber: string;
  /** 都道府県番号 01–47. */
  prefecture: number;
  /** 実施機関番号. */
  agency: string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: PublicExpenseNumberProblem };

/** A 公費負担者番号 (medicalSubsidyInsurerNumber) and its parts, or why it is not one. */
export function parsePublicExpenseInsurerNumber(raw: string): Parsed<PublicExpenseInsurerNumber> {
  if (raw.length !== 8) return { ok: false, problem: "length" };
  if (!/^[0-9]{8}$/.test(raw)) return { ok: false, problem: "digits" };
  const prefecture = Number(raw.slice(2, 4));
  if (prefecture < 1 || prefecture > 47) return { ok: false, problem: "prefecture" };
  if (!hasValidCheckDigit(raw)) return { ok: false, problem: "checkDigit" };
  return { ok: true, value: { value: raw, lawNumber: raw.slice(0, 2), prefecture, agency: raw.slice(4, 7) } };
}

/** Whether a programme is national (公費負担医療, 7-digit numbers) or a municipality's or prefecture's own. */
export type ProgrammeScope = "national" | "local";

export const LOCAL_RECIPIENT_NUMBER_MAX = 30;

/** A 受給者番号 (medicalSubsidyRecipientNumber) under the rule of the programme's scope. */
export function parseRecipientNumber(raw: string, scope: ProgrammeScope): Parsed<string> {
  if (scope === "national") {
    if (raw.length !== 7) return { ok: false, problem: "length" };
    if (!/^[0-9]{7}$/.test(raw)) return { ok: false, problem: "digits" };
    if (!hasValidCheckDigit(raw)) return { ok: false, problem: "checkDigit" };
    return { ok: true, value: raw };
  }
  if (raw.length < 1 || raw.length > LOCAL_RECIPIENT_NUMBER_MAX) return { ok: false, problem: "length" };
  if (!/^[0-9A-Za-z-]+$/.test(raw)) return { ok: false, problem: "digits" };
  return { ok: true, value: raw };
}
