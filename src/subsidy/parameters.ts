// The one shape of a program's parameters (src/subsidy/programs/<file>.json), after OpenFisca's
// parameters: each parameter has a description, a unit, its rounding and dated values
// (`from`/`to` inclusive, `to: null` open-ended, a value or 「公表されていない」, a source), and a
// band table is one parameter whose value is bands by lower bound. A source used by many values is
// written once in the file's `sources` and named by id. The engine, not a program, answers "value
// at date" — a value, not in force, or unknown with its source — and refuses at load two values of
// one parameter in force on one date with the same priority (E9106, Catala's rule: no silent pick).
import { isDocumentId } from "./documents.ts";
import { NOT_PUBLISHED, ProgramDataError, type Source } from "./engine.ts";
import { isIsoDate, isYearMonth } from "./profile.ts";

/**
 * Scalar units and their checks: a parameter's unit is one of these, a record of them
 * (`{ "cap": "yen", "costCap": "yen?" }`, `?` = optional or null) or a list of such records (`[{…}]`).
 */
const SCALARS = {
  yen: (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0,
  count: (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0,
  /** 診療報酬の点: whole points. */
  points: (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0,
  "percent-points": (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0,
  percent: (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0,
  rate: (v: unknown) => Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n) && n > 0) && v[0] <= v[1],
  date: isIsoDate,
  month: isYearMonth,
  text: (v: unknown) => typeof v === "string" && v !== "",
  flag: (v: unknown) => typeof v === "boolean",
  /** A rule the source states without a number (the value is `true`): kept for its source. */
  rule: (v: unknown) => v === true,
} as const satisfies Record<string, (v: unknown) => boolean>;
export type ScalarUnit = keyof typeof SCALARS;
/** A rate as [numerator, denominator], exact (never a float). */
export type Rate = readonly [number, number];
export type Unit = ScalarUnit | Record<string, string> | [Record<string, string>];

/** How a value is rounded where the formula rounds it: "none", or truncation to a stated unit (the rule's own words). */
export type Rounding = string;

export interface DatedValue<T = unknown> {
  from: string;
  to: string | null;
  /** NOT_PUBLISHED: no public text gives this value (the answer is "unknown", never a guess). */
  value: T | typeof NOT_PUBLISHED;
  source: Source;
  /** Higher wins when values overlap; equal (or absent) priorities may not overlap (E9106). */
  priority: number;
  /** An id naming the value in E9106 and in the formula's trace (a measure's name). */
  id?: string;
  /** Free-form facts of the value a formula may test (a condition it comes with). */
  when?: Record<string, unknown>;
}

export interface Band<T = unknown> {
  /** Lower bound (inclusive); the band runs to the next band's bound (exclusive). */
  from: number;
  value: T | typeof NOT_PUBLISHED;
  source?: Source;
}

export interface Parameter<T = unknown> {
  name: string;
  description: string;
  unit: Unit;
  rounding: Rounding;
  /** Band tables only: what the bound measures, in `boundUnit`. */
  bands?: { of: string; boundUnit: string };
  values: DatedValue<T>[];
  /** The engine's own: each value's answer, made once (index as values), and the values highest priority first. */
  readonly answers: readonly ValueAt<T>[];
  readonly byPriority: readonly DatedValue<T>[];
}

/** "Value at date" as the engine answers it. */
export type ValueAt<T> =
  | { kind: "value"; value: T; source: Source; entry: DatedValue<T> }
  | { kind: "unknown"; value: null; source: Source; entry: DatedValue<T> }
  | { kind: "not-in-force" };

const NOT_IN_FORCE = { kind: "not-in-force" } as const;

/**
 * The value of `p` on `date` (YYYY-MM-DD, or YYYY-MM for a parameter dated by month): the value in
 * force with the highest priority. Load refused ties (E9106), so the pick is never silent.
 */
export function valueAt<T>(p: Parameter<T>, date: string): ValueAt<T> {
  let best = -1;
  const { values } = p;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (date < v.from || (v.to !== null && date > v.to)) continue;
    if (best < 0 || v.priority > values[best]!.priority) best = i;
  }
  return best < 0 ? NOT_IN_FORCE : p.answers[best]!;
}

/** Every value of `p` in force on `date`, highest priority first (a formula weighing the lower ones). */
export function valuesAt<T>(p: Parameter<T>, date: string): DatedValue<T>[] {
  return p.byPriority.filter((v) => date >= v.from && (v.to === null || date <= v.to));
}

/** A dated value as an answer: the value, or unknown (value null) with the source saying so. */
function answerOf<T>(v: DatedValue<T>): ValueAt<T> {
  return v.value === NOT_PUBLISHED ? { kind: "unknown", value: null, source: v.source, entry: v } : { kind: "value", value: v.value as T, source: v.source, entry: v };
}

/** The band of a band table's value that holds `x`: the last whose lower bound is ≤ x; none below the first. */
export function bandOf<T>(bands: readonly Band<T>[], x: number): Band<T> | undefined {
  let found: Band<T> | undefined;
  for (const band of bands) {
    if (x < band.from) break;
    found = band;
  }
  return found;
}

/** A value with its source (a program-wide constant or rule a formula keeps). */
export interface Sourced<T> {
  value: T;
  source: Source;
}

/** A program's parameter file as loaded: its parameters by name, and what it says besides. */
export class ProgramParameters {
  constructor(
    readonly file: string,
    readonly id: string,
    readonly name: string,
    private readonly parameters: ReadonlyMap<string, Parameter>,
    /** Words of the file that are not parameters: labels of rows and the like. */
    readonly labels: Readonly<Record<string, string>>,
  ) {}

  has(name: string): boolean {
    return this.parameters.has(name);
  }

  /** The parameter `name`; a formula asking for one the file lacks is a broken file (E9105). */
  get<T>(name: string): Parameter<T> {
    const p = this.parameters.get(name);
    if (p === undefined) throw dataError(this.file, `parameters.${name}`, "missing");
    return p as Parameter<T>;
  }

  at<T>(name: string, date: string): ValueAt<T> {
    return valueAt(this.get<T>(name), date);
  }

  /**
   * The one value of a parameter that has a single dated value: a rule or constant of the whole
   * program (its window is the program's, checked by the program's own in-force parameter).
   */
  only<T>(name: string): DatedValue<T> {
    const p = this.get<T>(name);
    if (p.values.length !== 1) throw dataError(this.file, `parameters.${name}.values`, "exactly one dated value expected");
    return p.values[0]!;
  }

  /** `only`'s value with its source, as a formula keeps it. */
  onlyValue<T>(name: string): Sourced<T> {
    const v = this.only<T>(name);
    return { value: v.value as T, source: v.source };
  }

  private readonly memos = new Map<string, Map<unknown, unknown>>();

  /**
   * What a formula derives from this file's parameters alone (a row's sentence, a cell's options),
   * made once per space and key: the cache for speed lives here, with the parameters, not in rule
   * code. Two levels, so a lookup builds no key string; a key is one of the file's own (a row, a
   * month the formulas ask about), never free text from a profile.
   */
  memo<T>(space: string, key: unknown, make: () => T): T {
    let byKey = this.memos.get(space);
    if (byKey === undefined) this.memos.set(space, (byKey = new Map()));
    if (byKey.has(key)) return byKey.get(key) as T;
    const made = make();
    byKey.set(key, made);
    return made;
  }

  label(key: string): string {
    const text = this.labels[key];
    if (text === undefined) throw dataError(this.file, `labels.${key}`, "missing");
    return text;
  }
}

function dataError(file: string, path: string, rule: string): ProgramDataError {
  return new ProgramDataError("E9105", `補助金プログラムのデータファイルが不正です。(${file} ${path}: ${rule})`);
}

type Obj = Record<string, unknown>;

/** Reads and checks a parameter file: every entry checked, the file and path named (E9105); overlaps without priority refused (E9106). */
export function parseParameters(raw: unknown, file: string): ProgramParameters {
  const bad = (path: string, rule: string): never => {
    throw dataError(file, path, rule);
  };
  const obj = (v: unknown, path: string): Obj => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) bad(path, "object expected");
    return v as Obj;
  };
  const d = obj(raw, "(root)");
  const id = d.id;
  if (typeof id !== "string" || id === "") bad("id", "string expected");
  if (typeof d.name !== "string") bad("name", "string expected");
  // Sources once, by id: each is one object, so it is formatted once (formatSource).
  const sources = new Map<string, Source>();
  for (const [key, s] of Object.entries(obj(d.sources, "sources"))) {
    const source = obj(s, `sources.${key}`);
    if (typeof source.ref !== "string" || source.ref === "") bad(`sources.${key}.ref`, "every source needs a ref");
    if (source.document !== undefined && !isDocumentId(source.document)) bad(`sources.${key}.document`, "the id of a public document (src/subsidy/documents.ts) expected");
    if (source.document === undefined && typeof source.url !== "string" && source.line !== undefined) bad(`sources.${key}.line`, "a line of which document?");
    if (source.line !== undefined && !Number.isInteger(source.line)) bad(`sources.${key}.line`, "integer expected");
    if (source.lineTo !== undefined && !Number.isInteger(source.lineTo)) bad(`sources.${key}.lineTo`, "integer expected");
    sources.set(key, source as unknown as Source);
  }
  const used = new Set<string>();
  const sourceOf = (v: unknown, path: string): Source => {
    const s = typeof v === "string" ? sources.get(v) : undefined;
    if (s === undefined) return bad(path, "the id of an entry of sources expected");
    used.add(v as string);
    return s;
  };
  const labels = d.labels === undefined ? {} : obj(d.labels, "labels");
  for (const [key, text] of Object.entries(labels)) if (typeof text !== "string") bad(`labels.${key}`, "text expected");

  const parameters = new Map<string, Parameter>();
  for (const [name, rawParameter] of Object.entries(obj(d.parameters, "parameters"))) {
    const path = `parameters.${name}`;
    const p = obj(rawParameter, path);
    if (typeof p.description !== "string" || p.description === "") bad(`${path}.description`, "every parameter says what it is");
    if (typeof p.rounding !== "string" || p.rounding === "") bad(`${path}.rounding`, "every parameter states its rounding (\"none\" when it has none)");
    const check = unitCheck(p.unit, `${path}.unit`, bad);
    let bands: Parameter["bands"];
    if (p.bands !== undefined) {
      const b = obj(p.bands, `${path}.bands`);
      if (typeof b.of !== "string" || typeof b.boundUnit !== "string") bad(`${path}.bands`, "of and boundUnit expected");
      if (b.lowerBound !== "inclusive") bad(`${path}.bands.lowerBound`, "\"inclusive\" expected (a band runs from its bound, inclusive, to the next, exclusive)");
      bands = { of: b.of as string, boundUnit: b.boundUnit as string };
    }
    if (!Array.isArray(p.values) || p.values.length === 0) bad(`${path}.values`, "non-empty array expected");
    const values = (p.values as unknown[]).map((rawValue, i): DatedValue => {
      const vp = `${path}.values[${i}]`;
      const v = obj(rawValue, vp);
      const dated = (x: unknown) => isIsoDate(x) || isYearMonth(x);
      if (!dated(v.from)) bad(`${vp}.from`, "YYYY-MM-DD or YYYY-MM expected");
      if (v.to !== null && (!dated(v.to) || (v.to as string).length !== (v.from as string).length)) bad(`${vp}.to`, "null or a date like from expected");
      if (v.to !== null && (v.to as string) < (v.from as string)) bad(`${vp}.to`, "not before from");
      if (v.priority !== undefined && !Number.isInteger(v.priority)) bad(`${vp}.priority`, "integer expected");
      if (v.id !== undefined && typeof v.id !== "string") bad(`${vp}.id`, "text expected");
      if (v.when !== undefined) obj(v.when, `${vp}.when`);
      const source = sourceOf(v.source, `${vp}.source`);
      let value = v.value;
      if (value !== NOT_PUBLISHED) {
        if (bands !== undefined) value = bandsOf(value, `${vp}.value`, check, sourceOf, bad);
        else if (!check(value, `${vp}.value`)) bad(`${vp}.value`, `${JSON.stringify(p.unit)} or 「${NOT_PUBLISHED}」 expected`);
      }
      return {
        from: v.from as string,
        to: v.to as string | null,
        value,
        source,
        priority: (v.priority as number | undefined) ?? 0,
        ...(v.id !== undefined ? { id: v.id as string } : {}),
        ...(v.when !== undefined ? { when: v.when as Obj } : {}),
      };
    });
    refuseTies(file, name, values);
    parameters.set(name, {
      name,
      description: p.description as string,
      unit: p.unit as Unit,
      rounding: p.rounding as string,
      ...(bands ? { bands } : {}),
      values,
      answers: values.map(answerOf),
      // Stable: values of one priority keep the file's order.
      byPriority: [...values].sort((a, b) => b.priority - a.priority),
    });
  }
  for (const key of sources.keys()) if (!used.has(key)) bad(`sources.${key}`, "not referred to by any value");
  return new ProgramParameters(file, id as string, d.name as string, parameters, labels as Record<string, string>);
}

/** The check of a unit: a scalar, a record of scalars (`?` optional or null), or a list of records. */
function unitCheck(unit: unknown, path: string, bad: (path: string, rule: string) => never): (v: unknown, path: string) => boolean {
  const scalar = (u: unknown, p: string): ((v: unknown) => boolean) => {
    const name = typeof u === "string" ? u.replace(/\?$/, "") : "";
    const check = (SCALARS as Record<string, (v: unknown) => boolean>)[name];
    if (check === undefined) return bad(p, `one of ${Object.keys(SCALARS).join(", ")} expected`);
    return (u as string).endsWith("?") ? (v) => v === undefined || v === null || check(v) : check;
  };
  const record = (u: unknown, p: string): ((v: unknown) => boolean) => {
    if (typeof u !== "object" || u === null || Array.isArray(u)) return bad(p, "unit expected");
    const fields = Object.entries(u).map(([k, f]) => [k, scalar(f, `${p}.${k}`)] as const);
    return (v) => typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => k in u) && fields.every(([k, check]) => check((v as Obj)[k]));
  };
  if (typeof unit === "string") {
    const check = scalar(unit, path);
    return (v) => check(v);
  }
  if (Array.isArray(unit)) {
    if (unit.length !== 1) bad(path, "[record] expected");
    const check = record(unit[0], `${path}[0]`);
    return (v) => Array.isArray(v) && v.every(check);
  }
  const check = record(unit, path);
  return (v) => check(v);
}

/** A band table's value: bands in rising order of lower bound, each a value of the unit. */
function bandsOf(raw: unknown, path: string, check: (v: unknown, path: string) => boolean, sourceOf: (v: unknown, path: string) => Source, bad: (path: string, rule: string) => never): Band[] {
  // Empty: no band is published (a table the sources give nothing of).
  if (!Array.isArray(raw)) bad(path, "bands expected");
  let last = -Infinity;
  return (raw as unknown[]).map((b, i) => {
    const bp = `${path}[${i}]`;
    if (typeof b !== "object" || b === null) bad(bp, "object expected");
    const band = b as Obj;
    if (typeof band.from !== "number" || !(band.from > last)) bad(`${bp}.from`, "lower bounds rising");
    last = band.from as number;
    if (band.value !== NOT_PUBLISHED && !check(band.value, `${bp}.value`)) bad(`${bp}.value`, "value of the unit expected");
    return { from: band.from as number, value: band.value, ...(band.source !== undefined ? { source: sourceOf(band.source, `${bp}.source`) } : {}) };
  });
}

/** Two values of one parameter in force on one date with the same priority: E9106 naming both. */
function refuseTies(file: string, name: string, values: readonly DatedValue[]): void {
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const a = values[i]!;
      const b = values[j]!;
      if (a.priority !== b.priority || !overlap(a, b)) continue;
      // Values that differ in their conditions (`when`) are not rivals: the formula picks by them.
      if (a.when !== undefined && b.when !== undefined && JSON.stringify(a.when) !== JSON.stringify(b.when)) continue;
      const label = (v: DatedValue, k: number) => v.id ?? `values[${k}]`;
      throw new ProgramDataError("E9106", `同じ日付に複数の規定が適用され、優先順位が定められていません。(${file.replace(/\.json$/, "")}: ${name} の ${label(a, i)} と ${label(b, j)})`);
    }
  }
}

function overlap(a: DatedValue, b: DatedValue): boolean {
  return a.from <= (b.to ?? "9999-12-31") && b.from <= (a.to ?? "9999-12-31");
}
