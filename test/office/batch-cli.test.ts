// onshi office vendor register|list and onshi office batch on a data folder, in process: a vendor
// registers its facilities (an unknown code listed, exit 1), sends a CSV batch whose refused line is
// named by line and field (exit 1), then a JSON Lines batch under one --key twice (one case); an
// examiner's account is not a vendor's (E9531).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import { onshi } from "../support/cli.ts";

const CLINIC = "0110113719";
const HOSPITAL = withCheckDigit("131000201");
const NOW = ["--now", "2021-10-15T03:00:00Z"];
let dir: string;
let data: string[];
const env = { ...process.env, DATABASE_URL: "" };
const run = (...args: string[]) => onshi(args, env);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "onshi-batch-cli-"));
  data = ["--data-dir", join(dir, "data")];
  await writeFile(join(dir, "batch.csv"), `facilityCode,program,facilityKind,cost,completedOn\n${CLINIC},fund-2020,medical_clinic,429000,2021-08-31\n${HOSPITAL},fund-2020,hospital,,\n`);
  const line = { facilityCode: HOSPITAL, program: "fund-2020", profile: { kind: "hospital", projects: [{ program: "fund-2020", cost: 2_000_000, completedOn: "2021-08-31" }] } };
  await writeFile(join(dir, "batch.jsonl"), `${JSON.stringify(line)}\n`);
});
after(() => rm(dir, { recursive: true, force: true }));

test("register, a CSV batch with a refused line, a JSON Lines batch retried under one key", async () => {
  for (const args of [
    ["facilities", "add", CLINIC, "--name", "テスト医院", "--kind", "medical_clinic"],
    ["facilities", "add", HOSPITAL, "--name", "テスト病院", "--kind", "hospital"],
    ["office", "account", "add", "--login", "vendor1", "--role", "vendor", "--name", "取りまとめ株式会社"],
    ["office", "account", "add", "--login", "shiharai1", "--role", "examiner"],
  ]) {
    const r = await run(...args, ...data);
    assert.equal(r.code, 0, `${args.join(" ")}\n${r.stdout}${r.stderr}`);
  }
  const registered = await run("office", "vendor", "register", "--office", "vendor1", CLINIC, HOSPITAL, withCheckDigit("131000209"), ...data);
  assert.equal(registered.code, 1, "an unknown code is refused");
  assert.match(registered.stdout, /登録しました: 2 件、登録済み: 0 件、登録できません: 1 件\n {2}3 件目 {2}E9530 /);
  const list = await run("office", "vendor", "list", "--office", "vendor1", "--json", ...data);
  assert.deepEqual(JSON.parse(list.stdout).facilities.map((f: { code: string }) => f.code), [CLINIC, HOSPITAL].sort());

  const csv = await run("office", "batch", join(dir, "batch.csv"), "--office", "vendor1", ...NOW, ...data);
  assert.equal(csv.code, 1, csv.stdout + csv.stderr);
  assert.match(csv.stdout, /^一括申請 #1 \(csv, partial\): 一部を受け付けました。2 行、受付 1 件、誤り 1 行\n {2}3 行目 {2}completedOn {2}E9510 /);
  assert.match(csv.stdout, /2 行目 {2}案件 #1 {2}0110113719 {2}fund-2020/);

  const once = ["office", "batch", join(dir, "batch.jsonl"), "--office", "vendor1", "--key", "jsonl-1", "--json", ...NOW, ...data];
  const first = await run(...once);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const retry = await run(...once);
  assert.deepEqual(JSON.parse(retry.stdout), JSON.parse(first.stdout), "the retry answers the first batch");
  assert.equal(JSON.parse(first.stdout).cases.length, 1);

  const examiner = await run("office", "vendor", "list", "--office", "shiharai1", ...data);
  assert.equal(examiner.code, 1);
  assert.match(examiner.stdout, /^E9531 /);
});
