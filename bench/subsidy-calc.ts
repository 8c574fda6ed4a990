// Every subsidy program for 230,000 synthetic facility profiles (about the number of facilities in
// Japan) on the 2 cores, measured two ways:
// - engine: calculate() over profiles already parsed and validated, in two workers — the rules
//   themselves (the aim of issue 5, ≤ 10 s, is read as this);
// - batch: as a user runs it, `onshi subsidy calc --batch profiles.jsonl --jobs 2 > answers.jsonl`,
//   from the process start to the last answer written (reading, checking and writing included).
// Baseline in the same run: a bare Node process reading the same file line by line, parsing each
// profile and writing it back as JSON — the least any batch over these lines does.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { startTsWorker } from "../src/cli/ts-worker.ts";
import { PROGRAM_IDS } from "../src/subsidy/program-data.ts";
import { syntheticProfileLine } from "./subsidy-profiles.ts";

const COUNT = Number(process.env.BENCH_SUBSIDY_PROFILES ?? 230_000);
const JOBS = 2;
const AT = "2025-06-01";
const TARGET_SECONDS = 10;
const BIN = fileURLToPath(new URL("../bin/onshi.js", import.meta.url));

const BASELINE_SCRIPT = `
const { createReadStream, createWriteStream } = require("node:fs");
const { createInterface } = require("node:readline");
const out = createWriteStream(process.argv[2]);
(async () => {
  for await (const line of createInterface({ input: createReadStream(process.argv[1], "utf8"), crlfDelay: Infinity })) {
    if (!out.write(JSON.stringify(JSON.parse(line)) + "\\n")) await new Promise((r) => out.once("drain", r));
  }
  out.end();
})();`;

/** Wall-clock seconds of a child process, its standard output going to `outFile`. */
export async function timed(args: string[], outFile: string, env: NodeJS.ProcessEnv = {}): Promise<number> {
  const out = createWriteStream(outFile);
  await once(out, "open");
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ["ignore", out, "inherit"], env: { ...process.env, ...env } });
  const [code] = (await once(child, "exit")) as [number | null];
  const seconds = (performance.now() - started) / 1000;
  out.close();
  if (code !== 0) throw new Error(`node ${args.slice(0, 3).join(" ")} … exited ${code}`);
  return seconds;
}

/** Seconds of calculate() over all profiles in JOBS workers side by side (the slower one's), and who was eligible. */
async function engineSeconds(): Promise<{ seconds: number; eligible: Record<string, number> }> {
  const share = Math.ceil(COUNT / JOBS);
  const figures = await Promise.all(
    Array.from({ length: JOBS }, async (_, w) => {
      const worker = startTsWorker(new URL("./subsidy-engine-worker.ts", import.meta.url), { from: w * share, to: Math.min(COUNT, (w + 1) * share), count: COUNT, at: AT });
      const [message] = (await once(worker, "message")) as [{ ms: number; eligible: Record<string, number> }];
      await worker.terminate();
      return message;
    }),
  );
  const eligible = Object.fromEntries(PROGRAM_IDS.map((id) => [id, figures.reduce((sum, f) => sum + (f.eligible[id] ?? 0), 0)]));
  return { seconds: Math.max(...figures.map((f) => f.ms)) / 1000, eligible };
}

export async function benchSubsidyCalc() {
  const dir = await mkdtemp(join(tmpdir(), "onshi-bench-subsidy-"));
  try {
    const input = join(dir, "profiles.jsonl");
    await pipeline(
      Readable.from((function* () {
        for (let i = 0; i < COUNT; i++) yield `${syntheticProfileLine(i, COUNT)}\n`;
      })()),
      createWriteStream(input),
    );
    const engine = await engineSeconds();
    const baselineSeconds = await timed(["-e", BASELINE_SCRIPT, input, join(dir, "baseline.jsonl")], join(dir, "baseline.out"));
    const answers = join(dir, "answers.jsonl");
    const onshiSeconds = await timed([BIN, "subsidy", "calc", "--batch", input, "--at", AT, "--jobs", String(JOBS)], answers);
    return {
      name: "subsidy-calc",
      profiles: COUNT,
      programs: PROGRAM_IDS.length,
      calculatedAt: AT,
      jobs: JOBS,
      inputMB: round((await stat(input)).size / 1e6),
      answersMB: round((await stat(answers)).size / 1e6),
      engine: { seconds: round(engine.seconds), profilesPerSecond: Math.round(COUNT / engine.seconds), target: { seconds: TARGET_SECONDS, met: engine.seconds <= TARGET_SECONDS } },
      batch: { seconds: round(onshiSeconds), profilesPerSecond: Math.round(COUNT / onshiSeconds), target: { seconds: TARGET_SECONDS, met: onshiSeconds <= TARGET_SECONDS } },
      baseline: { seconds: round(baselineSeconds), what: "one Node process: read each line, JSON.parse, JSON.stringify, write" },
      ratio: { batch: round(baselineSeconds / onshiSeconds) },
      eligibleProfiles: engine.eligible,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
