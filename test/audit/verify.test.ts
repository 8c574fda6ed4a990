// Tampering with the audit log is found and named (issue 13 item 6): an attacker with SQL access
// drops the append-only trigger, then changes a field, deletes a record, inserts one (with hashes
// recomputed, as a careful attacker would), reorders two, or rewrites the end; `verify` names the
// first broken record, its time and what differs, on each database, over the whole chain and over
// a range of days. The command itself exits 0 intact, 1 broken.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "../../src/db/client.ts";
import { openMigrated } from "../../src/db/open.ts";
import { auditBody, auditHash, type AuditEvent } from "../../src/domain/audit.ts";
import { verifyAudit, type AuditVerification } from "../../src/services/audit-verify.ts";
import { appendAudit } from "../../src/store/audit-store.ts";
import { onshi } from "../support/cli.ts";
import { testDatabases } from "../support/databases.ts";

/** Four views a day on 2026-04-01, 02 and 03 (Japan time): seq 1–4, 5–8, 9–12. */
const event = (i: number): AuditEvent => ({
  at: new Date(Date.parse("2026-04-01T10:00:00+09:00") + Math.floor(i / 4) * 86_400_000 + (i % 4) * 60_000),
  facilityCode: "1311234567",
  actor: { kind: "staff", account: `staff-${i % 3}`, role: "doctor" },
  channel: "terminal",
  personId: 100 + i,
  categories: ["pharmacists"],
  basis: { kind: "consent", consTime: new Date("2026-04-01T00:00:00Z") },
  result: "shown",
});

async function chainOf(db: Db, count = 12): Promise<void> {
  for (let i = 0; i < count; i++) await db.transaction((tx) => appendAudit(tx, event(i)));
}

/** What an attacker with SQL does: lift the trigger, change the table, put the trigger back. */
async function tamper(db: Db, sql: string): Promise<void> {
  await db.exec(`alter table audit_records disable trigger audit_records_append_only; ${sql}; alter table audit_records enable trigger audit_records_append_only`);
}

const atOf = (seq: number) => event(seq - 1).at.toISOString();

function assertBreak(v: AuditVerification, kind: string, code: string, seq: number, detail: RegExp): void {
  assert.equal(v.intact, false, "the chain is reported broken");
  assert.equal(v.break?.kind, kind, `the break is "${kind}": ${JSON.stringify(v.break)}`);
  assert.equal(v.break?.code, code, "with its code");
  assert.equal(v.break?.seq, seq, `record ${seq} is named: ${JSON.stringify(v.break)}`);
  assert.match(v.break!.detail, detail, "what differs is said");
}

for (const database of testDatabases()) {
  describe(`audit verify on ${database.name}`, () => {
    const opened: Db[] = [];
    const fresh = async (count = 12) => {
      const db = await database.open();
      opened.push(db);
      await chainOf(db, count);
      return db;
    };
    after(async () => Promise.all(opened.map((db) => db.close())));

    test("an untouched chain is intact, whole or by days, and an empty one too", async () => {
      const db = await fresh();
      const whole = await verifyAudit(db, {});
      assert.deepEqual({ intact: whole.intact, checked: whole.checked, headSeq: whole.headSeq, firstSeq: whole.firstSeq, lastSeq: whole.lastSeq }, { intact: true, checked: 12, headSeq: 12, firstSeq: 1, lastSeq: 12 });
      const day2 = await verifyAudit(db, { from: "2026-04-02", to: "2026-04-02" });
      assert.equal(day2.intact, true, "one day's records link into and out of the range");
      assert.deepEqual([day2.firstSeq, day2.lastSeq], [5, 8], "the day's records are seq 5–8");
      const none = await verifyAudit(db, { from: "2026-05-01" });
      assert.deepEqual([none.intact, none.checked], [true, 0], "no records in the range: nothing broken");
      const empty = await verifyAudit(await database.open().then((d) => (opened.push(d), d)), {});
      assert.deepEqual([empty.intact, empty.checked, empty.headSeq], [true, 0, 0], "an empty log is intact");
    });

    test("a field changed by SQL is found at its record, named with its time", async () => {
      const db = await fresh();
      await tamper(db, `update audit_records set body = replace(body, '"personId":106', '"personId":999'), person_id = 999 where seq = 7`);
      const v = await verifyAudit(db, {});
      assertBreak(v, "changed", "E9402", 7, /ハッシュが保存されたハッシュと一致しません/);
      assert.equal(v.break?.at, atOf(7), "the record's time is named");
      assert.equal(v.checked, 6, "the records before it are intact");
      // Only the indexed column (to hide a view from the person's 閲覧履歴): the body disagrees.
      const other = await fresh();
      await tamper(other, "update audit_records set person_id = 1 where seq = 3");
      assertBreak(await verifyAudit(other, {}), "changed", "E9402", 3, /列 person_id \(1\) が本文の personId と一致しません/);
    });

    test("a deleted record is named by the record after the hole, in the middle or at the end", async () => {
      const db = await fresh();
      await tamper(db, "delete from audit_records where seq = 7");
      const v = await verifyAudit(db, {});
      assertBreak(v, "removed", "E9403", 8, /seq 7\) がありません/);
      assert.equal(v.break?.at, atOf(8));
      const end = await fresh();
      await tamper(end, "delete from audit_records where seq = 12");
      assertBreak(await verifyAudit(end, {}), "removed", "E9403", 12, /末尾の記録 \(seq 12\) がありません/);
    });

    test("an inserted record is named, whether its hash is forged or recomputed, in the middle or after the head", async () => {
      const forged = auditBody({ ...event(4), personId: 555 });
      // A lazy attacker: a free seq is made by moving the later records up; the hash is made up.
      const lazy = await fresh();
      await tamper(lazy, `update audit_records set seq = -seq where seq >= 6; update audit_records set seq = 1 - seq where seq < 0;
        insert into audit_records select 6, at, facility_code, 555, '${forged}', hash, repeat('f', 64) from audit_records where seq = 5`);
      assertBreak(await verifyAudit(lazy, {}), "inserted", "E9404", 6, /この記録を飛ばして/);
      // A careful one recomputes the inserted record's hash, so it links to its predecessor.
      const careful = await fresh();
      const [five] = await careful.query<{ hash: string }>("select hash from audit_records where seq = 5");
      await tamper(careful, `update audit_records set seq = -seq where seq >= 6; update audit_records set seq = 1 - seq where seq < 0;
        insert into audit_records select 6, at, facility_code, 555, '${forged}', hash, '${auditHash(five!.hash, forged)}' from audit_records where seq = 5`);
      const v = await verifyAudit(careful, {});
      assertBreak(v, "inserted", "E9404", 6, /seq 6 はチェーンに属しません/);
      assert.equal(v.break?.at, atOf(5), "the inserted record's time (copied from seq 5) is named");
      // After the last record, chained properly: only the head tells.
      const appended = await fresh();
      const [last] = await appended.query<{ hash: string }>("select hash from audit_records where seq = 12");
      await appended.query("insert into audit_records values (13, $1, '1311234567', 555, $2, $3, $4)", [event(4).at, forged, last!.hash, auditHash(last!.hash, forged)]);
      assertBreak(await verifyAudit(appended, {}), "inserted", "E9404", 13, /チェーンの先頭 .* より後に追加されています/);
    });

    test("two records swapped are named as reordered", async () => {
      const db = await fresh();
      await tamper(db, "update audit_records set seq = -1 where seq = 5; update audit_records set seq = 5 where seq = 6; update audit_records set seq = 6 where seq = -1");
      assertBreak(await verifyAudit(db, {}), "reordered", "E9405", 5, /seq 6 より前に置かれています/);
    });

    test("a range reports breaks inside it and at its edges, not elsewhere", async () => {
      const db = await fresh();
      await tamper(db, `update audit_records set body = replace(body, '"staff-1"', '"staff-2"') where seq = 11`);
      assert.equal((await verifyAudit(db, { from: "2026-04-01", to: "2026-04-02" })).intact, true, "day 3's change is outside days 1–2");
      assertBreak(await verifyAudit(db, { from: "2026-04-03" }), "changed", "E9402", 11, /一致しません/);
      const edge = await fresh();
      await tamper(edge, "delete from audit_records where seq = 8");
      assertBreak(await verifyAudit(edge, { from: "2026-04-03" }), "removed", "E9403", 9, /seq 8\) がありません/);
      assertBreak(await verifyAudit(edge, { to: "2026-04-02" }), "removed", "E9403", 9, /seq 8\) がありません/);
    });

    test("the database's own hash recomputes with SQL alone, as docs/audit.md shows", async () => {
      const db = await fresh();
      const byHand = `select seq from (select seq, hash, prev_hash, body, lag(hash, 1, repeat('0', 64)) over (order by seq) as expected_prev,
        lag(seq, 1, 0::bigint) over (order by seq) as prev_seq from audit_records) r
        where prev_hash <> expected_prev or seq <> prev_seq + 1 or hash <> encode(sha256(convert_to(prev_hash || chr(10) || body, 'UTF8')), 'hex') order by seq limit 1`;
      assert.deepEqual(await db.query(byHand), [], "no broken record");
      await tamper(db, "delete from audit_records where seq = 4");
      assert.deepEqual(await db.query(byHand), [{ seq: 5 }], "the record after the hole");
    });
  });
}

describe("onshi audit verify on a data folder", () => {
  let dir: string;
  const env = { ...process.env, DATABASE_URL: "" };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "onshi-audit-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("exits 0 on an intact chain and 1 naming the first broken record, in Japanese or JSON", async () => {
    const db = await openMigrated({ dataDir: join(dir, "pglite") });
    try {
      await chainOf(db, 5);
    } finally {
      await db.close();
    }
    const intact = await onshi(["audit", "verify", "--data-dir", dir], env);
    assert.equal(intact.code, 0, intact.stderr);
    assert.match(intact.stdout, /^監査ログは改ざんされていません: 記録 5 件 \(seq 1〜5\)、チェーンの先頭 seq 5/);
    const tampered = await openMigrated({ dataDir: join(dir, "pglite") });
    try {
      await tamper(tampered, "delete from audit_records where seq = 3");
    } finally {
      await tampered.close();
    }
    const broken = await onshi(["audit", "verify", "--data-dir", dir], env);
    assert.equal(broken.code, 1, broken.stderr);
    assert.equal(
      broken.stdout,
      `E9403 監査ログの記録が削除されています。\n  最初に壊れている記録: seq 4 (閲覧日時 ${atOf(4)})\n  この記録の前の記録 (seq 3) がありません\n  それまでの記録 2 件は正しくつながっています。\n`,
    );
    const json = await onshi(["audit", "verify", "--json", "--from", "2026-04-01", "--data-dir", dir], env);
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout).break, { seq: 4, at: atOf(4), kind: "removed", code: "E9403", message: "監査ログの記録が削除されています。", detail: "この記録の前の記録 (seq 3) がありません" });
    const bad = await onshi(["audit", "verify", "--from", "2026-04-02", "--to", "2026-04-01", "--data-dir", dir], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /E9401 監査ログの検証期間の開始日が終了日より後です。/);
  });
});
