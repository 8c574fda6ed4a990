// 個別照会 over HTTP against PostgreSQL with 1,000,000 persons at concurrency 32, against the
// bare baseline (bench/baseline-server.ts) in the same run.
import { fileURLToPath } from "node:url";
import pg from "pg";
import { DEMO_FACILITIES } from "../src/seed/demo.ts";
import { databaseComment, databaseUrl, load, recreateDatabase, run, setDatabaseComment, startServer, stopServer } from "./support.ts";

const PERSONS = Number(process.env.BENCH_PERSONS ?? 1_000_000);
const SEED = 1;
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const DB_NAME = "onshi_bench";
const CONFIRMATION_DATE = "20260401";
const ONSHI_PORT = 18080;
const BASELINE_PORT = 18081;
const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/**
 * Seeds the bench database once; a later run reuses it when it holds the same population. The
 * population is recorded as the database's comment (the demo that `serve --demo` adds to it
 * changes the row counts, so they cannot tell).
 */
async function preparePopulation(): Promise<{ url: string; seedSeconds: number | null }> {
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

async function sampleBodies(url: string, facilityCode: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query(
    `select q.insurer_number, q.insured_card_symbol, q.insured_identification_number, q.insured_branch_number,
            to_char(p.birthdate, 'YYYYMMDD') as birthdate
     from qualifications q tablesample system (1) join persons p on p.person_id = q.person_id limit 5000`,
  );
  await client.end();
  return rows.map((r) =>
    JSON.stringify({
      XmlMsg: {
        MessageHeader: { QualificationConfirmationDate: CONFIRMATION_DATE, MedicalInstitutionCode: facilityCode },
        MessageBody: {
          QualificationConfirmSearchInfo: {
            InsurerNumber: r.insurer_number.padStart(8, " "),
            InsuredCardSymbol: r.insured_card_symbol ?? undefined,
            InsuredIdentificationNumber: r.insured_identification_number,
            InsuredBranchNumber: r.insured_branch_number ?? undefined,
            Birthdate: r.birthdate,
            LimitApplicationCertificateRelatedConsFlg: "1",
          },
        },
      },
    }),
  );
}

export async function benchQualificationCheck() {
  const { url, seedSeconds } = await preparePopulation();
  const facility = DEMO_FACILITIES[0]!;
  // --demo loads the demo facility (and its credential) used to authenticate below.
  const onshi = await startServer([root("bin/onshi.js"), "serve", "--demo", "--port", String(ONSHI_PORT)], ONSHI_PORT, {
    DATABASE_URL: url,
    LOG_LEVEL: "error",
  });
  const bodies = await sampleBodies(url, facility.code);
  let onshiResult;
  try {
    const auth = await fetch(`http://127.0.0.1:${ONSHI_PORT}/oqs-api-pro/MSA12020/ILI12020SV01/auth`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ MedicalInstitutionCode: facility.code, Credential: facility.credential }),
    });
    const token = ((await auth.json()) as { result: { idToken: string } }).result.idToken;
    onshiResult = await load({
      url: `http://127.0.0.1:${ONSHI_PORT}/oqs-api-pro/MSA01030/ILI01030SV01/search`,
      headers: { authorization: token },
      bodies,
      connections: CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: 3,
    });
  } finally {
    await stopServer(onshi);
  }

  const baseline = await startServer(["--import", "tsx", root("bench/baseline-server.ts")], BASELINE_PORT, {
    DATABASE_URL: url,
    PORT: String(BASELINE_PORT),
  });
  let baselineResult;
  try {
    baselineResult = await load({ url: `http://127.0.0.1:${BASELINE_PORT}/search`, bodies, connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: 3 });
  } finally {
    await stopServer(baseline);
  }

  return {
    name: "qualification-check",
    description: "個別照会 over HTTP (WebAPI JSON) against PostgreSQL; baseline: bare Fastify + one indexed SELECT via pg",
    persons: PERSONS,
    connections: CONNECTIONS,
    seconds: SECONDS,
    seedSeconds,
    onshi: onshiResult,
    baseline: baselineResult,
    ratio: Number((onshiResult.requestsPerSecond / baselineResult.requestsPerSecond).toFixed(3)),
    targets: { ratio: 0.6, p99Ms: 20, requestsPerSecond: 3000, seedSeconds: 120 },
  };
}
