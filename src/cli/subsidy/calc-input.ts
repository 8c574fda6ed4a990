// Reading what `onshi subsidy calc` is given: a profile file, or one line of a --batch file. A bad
// input becomes a CalcInputError with its E91xx code and the field or flag at fault (exit 2).
import { readFileSync } from "node:fs";
import { errorMessage, type ErrorCode } from "../../errors/catalogue.ts";
import { calculate } from "../../subsidy/engine.ts";
import { loadPrograms } from "../../subsidy/program-data.ts";
import { ProfileError, validateProfile, type FacilityProfile } from "../../subsidy/profile.ts";
import type { CodedProfile } from "../../services/usage-profile.ts";
import { countFacility, emptyTally, type Tally } from "./facility-summary.ts";

/** An input error: the code, and the field or flag it names. */
export class CalcInputError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly field: string,
    detail?: string,
  ) {
    super(`${errorMessage(code)}(${field}${detail ? `: ${detail}` : ""})`);
  }
}

/** A parsed profile, or the E9102 naming its field. */
export function checkProfile(parsed: unknown): FacilityProfile {
  try {
    return validateProfile(parsed);
  } catch (error) {
    if (error instanceof ProfileError) throw new CalcInputError("E9102", error.field, error.rule);
    throw error;
  }
}

export function readProfileFile(path: string): FacilityProfile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CalcInputError("E9101", path, (error as NodeJS.ErrnoException).code ?? "読み込めません");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CalcInputError("E9101", path, `JSONとして読めません: ${(error as Error).message}`);
  }
  return checkProfile(parsed);
}

/** One --batch line: where it is, and its text. */
export interface BatchLine {
  number: number;
  text: string;
}

/**
 * The answer lines (JSON, newline-terminated) for some --batch lines, in order: `{ line, at, results }`,
 * or `{ line, code, message, field }` for a bad one; and how many were bad.
 */
function answerLines(lines: readonly BatchLine[], path: string, at: string, only: string | undefined): ChunkAnswer {
  const programs = loadPrograms();
  let text = "";
  let refused = 0;
  for (const { number, text: line } of lines) {
    let answer: unknown;
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (error) {
        throw new CalcInputError("E9101", `${path}:${number}`, `JSONとして読めません: ${(error as Error).message}`);
      }
      answer = { line: number, ...calculate(checkProfile(parsed), at, programs, only) };
    } catch (error) {
      if (!(error instanceof CalcInputError)) throw error;
      refused++;
      answer = { line: number, code: error.code, message: error.message, field: error.field };
    }
    text += `${JSON.stringify(answer)}\n`;
  }
  return { text, answered: lines.length, refused };
}

/** What the worker pool answers: lines of a --batch file, or the profiles made from the records (--all-facilities). */
export type CalcChunk =
  | { kind: "lines"; lines: BatchLine[]; path: string; at: string; only: string | undefined }
  | { kind: "facilities"; facilities: CodedProfile[]; at: string; only: string | undefined };

/** A chunk's answer lines, the bad lines among them, and for facilities what the summary counts. */
export interface ChunkAnswer {
  text: string;
  /** Lines answered (one per input line or facility). */
  answered: number;
  refused: number;
  tally?: Tally;
}

/** Answers a chunk, in a worker or inline: each facility's line `{ code, at, results }`, counted for the summary. */
export function answerChunk(chunk: CalcChunk): ChunkAnswer {
  if (chunk.kind === "lines") return answerLines(chunk.lines, chunk.path, chunk.at, chunk.only);
  const programs = loadPrograms();
  const tally = emptyTally();
  let text = "";
  for (const { code, profile } of chunk.facilities) {
    const output = calculate(profile, chunk.at, programs, chunk.only);
    countFacility(tally, output.results);
    text += `${JSON.stringify({ code, ...output })}\n`;
  }
  return { text, answered: chunk.facilities.length, refused: 0, tally };
}
