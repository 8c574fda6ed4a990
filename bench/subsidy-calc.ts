// Every subsidy program for 230,000 synthetic facility profiles (about the number of facilities in
// Japan) on 2 cores: two workers each take half the profiles and do per line what
// `onshi subsidy calc --batch` does (parse, validate, every program, serialise the answer).
// Baseline in the same run and the same workers: parse each line and serialise it back — the least
// any batch over these lines does. Aim (issue 5): ≤ 10 s. The profiles are made outside the timing.
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { PROGRAM_IDS } from "../src/subsidy/program-data.ts";

const COUNT = Number(process.env.BENCH_SUBSIDY_PROFILES ?? 230_000);
const WORKERS = 2;
const AT = "2025-06-01";
const TARGET_SECONDS = 10;
const WORKER = new URL("./subsidy-calc-worker.ts", import.meta.url).href;

interface WorkerFigures {
  onshiMs: number;
  baselineMs: number;
  answerBytes: number;
  eligible: Record<string, number>;
}

export async function benchSubsidyCalc() {
  const share = Math.ceil(COUNT / WORKERS);
  const figures = await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      // Node 20 does not pass tsx's loader to a worker's entry: a one-line script registers it first.
      const worker = new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER)}); })`, {
        eval: true,
        workerData: { from: w * share, to: Math.min(COUNT, (w + 1) * share), count: COUNT, at: AT },
      });
      const [message] = (await once(worker, "message")) as [WorkerFigures];
      await worker.terminate();
      return message;
    }),
  );
  // The workers run side by side: the wall time is the slower one's.
  const onshiSeconds = Math.max(...figures.map((f) => f.onshiMs)) / 1000;
  const baselineSeconds = Math.max(...figures.map((f) => f.baselineMs)) / 1000;
  const eligible = Object.fromEntries(PROGRAM_IDS.map((id) => [id, figures.reduce((sum, f) => sum + (f.eligible[id] ?? 0), 0)]));
  return {
    name: "subsidy-calc",
    profiles: COUNT,
    calculatedAt: AT,
    programs: PROGRAM_IDS.length,
    workers: WORKERS,
    onshi: { seconds: round(onshiSeconds), profilesPerSecond: Math.round(COUNT / onshiSeconds), extraAnswerMB: round(figures.reduce((s, f) => s + f.answerBytes, 0) / 1e6) },
    baseline: { seconds: round(baselineSeconds), what: "JSON.parse and JSON.stringify of each profile line, in the same workers" },
    ratio: round(baselineSeconds / onshiSeconds),
    target: { seconds: TARGET_SECONDS, met: onshiSeconds <= TARGET_SECONDS },
    eligibleProfiles: eligible,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
