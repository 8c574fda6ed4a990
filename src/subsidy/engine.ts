// The subsidy engine's core: pure functions of a facility profile, a date and program data.
// A program module reads its data file (src/subsidy/programs/*.json) and answers one result per
// project; this module holds what every program shares: sources, dated windows, the three-valued
// eligibility (true / false / null = cannot tell), yen arithmetic with stated rounding, and the
// run over all programs. Nothing here reads a file, the clock or a database.
import { documentName, type DocumentId } from "./documents.ts";
import type { FacilityProfile, Project } from "./profile.ts";
import { exactProduct } from "./usage-rate.ts";

/** Where a value comes from: a public document (./documents.ts) and the line of its text, or an address. */
export interface Source {
  document?: DocumentId;
  line?: number;
  /** Last line when the passage spans several. */
  lineTo?: number;
  url?: string;
  ref: string;
}

/** The reason given whenever a needed cell has no source (issue 5: never a guessed number). */
export const NOT_PUBLISHED = "公表されていない";

export interface SubsidyResult {
  program: string;
  /** Index into profile.projects when the result is for one project. */
  project?: number;
  /** true / false, or null when a needed fact or cell is unknown. */
  eligible: boolean | null;
  /** Yen (integer); 0 when not eligible; null when it cannot be computed. */
  amount: number | null;
  reasons: string[];
  sources: string[];
  /** Profile fields the answer still needs (as Publicodes' missing variables). */
  missing?: string[];
  /** Program-specific figures, e.g. the readers provided free. */
  details?: Record<string, unknown>;
}

export interface SubsidyOutput {
  at: string;
  results: SubsidyResult[];
}

/**
 * What the programs of one calculate() run share: a result one program computes and another needs
 * again for the same profile and date (the 2024 modification pair). Made afresh for each run, so
 * nothing is kept across profiles or after a profile changes.
 */
export type RunMemo = Map<unknown, unknown>;

export interface ProgramModule {
  id: string;
  name: string;
  evaluate(profile: FacilityProfile, at: string, memo?: RunMemo): SubsidyResult[];
}

/** A program data file contradicts itself (E9105) or two rules apply with no priority (E9106). */
export class ProgramDataError extends Error {
  constructor(
    readonly code: "E9105" | "E9106",
    message: string,
  ) {
    super(message);
  }
}

const formatted = new WeakMap<Source, string>();

/** "「title」(publisher, date) l.1461 別表1-1": sources are data-file objects parsed once, so each is formatted once. */
export function formatSource(source: Source): string {
  let text = formatted.get(source);
  if (text === undefined) {
    text = sourceText(source);
    formatted.set(source, text);
  }
  return text;
}

function sourceText(source: Source): string {
  const lines = source.line === undefined ? "" : ` l.${source.line}${source.lineTo !== undefined ? `–${source.lineTo}` : ""}`;
  const where = source.document !== undefined ? `${documentName(source.document)}${lines}` : source.url;
  return where ? `${where} ${source.ref}` : source.ref;
}

/**
 * 1234567 → "1,234,567円". By hand, not toLocaleString: ICU formatting costs microseconds a call and
 * a batch of 230,000 profiles formats millions of amounts.
 */
export function yenText(yen: number): string {
  const digits = String(Math.abs(yen));
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return `${yen < 0 ? "-" : ""}${grouped}円`;
}

/** "2024年8月" for "2024-08". Kept per month: the programs' months are few and every result shows several. */
const monthTexts = new Map<string, string>();
export function monthText(month: string): string {
  let text = monthTexts.get(month);
  if (text === undefined) {
    text = `${month.slice(0, 4)}年${Number(month.slice(5))}月`;
    monthTexts.set(month, text);
  }
  return text;
}

/** yenText, or 「不明」 for an amount that cannot be computed. */
export function yenOrUnknown(yen: number | null): string {
  return yen === null ? "不明" : yenText(yen);
}

/** The calendar date in Japan (UTC+9, no daylight saving) of an instant: the programs' dates are Japanese. */
export function dateInJapan(now: Date): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** Inclusive window on YYYY-MM-DD strings (they sort as dates); `to: null` is open-ended. */
export function inWindow(date: string, from: string, to: string | null): boolean {
  return date >= from && (to === null || date <= to);
}

/**
 * Builds one result while rules are checked: `fail` makes it ineligible, `unknown` leaves it
 * undecidable unless something fails; the sources of every rule consulted are kept in order.
 */
export class ResultBuilder {
  private failed = false;
  private unknown = false;
  readonly reasons: string[] = [];
  readonly sources: string[] = [];
  readonly missing: string[] = [];
  details: Record<string, unknown> = {};

  constructor(
    readonly program: string,
    readonly project?: number,
  ) {}

  cite(source: Source): this {
    const text = formatSource(source);
    if (!this.sources.includes(text)) this.sources.push(text);
    return this;
  }
  note(reason: string, source?: Source): this {
    this.reasons.push(reason);
    if (source) this.cite(source);
    return this;
  }
  fail(reason: string, source?: Source): this {
    this.failed = true;
    return this.note(reason, source);
  }
  /** A fact or cell is unknown: `field` names the missing profile field(s), undefined for an unpublished cell. */
  cannotTell(reason: string, source?: Source, field?: string | readonly string[]): this {
    this.unknown = true;
    this.need(field);
    return this.note(reason, source);
  }
  /** Names profile field(s) the answer still needs, once each; cannotTell and amountUnknown do this too. */
  need(field: string | readonly string[] | undefined): void {
    for (const f of typeof field === "string" ? [field] : field ?? []) if (!this.missing.includes(f)) this.missing.push(f);
  }
  /** Eligibility is settled but the amount is not: a missing fact or an unpublished cell. */
  amountUnknown(reason: string, source?: Source, field?: string | readonly string[]): this {
    this.need(field);
    return this.note(reason, source);
  }
  get isFailed(): boolean {
    return this.failed;
  }
  get eligible(): boolean | null {
    return this.failed ? false : this.unknown ? null : true;
  }
  /** `amount` is what the rules give when the facts are known (null when a cell or fact is missing). */
  build(amount: number | null): SubsidyResult {
    const eligible = this.eligible;
    // Two literals rather than a spread of `project`: the key order (and so the JSON) is the same,
    // without an object made and copied per result.
    const result: SubsidyResult =
      this.project !== undefined
        ? { program: this.program, project: this.project, eligible, amount: eligible === false ? 0 : amount, reasons: this.reasons, sources: this.sources }
        : { program: this.program, eligible, amount: eligible === false ? 0 : amount, reasons: this.reasons, sources: this.sources };
    if (this.missing.length > 0) result.missing = this.missing;
    if (hasKeys(this.details)) result.details = this.details;
    return result;
  }
}

/** Whether an object has an own enumerable key, without the array Object.keys makes. */
function hasKeys(o: Record<string, unknown>): boolean {
  for (const key in o) if (Object.hasOwn(o, key)) return true;
  return false;
}

/** cost × numerator / denominator, floored to whole yen (exact for any safe integer). */
export function applyRate(cost: number, [numerator, denominator]: readonly [number, number]): number {
  const product = exactProduct(cost, numerator);
  // In numbers while the product is exact: taking off the remainder leaves a multiple of the
  // denominator, so the division is exact. BigInt (slower) only beyond 2^53.
  if (product !== undefined) return (product - (product % denominator)) / denominator;
  return Number((BigInt(cost) * BigInt(numerator)) / BigInt(denominator));
}

/** Truncation (切り捨て) to a multiple of `unit` yen. */
export function truncateTo(yen: number, unit: number): number {
  return Math.floor(yen / unit) * unit;
}

/**
 * The projects of `program` in a profile with their indices. None: one empty project, so a
 * per-project program still answers once for the facility, saying what it would need.
 */
export function projectsOf(profile: FacilityProfile, program: string): { project: Project; index?: number }[] {
  const found: { project: Project; index?: number }[] = [];
  const projects = profile.projects ?? [];
  for (let index = 0; index < projects.length; index++) if (projects[index]!.program === program) found.push({ project: projects[index]!, index });
  return found.length > 0 ? found : [{ project: { program } }];
}

/** All programs for one profile at one date, in the order given; `only` keeps one program id. */
export function calculate(profile: FacilityProfile, at: string, programs: readonly ProgramModule[], only?: string): SubsidyOutput {
  const results: SubsidyResult[] = [];
  const memo: RunMemo = new Map();
  for (const program of programs) {
    if (only !== undefined && program.id !== only) continue;
    for (const result of program.evaluate(profile, at, memo)) results.push(result);
  }
  return { at, results };
}
