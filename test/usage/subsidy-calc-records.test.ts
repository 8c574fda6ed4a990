// `onshi subsidy calc --facility` and `--all-facilities`: the engine on profiles made from the
// records. The whole-database run on both databases (in this thread and on the worker pool); the
// command's flags and refusals in process on an embedded data folder.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { databaseOptions } from "../../src/config.ts";
import type { Db } from "../../src/db/client.ts";
import { openMigrated } from "../../src/db/open.ts";
import { runAllFacilities } from "../../src/cli/subsidy/all-facilities.ts";
import { Captured, onshi } from "../support/cli.ts";
import { testDatabases } from "../support/databases.ts";
import { addFacility, addReceipts, addTotals } from "./usage-records.ts";

const AT = "2024-06-15";
/** support-2024-h1 (base 2023-10, the half 2024-01〜05): 対象 (rise 10 %pt: 40円 × 1,500 uses), 対象外 (no rise), or 判定できない (no receipts uploaded). */
const PATTERNS = ["eligible", "notEligible", "cannotTell"] as const;
async function facilityOf(db: Db, code: string, pattern: (typeof PATTERNS)[number]): Promise<void> {
  await addFacility(db, code, "medical_clinic", { openedOn: "2001-04-01" });
  const persons = pattern === "eligible" ? 150 : 50;
  for (const month of ["2023-10", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]) {
    await addTotals(db, code, month, { face: month === "2023-10" ? 0 : 300, number: 500, persons: month === "2023-10" ? 50 : persons });
    if (pattern !== "cannotTell") await addReceipts(db, code, month, 1_000, 1_000);
  }
}

async function allFacilities(db: Db, program: string | undefined, jobs: number) {
  const stdout = new Captured();
  const stderr = new Captured();
  const summary = await runAllFacilities({ stdout, stderr, env: {} }, db, AT, program, jobs);
  const lines = stdout.text().trimEnd().split("\n").map((l) => JSON.parse(l));
  return { summary, lines, last: lines.at(-1), facilities: lines.slice(0, -1) };
}

for (const database of testDatabases()) {
  test(`${database.name}: --all-facilities answers a line per facility in code order, then the summary`, async () => {
    const db = await database.open();
    try {
      const codes = ["1310000303", "1310000301", "1310000302"];
      for (const [i, code] of codes.entries()) await facilityOf(db, code, PATTERNS[i]!);
      const { summary, last, facilities } = await allFacilities(db, undefined, 0);
      assert.deepEqual(facilities.map((l) => l.code), ["1310000301", "1310000302", "1310000303"]);
      for (const l of facilities) assert.equal(l.at, AT);
      const h1 = (code: string) => facilities.find((l) => l.code === code).results.find((r: { program: string }) => r.program === "support-2024-h1");
      assert.deepEqual([h1("1310000303").eligible, h1("1310000303").amount], [true, 60_000]);
      assert.deepEqual([h1("1310000301").eligible, h1("1310000301").amount], [false, 0]);
      assert.deepEqual([h1("1310000302").eligible, h1("1310000302").missing?.[0]], [null, "months.2023-10.outpatientReceipts"]);
      assert.deepEqual(last, { summary: { at: AT, facilities: 3, programs: summary.programs } });
      assert.deepEqual(summary.programs["support-2024-h1"], { eligible: 1, yen: 60_000, amountUnknown: 0, notEligible: 1, cannotTell: 1 });
      assert.equal(Object.keys(summary.programs).length, 9, "every program");
      const one = await allFacilities(db, "support-2024-h1", 0);
      assert.deepEqual(Object.keys(one.summary.programs), ["support-2024-h1"], "--program keeps one");
      assert.deepEqual(one.facilities.map((l) => l.results.length), [1, 1, 1]);
    } finally {
      await db.close();
    }
  });

  test(`${database.name}: on the worker pool, 1,200 facilities over pages: the same lines as in this thread, summed`, async () => {
    const db = await database.open();
    try {
      // Written in bulk: the same three facilities' records, 400 times over.
      await db.query(
        `insert into facilities (medical_institution_code, name, kind, prefecture, opened_on)
         select lpad((1310001000 + g)::text, 10, '0'), '施設' || g, 'medical_clinic', 13, '2001-04-01' from generate_series(0, 1199) g`,
      );
      await db.query(
        `insert into usage_month_totals (medical_institution_code, month, card_face, insurance_number, card_persons)
         select lpad((1310001000 + g)::text, 10, '0'), m::date, case when m = '2023-10-01' then 0 else 300 end, 500,
                case when m = '2023-10-01' or g % 3 = 1 then 50 else 150 end
         from generate_series(0, 1199) g, unnest(array['2023-10-01', '2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01']) m`,
      );
      await db.query(
        `insert into usage_receipts (medical_institution_code, month, receipts, outpatient_receipts, updated_at)
         select lpad((1310001000 + g)::text, 10, '0'), m::date, 1000, 1000, now()
         from generate_series(0, 1199) g, unnest(array['2023-10-01', '2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01']) m
         where g % 3 <> 2`,
      );
      const pooled = await allFacilities(db, "support-2024-h1", 2);
      const inline = await allFacilities(db, "support-2024-h1", 0);
      assert.equal(pooled.facilities.length, 1_200);
      assert.deepEqual(pooled.lines, inline.lines, "the same lines in the same order");
      assert.deepEqual(pooled.summary.programs["support-2024-h1"], { eligible: 400, yen: 400 * 60_000, amountUnknown: 0, notEligible: 400, cannotTell: 400 });
    } finally {
      await db.close();
    }
  });
}

// The command itself, on an embedded data folder written first.
const dir = mkdtempSync(join(tmpdir(), "onshi-calc-records-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, DATABASE_URL: "" };
let prepared: Promise<void> | undefined;
const run = async (args: string[]) => {
  prepared ??= (async () => {
    const db = await openMigrated(databaseOptions({ dataDir: dir }, {}));
    try {
      await facilityOf(db, "1310000401", "eligible");
      await facilityOf(db, "1310000402", "cannotTell");
    } finally {
      await db.close();
    }
  })();
  await prepared;
  return onshi(["subsidy", "calc", ...args, "--data-dir", dir], env);
};

test("--facility: the table of a facility's profile from its records, --json the engine's answer", async () => {
  const table = await run(["--facility", "1310000401", "--at", AT]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /施設1310000401 \(医科診療所\)  基準日 2024-06-15/);
  assert.match(table.stdout, /support-2024-h1\s+-\s+対象\s+60,000円/);
  const json = await run(["--facility", "1310000401", "--at", AT, "--program", "support-2024-h1", "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assert.deepEqual(out.results.map((r: { program: string; eligible: boolean; amount: number }) => [r.program, r.eligible, r.amount]), [["support-2024-h1", true, 60_000]]);
  const unknown = await run(["--facility", "1310000402", "--at", AT, "--program", "support-2024-h1", "--json"]);
  assert.equal(JSON.parse(unknown.stdout).results[0].eligible, null, "no receipts uploaded: 判定できない");
});

test("--all-facilities: JSON Lines on stdout, the summary table on stderr", async () => {
  const { code, stdout, stderr } = await run(["--all-facilities", "--at", AT, "--program", "support-2024-h1"]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.slice(0, -1).map((l) => l.code), ["1310000401", "1310000402"]);
  assert.deepEqual(lines.at(-1).summary.programs["support-2024-h1"], { eligible: 1, yen: 60_000, amountUnknown: 0, notEligible: 0, cannotTell: 1 });
  assert.match(stderr, /2 施設 {2}基準日 2024-06-15/);
  assert.match(stderr, /support-2024-h1\s+1\s+60,000円\s+0\s+0\s+1/);
});

const profileFile = join(dir, "profile.json");
writeFileSync(profileFile, JSON.stringify({ kind: "hospital" }));
const refusals: [string, string[], RegExp][] = [
  ["a bad --at", ["--facility", "1310000401", "--at", "2024-13-01"], /E9104 .*\(--at: 2024-13-01\)/],
  ["a bad --at for every facility", ["--all-facilities", "--at", "20240601"], /E9104 .*\(--at: 20240601\)/],
  ["a profile file and --facility", [profileFile, "--facility", "1310000401"], /どれか1つを指定してください/],
  ["--facility and --all-facilities", ["--facility", "1310000401", "--all-facilities"], /どれか1つを指定してください/],
  ["--batch and --all-facilities", ["--batch", profileFile, "--all-facilities"], /どれか1つを指定してください/],
];
for (const [name, args, message] of refusals) {
  test(`exit 2: ${name}`, async () => {
    const plain = await run(args);
    assert.equal(plain.code, 2, plain.stdout);
    assert.match(plain.stderr, message);
  });
}

test("exit 1: a facility not registered (a malformed code alike) is refused with E8944, as onshi usage rate refuses it", async () => {
  for (const facility of ["9999999999", "13100"]) {
    const plain = await run(["--facility", facility]);
    assert.equal(plain.code, 1, plain.stdout);
    assert.match(plain.stderr, new RegExp(`E8944 医療機関が見つかりません。\\(${facility}\\)`));
    const json = await run(["--facility", facility, "--json"]);
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), { code: "E8944", message: `医療機関が見つかりません。(${facility})`, field: "--facility" });
  }
});
