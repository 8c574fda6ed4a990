// `onshi usage notice` as a user runs it (in process), on a PGlite data folder and on PostgreSQL:
// the summary names the rates and each 算定月's tier, --json is the service's notice, --out writes
// the notice's PDF (the same bytes as the service's); E8972 before the issue day (exit 1), a bad
// month exit 2 before the database is opened.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { databaseOptions } from "../../src/config.ts";
import { openDb } from "../../src/db/client.ts";
import { openMigrated } from "../../src/db/open.ts";
import { usageNotice } from "../../src/services/usage-notice.ts";
import { usageNoticePdf } from "../../src/services/usage-notice-pdf.ts";
import { onshi } from "../support/cli.ts";
import { LAST, X, loadNoticeFixture } from "./notice-fixture.ts";

const NOW = "2025-08-11T09:00:00+09:00";

interface Target {
  name: string;
  /** The flags and environment that name the database. */
  flags: string[];
  env: NodeJS.ProcessEnv;
}

async function targets(dir: string): Promise<Target[]> {
  const list: Target[] = [{ name: "PGlite", flags: ["--data-dir", join(dir, "data")], env: { ...process.env, DATABASE_URL: "" } }];
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = `notice_cli_${process.pid}`;
    const admin = await openDb({ url, poolSize: 1 });
    await admin.exec(`drop schema if exists ${schema} cascade; create schema ${schema}`);
    await admin.close();
    const scoped = new URL(url);
    scoped.searchParams.set("options", `-c search_path=${schema}`);
    list.push({ name: "PostgreSQL", flags: [], env: { ...process.env, DATABASE_URL: scoped.toString() } });
  }
  return list;
}

describe("onshi usage notice", () => {
  let dir: string;
  let list: Target[];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "onshi-notice-cli-"));
    list = await targets(dir);
    for (const t of list) {
      const db = await openMigrated(databaseOptions({ dataDir: join(dir, "data") }, t.env));
      await loadNoticeFixture(db, 300);
      await db.close();
    }
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    if (process.env.TEST_DATABASE_URL) {
      const admin = await openDb({ url: process.env.TEST_DATABASE_URL, poolSize: 1 });
      await admin.exec(`drop schema if exists notice_cli_${process.pid} cascade`);
      await admin.close();
    }
  });

  test("the summary, --json and --out on each database", async () => {
    for (const t of list) {
      const out = join(dir, `${t.name}.pdf`);
      const run = await onshi(["usage", "notice", "--facility", X, "--month", LAST, "--now", NOW, "--out", out, ...t.flags], t.env);
      assert.equal(run.code, 0, `${t.name}: ${run.stderr}`);
      assert.match(run.stdout, /マイナ保険証利用率のお知らせ {2}2025年6月診療分 \(2025-08-11 発行\)/, t.name);
      assert.match(run.stdout, /レセプト件数ベース +30\.00% +36\.88% +36\.67%/, t.name);
      assert.match(run.stdout, /算定月 2025-09: 医療DX推進体制整備加算2 \(11点\) \(2025-06 30\.00%\)/, t.name);
      assert.match(run.stdout, /PDF を書き出しました: /, t.name);
      const json = await onshi(["usage", "notice", "--facility", X, "--month", LAST, "--now", NOW, "--json", ...t.flags], t.env);
      assert.equal(json.code, 0, json.stderr);
      const db = await openMigrated(databaseOptions({ dataDir: join(dir, "data") }, t.env));
      try {
        const notice = await usageNotice(db, X, LAST, new Date(NOW));
        assert.deepEqual(JSON.parse(json.stdout), JSON.parse(JSON.stringify(notice)), `${t.name}: --json is the service's notice`);
        assert.ok((await readFile(out)).equals(await usageNoticePdf(notice)), `${t.name}: --out writes the notice's PDF`);
      } finally {
        await db.close();
      }
    }
  });

  test("before the issue day E8972 (exit 1); a bad month exit 2 with E8970", async () => {
    for (const t of list) {
      const early = await onshi(["usage", "notice", "--facility", X, "--month", LAST, "--now", "2025-08-10T23:59:59+09:00", ...t.flags], t.env);
      assert.equal(early.code, 1, t.name);
      assert.match(early.stdout, /^E8972 この診療月の利用率のお知らせはまだ発行されていません。/, t.name);
      const bad = await onshi(["usage", "notice", "--facility", X, "--month", "2025-13", ...t.flags], t.env);
      assert.equal(bad.code, 2, t.name);
      assert.match(bad.stderr, /E8970 お知らせの診療月が不正です。/, t.name);
    }
  });
});
