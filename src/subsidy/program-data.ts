// Reads the program data files (src/subsidy/programs/<id>.json) and builds the program modules.
// The only module of the engine that touches the file system; everything it returns is plain data
// checked by the program's own parser, so a broken file fails here (E9105) and not mid-calculation.
import { readFileSync } from "node:fs";
import { ProgramDataError, type ProgramModule } from "./engine.ts";
import { fund2020Program, parseFund2020Data } from "./programs/fund-2020.ts";

/** Program ids in the order results are given. */
export const PROGRAM_IDS = ["fund-2020"] as const;

export function readProgramFile(id: string): unknown {
  const url = new URL(`./programs/${id}.json`, import.meta.url);
  let text: string;
  try {
    text = readFileSync(url, "utf8");
  } catch {
    throw new ProgramDataError("E9105", `補助金プログラムのデータファイルが不正です。(${id}.json: 読み込めません)`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProgramDataError("E9105", `補助金プログラムのデータファイルが不正です。(${id}.json: ${(error as Error).message})`);
  }
}

let cache: ProgramModule[] | undefined;

/** Every program, parsed once per process. */
export function loadPrograms(): ProgramModule[] {
  cache ??= [fund2020Program(parseFund2020Data(readProgramFile("fund-2020")))];
  return cache;
}
