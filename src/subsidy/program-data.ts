// The program data files (src/subsidy/programs/<id>.json, imported as modules: the engine touches
// no file system) and the program modules built from them. Everything a file holds is plain data
// checked by the program's own parser, so a broken file fails here (E9105) and not mid-calculation.
import { ProgramDataError, type ProgramModule } from "./engine.ts";
import { fund2020Program } from "./programs/fund-2020.ts";
import { modification2024Programs, modificationData } from "./programs/modification-common.ts";
import { modification2025Program } from "./programs/modification-2025.ts";
import { parseParameters } from "./parameters.ts";
import { support2024Programs } from "./programs/support-2024.ts";
import { lumpSum2024Program } from "./programs/lump-sum-2024.ts";
import { dxAdditionProgram } from "./programs/dx-addition.ts";
import { readerExpansionProgram } from "./programs/reader-expansion-2024.ts";
import dxAddition from "./programs/dx-addition.json" with { type: "json" };
import fund2020 from "./programs/fund-2020.json" with { type: "json" };
import lumpSum2024 from "./programs/lump-sum-2024.json" with { type: "json" };
import modification2025 from "./programs/modification-2025.json" with { type: "json" };
import modificationDa2024 from "./programs/modification-da-2024.json" with { type: "json" };
import modificationMhlw2024 from "./programs/modification-mhlw-2024.json" with { type: "json" };
import readerExpansion2024 from "./programs/reader-expansion-2024.json" with { type: "json" };
import support2024 from "./programs/support-2024.json" with { type: "json" };

/** Every data file by its name (without .json). */
const PROGRAM_FILES: Readonly<Record<string, unknown>> = {
  "dx-addition": dxAddition,
  "fund-2020": fund2020,
  "lump-sum-2024": lumpSum2024,
  "modification-2025": modification2025,
  "modification-da-2024": modificationDa2024,
  "modification-mhlw-2024": modificationMhlw2024,
  "reader-expansion-2024": readerExpansion2024,
  "support-2024": support2024,
};

/** The data files' names, sorted. */
export const PROGRAM_FILE_NAMES: readonly string[] = Object.keys(PROGRAM_FILES).sort();

/**
 * A program as registered: its data file's name and how to build the module from the file's
 * parsed JSON. One data file may define several programs (support-2024-h1 and -h2 share theirs).
 */
export interface ProgramDefinition {
  file: string;
  build(raw: unknown): ProgramModule[];
}

/** Every program, in the order results are given. */
const DEFINITIONS: readonly ProgramDefinition[] = [
  { file: "fund-2020", build: (raw) => [fund2020Program(parseParameters(raw, "fund-2020.json"))] },
  { file: "support-2024", build: (raw) => support2024Programs(parseParameters(raw, "support-2024.json")) },
  { file: "lump-sum-2024", build: (raw) => [lumpSum2024Program(parseParameters(raw, "lump-sum-2024.json"))] },
  { file: "reader-expansion-2024", build: (raw) => [readerExpansionProgram(parseParameters(raw, "reader-expansion-2024.json"))] },
  // The three modification programs are built together: the 2024 pair share the one-time rule and
  // the 厚生労働省 ※3 floor, and 2025 looks at the 2024 projects (modification-common.ts).
  {
    file: "modification-da-2024",
    build: (raw) => {
      const da = modificationData(parseParameters(raw, "modification-da-2024.json"));
      const mhlw = modificationData(parseParameters(readProgramFile("modification-mhlw-2024"), "modification-mhlw-2024.json"));
      const y2025 = modificationData(parseParameters(readProgramFile("modification-2025"), "modification-2025.json"));
      return [...modification2024Programs(da, mhlw), modification2025Program(y2025, da, mhlw)];
    },
  },
  { file: "dx-addition", build: (raw) => [dxAdditionProgram(parseParameters(raw, "dx-addition.json"))] },
];

/** Program ids in the order results are given (kept equal to what loadPrograms builds by a test). */
export const PROGRAM_IDS = ["fund-2020", "support-2024-h1", "support-2024-h2", "lump-sum-2024", "reader-expansion-2024", "modification-da-2024", "modification-mhlw-2024", "modification-2025", "dx-addition"] as const;

/** A data file's content, a fresh copy each call (callers may change it). */
export function readProgramFile(file: string): unknown {
  if (!Object.hasOwn(PROGRAM_FILES, file)) throw new ProgramDataError("E9105", `補助金プログラムのデータファイルが不正です。(${file}.json: ありません)`);
  return structuredClone(PROGRAM_FILES[file]);
}

let cache: ProgramModule[] | undefined;

/** Every program, parsed once per process. */
export function loadPrograms(): ProgramModule[] {
  cache ??= DEFINITIONS.flatMap((d) => d.build(readProgramFile(d.file)));
  return cache;
}
