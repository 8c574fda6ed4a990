// A bulk job whose worker process is killed with SIGKILL in the middle of a chunk finishes after
// a new worker starts on the same database: every row answered exactly once, in input order.
// PostgreSQL only: PGlite runs in one process and claims no crash safety (DESIGN.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { answerBulkResult, answerBulkUpload } from "../support/messages.ts";
import { openDb } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrate.ts";
import { loadFixture } from "../support/fixture.ts";
import { NOW, body, download, drain, harness, header, key, upload } from "./support.ts";

const url = process.env.TEST_DATABASE_URL;
const ROWS = 600;
const CHUNK = 20;

test("kill -9 of the worker mid-job: the next worker finishes it, no row lost or duplicated", { skip: !url && "TEST_DATABASE_URL is not set" }, async () => {
  const schema = `t${process.pid}_restart`;
  const admin = await openDb({ url: url!, poolSize: 1 });
  await admin.exec(`drop schema if exists ${schema} cascade; create schema ${schema}`);
  await admin.close();
  const scoped = new URL(url!);
  scoped.searchParams.set("options", `-c search_path=${schema}`);
  const db = await openDb({ url: scoped.toString(), poolSize: 4 });
  let child: ChildProcess | undefined;
  try {
    await migrate(db);
    await loadFixture(db);
    const h = harness(db);
    const rows = Array.from({ length: ROWS }, (_, i) => key({ Birthdate: i % 3 === 0 ? "19800101" : "19800102", InsuredBranchNumber: i % 7 === 0 ? "0x" : "00" }));
    const up = await answerBulkUpload(h.ctx, upload(rows));
    const number = body(up.message).ReceptionNumber as string;
    const stored = async () =>
      (await db.query<{ n: number }>("select count(*)::int as n from reception_results where reception_number = $1", [number]))[0]!.n;

    child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./worker-process.ts", import.meta.url))], {
      env: { ...process.env, WORKER_DATABASE_URL: scoped.toString(), WORKER_CHUNK_SIZE: String(CHUNK), WORKER_NOW: NOW.toISOString() },
      stdio: ["ignore", "inherit", "inherit"],
    });
    const deadline = Date.now() + 60_000;
    while ((await stored()) < 5 * CHUNK) {
      assert.ok(Date.now() < deadline, "the worker process made no progress");
      assert.equal(child.exitCode, null, "the worker process died");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill("SIGKILL");
    await once(child, "exit");
    const atKill = await stored();
    assert.ok(atKill < ROWS, "killed before the end");
    assert.equal(atKill % CHUNK, 0, "no partial chunk was left behind");
    assert.equal(header((await answerBulkResult(h.ctx, download(number))).message).SegmentOfResult, "2");

    await drain(h.worker({ chunkSize: CHUNK }));
    const done = await answerBulkResult(h.ctx, download(number));
    assert.deepEqual(
      [header(done.message).NumberOfProcessingResult, header(done.message).NumberOfError],
      [String(ROWS), String(rows.filter((_, i) => i % 7 === 0).length)],
    );
    const units = body(done.message).BulkConfirmUnit as XmlTree[];
    assert.deepEqual(units.map((u) => u.QualificationConfirmSearchInfo), rows);
    assert.deepEqual(
      units.map((u) => u.ProcessingResultCode ?? u.QualificationValidity),
      rows.map((_, i) => (i % 7 === 0 ? "E3003" : i % 3 === 0 ? "1" : "4")),
    );
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await once(child, "exit");
    }
    await db.close();
    const cleanup = await openDb({ url: url!, poolSize: 1 });
    await cleanup.exec(`drop schema if exists ${schema} cascade`);
    await cleanup.close();
  }
});
