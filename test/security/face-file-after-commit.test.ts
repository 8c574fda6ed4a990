// Issue 10 item 7 (the face file): a completion's face file is written only after the database
// has committed the check (consent, 利用者リスト entry, session spent). When the commit fails,
// no face file appears, not even for a moment, and the session stays usable, so the patient's
// retry completes. When the file cannot be written after the commit, the write is retried, and if
// it still fails the check stands and the answer says so (E7035).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { watch, type FSWatcher } from "node:fs";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openAuthority } from "../../src/store/card-authority-store.ts";
import { type Authority } from "../../src/card/authority.ts";
import { answerChallenge } from "../../src/store/card-chip-store.ts";
import { issueCard } from "../../src/store/card-issue-store.ts";
import type { Db } from "../../src/db/client.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { CardReader, FACE_FILE_RETRY_MS, type CardReaderOptions, type FaceFileSink } from "../../src/services/card-reader.ts";
import { registerCard } from "../../src/store/card-store.ts";
import { listCardUsers } from "../../src/store/card-user-store.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, loadFixture } from "../support/fixture.ts";

const T0 = new Date("2026-04-01T00:30:00Z");
const ISSUED = new Date("2025-01-01T00:00:00Z");
const FACE = { name: "診療　太郎", address: "東京都千代田区千代田1-1", birthdate: "1980-01-01", sex: 1 as const, expiry: "2031-01-01" };

/**
 * The database as it is, except that the connection is lost when the check's 利用者リスト entry is
 * stored (in a transaction or not): the completion's write fails and nothing of it commits.
 */
function losingConnectionOnStore(db: Db): Db {
  const lost = () => Object.assign(new Error("Connection terminated unexpectedly"), { code: "57P01" });
  const wrap = (inner: Db): Db => ({
    ...inner,
    query: async (sql, params) => {
      if (/insert into card_users/.test(sql)) throw lost();
      return inner.query(sql, params);
    },
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
  });
  return wrap(db);
}

for (const database of testDatabases()) {
  describe(`the face file follows the commit, on ${database.name}`, () => {
    let db: Db;
    let authority: Authority;
    let root: string;
    let cardId: string;

    const open = (faceDir: string, options: Partial<CardReaderOptions> = {}, on: Db = db) =>
      CardReader.open({ oqs: { db: on, facilities: new FacilityDirectory(on), now: () => T0, characterCode: "0" }, faceFiles: faceFolder(faceDir), ...options });

    /** The face folder at `faceDir`, running `before` ahead of each write (which may throw, as a full disk does). */
    const watched = (faceDir: string, before: () => Promise<void> | void): FaceFileSink => {
      const folder = faceFolder(faceDir);
      return { ...folder, write: async (...args) => (await before(), folder.write(...args)) };
    };

    /** A verified PIN session of the registered card at the facility. */
    async function session(reader: CardReader): Promise<string> {
      const { nonce } = reader.challenge(FACILITY.code);
      const answer = await answerChallenge(db, cardId, { method: "pin", pin: "1234" }, nonce, FACILITY.code);
      return (await reader.verify(FACILITY.code, { answer })).session;
    }

    /** Every name that appears in the folder while `work` runs, even one deleted at once. */
    async function namesSeenDuring(dir: string, work: () => Promise<unknown>): Promise<Set<string>> {
      await mkdir(dir, { recursive: true });
      const seen = new Set<string>();
      const watcher: FSWatcher = watch(dir, (_event, name) => name && seen.add(String(name)));
      try {
        await work().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        watcher.close();
      }
      return seen;
    }

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      root = await mkdtemp(join(tmpdir(), "onshi-face-commit-"));
      authority = await openAuthority(db, ISSUED);
      const card = await issueCard(db, authority, { face: FACE, certificateExpiry: "2030-12-31", holderPersonId: 1, pin: "1234" }, ISSUED);
      await registerCard(db, card.certificateSerial, ISSUED);
      cardId = card.cardId;
    });
    after(async () => {
      await db.close();
      await rm(root, { recursive: true, force: true });
    });

    test("the database fails as the check is stored: no face file ever appears, nothing is stored, and the retry completes", async () => {
      const faceDir = join(root, "db-fails");
      const healthy = await open(faceDir);
      const s = await session(healthy);
      const before = await listCardUsers(db, FACILITY.code, "2026-04-01");
      const broken = await open(faceDir, {}, losingConnectionOnStore(db));
      let failure: unknown;
      const seen = await namesSeenDuring(faceDir, () => broken.complete(FACILITY.code, { session: s, consent: {} }).catch((e) => (failure = e)));
      assert.match(String(failure), /Connection terminated/);
      assert.deepEqual([...seen], [], "no face file, not even one deleted again");
      assert.deepEqual(await readdir(faceDir), []);
      assert.deepEqual(await listCardUsers(db, FACILITY.code, "2026-04-01"), before, "no 利用者リスト entry");

      // The patient tries again with the same session: it was not spent.
      const done = await healthy.complete(FACILITY.code, { session: s, consent: {} });
      assert.deepEqual(await readdir(faceDir), [done.faceFile]);
      assert.equal(done.faceFileError, undefined);
      assert.equal((await listCardUsers(db, FACILITY.code, "2026-04-01")).length, before.length + 1);
    });

    test("the face file is written only once its entry is committed, under the name the entry gives", async () => {
      const faceDir = join(root, "order");
      let committedAtWrite: string[] | undefined;
      const reader = await open(faceDir, {
        faceFiles: watched(faceDir, async () => {
          committedAtWrite = (await listCardUsers(db, FACILITY.code, "2026-04-01")).map((u) => u.faceFile);
        }),
      });
      const done = await reader.complete(FACILITY.code, { session: await session(reader), consent: {} });
      assert.ok(committedAtWrite?.includes(done.faceFile), "the entry naming the file was visible when the file was written");
      assert.equal(done.user.faceFile, done.faceFile);
      assert.deepEqual(await readdir(faceDir), [done.faceFile]);
    });

    test("a write that fails once is retried; one that keeps failing leaves the check recorded and says so (E7035)", async () => {
      const faceDir = join(root, "disk-fails");
      let attempts = 0;
      const flaky = await open(faceDir, {
        faceFiles: watched(faceDir, () => {
          if (++attempts === 1) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        }),
      });
      const retried = await flaky.complete(FACILITY.code, { session: await session(flaky), consent: {} });
      assert.equal(attempts, 2);
      assert.equal(retried.faceFileError, undefined);
      assert.deepEqual(await readdir(faceDir), [retried.faceFile]);

      const failed: string[] = [];
      attempts = 0;
      const full = await open(join(root, "disk-full"), {
        faceFiles: watched(join(root, "disk-full"), () => {
          attempts++;
          throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        }),
        onFaceFileFailed: (name) => failed.push(name),
      });
      const s = await session(full);
      const done = await full.complete(FACILITY.code, { session: s, consent: {} });
      assert.equal(attempts, FACE_FILE_RETRY_MS.length + 1);
      assert.equal(done.faceFileError?.code, "E7035");
      assert.match(done.faceFileError!.message, /受付窓口/);
      assert.deepEqual(failed, [done.faceFile], "the server is told which file is missing");
      // The check stands: its entry is listed, and the session is spent.
      assert.ok((await listCardUsers(db, FACILITY.code, "2026-04-01")).some((u) => u.sequence === done.user.sequence), "(await listCardUsers(db, FACILITY.code, \"2026-04-01\")).some((u) => u.sequence === done.user.sequence)");
      await assert.rejects(full.complete(FACILITY.code, { session: s, consent: {} }), (e: unknown) => e instanceof OqsError && e.code === "E7027");
    });
  });
}
