// Issue 10 item 9 (files): the embedded database (credential hashes, the authority's, cards' and
// readers' private keys) and every private key onshi writes are readable by their owner only.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, lstat, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openAuthority } from "../../src/store/card-authority-store.ts";
import { openMigrated } from "../../src/db/open.ts";
import { writePrivateFile } from "../../src/files/private-files.ts";
import { loadFixture } from "../support/fixture.ts";

const OTHERS = 0o077;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "onshi-file-modes-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every path under `root` (itself included) whose mode gives its group or others any access. */
async function openToOthers(root: string): Promise<string[]> {
  const paths = [root, ...(await readdir(root, { recursive: true })).map((name) => join(root, name))];
  const open: string[] = [];
  for (const path of paths) {
    const mode = (await lstat(path)).mode;
    if (mode & OTHERS) open.push(`${path} ${(mode & 0o777).toString(8)}`);
  }
  return open;
}

async function waitFor(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

test("a PGlite data folder is the owner's alone: the folder from its creation, every file while open and after close", async () => {
  const dataDir = join(dir, "data", "pglite");
  const db = await openMigrated({ dataDir });
  try {
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
    assert.deepEqual(await openToOthers(dataDir), [], "after open");
    // Rows with a credential hash and the authority's private key; new tables make new files.
    await loadFixture(db);
    await openAuthority(db, new Date());
    await db.exec("create table file_mode_probe (id int primary key, note text); insert into file_mode_probe values (1, 'x'); checkpoint");
    assert.ok(await waitFor(async () => (await openToOthers(dataDir)).length === 0, 2_000), `while open: ${(await openToOthers(dataDir)).join(", ")}`);
  } finally {
    await db.close();
  }
  assert.deepEqual(await openToOthers(dataDir), [], "after close");
  // The parent folder (which also holds the 連携フォルダ) keeps its usual mode.
  assert.notEqual((await stat(join(dir, "data"))).mode & 0o777, 0o700);
});

test("an existing data folder with loose modes (an older onshi) is tightened at open", async () => {
  const dataDir = join(dir, "data", "pglite"); // the previous test's
  await chmod(dataDir, 0o755);
  for (const name of await readdir(dataDir)) await chmod(join(dataDir, name), (await stat(join(dataDir, name))).isDirectory() ? 0o755 : 0o666);
  assert.notDeepEqual(await openToOthers(dataDir), []);
  const db = await openMigrated({ dataDir });
  try {
    assert.deepEqual(await openToOthers(dataDir), []);
  } finally {
    await db.close();
  }
});

test("a private key file is 0600 from its first byte, also when it replaces a readable file", async () => {
  const keys = join(dir, "keys");
  await rm(keys, { recursive: true, force: true });
  await mkdir(keys);
  await writeFile(join(keys, "old.key"), "readable by all");
  await chmod(join(keys, "old.key"), 0o644);
  await writePrivateFile(keys, "old.key", "-----BEGIN PRIVATE KEY-----\n");
  await writePrivateFile(keys, "new.key", "-----BEGIN PRIVATE KEY-----\n");
  for (const name of ["old.key", "new.key"]) assert.equal((await stat(join(keys, name))).mode & 0o777, 0o600, name);
  assert.deepEqual((await readdir(keys)).sort(), ["new.key", "old.key"], "no temp file left behind");
});
