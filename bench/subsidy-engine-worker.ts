// One of the subsidy benchmark's engine workers (one per core): takes its range of synthetic
// profiles chunk by chunk — making, parsing and validating a chunk is not timed — and times
// calculate(), every program, over each chunk. Chunks keep the heap as small as the batch's.
import { parentPort, workerData } from "node:worker_threads";
import { calculate } from "../src/subsidy/engine.ts";
import { loadPrograms } from "../src/subsidy/program-data.ts";
import { validateProfile, type FacilityProfile } from "../src/subsidy/profile.ts";
import { syntheticProfileLine } from "./subsidy-profiles.ts";

const { from, to, count, at } = workerData as { from: number; to: number; count: number; at: string };
const CHUNK = 5_000;
const programs = loadPrograms();
const eligible: Record<string, number> = {};
let ms = 0;
for (let start = from; start < to; start += CHUNK) {
  const profiles: FacilityProfile[] = [];
  for (let i = start; i < Math.min(to, start + CHUNK); i++) profiles.push(validateProfile(JSON.parse(syntheticProfileLine(i, count))));
  const started = performance.now();
  for (const profile of profiles) {
    for (const r of calculate(profile, at, programs).results) if (r.eligible === true) eligible[r.program] = (eligible[r.program] ?? 0) + 1;
  }
  ms += performance.now() - started;
}
parentPort!.postMessage({ ms, eligible });
