// A 取りまとめ者's batch (第8 3: one submission for the many facilities it registered in advance),
// read line by line: CSV with a header naming its columns, or JSON Lines (one application a line).
// Each line becomes one application as a single one is sent (office-application.ts's input: the
// facility code, the programme, the kind of case, the profile with the project) or a refusal that
// names the line, the field and the code; a bad line never stops the others. A CSV line carries the
// profile's one-cell facts and one project; the months and a pharmacy group need JSON Lines. Pure:
// the service checks each application as apply does, the store writes.
import { errorMessage, type ErrorCode } from "../errors/catalogue.ts";
import { PROFILE_FIELD_NAMES, PROJECT_FIELD_NAMES } from "./profile.ts";

export const BATCH_FORMATS = ["csv", "jsonl"] as const;
export type BatchFormat = (typeof BATCH_FORMATS)[number];
export const BATCH_MODES = ["partial", "all_or_nothing"] as const;
export type BatchMode = (typeof BATCH_MODES)[number];

/** Lines one batch may carry: "thousands of facilities" with room, and what the benchmark sends. onshi's own bound. */
export const MAX_BATCH_LINES = 10_000;
/** Bytes one batch may be: MAX_BATCH_LINES lines of 3 KB (a project is about 200 bytes). */
export const MAX_BATCH_BYTES = 32 * 1024 * 1024;

/** One application as a line gives it: what a single application takes (office-application.ts's ApplicationInput), not yet checked. */
export type BatchApplication = Record<string, unknown>;

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

/** The columns of a CSV line besides the project's: the application's own and the profile's facts that are one cell each. */
const APPLICATION_COLUMNS = ["facilityCode", "program", "kind"] as const;
/** The facility's kind (the profile's `kind`, named apart from the case's `kind`) and its other one-cell facts. */
const PROFILE_COLUMNS: Record<string, string> = Object.fromEntries(
  [["facilityKind", "kind"], ...PROFILE_FIELD_NAMES.filter((f) => !["kind", "months", "projects", "pharmacyGroup"].includes(f)).map((f) => [f, f])],
);
export const CSV_COLUMNS: readonly string[] = [...APPLICATION_COLUMNS, ...Object.keys(PROFILE_COLUMNS), ...PROJECT_FIELD_NAMES.filter((f) => f !== "program")];
/** Cells that are numbers and flags: a CSV cell is text, so these are read from it (anything else stays text, which the profile's check refuses by name). */
const NUMBER_COLUMNS = new Set(["cost", "readers", "deferralType", "readersProvided", "readersInUse"]);
const FLAG_COLUMNS = new Set(["prefectureAccepted", "largeChainPharmacy", "receptionMachine", "poster", "flyers", "ePrescription", "pediatricSpecialCase", "portalHealthConsultation"]);

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

/** A JSON line: an application as a single one is sent, `{ facilityCode, program, kind?, profile }`; its fields are checked with it. */
function readApplication(line: number, parsed: unknown): LineReading {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return refused(line, "(行全体)", "E9536", "JSONオブジェクトではありません");
  return { line, ok: true, value: parsed as BatchApplication };
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
  for (const needed of ["facilityCode", "program", "facilityKind"]) if (!names.includes(needed)) throw new BatchTextError("E9534", needed);
  return bounded(lines).map(({ line, text: t }) => {
    const cells = splitCsv(t);
    if (cells === null) return refused(line, "(行全体)", "E9536", "引用符が閉じていません");
    if (cells.length !== names.length) return refused(line, "(行全体)", "E9536", `列の数が見出しと違います (${cells.length} 列、見出しは ${names.length} 列)`);
    const application: BatchApplication = {};
    const profile: Record<string, unknown> = {};
    const project: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const cell = cells[i]!.trim();
      if (cell === "") continue; // an empty cell is a fact not given
      const value = NUMBER_COLUMNS.has(name) && /^[0-9]{1,15}$/.test(cell) ? Number(cell) : FLAG_COLUMNS.has(name) && (cell === "true" || cell === "false") ? cell === "true" : cell;
      if ((APPLICATION_COLUMNS as readonly string[]).includes(name)) application[name] = value;
      else if (PROFILE_COLUMNS[name] !== undefined) profile[PROFILE_COLUMNS[name]] = value;
      else project[name] = value;
    }
    // The one project applied for is the line's programme's.
    return { line, ok: true, value: { ...application, profile: { ...profile, projects: [{ program: application.program, ...project }] } } };
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
