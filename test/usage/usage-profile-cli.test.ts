// `onshi usage profile` as a user runs it (in process, on an embedded data folder written first):
// the profile on stdout or in a file, which `onshi subsidy calc` answers as it answers --facility;
// a facility not registered refused with exit 1, a bad date and an unwritable file with exit 2.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { databaseOptions } from "../../src/config.ts";
import { openMigrated } from "../../src/db/open.ts";
import { onshi } from "../support/cli.ts";
import { addFacility, addReceipts, addTotals } from "./usage-records.ts";

const dir = mkdtempSync(join(tmpdir(), "onshi-usage-profile-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, DATABASE_URL: "" };
let prepared: Promise<void> | undefined;
const run = async (args: string[]) => {
  prepared ??= (async () => {
    const db = await openMigrated(databaseOptions({ dataDir: dir }, {}));
    try {
      await addFacility(db, "1310000501", "hospital", { openedOn: "1990-04-01", readersProvided: 3, readersInUse: 3 });
      await addTotals(db, "1310000501", "2023-10", { face: 100, number: 900, persons: 90 });
      await addReceipts(db, "1310000501", "2023-10", 2_000, 1_500);
      await addTotals(db, "1310000501", "2023-11", { face: 120, pin: 10, number: 880, persons: 110 });
    } finally {
      await db.close();
    }
  })();
  await prepared;
  return onshi([...args, "--data-dir", dir], env);
};

test("the profile as JSON on stdout: the facility's columns and its months", async () => {
  const { code, stdout, stderr } = await run(["usage", "profile", "--facility", "1310000501", "--at", "2023-12-05"]);
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout), {
    name: "施設1310000501",
    kind: "hospital",
    openedOn: "1990-04-01",
    readersProvided: 3,
    readersInUse: 3,
    months: {
      "2023-10": { cardUses: 100, cardPersons: 90, onlineChecks: 1_000, receipts: 2_000, outpatientReceipts: 1_500 },
      "2023-11": { cardUses: 130, cardPersons: 110, onlineChecks: 1_010 },
    },
  });
});

test("--out writes the file, and subsidy calc answers it as it answers --facility", async () => {
  const out = join(dir, "profile.json");
  const written = await run(["usage", "profile", "--facility", "1310000501", "--at", "2024-06-15", "--out", out]);
  assert.equal(written.code, 0, written.stderr);
  assert.equal(written.stdout, "");
  assert.match(written.stderr, /施設プロフィールを書き出しました: .*profile\.json/);
  assert.equal(Object.keys(JSON.parse(readFileSync(out, "utf8")).months).length, 8, "2023-10〜2024-05");
  const fromFile = await onshi(["subsidy", "calc", out, "--at", "2024-06-15", "--json"], env);
  const fromRecords = await run(["subsidy", "calc", "--facility", "1310000501", "--at", "2024-06-15", "--json"]);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.equal(fromRecords.code, 0, fromRecords.stderr);
  assert.deepEqual(JSON.parse(fromFile.stdout), JSON.parse(fromRecords.stdout));
});

const refusals: [string, string[], RegExp][] = [
  ["a bad --at", ["--facility", "1310000501", "--at", "2024-02-30"], /E9104 .*\(--at: 2024-02-30\)/],
  ["a file that cannot be written", ["--facility", "1310000501", "--out", join(dir, "no-such-folder", "p.json")], /書き出せません: .*p\.json \(ENOENT\)/],
];
test("exit 1: a facility not registered (a malformed code alike) is refused with E8944, as onshi usage rate refuses it", async () => {
  for (const facility of ["9999999999", "1310-0005"]) {
    const { code, stdout, stderr } = await run(["usage", "profile", "--facility", facility]);
    assert.equal(code, 1, stdout);
    assert.equal(stdout, "");
    assert.match(stderr, new RegExp(`E8944 医療機関が見つかりません。\\(${facility}\\)`));
  }
});

for (const [name, args, message] of refusals) {
  test(`exit 2: ${name}`, async () => {
    const { code, stdout, stderr } = await run(["usage", "profile", ...args]);
    assert.equal(code, 2, stdout);
    assert.equal(stdout, "");
    assert.match(stderr, message);
  });
}
