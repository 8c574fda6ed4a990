// What usage recording costs the database itself (docs/usage.md 「記録」): the 個別照会's own lookup
// statement (findQualificationsForFacility, 1,000,000 persons) at a fixed concurrency, bare and with
// the usage record written alongside it, alternating in the same run. The qualification-check
// benchmark measures the same over HTTP, where the server's and the client's work dilute it; this
// one isolates the write, so its extra CPU time per check can be set against a whole request's.
// A third mode writes the least a statement can write (one row into an unlogged table without an
// index): what any record committed with the answer costs at the least.
import { availableParallelism, loadavg } from "node:os";
import { openDb, type Db } from "../src/db/client.ts";
import { DEMO_FACILITIES } from "../src/seed/demo.ts";
import { findQualificationsForFacility, type SearchKey } from "../src/store/qualification-store.ts";
import type { Alongside } from "../src/store/alongside.ts";
import { usageRecord } from "../src/store/usage-record-store.ts";
import { median, preparePopulation } from "./support.ts";

const CONNECTIONS = 8;
const SECONDS = Number(process.env.BENCH_RECORDING_SQL_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_RECORDING_ROUNDS ?? 4);

type Mode = "off" | "on" | "floor";
const MODES: Mode[] = ["off", "on", "floor"];

const FLOOR: Alongside = () => ({ sql: "insert into bench_write_floor values (1)", values: [] });

/** Lookups per second for `seconds`, CONNECTIONS at a time, with the mode's write alongside each. */
async function lookups(db: Db, keys: SearchKey[], mode: Mode, seconds: number): Promise<number> {
  const facility = DEMO_FACILITIES[0]!.code;
  const day = new Date().toISOString().slice(0, 10);
  const record = mode === "on" ? usageRecord({ facilityCode: facility, day, method: "insurance_number", transport: "webapi", count: 1 }, true) : mode === "floor" ? [FLOOR] : [];
  const until = performance.now() + seconds * 1000;
  let done = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        await findQualificationsForFacility(db, keys[next++ % keys.length]!, facility, record);
        done++;
      }
    }),
  );
  return done / seconds;
}

export async function benchUsageRecording() {
  const { url } = await preparePopulation();
  const db = await openDb({ url, poolSize: CONNECTIONS });
  try {
    const keys = (
      await db.query<{ insurer_number: string; insured_identification_number: string; insured_card_symbol: string | null; insured_branch_number: string | null }>(
        "select insurer_number, insured_identification_number, insured_card_symbol, insured_branch_number from qualifications tablesample system (1) limit 5000",
      )
    ).map((r) => ({ insurerNumber: r.insurer_number, insuredIdentificationNumber: r.insured_identification_number, insuredCardSymbol: r.insured_card_symbol ?? undefined, insuredBranchNumber: r.insured_branch_number ?? undefined }));
    await db.exec("create unlogged table if not exists bench_write_floor (n int); truncate bench_write_floor");
    for (const mode of MODES) await lookups(db, keys, mode, 2); // warm the caches and the counter's row
    const runs: Record<Mode, number[]> = { off: [], on: [], floor: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) runs[mode].push(Math.round(await lookups(db, keys, mode, SECONDS)));
    }
    const mean = (list: number[]) => list.reduce((s, v) => s + v, 0) / list.length;
    // The median of the rounds' ratios to the bare lookup of the same round.
    const ratioOf = (mode: Mode) => Number(median(runs[mode].map((r, i) => r / runs.off[i]!)).toFixed(3));
    // The cores are saturated in every run, so a statement's CPU time is cores ÷ rate; the
    // difference is what the write adds to each check (on a quiet machine: others' load inflates it).
    const cores = availableParallelism();
    const extra = (mode: Mode) => Math.round((cores * 1e6) / mean(runs[mode]) - (cores * 1e6) / mean(runs.off));
    const ratio = ratioOf("on");
    return {
      name: "usage-recording",
      description: "the 個別照会's lookup statement on PostgreSQL (1,000,000 persons), bare and with the usage record written alongside it, alternating",
      connections: CONNECTIONS,
      seconds: SECONDS,
      rounds: ROUNDS,
      withRecording: { statementsPerSecond: Math.round(mean(runs.on)), runs: runs.on, extraMicrosecondsPerCheck: extra("on") },
      withoutRecording: { statementsPerSecond: Math.round(mean(runs.off)), runs: runs.off },
      leastWrite: { statementsPerSecond: Math.round(mean(runs.floor)), runs: runs.floor, extraMicrosecondsPerCheck: extra("floor"), ratio: ratioOf("floor") },
      ratio,
      cost: Number((1 - ratio).toFixed(3)),
      cores,
      loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    };
  } finally {
    await db.close();
  }
}
