// The audit chain as appended on each database: every record links to the one before and its hash
// recomputes from its stored body; appends from concurrent transactions still form one gapless
// chain; a rolled-back view leaves no record; the database itself refuses to change or delete one.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { auditBody, auditHash, GENESIS_HASH, type AuditEvent } from "../../src/domain/audit.ts";
import { appendAudit } from "../../src/store/audit-store.ts";
import { testDatabases } from "../support/databases.ts";

const event = (personId: number, at = new Date("2026-04-01T01:02:03.456Z")): AuditEvent => ({
  at,
  facilityCode: "1311234567",
  actor: { kind: "staff", account: "dr-sato", role: "doctor" },
  channel: "terminal",
  personId,
  categories: ["specificHealthCheckups", "pharmacists"],
  basis: { kind: "consent", consTime: new Date("2026-04-01T00:30:00Z") },
  result: "shown",
});

interface Row {
  seq: number;
  body: string;
  prev_hash: string;
  hash: string;
}

for (const database of testDatabases()) {
  describe(`the audit chain on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
    });
    after(async () => db.close());

    const chain = () => db.query<Row>("select seq, body, prev_hash, hash from audit_records order by seq");

    test("a record stores the canonical body, chained to the one before, its hash recomputable by anyone", async () => {
      await db.transaction((tx) => appendAudit(tx, event(1)));
      await db.transaction((tx) => appendAudit(tx, { ...event(2), actor: { kind: "system" }, channel: "file", basis: undefined, result: "E8003" }));
      const [first, second] = await chain();
      assert.equal(first?.seq, 1, "the first record is seq 1");
      assert.equal(first?.prev_hash, GENESIS_HASH, "the first record chains to 64 zeros");
      assert.equal(
        first?.body,
        '{"at":"2026-04-01T01:02:03.456Z","facilityCode":"1311234567","actor":{"kind":"staff","account":"dr-sato","role":"doctor"},"channel":"terminal","personId":1,"categories":["pharmacists","specificHealthCheckups"],"basis":{"kind":"consent","consTime":"2026-04-01T00:30:00.000Z"},"result":"shown"}',
      );
      assert.equal(first?.hash, auditHash(GENESIS_HASH, first!.body), "the database's hash is the documented formula");
      assert.equal(second?.prev_hash, first?.hash, "the second record carries the first one's hash");
      assert.equal(second?.hash, auditHash(first!.hash, second!.body), "and its own hash recomputes");
      assert.equal(second?.body, auditBody({ ...event(2), actor: { kind: "system" }, channel: "file", basis: undefined, result: "E8003" }));
    });

    test("a view rolled back leaves no record and no hole", async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await appendAudit(tx, event(3));
          throw new Error("the view failed");
        }),
        /the view failed/,
      );
      await db.transaction((tx) => appendAudit(tx, event(4)));
      const rows = await chain();
      assert.deepEqual(rows.map((r) => r.seq), [1, 2, 3], "seq stays gapless");
      assert.equal(JSON.parse(rows[2]!.body).personId, 4, "the rolled-back event is not there");
    });

    test("appends from concurrent transactions form one chain", async () => {
      await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          db.transaction(async (tx) => {
            await tx.query("select pg_sleep(0.005)");
            await appendAudit(tx, event(100 + i));
            await tx.query("select pg_sleep(0.005)");
          }),
        ),
      );
      const rows = await chain();
      assert.equal(rows.length, 27, "every append is kept");
      let prev = GENESIS_HASH;
      rows.forEach((row, i) => {
        assert.equal(row.seq, i + 1, "seq is gapless");
        assert.equal(row.prev_hash, prev, `record ${row.seq} chains to the one before`);
        assert.equal(row.hash, auditHash(prev, row.body), `record ${row.seq} recomputes`);
        prev = row.hash;
      });
      const [head] = await db.query<{ seq: number; hash: string }>("select seq, hash from audit_chain_head");
      assert.deepEqual(head, { seq: 27, hash: prev }, "the head names the last record");
    });

    test("the database refuses to update, delete or truncate a record, or to move the head back", async () => {
      await assert.rejects(db.query("update audit_records set body = 'x' where seq = 1"), /append-only/);
      await assert.rejects(db.query("delete from audit_records where seq = 1"), /append-only/);
      await assert.rejects(db.exec("truncate audit_records"), /append-only/);
      await assert.rejects(db.query("update audit_chain_head set seq = 1"), /only moves forward/);
      await assert.rejects(db.query("delete from audit_chain_head"), /only moves forward/);
      assert.equal((await chain()).length, 27, "nothing was changed");
    });
  });
}
