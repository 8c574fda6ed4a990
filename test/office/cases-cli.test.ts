// onshi office apply|act|show|periods on a data folder, in process: a facility's administrator
// applies (retried under one --key: one case), an examiner decides at the version it saw and the
// second decision at that version is refused E9505, the case's history names who did what, and the
// periods table says what is not published.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onshi } from "../support/cli.ts";

const FACILITY = "0110113719";
let dir: string;
let data: string[];
const env = { ...process.env, DATABASE_URL: "" };
const run = (...args: string[]) => onshi(args, env);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "onshi-office-cli-"));
  data = ["--data-dir", join(dir, "data")];
  await writeFile(
    join(dir, "profile.json"),
    JSON.stringify({ kind: "hospital", readersProvided: 1, projects: [{ program: "fund-2020", cost: 1_000_000, readerAppliedOn: "2021-01-10", completedOn: "2021-03-01", readers: 1 }] }),
  );
});
after(() => rm(dir, { recursive: true, force: true }));

test("apply, retry, decide, a second decision at the same version, the history, the periods", async () => {
  for (const args of [
    ["facilities", "add", FACILITY, "--name", "テスト病院", "--kind", "hospital"],
    ["staff", "add", "--facility", FACILITY, "--login", "kanri", "--role", "doctor", "--admin"],
    ["staff", "add", "--facility", FACILITY, "--login", "jimu", "--role", "clerk"],
    ["office", "account", "add", "--login", "shiharai1", "--role", "examiner", "--name", "審査　一郎"],
  ]) {
    const r = await run(...args, ...data);
    assert.equal(r.code, 0, `${args.join(" ")}\n${r.stdout}${r.stderr}`);
  }
  const applyArgs = ["office", "apply", "--facility", FACILITY, "--staff", "kanri", "--program", "fund-2020", "--profile", join(dir, "profile.json"), "--now", "2021-04-01T03:00:00Z", "--json", ...data];
  const first = await run(...applyArgs, "--key", "apply-1");
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const opened = JSON.parse(first.stdout) as { caseId: number; state: string; requestedYen: number };
  assert.equal(opened.state, "applied");
  const retried = await run(...applyArgs, "--key", "apply-1");
  assert.equal(JSON.parse(retried.stdout).caseId, opened.caseId, "the retry answers the first case");
  const clerk = await run("office", "apply", "--facility", FACILITY, "--staff", "jimu", "--program", "fund-2020", "--profile", join(dir, "profile.json"), ...data);
  assert.equal(clerk.code, 1);
  assert.match(clerk.stdout, /^E9515 /, "only an administrator applies");

  const decide = ["office", "act", "--office", "shiharai1", "--case", String(opened.caseId), "--action", "decide", "--expected-version", "1", "--now", "2021-05-01T03:00:00Z", ...data];
  const decided = await run(...decide);
  assert.equal(decided.code, 0, decided.stdout + decided.stderr);
  assert.match(decided.stdout, /交付決定 \(v2\)/);
  const again = await run(...decide);
  assert.equal(again.code, 1);
  assert.match(again.stdout, /^E9505 この案件は他の担当者が先に処理しました/);

  const shown = await run("office", "show", "--case", String(opened.caseId), ...data);
  assert.equal(shown.code, 0);
  assert.match(shown.stdout, /1\. .*apply .*— → 申請中/);
  assert.match(shown.stdout, /2\. .*decide .*申請中 → 交付決定 .*審査　一郎 \(examiner\)/);
  const list = await run("office", "show", "--facility", FACILITY, "--json", ...data);
  assert.equal(JSON.parse(list.stdout).cases.length, 1, "one case, though applied twice under one key");

  const periods = await run("office", "periods");
  assert.equal(periods.code, 0);
  assert.match(periods.stdout, /fund-2020 \(application\): 申請 2020-11-01 〜 2023-09-30、完了期限 2023-03-31、完了後に申請/);
  assert.match(periods.stdout, /reader-expansion-2024 \(application\): 申請 公表されていない 〜 公表されていない/);
  assert.match(periods.stdout, /lump-sum-2024 \(application\): この窓口では受け付けない/);
});
