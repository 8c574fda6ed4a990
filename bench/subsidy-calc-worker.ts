// One of the subsidy benchmark's two workers (one per core): makes its range of synthetic profiles
// chunk by chunk (not timed) and times, on each chunk, what `--batch` does per line — parse,
// validate, every program, serialise the answer — against the bare parse and serialise.
import { parentPort, workerData } from "node:worker_threads";
import { calculate } from "../src/subsidy/engine.ts";
import { loadPrograms } from "../src/subsidy/program-data.ts";
import { validateProfile } from "../src/subsidy/profile.ts";
import { syntheticProfileLine } from "./subsidy-profiles.ts";

const { from, to, count, at } = workerData as { from: number; to: number; count: number; at: string };
const CHUNK = 5_000;
const programs = loadPrograms();
let onshiMs = 0;
let baselineMs = 0;
let answerBytes = 0;
const eligible: Record<string, number> = {};

for (let start = from; start < to; start += CHUNK) {
  const lines: string[] = [];
  for (let i = start; i < Math.min(to, start + CHUNK); i++) lines.push(syntheticProfileLine(i, count));

  let t = performance.now();
  for (const line of lines) answerBytes -= JSON.stringify({ line: 0, at: "", results: [JSON.parse(line)] }).length;
  baselineMs += performance.now() - t;

  t = performance.now();
  for (const line of lines) {
    const output = calculate(validateProfile(JSON.parse(line)), at, programs);
    answerBytes += JSON.stringify({ line: 0, ...output }).length;
    for (const r of output.results) if (r.eligible === true) eligible[r.program] = (eligible[r.program] ?? 0) + 1;
  }
  onshiMs += performance.now() - t;
}
parentPort!.postMessage({ onshiMs, baselineMs, answerBytes, eligible });
