// One process per embedded database folder (issue 12 item 1). A second process that needs the
// folder either goes through the `onshi serve` holding it (cards, seed, check; `cards list`, which
// only reads, too: PGlite cannot open a folder another process has open, even to read) or is
// refused at once with E9200 naming the holder and what to do. A holder killed with kill -9
// leaves no lock that blocks; with DATABASE_URL there is no folder to hold.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOCK_FILE } from "../../src/db/folder-lock.ts";
import { openDb } from "../../src/db/client.ts";
import { openMigrated } from "../../src/db/open.ts";
import { DEMO_FACILITIES } from "../../src/seed/demo.ts";
import { onshi } from "../support/cli.ts";
import { startServe } from "../support/onshi-bin.ts";

const NOW = ["--now", "2026-04-01T09:00:00+09:00"];
const TARO = ["--facility", DEMO_FACILITIES[0].code, "--insurer", "01130012", "--symbol", "4410", "--number", "8001", "--branch", "00", "--birthdate", "19800515", "--date", "20260401"];
/** The environment of a command on the data folder: no PostgreSQL server named. */
// The holder keeps the folder for the whole test, so a command that waited for it would never
// return; the bound only has to tell "at once" from "waiting", also on a loaded machine.
const NO_WAIT_MS = 15_000;
const env = { ...process.env, DATABASE_URL: "" };

describe("one process per embedded database folder, refused or stale", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "onshi-lock-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("while another process holds the folder, a command stops at once with E9200 naming it and what to do; once closed, it runs", async () => {
    const db = await openMigrated({ dataDir: join(dir, "pglite") });
    try {
      // The command's module is loaded on its first run: load it first, so the time is the refusal's.
      await onshi(["cards", "list", "--help"], env);
      const started = performance.now();
      const refused = await onshi(["cards", "list", "--data-dir", dir], env);
      assert.ok(performance.now() - started < NO_WAIT_MS, "refused without waiting for the holder");
      assert.equal(refused.code, 1);
      assert.equal(refused.stdout, "");
      assert.match(refused.stderr, /^エラー: E9200 データフォルダはほかのプロセスが使用中です。そのプロセスを停止してから実行するか、DATABASE_URL で PostgreSQL サーバを使ってください。/);
      assert.match(refused.stderr, new RegExp(`データフォルダ: ${join(dir, "pglite")}`));
      assert.match(refused.stderr, new RegExp(`使用中のプロセス: pid ${process.pid}, `));
      // Refused commands that change state, too (no server to go through): nothing written.
      const seed = await onshi(["seed", "--persons", "5", "--data-dir", dir, "--json"], env);
      assert.equal(seed.code, 1);
      assert.match(seed.stderr, /E9200/);
      assert.deepEqual(await db.query("select person_id from persons"), []);
    } finally {
      await db.close();
    }
    assert.equal(existsSync(join(dir, "pglite", LOCK_FILE)), false, "close releases the lock");
    const listed = await onshi(["cards", "list", "--data-dir", dir, "--json"], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout), { cards: [] });
  });

  test("a lock whose process is gone, or whose pid a later process now has, does not block", async () => {
    const gone = spawn(process.execPath, ["-e", ""]);
    await once(gone, "exit");
    const lock = join(dir, "pglite", LOCK_FILE);
    const stale = { startedAt: "2026-01-01T00:00:00.000Z", command: "onshi serve", server: { url: "http://127.0.0.1:1", adminToken: "x" } };
    const holders: Record<string, unknown>[] = [{ pid: gone.pid, ...stale }];
    // This very process under a start time that is not its own: the pid was reused (Linux's /proc tells).
    if (existsSync(`/proc/${process.pid}/stat`)) holders.push({ pid: process.pid, startTicks: "1", ...stale });
    for (const holder of holders) {
      await writeFile(lock, JSON.stringify(holder), { mode: 0o600 });
      const res = await onshi(["cards", "list", "--data-dir", dir, "--json"], env);
      assert.equal(res.code, 0, `${JSON.stringify(holder)}: ${res.stderr}`);
      assert.equal(res.stderr, "", "opened here, not sent to the stale lock's URL");
      assert.equal(existsSync(lock), false);
    }
  });

  test("a server that holds the folder but does not answer: E9201, nothing run", async () => {
    const db = await openMigrated({ dataDir: join(dir, "pglite") });
    try {
      const lock = join(dir, "pglite", LOCK_FILE);
      const holder = JSON.parse(await readFile(lock, "utf8"));
      await writeFile(lock, JSON.stringify({ ...holder, server: { url: "http://127.0.0.1:1", adminToken: "x" } }));
      const res = await onshi(["cards", "revoke", "DE00000000000001", "--data-dir", dir], env);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /E9201 データフォルダを使用中のサーバに接続できません。/);
      assert.match(res.stderr, /http:\/\/127\.0\.0\.1:1/);
    } finally {
      await db.close();
    }
  });

  test("with DATABASE_URL several processes share the PostgreSQL server: a held folder is not consulted", { skip: !process.env.TEST_DATABASE_URL && "TEST_DATABASE_URL is not set" }, async () => {
    const schema = `lock_${process.pid}`;
    const admin = await openDb({ url: process.env.TEST_DATABASE_URL, poolSize: 1 });
    await admin.exec(`drop schema if exists ${schema} cascade; create schema ${schema}`);
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.searchParams.set("options", `-c search_path=${schema}`);
    const held = await openMigrated({ dataDir: join(dir, "pglite") });
    const shared = await openMigrated({ url: url.toString() });
    try {
      const res = await onshi(["seed", "--persons", "3", "--json", "--data-dir", dir], { ...env, DATABASE_URL: url.toString() });
      assert.equal(res.code, 0, res.stderr);
      assert.equal(JSON.parse(res.stdout).persons, 3);
      assert.deepEqual(await shared.query("select count(*)::int as n from persons"), [{ n: 3 }], "seen by the other open connection");
    } finally {
      await shared.close();
      await held.close();
      await admin.exec(`drop schema ${schema} cascade`);
      await admin.close();
    }
  });
});

describe("commands on the folder of a running onshi serve", () => {
  let dir: string;
  let server: ChildProcess;
  let url: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "onshi-lock-serve-"));
    ({ child: server, url } = await startServe(["--demo", "--data-dir", dir, "--port", "0", ...NOW], env));
  });
  after(async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill("SIGKILL");
      await once(server, "exit");
    }
    await rm(dir, { recursive: true, force: true });
  });

  /** The server's own view of the cards, over its simulator route as the demo hospital. */
  const serverCards = async () => {
    const auth = await fetch(`${url}/oqs-api-pro/MSA12020/ILI12020SV01/auth`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ MedicalInstitutionCode: DEMO_FACILITIES[0].code, Credential: DEMO_FACILITIES[0].credential }),
    });
    const token = ((await auth.json()) as { result: { idToken: string } }).result.idToken;
    const cards = await fetch(`${url}/onshi-api/simulator/cards`, { headers: { authorization: token } });
    return ((await cards.json()) as { cards: { cardId: string; revoked: boolean }[] }).cards;
  };
  const via = (res: { stderr: string }) => assert.match(res.stderr, new RegExp(`データフォルダを使用中のサーバを通して実行します: pid ${server.pid}, onshi serve --demo .*${url.replaceAll(".", "\\.")}`));

  test("cards, seed and check go through the server, which then answers with the state they left", async () => {
    const revoked = await onshi(["cards", "revoke", "DE00000000000002", "--data-dir", dir, ...NOW], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /失効させました: DE00000000000002/);
    via(revoked);
    assert.equal((await serverCards()).find((c) => c.cardId === "DE00000000000002")?.revoked, true, "the running server sees the revocation");

    const seeded = await onshi(["seed", "--persons", "20", "--seed", "7", "--json", "--data-dir", dir], env);
    assert.equal(seeded.code, 0, seeded.stderr);
    via(seeded);
    const { persons, firstPersonId } = JSON.parse(seeded.stdout);
    assert.equal(persons, 20);
    const issued = await onshi(["cards", "issue", "--person", String(firstPersonId), "--certificate-expiry", "2030-12-31", "--json", "--data-dir", dir, ...NOW], env);
    assert.equal(issued.code, 0, issued.stderr);
    const { cardId } = JSON.parse(issued.stdout);
    assert.ok((await serverCards()).some((c) => c.cardId === cardId), "a card for a seeded person, on the server");

    const checked = await onshi(["check", ...TARO, "--json", "--data-dir", dir], env);
    assert.equal(checked.code, 0, checked.stderr);
    via(checked);
    assert.equal(JSON.parse(checked.stdout).XmlMsg.MessageBody.QualificationValidity, "1");

    // A refusal of the operation itself comes back as it would here: the code, exit 1.
    const unknown = await onshi(["cards", "reset", "0000000000000000", "--json", "--data-dir", dir], env);
    assert.equal(unknown.code, 1);
    assert.equal(JSON.parse(unknown.stdout).code, "E7014");
  });

  test("a read-only command goes through the server too: cards list shows the server's state", async () => {
    const listed = await onshi(["cards", "list", "--json", "--data-dir", dir], env);
    assert.equal(listed.code, 0, listed.stderr);
    via(listed);
    assert.equal(JSON.parse(listed.stdout).cards.find((c: { cardId: string }) => c.cardId === "DE00000000000002").revoked, true);
  });

  test("audit verify goes through the server and recomputes the chain it holds", async () => {
    const verified = await onshi(["audit", "verify", "--json", "--data-dir", dir], env);
    assert.equal(verified.code, 0, verified.stderr);
    via(verified);
    assert.equal(JSON.parse(verified.stdout).intact, true, "the server's chain is intact");
  });

  test("a command the server does not run is refused at once, naming the server and what to do; nothing written", async () => {
    const out = join(dir, "certs");
    const started = performance.now();
    const res = await onshi(["facilities", "cert", "issue", DEMO_FACILITIES[0].code, "--out", out, "--data-dir", dir], env);
    assert.ok(performance.now() - started < NO_WAIT_MS, "refused without waiting for the holder");
    assert.equal(res.code, 1);
    assert.match(res.stderr, /E9200 データフォルダはほかのプロセスが使用中です。そのプロセスを停止してから実行するか、DATABASE_URL で PostgreSQL サーバを使ってください。/);
    assert.match(res.stderr, new RegExp(`使用中のプロセス: pid ${server.pid}, onshi serve --demo --data-dir ${dir} .*${url.replaceAll(".", "\\.")}`));
    assert.match(res.stderr, /cards・seed・check・audit verify はこのサーバを通して実行されます/);
    assert.equal(existsSync(out), false);
  });

  test("the lock file names the server and is the owner's alone; kill -9 leaves no lock that blocks the next start", async () => {
    const lock = join(dir, "pglite", LOCK_FILE);
    assert.equal((await stat(lock)).mode & 0o777, 0o600);
    assert.equal(JSON.parse(await readFile(lock, "utf8")).pid, server.pid);

    server.kill("SIGKILL");
    await once(server, "exit");
    assert.equal(existsSync(lock), true, "kill -9 leaves the file");
    const res = await onshi(["cards", "list", "--json", "--data-dir", dir], env);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stderr, "", "opened here, not through the dead server");
    assert.equal(JSON.parse(res.stdout).cards.find((c: { cardId: string }) => c.cardId === "DE00000000000002").revoked, true, "what the server wrote is kept");
    assert.equal(existsSync(lock), false);
  });
});
