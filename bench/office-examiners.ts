// 100 examiners (支払基金) deciding distinct cases at once on PostgreSQL (issue 16 item 7): each an
// async loop calling the exam service's decideCase (Idempotency-Key, row lock, state machine, the
// engine recomputed at the application date, the 補助金台帳 entry and the decision notice, one
// transaction each) over its own cases; decisions per second and the latency's p50/p99. Then every
// examiner retries its first decision under the same key (the stored answer, nothing changed), and
// pairs of examiners decide the same cases at once (one outcome each, a coded error for the other).
// Afterwards the database is counted: exactly two transitions per case (apply, decide), one notice
// and one ledger entry per decision, none lost or doubled. Baseline in the same run: the same
// number of other cases decided at the same concurrency by bare SQL (lock, update, insert the
// transition), no service.
import { loadavg } from "node:os";
import { openDb, type Db } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { OqsError } from "../src/errors/catalogue.ts";
import { loadPrograms } from "../src/subsidy/program-data.ts";
import { prepareApplication } from "../src/subsidy/office-application.ts";
import type { FacilityProfile, Project } from "../src/subsidy/profile.ts";
import { decideCase, type ExamContext } from "../src/services/subsidy-exam.ts";
import type { CaseActor } from "../src/services/subsidy-office.ts";
import { recreateDatabase } from "./support.ts";

const EXAMINERS = Number(process.env.BENCH_EXAMINERS ?? 100);
const CASES = Number(process.env.BENCH_EXAM_CASES ?? 5_000);
const RACED = Number(process.env.BENCH_EXAM_RACED ?? 200);
const POOL = process.env.BENCH_EXAM_POOL ? Number(process.env.BENCH_EXAM_POOL) : undefined;
const DB_NAME = "onshi_exam_bench";
/** Any valid 医療機関コード: prepareApplication checks it, the cases get their own below. */
const FACILITY = { code: "0110113719" };
const NOW = new Date("2021-03-01T10:00:00+09:00");

/** One fund-2020 application of a clinic: 429,000 yen of work, 3/4 up to 321,000 yen (別表3). */
const PROJECT: Project = { program: "fund-2020", cost: 429_000, readerAppliedOn: "2020-09-01", completedOn: "2021-01-20", readers: 1 };
const APPLIED_ON = "2021-02-01";
const PROFILE: FacilityProfile = { kind: "medical_clinic", readersProvided: 1 };

/**
 * `count` clinics with one fund-2020 application each in 申請中 (case ids from `first`), by bulk
 * inserts: the application and calculation as prepareApplication keeps them.
 */
async function seedCases(db: Db, first: number, count: number): Promise<void> {
  const prepared = prepareApplication({ facilityCode: FACILITY.code, program: "fund-2020", profile: { ...PROFILE, projects: [PROJECT] } }, APPLIED_ON);
  await db.query(
    `insert into facilities (medical_institution_code, name, kind, prefecture)
     select '13' || lpad(i::text, 8, '0'), 'ベンチ診療所' || i, 'medical_clinic', 13 from generate_series($1::int, $2::int) i`,
    [first, first + count - 1],
  );
  await db.query(
    `insert into subsidy_cases (case_id, medical_institution_code, program, kind, state, version, application, calculation, requested_yen,
       applied_by_role, applied_by_account, created_at, updated_at)
     select i, '13' || lpad(i::text, 8, '0'), 'fund-2020', 'application', 'applied', 1, $3::jsonb, $4::jsonb, $5, 'facility', 1, $6, $6
     from generate_series($1::int, $2::int) i`,
    [first, first + count - 1, JSON.stringify(prepared.application), JSON.stringify(prepared.calculation), prepared.requestedYen, NOW.toISOString()],
  );
  await db.query(
    `insert into subsidy_case_transitions (case_id, seq, from_state, to_state, action, actor_role, actor_account, actor_name, at)
     select i, 1, null, 'applied', 'apply', 'facility', 1, 'ベンチ', $3 from generate_series($1::int, $2::int) i`,
    [first, first + count - 1, NOW.toISOString()],
  );
}

async function seedExaminers(db: Db): Promise<CaseActor[]> {
  const rows = await db.query<{ account_id: number; display_name: string }>(
    `insert into office_accounts (login_id, display_name, role, password_hash, created_at)
     select 'examiner' || i, '審査担当' || i, 'examiner', 'unused', $2 from generate_series(1, $1::int) i returning account_id, display_name`,
    [EXAMINERS, NOW.toISOString()],
  );
  return rows.map((r) => ({ role: "examiner", accountId: Number(r.account_id), name: r.display_name }));
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs `work` for case `first + k` on examiner k % EXAMINERS, all examiners at once; latencies in ms. */
async function examinersAt(count: number, first: number, work: (examiner: number, caseId: number) => Promise<void>): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: EXAMINERS }, async (_, e) => {
      for (let k = e; k < count; k += EXAMINERS) {
        const t = performance.now();
        await work(e, first + k);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies };
}

function figures(run: { seconds: number; latencies: number[] }, count: number) {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  return { decisions: count, seconds: round(run.seconds, 3), decisionsPerSecond: Math.round(count / run.seconds), p50ms: round(percentile(sorted, 50)), p99ms: round(percentile(sorted, 99)), maxMs: round(sorted.at(-1)!) };
}

/** The bare baseline: lock, update, insert the transition, in one transaction, no checks. */
async function bareDecide(db: Db, caseId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("select version from subsidy_cases where case_id = $1 for update", [caseId]);
    await tx.query("update subsidy_cases set state = 'decided', version = version + 1, decided_yen = requested_yen, updated_at = $2 where case_id = $1", [caseId, NOW.toISOString()]);
    await tx.query(
      `insert into subsidy_case_transitions (case_id, seq, from_state, to_state, action, actor_role, actor_account, actor_name, at) values ($1, 2, 'applied', 'decided', 'decide', 'examiner', 1, 'bare', $2)`,
      [caseId, NOW.toISOString()],
    );
  });
}

/** What the database holds afterwards for cases [first, first + count): anything but one decision each is a fault. */
async function audit(db: Db, first: number, count: number) {
  const [row] = await db.query<Record<string, number>>(
    `select
       (select count(*)::int from subsidy_cases where case_id between $1 and $2 and state = 'decided' and version = 2) as decided,
       (select count(*)::int from (select case_id from subsidy_case_transitions where case_id between $1 and $2 group by case_id having count(*) < 2) x) as lost,
       (select count(*)::int from (select case_id from subsidy_case_transitions where case_id between $1 and $2 group by case_id having count(*) > 2) x) as doubled,
       (select count(*)::int from (select case_id from subsidy_case_transitions where case_id between $1 and $2 group by case_id having max(seq) <> count(*)) x) as gaps,
       (select count(*)::int from subsidy_notices where case_id between $1 and $2) as notices,
       (select count(*)::int from subsidy_ledger where case_id between $1 and $2 and entry = 'decided') as ledger`,
    [first, first + count - 1],
  );
  return row!;
}

export async function benchOfficeExaminers() {
  const load = loadavg().map((l) => round(l, 2));
  const url = await recreateDatabase(DB_NAME);
  const db = await openDb({ url, poolSize: POOL });
  try {
    await migrate(db);
    const examiners = await seedExaminers(db);
    const racedFirst = CASES + 1;
    const bareFirst = racedFirst + RACED;
    await seedCases(db, 1, CASES + RACED + CASES);
    await db.exec("analyze");
    const ctx: ExamContext = { db, now: () => NOW, programs: loadPrograms() };
    const key = (e: number, caseId: number) => `bench-${e}-${caseId}`;

    const onshi = await examinersAt(CASES, 1, async (e, caseId) => {
      await decideCase(ctx, examiners[e]!, caseId, { outcome: "accept", expectedVersion: 1 }, key(e, caseId));
    });

    // Every examiner's first decision again, same key and body: the stored answer, nothing new.
    let replayed = 0;
    await Promise.all(
      examiners.map(async (examiner, e) => {
        if (e >= CASES) return;
        const answer = await decideCase(ctx, examiner, 1 + e, { outcome: "accept", expectedVersion: 1 }, key(e, 1 + e));
        if (answer.replayed) replayed++;
      }),
    );

    // Two examiners on each raced case at once: one decides, the other is refused with a code.
    const outcomes = { decided: 0, refused: {} as Record<string, number> };
    await Promise.all(
      Array.from({ length: RACED }, (_, k) =>
        Promise.all(
          [k % EXAMINERS, (k + 1) % EXAMINERS].map(async (e) => {
            try {
              await decideCase(ctx, examiners[e]!, racedFirst + k, { outcome: "accept", expectedVersion: 1 }, `race-${e}-${k}`);
              outcomes.decided++;
            } catch (error) {
              const code = error instanceof OqsError ? error.code : "unexpected";
              outcomes.refused[code] = (outcomes.refused[code] ?? 0) + 1;
            }
          }),
        ),
      ),
    );

    const bare = await examinersAt(CASES, bareFirst, (_e, caseId) => bareDecide(db, caseId));
    const distinct = await audit(db, 1, CASES);
    const raced = await audit(db, racedFirst, RACED);
    const onshiFigures = figures(onshi, CASES);
    const bareFigures = figures(bare, CASES);
    return {
      name: "office-examiners",
      description:
        `${EXAMINERS} concurrent examiners (async loops in one process, one pool) deciding distinct fund-2020 applications through decideCase: Idempotency-Key claimed, case row locked, version and state machine checked, the engine run again at the application date, the decision, its transition, the 補助金台帳 entry and the decision notice in one transaction. Baseline: the same number of other cases at the same concurrency by bare SQL (lock, update, insert the transition). Then each examiner's first decision retried under its key, and ${RACED} cases decided by two examiners at once; the database counted afterwards (two transitions per case, seq without gaps, one notice and one ledger entry per decision).`,
      examiners: EXAMINERS,
      pool: POOL ?? "default (max(4, 2 × cores))",
      loadAverage: { before: load, after: loadavg().map((l) => round(l, 2)) },
      onshi: onshiFigures,
      baseline: bareFigures,
      ratio: round(onshiFigures.decisionsPerSecond / bareFigures.decisionsPerSecond, 3),
      retries: { sent: Math.min(EXAMINERS, CASES), replayed },
      races: { cases: RACED, ...outcomes },
      check: {
        distinct,
        raced,
        ok:
          distinct.decided === CASES && distinct.lost === 0 && distinct.doubled === 0 && distinct.gaps === 0 && distinct.notices === CASES && distinct.ledger === CASES &&
          raced.decided === RACED && raced.lost === 0 && raced.doubled === 0 && raced.notices === RACED && outcomes.decided === RACED &&
          replayed === Math.min(EXAMINERS, CASES),
      },
    };
  } finally {
    await db.close();
  }
}
