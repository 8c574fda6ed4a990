// Folder gateway latency: a 個別照会 request file → its answer in res, measured from the moment
// the file is written until the answer appears (seen by fs.watch on res, as a polling client
// would see it at best), against onshi serve on PostgreSQL with the bench population, and in the
// same run against a bare fs.watch loop (bench/baseline-folder.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { watch } from "node:fs";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { DEMO_FACILITIES } from "../src/seed/demo.ts";
import { CONFIRMATION_DATE, PERSONS, preparePopulation, root, sampleSearchKeys, startServer, stopServer, type SearchKeyRow } from "./support.ts";

const SEQUENTIAL = Number(process.env.BENCH_FOLDER_FILES ?? 300);
const CONCURRENT = 8;
const BATCHES = Number(process.env.BENCH_FOLDER_BATCHES ?? 30);
const ONSHI_PORT = 18082;

function requestFile(key: SearchKeyRow, facilityCode: string): Buffer {
  const fields = Object.entries(key).map(([name, value]) => `<${name}>${value}</${name}>`).join("");
  const xml = `<?xml version="1.0" encoding="Shift_JIS" standalone="no"?>\r\n<XmlMsg><MessageHeader><QualificationConfirmationDate>${CONFIRMATION_DATE}</QualificationConfirmationDate><MedicalInstitutionCode>${facilityCode}</MedicalInstitutionCode></MessageHeader><MessageBody><QualificationConfirmSearchInfo>${fields}</QualificationConfirmSearchInfo></MessageBody></XmlMsg>\r\n`;
  return iconv.encode(xml, "cp932");
}

interface Latency {
  files: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Writes the files (one at a time, then in batches written at once) and times each answer. */
async function measure(oqsRoot: string, files: Buffer[]): Promise<{ sequential: Latency; concurrent: Latency }> {
  const waiting = new Map<string, () => void>();
  const watcher = watch(join(oqsRoot, "res"), (_event, name) => {
    if (name) waiting.get(name)?.();
  });
  let sequence = 0;
  const one = async (bytes: Buffer): Promise<number> => {
    const name = `OQSsiquc01req_20260401${String(++sequence).padStart(6, "0")}.xml`;
    const answered = new Promise<void>((resolve) => waiting.set(name.replace("req_", "res_"), resolve));
    const started = performance.now();
    await writeFile(join(oqsRoot, "req", name), bytes);
    await answered;
    return performance.now() - started;
  };
  try {
    for (let i = 0; i < 20; i++) await one(files[i % files.length]!); // warm-up
    const sequential: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) sequential.push(await one(files[i % files.length]!));
    const concurrent: number[] = [];
    for (let b = 0; b < BATCHES; b++) {
      concurrent.push(...(await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => one(files[(b * CONCURRENT + i) % files.length]!)))));
    }
    return { sequential: summarize(sequential), concurrent: summarize(concurrent) };
  } finally {
    watcher.close();
  }
}

function summarize(ms: number[]): Latency {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1));
  return { files: ms.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
}

async function freshRoot(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "onshi-bench-oqs-"));
  for (const sub of ["req", "res"]) await mkdir(join(dir, sub));
  return dir;
}

export async function benchFolderLatency() {
  const { url } = await preparePopulation();
  const facility = DEMO_FACILITIES[0]!;
  const files = (await sampleSearchKeys(url, 1000)).map((key) => requestFile(key, facility.code));

  const onshiRoot = await freshRoot();
  const onshi = await startServer([root("bin/onshi.js"), "serve", "--demo", "--port", String(ONSHI_PORT), "--oqs-root", onshiRoot, "--character-code", "1"], ONSHI_PORT, {
    DATABASE_URL: url,
    LOG_LEVEL: "error",
  });
  let onshiResult;
  try {
    onshiResult = await measure(onshiRoot, files);
  } finally {
    await stopServer(onshi);
    await rm(onshiRoot, { recursive: true, force: true });
  }

  const baselineRoot = await freshRoot();
  const baseline: ChildProcess = spawn(process.execPath, ["--import", "tsx", root("bench/baseline-folder.ts"), baselineRoot], { stdio: ["ignore", "pipe", "inherit"] });
  let baselineResult;
  try {
    await once(baseline.stdout!, "data");
    baselineResult = await measure(baselineRoot, files);
  } finally {
    await stopServer(baseline);
    await rm(baselineRoot, { recursive: true, force: true });
  }

  return {
    name: "folder-latency",
    description:
      "個別照会 by file (OQSsiquc01req in Shift_JIS → res), from the request's write to the answer's appearance, onshi serve on PostgreSQL; " +
      "baseline: a bare fs.watch loop that reads the file and durably writes a fixed answer",
    persons: PERSONS,
    concurrentFilesPerBatch: CONCURRENT,
    onshi: onshiResult,
    baseline: baselineResult,
    ratio: {
      sequentialP50: Number((onshiResult.sequential.p50Ms / baselineResult.sequential.p50Ms).toFixed(2)),
      sequentialP99: Number((onshiResult.sequential.p99Ms / baselineResult.sequential.p99Ms).toFixed(2)),
    },
    targets: { p50Ms: 100, p99Ms: 300 },
  };
}
