// A bulk worker in a process of its own, for the kill -9 test: it works through the receptions of
// the database named by WORKER_DATABASE_URL, slowed down inside each chunk's transaction so that
// the kill lands mid-chunk.
import { openDb } from "../../src/db/client.ts";
import { processQualificationChunk } from "../../src/services/bulk-check.ts";
import { BulkWorker } from "../../src/services/bulk-worker.ts";

const db = await openDb({ url: process.env.WORKER_DATABASE_URL!, poolSize: 2 });
const worker = new BulkWorker({
  db,
  // The test's fixed clock: with the real one its reception would already be past retention.
  now: () => new Date(process.env.WORKER_NOW!),
  settings: { chunkSize: Number(process.env.WORKER_CHUNK_SIZE) },
  pollMs: 50,
  onError: (error) => console.error(error),
  processors: {
    muquc: async (tx, reception, rows) => {
      const results = await processQualificationChunk(tx, reception, rows);
      await new Promise((resolve) => setTimeout(resolve, 30));
      return results;
    },
  },
});
worker.start();
