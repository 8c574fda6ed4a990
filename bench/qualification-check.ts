// 個別照会 over HTTP against PostgreSQL with 1,000,000 persons at concurrency 32, against the
// bare baseline (bench/baseline-server.ts) in the same run; and what recording each answered
// check costs (docs/usage.md): onshi with usage recording on and off, alternating, same run.
import { DEMO_FACILITIES } from "../src/seed/demo.ts";
import {
  CONFIRMATION_DATE,
  PERSONS,
  load,
  preparePopulation,
  recordingCost,
  recordingEnv,
  root,
  sampleSearchKeys,
  startServer,
  stopServer,
  type LoadResult,
  type SearchKeyRow,
} from "./support.ts";

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const ONSHI_PORT = 18080;
const BASELINE_PORT = 18081;

function sampleBodies(keys: SearchKeyRow[], facilityCode: string): string[] {
  return keys.map((key) =>
    JSON.stringify({
      XmlMsg: {
        MessageHeader: { QualificationConfirmationDate: CONFIRMATION_DATE, MedicalInstitutionCode: facilityCode },
        MessageBody: { QualificationConfirmSearchInfo: key },
      },
    }),
  );
}

/** onshi's 個別照会 throughput over the WebAPI, with usage recording on or off. */
async function onshiRun(url: string, bodies: string[], recording: boolean): Promise<LoadResult> {
  const facility = DEMO_FACILITIES[0]!;
  // --demo loads the demo facility (and its credential) used to authenticate below.
  const onshi = await startServer([root("bin/onshi.js"), "serve", "--demo", "--port", String(ONSHI_PORT)], ONSHI_PORT, {
    DATABASE_URL: url,
    LOG_LEVEL: "error",
    ...recordingEnv(recording),
  });
  try {
    const auth = await fetch(`http://127.0.0.1:${ONSHI_PORT}/oqs-api-pro/MSA12020/ILI12020SV01/auth`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ MedicalInstitutionCode: facility.code, Credential: facility.credential }),
    });
    const token = ((await auth.json()) as { result: { idToken: string } }).result.idToken;
    return await load({
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
}

export async function benchQualificationCheck() {
  const { url, seedSeconds } = await preparePopulation();
  const bodies = sampleBodies(await sampleSearchKeys(url, 5000), DEMO_FACILITIES[0]!.code);
  const recording = await recordingCost((on) => onshiRun(url, bodies, on), (run) => run.requestsPerSecond);
  const onshiResult = recording.runs.on[0]!;

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
    recording,
    ratio: Number((onshiResult.requestsPerSecond / baselineResult.requestsPerSecond).toFixed(3)),
    targets: { ratio: 0.6, p99Ms: 20, requestsPerSecond: 3000, seedSeconds: 120 },
  };
}
