// 照会番号 (ReferenceNumber): the facility's patient number (診察券番号). The public clients send it
// as up to 50 characters, in practice the レセコン's patient id in digits with leading zeros kept
// (YUKI-ENT/MynaReception docs: 「最大50文字」); we also admit ASCII letters and '-', which
// 診察券番号 use, and nothing that Shift_JIS and UTF-8 files could render differently (full-width
// forms, spaces). The migration's check constraint holds the same rule.

export const MAX_REFERENCE_NUMBER_LENGTH = 50;

export type ReferenceNumberProblem = "length" | "characters";

export function referenceNumberProblem(value: string): ReferenceNumberProblem | undefined {
  if (value.length === 0 || value.length > MAX_REFERENCE_NUMBER_LENGTH) return "length";
  if (!/^[0-9A-Za-z-]+$/.test(value)) return "characters";
  return undefined;
}
