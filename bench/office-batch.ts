// A 取りまとめ者's batch of 10,000 applications on PostgreSQL (issue 16 item 7): read, checked line
// by line (registration, a second live case, the application's own checks), calculated by the
// engine and stored (the batch row, every case and its opening transition by COPY) in one
// transaction through the Idempotency-Key wrapper the route uses, aim ≤ 20 s. In the same run, the
// baseline: a bare COPY of the very rows the batch stored (cases and transitions, read back), plus
// the engine alone over the same profiles (calculate(), nothing read or written).
import { loadavg } from "node:os";
import { openDb, type Db } from "../src/db/client.ts";
import { copyField } from "../src/db/copy-field.ts";
import { migrate } from "../src/db/migrate.ts";
import { withCheckDigit } from "../src/domain/check-digit.ts";
import type { FacilityKind } from "../src/domain/facility-code.ts";
import { submitBatchOnce } from "../src/services/office-batch.ts";
import { registerVendorFacilities } from "../src/services/office-vendor.ts";
import { calculate } from "../src/subsidy/engine.ts";
import { loadPrograms } from "../src/subsidy/program-data.ts";
import type { FacilityProfile } from "../src/subsidy/profile.ts";
import { recreateDatabase } from "./support.ts";

const COUNT = Number(process.env.BENCH_OFFICE_BATCH_LINES ?? 10_000);
const RUNS = Number(process.env.BENCH_OFFICE_BATCH_RUNS ?? 3);
const DB_NAME = process.env.BENCH_OFFICE_BATCH_DB ?? "onshi_bench_office_batch";
const TARGET_SECONDS = 20;
/** Inside fund-2020's application period (第14 and the FAQ change): every line is accepted. */
const NOW = new Date("2021-10-15T03:00:00Z");
const ON = "2021-10-15";

/** The i-th synthetic facility: mostly 診療所, some 病院, 歯科 and 薬局, codes of Tokyo with their check digits. */
function facility(i: number): { code: string; kind: FacilityKind } {
  const kind: FacilityKind = i % 10 === 0 ? "hospital" : i % 10 < 7 ? "medical_clinic" : i % 10 < 9 ? "pharmacy" : "dental_clinic";
  const table = kind === "pharmacy" ? "4" : kind === "dental_clinic" ? "3" : "1";
  return { code: withCheckDigit(`13${table}${String(i).padStart(6, "0")}`), kind };
}

/** The i-th application, as a single one is sent: a fund-2020 system project, the work complete before it is applied for. */
function application(i: number) {
  const { code, kind } = facility(i);
  const readers = kind === "hospital" ? 1 + (i % 3) : 1;
  return {
    facilityCode: code,
    program: "fund-2020",
    profile: {
      kind,
      ...(kind === "pharmacy" ? { largeChainPharmacy: false } : {}),
      projects: [{ program: "fund-2020", cost: 300_000 + (i % 97) * 10_000, readers, readerAppliedOn: "2021-02-01", completedOn: "2021-08-31" }],
    },
  };
}

async function prepare(db: Db, vendorId: number): Promise<void> {
  await db.copyRows(
    "facilities",
    ["medical_institution_code", "name", "kind", "prefecture"],
    Array.from({ length: COUNT }, (_, i) => `${facility(i).code}\t${copyField(`ベンチ医療機関${i}`)}\t${facility(i).kind}\t13\n`),
  );
  const registration = await registerVendorFacilities(db, vendorId, Array.from({ length: COUNT }, (_, i) => facility(i).code), NOW);
  if (registration.registered.length !== COUNT) throw new Error(`registered ${registration.registered.length} of ${COUNT}`);
}

/** The rows the batch stored, as COPY lines, to write them again bare. */
async function storedRows(db: Db, batchId: number): Promise<{ cases: string[]; transitions: string[] }> {
  // concat_ws skips nulls: each nullable column is written \N itself.
  const cases = await db.query<{ line: string }>(
    `select concat_ws(E'\\t', case_id, medical_institution_code, program, kind, state, version, replace(application::text, '\\', '\\\\'),
       coalesce(replace(calculation::text, '\\', '\\\\'), '\\N'), coalesce(requested_yen::text, '\\N'), coalesce(requested_readers::text, '\\N'),
       batch_id, applied_by_role, applied_by_account, created_at, updated_at) || E'\\n' as line from subsidy_cases where batch_id = $1 order by case_id`,
    [batchId],
  );
  const transitions = await db.query<{ line: string }>(
    `select concat_ws(E'\\t', t.case_id, seq, '\\N', to_state, action, actor_role, actor_account, actor_name, at, replace(detail::text, '\\', '\\\\')) || E'\\n' as line
     from subsidy_case_transitions t join subsidy_cases c using (case_id) where c.batch_id = $1 order by t.case_id`,
    [batchId],
  );
  return { cases: cases.map((r) => r.line), transitions: transitions.map((r) => r.line) };
}

const CASE_COLUMNS = ["case_id", "medical_institution_code", "program", "kind", "state", "version", "application", "calculation", "requested_yen", "requested_readers", "batch_id", "applied_by_role", "applied_by_account", "created_at", "updated_at"];
const TRANSITION_COLUMNS = ["case_id", "seq", "from_state", "to_state", "action", "actor_role", "actor_account", "actor_name", "at", "detail"];

async function forgetBatch(db: Db, batchId: number): Promise<void> {
  await db.query("delete from subsidy_case_transitions where case_id in (select case_id from subsidy_cases where batch_id = $1)", [batchId]);
  await db.query("delete from subsidy_cases where batch_id = $1", [batchId]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => Math.round(ms) / 1000;

export async function benchOfficeBatch() {
  const db = await openDb({ url: await recreateDatabase(DB_NAME) });
  const loadBefore = loadavg().map((l) => Math.round(l * 100) / 100);
  try {
    await migrate(db);
    const [{ account_id: vendorId }] = (await db.query<{ account_id: number }>(
      "insert into office_accounts (login_id, display_name, role, password_hash, created_at) values ('bench-vendor', 'ベンチ取りまとめ者', 'vendor', 'x', now()) returning account_id",
    )) as [{ account_id: number }];
    await prepare(db, vendorId);
    await db.exec("analyze");
    const text = Array.from({ length: COUNT }, (_, i) => JSON.stringify(application(i))).join("\n");
    const vendor = { role: "vendor" as const, accountId: vendorId, name: "ベンチ取りまとめ者" };
    const onshiRuns: number[] = [];
    const copyRuns: number[] = [];
    let accepted = 0;
    for (let run = 0; run < RUNS; run++) {
      let started = performance.now();
      const answer = await submitBatchOnce(db, vendor, `bench-${run}`, text, "jsonl", "partial", NOW);
      onshiRuns.push(performance.now() - started);
      accepted = answer.body.accepted;
      if (accepted !== COUNT) throw new Error(`the batch accepted ${accepted} of ${COUNT}: ${JSON.stringify(answer.body.errors.slice(0, 3))}`);
      const rows = await storedRows(db, answer.body.batchId);
      await forgetBatch(db, answer.body.batchId);
      started = performance.now();
      await db.transaction(async (tx) => {
        await tx.copyRows("subsidy_cases", CASE_COLUMNS, rows.cases);
        await tx.copyRows("subsidy_case_transitions", TRANSITION_COLUMNS, rows.transitions);
      });
      copyRuns.push(performance.now() - started);
      await forgetBatch(db, answer.body.batchId);
    }
    // The engine alone over the same applications: each line's profile, its project dated as the office dates it.
    const programs = loadPrograms();
    const profiles: FacilityProfile[] = Array.from({ length: COUNT }, (_, i) => {
      const { profile } = application(i);
      return { ...profile, projects: profile.projects.map((p) => ({ ...p, appliedOn: ON })) } as FacilityProfile;
    });
    const engineRuns: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      for (const profile of profiles) calculate(profile, ON, programs, "fund-2020");
      engineRuns.push(performance.now() - started);
    }
    const onshi = median(onshiRuns);
    const baseline = median(copyRuns) + median(engineRuns);
    return {
      name: "office-batch",
      description:
        `A 取りまとめ者's batch of ${COUNT.toLocaleString("en")} fund-2020 applications (JSON Lines) on PostgreSQL: read, each line checked (registered beforehand, no second live case, the application's own checks), ` +
        "calculated by the engine and stored (the batch row, every case and its opening transition by COPY) in one transaction through the Idempotency-Key wrapper the route uses. " +
        "Baseline in the same run: a bare COPY of the very rows the batch stored (cases and transitions, read back) plus the engine alone (calculate()) over the same profiles. " +
        `Median of ${RUNS} runs. ratio = baseline seconds / onshi seconds.`,
      lines: COUNT,
      accepted,
      onshi: { seconds: seconds(onshi), runs: onshiRuns.map(seconds), aimSeconds: TARGET_SECONDS, aimMet: onshi / 1000 <= TARGET_SECONDS },
      baseline: { seconds: seconds(baseline), copy: { seconds: seconds(median(copyRuns)), runs: copyRuns.map(seconds) }, engine: { seconds: seconds(median(engineRuns)), runs: engineRuns.map(seconds) } },
      ratio: Math.round((baseline / onshi) * 1000) / 1000,
      load: { before: loadBefore, after: loadavg().map((l) => Math.round(l * 100) / 100) },
    };
  } finally {
    await db.close();
  }
}
