// The bulk worker after a chunk whose transaction failed because the database went away: it tries
// again after a back-off that doubles up to its cap, and the reception ends with every row
// answered once (the failed chunks rolled back whole). On each database; the outage itself is
// played by the chunk processor (the real one, test/security/database-outage.test.ts).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { processQualificationChunk } from "../../src/services/bulk-check.ts";
import { answerBulkResult, answerBulkUpload } from "../support/messages.ts";
import { BulkWorker } from "../../src/services/bulk-worker.ts";
import { body, download, header, key, NOW, upload, harness } from "../bulk/support.ts";
import { testDatabases } from "../support/databases.ts";
import { loadFixture } from "../support/fixture.ts";

const ROWS = 6;
const CHUNK = 2;
const FAILURES = 4;
const RETRY = { first: 40, max: 120 };

for (const database of testDatabases()) {
  describe(`bulk worker back-off on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
    });
    after(() => db.close());

    test("failed chunks are retried after 40, 80, 120, 120 ms; then every row is answered once, in order", async () => {
      const h = harness(db);
      const rows = Array.from({ length: ROWS }, (_, i) => key({ Birthdate: i % 2 === 0 ? "19800101" : "19800102" }));
      const number = body((await answerBulkUpload(h.ctx, upload(rows))).message).ReceptionNumber as string;
      const attempts: number[] = [];
      const errors: unknown[] = [];
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const worker = new BulkWorker({
        db,
        now: () => NOW,
        settings: { chunkSize: CHUNK },
        pollMs: 10,
        retryMs: RETRY,
        onError: (error) => errors.push(error),
        processors: {
          async muquc(tx, reception, pending) {
            attempts.push(performance.now());
            // Half the chunk is stored, then the connection drops: the chunk's transaction rolls back.
            const results = await processQualificationChunk(tx, reception, pending);
            if (attempts.length <= FAILURES) {
              await tx.query("insert into reception_results (reception_number, row_index, status, result) values ($1, $2, 1, '{}')", [
                reception.receptionNumber,
                pending[0]!.rowIndex,
              ]);
              throw Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
            }
            if (pending.at(-1)!.rowIndex === ROWS) setImmediate(done);
            return results;
          },
        },
      });
      worker.start();
      await finished;
      await worker.stop();

      assert.equal(errors.length, FAILURES);
      const gaps = attempts.slice(1, FAILURES + 1).map((t, i) => t - attempts[i]!);
      const waits = [40, 80, 120, 120];
      gaps.forEach((gap, i) => assert.ok(gap >= waits[i]! - 5, `retry ${i + 1} after ${gap.toFixed(0)} ms, expected ≥ ${waits[i]} ms`));
      assert.equal(attempts.length, FAILURES + ROWS / CHUNK, "after the outage, one attempt per chunk");
      const result = await answerBulkResult(h.ctx, download(number));
      assert.equal(header(result.message).NumberOfProcessingResult, String(ROWS));
      const units = body(result.message).BulkConfirmUnit as XmlTree[];
      assert.deepEqual(units.map((u) => u.QualificationConfirmSearchInfo), rows);
      assert.deepEqual(units.map((u) => u.QualificationValidity), rows.map((_, i) => (i % 2 === 0 ? "1" : "4")));
    });
  });
}
