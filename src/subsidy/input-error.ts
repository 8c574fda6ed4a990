// A bad input to a subsidy calculation (第11 return, 第12 延滞金): the code from the published
// catalogue and the field at fault, so the CLI can name the flag and exit 2.
import { errorMessage, type ErrorCode } from "../errors/catalogue.ts";

export class SubsidyInputError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly field: string,
    readonly detail?: string,
  ) {
    super(`${errorMessage(code, field)}${detail ? ` ${detail}` : ""}`);
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a valid YYYY-MM-DD, or null: calendar days, no time zone involved. */
export function dayNumber(iso: string): number | null {
  const m = ISO_DATE.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t / 86_400_000;
}

export function requireDate(value: unknown, field: string): number {
  const n = typeof value === "string" ? dayNumber(value) : null;
  if (n === null) throw new SubsidyInputError("E9131", field, `(YYYY-MM-DD): ${String(value)}`);
  return n;
}

export function requireYen(value: unknown, field: string, { positive = true } = {}): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || (positive && value === 0)) {
    throw new SubsidyInputError("E9130", field, `: ${String(value)}`);
  }
  return value;
}

export function isoOf(dayNo: number): string {
  return new Date(dayNo * 86_400_000).toISOString().slice(0, 10);
}
