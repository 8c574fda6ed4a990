// A 取りまとめ者's batch (第8 3: one submission for the many facilities it registered in advance),
// read line by line: CSV with a header naming its columns, or JSON Lines (one application a line).
// Each line becomes one application (the facility, the kind of case, the project) or a refusal that
// names the line, the field and the code; a bad line never stops the others. Pure: the service
// checks registration and calculates, the store writes.
import { errorMessage, type ErrorCode } from "../errors/catalogue.ts";
import { CASE_KINDS, type CaseKind } from "./case-states.ts";
import { PROJECT_FIELD_NAMES, type Project } from "./profile.ts";

export const BATCH_FORMATS = ["csv", "jsonl"] as const;
export type BatchFormat = (typeof BATCH_FORMATS)[number];
export const BATCH_MODES = ["partial", "all_or_nothing"] as const;
export type BatchMode = (typeof BATCH_MODES)[number];

/** Lines one batch may carry: "thousands of facilities" with room, and what the benchmark sends. onshi's own bound. */
export const MAX_BATCH_LINES = 10_000;
/** Bytes one batch may be: MAX_BATCH_LINES lines of 3 KB (a project is about 200 bytes). */
export const MAX_BATCH_BYTES = 32 * 1024 * 1024;

/** One application as a line gives it: the project carries the program. */
export interface BatchApplication {
  facility: string;
  kind: CaseKind;
  project: Project;
}

/** A refused line: where (1-based line of the text, the header counting as line 1 of a CSV), which field, why. */
export interface LineError {
  line: number;
  field: string;
  code: ErrorCode;
  message: string;
}

export type LineReading = { line: number; ok: true; value: BatchApplication } | ({ ok: false } & LineError);

/** The whole batch cannot be read (no line, too many, a CSV header that names no application). */
export class BatchTextError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly field?: string,
  ) {
    super(errorMessage(code, field));
  }
}

export function lineError(line: number, field: string, code: ErrorCode, detail?: string): LineError {
  return { line, field, code, message: `${errorMessage(code, field)}${detail ? ` ${detail}` : ""}` };
}

const refused = (line: number, field: string, code: ErrorCode, detail?: string): LineReading => ({ ok: false, ...lineError(line, field, code, detail) });

/** The columns a CSV may name, besides the project's own fields. */
const LINE_FIELDS = ["facility", "kind"] as const;
export const CSV_COLUMNS: readonly string[] = [...LINE_FIELDS, ...PROJECT_FIELD_NAMES];
/** Project fields that are numbers and flags: a CSV cell is text, so these are read from it. */
const NUMBER_FIELDS = new Set(["cost", "readers", "deferralType"]);
const FLAG_FIELDS = new Set(["prefectureAccepted"]);

/** The lines of a batch's text (a UTF-8 BOM, CRLF and blank lines allowed) with their 1-based numbers. */
function numberedLines(text: string): { line: number; text: string }[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const numbered: { line: number; text: string }[] = [];
  lines.forEach((t, i) => {
    if (t.trim() !== "") numbered.push({ line: i + 1, text: t });
  });
  return numbered;
}

function bounded<T>(lines: T[]): T[] {
  if (lines.length === 0) throw new BatchTextError("E9535");
  if (lines.length > MAX_BATCH_LINES) throw new BatchTextError("E9532", `${lines.length.toLocaleString("en")} 行`);
  return lines;
}

/** Every line of a batch read, in order; BatchTextError when the batch as a whole cannot be. */
export function readBatch(text: string, format: BatchFormat): LineReading[] {
  return format === "csv" ? readCsv(text) : readJsonLines(text);
}

function readJsonLines(text: string): LineReading[] {
  return bounded(numberedLines(text)).map(({ line, text: t }) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch (error) {
      return refused(line, "(行全体)", "E9536", (error as Error).message);
    }
    return readApplication(line, parsed);
  });
}

/**
 * A JSON line: `{ facility, kind?, project: { program, … } }`. Unknown names are refused (a
 * misspelt field must not count as "not given"); the project's own fields are the engine's to check.
 */
export function readApplication(line: number, parsed: unknown): LineReading {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return refused(line, "(行全体)", "E9536", "JSONオブジェクトではありません");
  const fields = parsed as Record<string, unknown>;
  const extra = Object.keys(fields).find((name) => name !== "facility" && name !== "kind" && name !== "project");
  if (extra !== undefined) return refused(line, extra, "E9513", "定義されていない項目です");
  const project = fields.project;
  if (typeof project !== "object" || project === null || Array.isArray(project)) return refused(line, "project", "E9513", "オブジェクトで指定してください");
  return applicationOf(line, fields.facility, fields.kind, project as Project);
}

function applicationOf(line: number, facility: unknown, kind: unknown, project: Project): LineReading {
  if (facility === undefined || facility === "") return refused(line, "facility", "E9513", "必須項目です");
  if (typeof facility !== "string" || !/^[0-9]{10}$/.test(facility)) return refused(line, "facility", "E9513", "10桁の医療機関コードで指定してください");
  if (kind !== undefined && !CASE_KINDS.includes(kind as CaseKind)) return refused(line, "kind", "E9513", `${CASE_KINDS.join(" / ")} のいずれかを指定してください`);
  if (typeof project.program !== "string" || project.program === "") return refused(line, "program", "E9513", "必須項目です");
  return { line, ok: true, value: { facility, kind: (kind as CaseKind | undefined) ?? "application", project } };
}

function readCsv(text: string): LineReading[] {
  const lines = numberedLines(text);
  const header = lines.shift();
  if (header === undefined) throw new BatchTextError("E9535");
  const columns = splitCsv(header.text);
  if (columns === null) throw new BatchTextError("E9534", "1行目");
  const names = columns.map((c) => c.trim());
  const unknown = names.find((name) => !CSV_COLUMNS.includes(name));
  if (unknown !== undefined) throw new BatchTextError("E9534", unknown === "" ? "空の列名" : unknown);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new BatchTextError("E9534", twice);
  for (const needed of ["facility", "program"]) if (!names.includes(needed)) throw new BatchTextError("E9534", needed);
  return bounded(lines).map(({ line, text: t }) => {
    const cells = splitCsv(t);
    if (cells === null) return refused(line, "(行全体)", "E9536", "引用符が閉じていません");
    if (cells.length !== names.length) return refused(line, "(行全体)", "E9536", `列の数が見出しと違います (${cells.length} 列、見出しは ${names.length} 列)`);
    const project: Record<string, unknown> = {};
    let facility: string | undefined;
    let kind: string | undefined;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const cell = cells[i]!.trim();
      if (cell === "") continue; // an empty cell is a fact not given
      if (name === "facility") facility = cell;
      else if (name === "kind") kind = cell;
      else project[name] = NUMBER_FIELDS.has(name) && /^[0-9]{1,15}$/.test(cell) ? Number(cell) : FLAG_FIELDS.has(name) && (cell === "true" || cell === "false") ? cell === "true" : cell;
    }
    return applicationOf(line, facility, kind, project as unknown as Project);
  });
}

/** The cells of one CSV line (RFC 4180: a quoted cell may hold commas and doubled quotes), or null when a quote is left open. */
export function splitCsv(line: string): string[] | null {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (line[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (c === ",") {
      cells.push(cell);
      cell = "";
    } else cell += c;
  }
  if (quoted) return null;
  cells.push(cell);
  return cells;
}
