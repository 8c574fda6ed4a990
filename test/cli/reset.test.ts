// `onshi reset`: deletes the embedded data folder after asking on a terminal, with --yes for
// scripts; without a terminal and without --yes, while another process holds the folder, or with
// DATABASE_URL, it deletes nothing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { LOCK_FILE } from "../../src/db/folder-lock.ts";
import { onshi as run, type CliResult } from "../support/cli.ts";

/** A terminal on which the user types `typed` (or closes the input, for undefined). */
function terminal(typed: string | undefined) {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  if (typed === undefined) input.end();
  else input.write(typed);
  return input;
}

describe("onshi reset", () => {
  let root: string;
  let n = 0;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "onshi-reset-"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  /** A data folder as onshi leaves it (its database and the OQS root with a request waiting), plus `others`. */
  async function dataFolder(others: string[] = []): Promise<string> {
    const dir = join(root, `data${++n}`);
    await mkdir(join(dir, "pglite", "base"), { recursive: true });
    await writeFile(join(dir, "pglite", "PG_VERSION"), "17");
    await mkdir(join(dir, "oqs", "req"), { recursive: true });
    await writeFile(join(dir, "oqs", "req", "OQSsiquc01req_1.xml"), "<XmlMsg/>");
    for (const name of others) await writeFile(join(dir, name), "the user's");
    return dir;
  }
  const reset = (dir: string, extra: string[] = [], stdin?: PassThrough, env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: "" }): Promise<CliResult> =>
    run(["reset", "--data-dir", dir, ...extra], env, stdin);

  test("--yes deletes the database and the OQS root, and the folder when nothing else is in it", async () => {
    const dir = await dataFolder();
    const done = await reset(dir, ["--yes"]);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /削除しました:\n.*pglite\n.*oqs\n/);
    assert.equal(existsSync(dir), false);
  });

  test("only onshi's own entries are deleted: the folder's other files stay", async () => {
    const dir = await dataFolder(["notes.txt"]);
    assert.equal((await reset(dir, ["-y"])).code, 0);
    assert.deepEqual(await readdir(dir), ["notes.txt"]);
  });

  test("on a terminal it asks in Japanese: y deletes; n, an empty answer or the end of input deletes nothing (exit 1)", async () => {
    for (const typed of ["n\n", "\n", "はい\n", undefined]) {
      const dir = await dataFolder();
      const kept = await reset(dir, [], terminal(typed));
      assert.equal(kept.code, 1, JSON.stringify(typed));
      assert.match(kept.stderr, /次を削除します.*\n.*pglite\n.*oqs\n削除しますか？ \[y\/N\] 削除しませんでした。/);
      assert.deepEqual((await readdir(dir)).sort(), ["oqs", "pglite"]);
    }
    for (const typed of ["y\n", "YES\n"]) {
      const dir = await dataFolder();
      const deleted = await reset(dir, [], terminal(typed));
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.equal(existsSync(dir), false);
    }
  });

  test("without a terminal and without --yes it deletes nothing (E9251, exit 2)", async () => {
    const dir = await dataFolder();
    for (const stdin of [undefined, new PassThrough()]) {
      const refused = await reset(dir, [], stdin);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /E9251 確認の入力ができないため削除しません。端末から実行するか、--yes を付けてください。/);
    }
    assert.deepEqual((await readdir(dir)).sort(), ["oqs", "pglite"]);
  });

  test("while a live process holds the folder it deletes nothing, before asking (E9200 names the process, exit 1)", async () => {
    const dir = await dataFolder();
    // The test's parent process stands for a running onshi serve.
    const holder = { pid: process.ppid, startedAt: new Date().toISOString(), command: "onshi serve --demo" };
    await writeFile(join(dir, "pglite", LOCK_FILE), JSON.stringify(holder));
    for (const [args, stdin] of [[["--yes"], undefined], [[], terminal("y\n")]] as const) {
      const refused = await reset(dir, [...args], stdin);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`E9200 .*\n.*\n  使用中のプロセス: pid ${process.ppid}, onshi serve --demo`));
      assert.doesNotMatch(refused.stderr, /削除しますか/);
    }
    assert.deepEqual((await readdir(join(dir, "pglite"))).sort(), ["PG_VERSION", "base", LOCK_FILE].sort());
    assert.deepEqual(await readdir(join(dir, "oqs", "req")), ["OQSsiquc01req_1.xml"]);
  });

  test("with DATABASE_URL it refuses, even with --yes, and says how to do it by hand (E9252, exit 1)", async () => {
    const dir = await dataFolder();
    const refused = await reset(dir, ["--yes"], undefined, { ...process.env, DATABASE_URL: "postgres://postgres@127.0.0.1:1/onshi" });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /E9252 DATABASE_URL のデータベースは onshi reset では削除しません。\n.*dropdb/);
    assert.deepEqual((await readdir(dir)).sort(), ["oqs", "pglite"]);
  });

  test("a folder that is not onshi's is left alone (E9253, exit 2); a missing one has nothing to delete (exit 0)", async () => {
    const other = join(root, "someone-elses");
    await mkdir(other);
    await writeFile(join(other, "thesis.tex"), "…");
    const refused = await reset(other, ["--yes"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /E9253 onshi のデータフォルダではないため削除しません。/);
    assert.deepEqual(await readdir(other), ["thesis.tex"]);

    const missing = await reset(join(root, "never-made"), ["--yes"]);
    assert.equal(missing.code, 0);
    assert.match(missing.stdout, /削除するものはありません/);
  });
});
