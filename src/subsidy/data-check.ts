// Checks for program data files (src/subsidy/programs/<id>.json): each program's parser walks its
// file with these, so a broken entry fails at load time with E9105 naming the file and the path,
// never mid-calculation. One checker per file, so every message names its file.
import { ProgramDataError, type Source } from "./engine.ts";
import { isIsoDate, isYearMonth } from "./profile.ts";

export type Obj = Record<string, unknown>;
export type { Rate } from "./parameters.ts";
import type { Rate } from "./parameters.ts";
/** A value of a data file with its source. */
export interface Cell<T> {
  value: T;
  source: Source;
}

export interface DataChecker {
  bad(path: string, rule: string): never;
  obj(v: unknown, path: string): Obj;
  array(v: unknown, path: string): unknown[];
  source(v: unknown, path: string): Source;
  date(v: unknown, path: string): string;
  dateOrNull(v: unknown, path: string): string | null;
  yearMonth(v: unknown, path: string): string;
  yen(v: unknown, path: string): number;
  yenOrNull(v: unknown, path: string): number | null;
  /** [numerator, denominator] with 0 < numerator ≤ denominator, or null for an unpublished rate. */
  rateOrNull(v: unknown, path: string): Rate | null;
  /** A `{ value, source }` cell; `check` validates the value. */
  cell<T>(v: unknown, path: string, check: (value: unknown, path: string) => T): Cell<T>;
}

export function dataChecker(file: string): DataChecker {
  const bad = (path: string, rule: string): never => {
    throw new ProgramDataError("E9105", `補助金プログラムのデータファイルが不正です。(${file} ${path}: ${rule})`);
  };
  const obj = (v: unknown, path: string): Obj => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) bad(path, "object expected");
    return v as Obj;
  };
  const yenOrNull = (v: unknown, path: string): number | null => {
    if (v === null) return null;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) bad(path, "yen as a non-negative integer expected");
    return v as number;
  };
  const dateOrNull = (v: unknown, path: string): string | null => {
    if (v === null) return null;
    if (!isIsoDate(v)) bad(path, "YYYY-MM-DD expected");
    return v as string;
  };
  const source = (v: unknown, path: string): Source => {
    const s = obj(v, path);
    if (typeof s.ref !== "string" || s.ref === "") bad(`${path}.ref`, "every value needs a source with a ref");
    if (s.line !== undefined && !Number.isInteger(s.line)) bad(`${path}.line`, "integer expected");
    return s as unknown as Source;
  };
  return {
    bad,
    obj,
    array(v, path) {
      if (!Array.isArray(v)) bad(path, "array expected");
      return v as unknown[];
    },
    source,
    date(v, path) {
      return dateOrNull(v, path) ?? bad(path, "YYYY-MM-DD expected");
    },
    dateOrNull,
    yearMonth(v, path) {
      return isYearMonth(v) ? v : bad(path, "YYYY-MM expected");
    },
    yen(v, path) {
      return yenOrNull(v, path) ?? bad(path, "yen as a non-negative integer expected");
    },
    yenOrNull,
    rateOrNull(v, path) {
      if (v === null) return null;
      if (!Array.isArray(v) || v.length !== 2 || !v.every((n) => Number.isInteger(n) && n > 0) || v[0] > v[1]) {
        bad(path, "[numerator, denominator] with 0 < numerator ≤ denominator expected");
      }
      const [numerator, denominator] = v as [number, number];
      return [numerator, denominator] as const;
    },
    cell(v, path, check) {
      const c = obj(v, path);
      return { value: check(c.value, `${path}.value`), source: source(c.source, `${path}.source`) };
    },
  };
}
