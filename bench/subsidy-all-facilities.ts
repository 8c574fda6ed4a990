// `onshi subsidy calc --all-facilities` on the simulated nation (bench/support.ts prepareNation:
// 229,717 facilities × 2023-10〜2025-10 on PostgreSQL), as a user runs it: every facility's profile
// made from the records (keyset pages) and calculated on the worker pool, one JSON line per
// facility and the summary, from the process start to the last line written. Aim (issue 15): ≤ 2
// minutes. Baseline in the same run: the engine alone on the same profiles read from a file,
// `onshi subsidy calc --batch profiles.jsonl` (the file written first, untimed, from the same
// records); the answers of both are checked to be the same, line for line.
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { openDb } from "../src/db/client.ts";
import { usageProfilePages } from "../src/services/usage-profile.ts";
import { NATION_FACILITIES, prepareNation, root } from "./support.ts";
import { timed } from "./subsidy-calc.ts";

const DB_NAME = process.env.BENCH_NATION_DB ?? "onshi_bench_nation";
const AT = "2025-11-01";
const JOBS = 2;
const TARGET_SECONDS = 120;

/** Writes every facility's profile, one JSON line each in code order (what --batch reads). */
async function writeProfiles(url: string, path: string): Promise<number> {
  const db = await openDb({ url, poolSize: 1 });
  const out = createWriteStream(path);
  let count = 0;
  try {
    for await (const page of usageProfilePages(db, AT)) {
      let text = "";
      for (const { profile } of page) text += `${JSON.stringify(profile)}\n`;
      count += page.length;
      if (!out.write(text)) await once(out, "drain");
    }
  } finally {
    out.end();
    await once(out, "close");
    await db.close();
  }
  return count;
}

/**
 * Whether the two answer files say the same for each facility: `{ code, at, results }` against
 * `{ line, at, results }`, compared from `"at"` on. The summary line of the first is returned.
 */
async function sameAnswers(facilitiesPath: string, batchPath: string): Promise<{ same: boolean; lines: number; summary: unknown }> {
  const batch = createInterface({ input: createReadStream(batchPath, "utf8"), crlfDelay: Infinity })[Symbol.asyncIterator]();
  let lines = 0;
  let same = true;
  let summary: unknown = null;
  for await (const line of createInterface({ input: createReadStream(facilitiesPath, "utf8"), crlfDelay: Infinity })) {
    if (line.startsWith('{"summary"')) {
      summary = JSON.parse(line).summary;
      continue;
    }
    const other = await batch.next();
    lines++;
    if (other.done || line.slice(line.indexOf('"at"')) !== other.value.slice(other.value.indexOf('"at"'))) same = false;
  }
  if (!(await batch.next()).done) same = false;
  return { same, lines, summary };
}

export async function benchSubsidyAllFacilities() {
  const { url, simulateSeconds } = await prepareNation(DB_NAME);
  const dir = await mkdtemp(join(tmpdir(), "onshi-bench-all-facilities-"));
  try {
    const answers = join(dir, "answers.jsonl");
    const seconds = await timed([root("bin/onshi.js"), "subsidy", "calc", "--all-facilities", "--at", AT, "--jobs", String(JOBS)], answers, { DATABASE_URL: url });
    const profiles = join(dir, "profiles.jsonl");
    const written = await writeProfiles(url, profiles);
    const batchAnswers = join(dir, "batch.jsonl");
    const batchSeconds = await timed([root("bin/onshi.js"), "subsidy", "calc", "--batch", profiles, "--at", AT, "--jobs", String(JOBS)], batchAnswers);
    const check = await sameAnswers(answers, batchAnswers);
    if (check.lines !== written) throw new Error(`--all-facilities answered ${check.lines} facilities, the profiles file has ${written}`);
    return {
      name: "subsidy-all-facilities",
      database: "PostgreSQL",
      facilities: written,
      simulated: `onshi simulate --facilities ${NATION_FACILITIES} --from 2023-10 --to 2025-10`,
      simulateSeconds: simulateSeconds === null ? null : round(simulateSeconds),
      calculatedAt: AT,
      jobs: JOBS,
      allFacilities: { seconds: round(seconds), facilitiesPerSecond: Math.round(written / seconds), answersMB: round((await stat(answers)).size / 1e6), target: { seconds: TARGET_SECONDS, met: seconds <= TARGET_SECONDS } },
      baseline: { seconds: round(batchSeconds), what: "onshi subsidy calc --batch on the same profiles read from a file (the engine alone, no database)", profilesMB: round((await stat(profiles)).size / 1e6) },
      ratio: round(batchSeconds / seconds),
      sameAnswers: check.same,
      summary: check.summary,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
