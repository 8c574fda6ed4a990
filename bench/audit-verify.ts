// `onshi audit verify` over 1,000,000 audit records on PostgreSQL: records per second of the whole
// chain's check (read in keyset batches, every hash recomputed, links, columns and the head
// checked), against a bare baseline in the same run: the same rows read by the same batched query
// and SHA-256 hashed by a plain loop, with no checks. Also the rate of appendAudit itself, one view
// per transaction on one connection (the head row serialises appends whatever the connections).
// The chain is bulk-loaded (COPY, hashes computed here) rather than appended view by view.
import { openDb, type Db } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { auditBody, auditHash, GENESIS_HASH, type AuditEvent } from "../src/domain/audit.ts";
import { MEDICAL_INFO_CATEGORIES } from "../src/domain/medical-history.ts";
import { verifyAudit } from "../src/services/audit-verify.ts";
import { appendAudit } from "../src/store/audit-store.ts";
import { recreateDatabase } from "./support.ts";

const RECORDS = Number(process.env.BENCH_AUDIT_RECORDS ?? 1_000_000);
const DB_NAME = "onshi_bench_audit";
const BATCH = 10_000;
const APPENDS = 2_000;
const ROUNDS = 2;
/** The records spread over 100 days from 2026-01-01 (Japan time). */
const START = Date.parse("2026-01-01T09:00:00+09:00");
const SPAN_MS = 100 * 86_400_000;

function eventOf(i: number): AuditEvent {
  const staff = i % 3 !== 0;
  return {
    at: new Date(START + Math.floor((i * SPAN_MS) / RECORDS)),
    facilityCode: `13${String(10_000_000 + (i % 5000)).slice(1)}`,
    actor: staff ? { kind: "staff", account: `staff-${i % 97}`, role: i % 2 ? "doctor" : "pharmacist" } : { kind: "system" },
    channel: staff ? "terminal" : i % 2 ? "webapi" : "file",
    personId: 1 + ((i * 7919) % 1_000_000),
    categories: MEDICAL_INFO_CATEGORIES.slice(0, 1 + (i % 4)),
    basis: { kind: "consent", consTime: new Date(START + Math.floor((i * SPAN_MS) / RECORDS) - 3_600_000) },
    result: "shown",
  };
}

/** COPY text: the bodies hold no tab or line feed; a backslash is doubled. */
const copyText = (s: string) => s.replaceAll("\\", "\\\\");

async function loadChain(db: Db): Promise<number> {
  const started = performance.now();
  let prev = GENESIS_HASH;
  function* lines() {
    for (let i = 0; i < RECORDS; i++) {
      const event = eventOf(i);
      const body = auditBody(event);
      const hash = auditHash(prev, body);
      yield `${i + 1}\t${event.at.toISOString()}\t${event.facilityCode}\t${event.personId}\t${copyText(body)}\t${prev}\t${hash}\n`;
      prev = hash;
    }
  }
  await db.copyRows("audit_records", ["seq", "at", "facility_code", "person_id", "body", "prev_hash", "hash"], lines());
  // A bulk load moves the head in one step, which the head's trigger (one record at a time) refuses.
  await db.exec("alter table audit_chain_head disable trigger audit_chain_head_forward");
  await db.query("update audit_chain_head set seq = $1, hash = $2 where id = 1", [RECORDS, prev]);
  await db.exec("alter table audit_chain_head enable trigger audit_chain_head_forward; analyze audit_records");
  return (performance.now() - started) / 1000;
}

/** The same rows, the same batched query, one SHA-256 each: what any check must at least do. */
async function baselineSeconds(db: Db): Promise<{ seconds: number; records: number }> {
  const started = performance.now();
  let after = 0;
  let records = 0;
  for (;;) {
    const rows = await db.query<{ seq: number; body: string; prev_hash: string }>(
      "select seq, (extract(epoch from at) * 1000)::float8 as at_ms, facility_code, person_id, body, prev_hash, hash from audit_records where seq > $1 and seq <= $2 order by seq limit $3",
      [after, Number.MAX_SAFE_INTEGER, BATCH],
    );
    if (rows.length === 0) break;
    for (const row of rows) auditHash(row.prev_hash, row.body);
    records += rows.length;
    after = rows[rows.length - 1]!.seq;
  }
  return { seconds: (performance.now() - started) / 1000, records };
}

async function appendsPerSecond(db: Db): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < APPENDS; i++) await db.transaction((tx) => appendAudit(tx, { ...eventOf(i), at: new Date(START + SPAN_MS + i) }));
  return Math.round(APPENDS / ((performance.now() - started) / 1000));
}

export async function benchAuditVerify() {
  const url = await recreateDatabase(DB_NAME);
  const db = await openDb({ url });
  try {
    await migrate(db);
    const loadSeconds = await loadChain(db);
    const [{ bytes }] = (await db.query<{ bytes: string }>("select pg_total_relation_size('audit_records')::text as bytes")) as [{ bytes: string }];
    // Warm the cache once; then the two alternately, twice, the better of each kept (the machine is shared).
    await baselineSeconds(db);
    const baselines: number[] = [];
    const verifies: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baselines.push((await baselineSeconds(db)).seconds);
      const verified = await verifyAudit(db, {});
      if (!verified.intact || verified.checked !== RECORDS) throw new Error(`the bench chain does not verify: ${JSON.stringify(verified)}`);
      verifies.push(verified.seconds);
    }
    const baseline = Math.min(...baselines);
    const onshi = Math.min(...verifies);
    const oneDay = await verifyAudit(db, { from: "2026-02-01", to: "2026-02-01" });
    const appends = await appendsPerSecond(db);
    const after = await verifyAudit(db, {});
    if (!after.intact) throw new Error("the chain is broken after the appends");
    const rate = (records: number, seconds: number) => Math.round(records / seconds);
    return {
      name: "audit-verify",
      description:
        "onshi audit verify (verifyAudit) over the whole chain on PostgreSQL: keyset batches of 10,000, every hash recomputed, links, indexed columns and the head checked; baseline: the same rows by the same batched query, one SHA-256 each, no checks. ratio = onshi records/s / baseline records/s; the better of two alternating runs each, all runs listed.",
      records: RECORDS,
      tableBytes: Number(bytes),
      loadSeconds: Math.round(loadSeconds * 10) / 10,
      onshi: { seconds: onshi, recordsPerSecond: rate(RECORDS, onshi), runs: verifies },
      baseline: { seconds: Math.round(baseline * 1000) / 1000, recordsPerSecond: rate(RECORDS, baseline), runs: baselines.map((b) => Math.round(b * 1000) / 1000) },
      ratio: Math.round((baseline / onshi) * 1000) / 1000,
      oneDay: { records: oneDay.checked, seconds: oneDay.seconds },
      appendAudit: { appends: APPENDS, perSecond: appends, note: "one view per transaction, one connection" },
    };
  } finally {
    await db.close();
  }
}
