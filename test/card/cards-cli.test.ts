// `npx onshi cards` as an administrator runs it: issue, list, revoke, the 市区町村 reset, with --json.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openMigrated } from "../../src/db/open.ts";
import { onshi as run, type CliResult } from "../support/cli.ts";
import { loadFixture } from "../support/fixture.ts";

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "onshi-cards-"));
  const db = await openMigrated({ dataDir: join(dir, "pglite") });
  await loadFixture(db);
  await db.close();
});
after(() => rm(dir, { recursive: true, force: true }));

const onshi = (args: string[]): Promise<CliResult> => run(["cards", ...args, "--data-dir", dir, "--now", "2026-04-01T09:00:00+09:00"]);

test("issue, list, lock by the chip's counters, the 市区町村 reset, revoke; unknown cards and persons are refused (exit 1), bad flags exit 2", async () => {
  const issued = await onshi(["issue", "--person", "1", "--certificate-expiry", "2030-12-31", "--pin", "4321", "--json"]);
  assert.equal(issued.code, 0, issued.stderr);
  const card = JSON.parse(issued.stdout);
  assert.match(card.cardId, /^[0-9A-F]{16}$/);
  assert.equal(card.pin, "4321");
  assert.equal(card.face.name, "診療　太郎");

  const db = await openMigrated({ dataDir: join(dir, "pglite") });
  await db.query("update card_chips set pin_failures = 3, face_failures = 10 where card_id = $1", [card.cardId]);
  await db.close();
  const listed = JSON.parse((await onshi(["list", "--json"])).stdout).cards;
  assert.deepEqual(listed.map((c: { cardId: string }) => c.cardId), [card.cardId]);
  assert.deepEqual(listed[0].locks, { pinFailures: 3, faceFailures: 10 });
  assert.equal(listed[0].certificateExpiry, "2030-12-31");
  assert.match((await onshi(["list"])).stdout, /診療　太郎.*未登録.*暗証番号の失敗 3\/3/);

  const reset = await onshi(["reset", card.cardId, "--json"]);
  assert.deepEqual(JSON.parse(reset.stdout), { cardId: card.cardId, locks: { pinFailures: 0, faceFailures: 0 } });
  assert.match((await onshi(["revoke", card.cardId])).stdout, /失効させました/);
  assert.equal(JSON.parse((await onshi(["list", "--json"])).stdout).cards[0].revoked, true);

  const unknown = await onshi(["revoke", "0000000000000000", "--json"]);
  assert.equal(unknown.code, 1);
  assert.equal(JSON.parse(unknown.stdout).code, "E7014");
  assert.equal((await onshi(["reset", "0000000000000000"])).code, 1);
  for (const bad of [["--person", "x"], ["--certificate-expiry", "2030-02-30"], ["--pin", "12345"]] as const) {
    const args: Record<string, string> = { "--person": "1", "--certificate-expiry": "2030-12-31", [bad[0]]: bad[1] };
    const res = await onshi(["issue", ...Object.entries(args).flat()]);
    assert.equal(res.code, 2, bad.join(" "));
    assert.match(res.stderr, new RegExp(bad[0]));
  }
  const nobody = await onshi(["issue", "--person", "999", "--certificate-expiry", "2030-12-31"]);
  assert.equal(nobody.code, 1);
  assert.equal(nobody.stdout, "E9204 人物が見つかりません。(person_id 999)\n");
});
