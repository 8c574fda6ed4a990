// Shared pieces of the benchmarks: a fresh PostgreSQL database, child servers, load runs.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import autocannon, { type Request } from "autocannon";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const PG_ADMIN_URL = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function databaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export function recreateDatabase(name: string): Promise<string> {
  return withAdmin(async (admin) => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    return databaseUrl(name);
  });
}

async function withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** The comment on a database, or null when it has none or does not exist. */
export function databaseComment(name: string): Promise<string | null> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query("select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1", [name]);
    return rows[0]?.comment ?? null;
  });
}

export function setDatabaseComment(name: string, comment: string): Promise<void> {
  return withAdmin(async (admin) => {
    await admin.query(`comment on database ${name} is ${pg.escapeLiteral(comment)}`);
  });
}

/** Runs a command to completion, passing its output through; rejects on a non-zero exit. */
export async function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (chunk) => (out += chunk));
  const [code] = await once(child, "exit");
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}`);
  return out;
}

/** Starts a server process and waits until it answers on its port. */
export async function startServer(args: string[], port: number, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server ${args.join(" ")} exited with ${child.exitCode}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  child.kill("SIGKILL");
  throw new Error(`server ${args.join(" ")} did not start`);
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
  /** Each status other than 2xx of the timed run: how many, and the start of the first answer's body. */
  refusals?: Record<string, { count: number; first: string }>;
}

/** POSTs bodies in turn at a fixed concurrency for a duration (after a warm-up). */
export async function load(options: {
  url: string;
  headers?: Record<string, string>;
  bodies: string[];
  connections: number;
  seconds: number;
  warmupSeconds?: number;
}): Promise<LoadResult> {
  let next = 0;
  let refusals: Record<string, { count: number; first: string }> = {};
  const request: Request = {
    method: "POST",
    headers: { "content-type": "application/json;charset=UTF-8", ...options.headers },
    setupRequest: (req: Request) => ({ ...req, body: options.bodies[next++ % options.bodies.length] }),
    // A benchmark that counts refusals must say what they were.
    onResponse: (status: number, body: string) => {
      if (status >= 200 && status < 300) return;
      const seen = (refusals[status] ??= { count: 0, first: body.slice(0, 300) });
      seen.count++;
    },
  };
  const runOnce = (seconds: number) =>
    autocannon({ url: options.url, connections: options.connections, duration: seconds, requests: [request] });
  if (options.warmupSeconds) await runOnce(options.warmupSeconds);
  refusals = {};
  const result = await runOnce(options.seconds);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    ...(result.non2xx > 0 ? { refusals } : {}),
  };
}

/** The 1,000,000-person population the benchmarks share (BENCH_PERSONS to change it). */
export const PERSONS = Number(process.env.BENCH_PERSONS ?? 1_000_000);
const SEED = 1;
/** The bench database (BENCH_DATABASE to use another, say one's own on a shared server). */
const DB_NAME = process.env.BENCH_DATABASE ?? "onshi_bench";
export const CONFIRMATION_DATE = "20260401";
export const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/**
 * Seeds the bench database once; a later run reuses it when it holds the same population. The
 * population is recorded as the database's comment (the demo that `serve --demo` adds to it
 * changes the row counts, so they cannot tell).
 */
export async function preparePopulation(): Promise<{ url: string; seedSeconds: number | null }> {
  const url = databaseUrl(DB_NAME);
  const population = `onshi seed --persons ${PERSONS} --seed ${SEED}`;
  if ((await databaseComment(DB_NAME)) === population) return { url, seedSeconds: null };
  await recreateDatabase(DB_NAME);
  const started = performance.now();
  await run(process.execPath, [root("bin/onshi.js"), "seed", "--persons", String(PERSONS), "--seed", String(SEED), "--json"], { DATABASE_URL: url });
  const seedSeconds = (performance.now() - started) / 1000;
  await setDatabaseComment(DB_NAME, population);
  return { url, seedSeconds };
}

/** The simulated nation the usage benchmarks read (BENCH_NATION_FACILITIES to change its size). */
export const NATION_FACILITIES = Number(process.env.BENCH_NATION_FACILITIES ?? 229_717);

/**
 * `onshi simulate` of NATION_FACILITIES facilities, 2023-10〜2025-10, into database `name` once; a
 * later run reuses it when its comment names the same simulation. simulateSeconds is null then.
 */
export async function prepareNation(name: string): Promise<{ url: string; simulateSeconds: number | null }> {
  const url = databaseUrl(name);
  const simulation = `onshi simulate --facilities ${NATION_FACILITIES} --from 2023-10 --to 2025-10 --seed ${SEED}`;
  if ((await databaseComment(name)) === simulation) return { url, simulateSeconds: null };
  await recreateDatabase(name);
  const started = performance.now();
  await run(process.execPath, [root("bin/onshi.js"), ...simulation.split(" ").slice(1), "--json"], { DATABASE_URL: url });
  const simulateSeconds = (performance.now() - started) / 1000;
  await setDatabaseComment(name, simulation);
  return { url, simulateSeconds };
}

/** A QualificationConfirmSearchInfo as a client sends it. */
export type SearchKeyRow = Record<string, string>;

/** Search keys of random persons of the population, as clients send them. */
export async function sampleSearchKeys(url: string, count: number): Promise<SearchKeyRow[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select q.insurer_number, q.insured_card_symbol, q.insured_identification_number, q.insured_branch_number,
              to_char(p.birthdate, 'YYYYMMDD') as birthdate
       from qualifications q tablesample system ($2) join persons p on p.person_id = q.person_id limit $1`,
      // About 1.1 qualifications a person: sample half again as many pages as the count needs.
      [count, Math.min(100, Math.max(1, (count / PERSONS) * 150))],
    );
    return rows.map((r) => {
      const key: SearchKeyRow = { InsurerNumber: r.insurer_number.padStart(8, " ") };
      if (r.insured_card_symbol) key.InsuredCardSymbol = r.insured_card_symbol;
      key.InsuredIdentificationNumber = r.insured_identification_number;
      if (r.insured_branch_number) key.InsuredBranchNumber = r.insured_branch_number;
      key.Birthdate = r.birthdate;
      key.LimitApplicationCertificateRelatedConsFlg = "1";
      return key;
    });
  } finally {
    await client.end();
  }
}

/** Rounds of the with/without-recording comparison (BENCH_RECORDING_ROUNDS). */
const RECORDING_ROUNDS = Number(process.env.BENCH_RECORDING_ROUNDS ?? 4);

/** The server's environment for a run with usage recording on, or off (only to measure its cost). */
export const recordingEnv = (on: boolean): NodeJS.ProcessEnv => ({ ONSHI_USAGE_RECORDING: on ? "on" : "off" });

/** The middle value (the mean of the two middle ones for an even count). */
export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * What recording each answered check costs: `measure` runs onshi with recording on and off, the
 * order alternating each round so that drift (caches warming, the neighbours' load) falls on both.
 * The cost is 1 − the median of the rounds' ratios (on ÷ off, the two runs side by side): the
 * machine's load swings between rounds far more than recording changes a run, and a round's two
 * runs share most of a swing; the means and every run are given beside it.
 */
export async function recordingCost<R>(measure: (recording: boolean) => Promise<R>, throughput: (run: R) => number) {
  const runs: { on: R[]; off: R[] } = { on: [], off: [] };
  for (let round = 0; round < RECORDING_ROUNDS; round++) {
    for (const on of round % 2 === 0 ? [false, true] : [true, false]) (on ? runs.on : runs.off).push(await measure(on));
  }
  const mean = (list: R[]) => list.reduce((sum, run) => sum + throughput(run), 0) / list.length;
  const roundRatios = runs.on.map((on, i) => throughput(on) / throughput(runs.off[i]!));
  const ratio = median(roundRatios);
  return {
    rounds: RECORDING_ROUNDS,
    withRecording: Math.round(mean(runs.on)),
    withoutRecording: Math.round(mean(runs.off)),
    roundRatios: roundRatios.map((r) => Number(r.toFixed(3))),
    ratio: Number(ratio.toFixed(3)),
    cost: Number((1 - ratio).toFixed(3)),
    target: { cost: 0.05 },
    runs,
  };
}
