// onshi office returns on a data folder, in process: an examiner cancels part of a paid case, orders
// the return, the sweep finds it unpaid after the deadline, a payment retried under one --key is
// recorded once, and the statement (text and PDF) shows lateInterest's figures; `office act` leaves
// the return actions to these commands.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lateInterest } from "../../src/subsidy/late-interest.ts";
import { onshi } from "../support/cli.ts";

const FACILITY = "0110113719";
let dir: string;
let data: string[];
const env = { ...process.env, DATABASE_URL: "" };
const run = async (...args: string[]) => {
  const r = await onshi([...args, ...data], env);
  return { ...r, out: r.stdout + r.stderr };
};
const ok = async (...args: string[]) => {
  const r = await run(...args);
  assert.equal(r.code, 0, `${args.join(" ")}\n${r.out}`);
  return r.stdout;
};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "onshi-returns-cli-"));
  data = ["--data-dir", join(dir, "data")];
  await writeFile(
    join(dir, "profile.json"),
    JSON.stringify({ kind: "hospital", readersProvided: 1, projects: [{ program: "fund-2020", cost: 1_000_000, readerAppliedOn: "2021-01-10", completedOn: "2021-03-01", readers: 1 }] }),
  );
});
after(() => rm(dir, { recursive: true, force: true }));

test("cancel, order, sweep, pay once under one key, the statement", async () => {
  await ok("facilities", "add", FACILITY, "--name", "テスト病院", "--kind", "hospital");
  await ok("staff", "add", "--facility", FACILITY, "--login", "kanri", "--role", "doctor", "--admin");
  await ok("office", "account", "add", "--login", "shiharai1", "--role", "examiner", "--name", "審査　一郎");
  const opened = JSON.parse(await ok("office", "apply", "--facility", FACILITY, "--staff", "kanri", "--program", "fund-2020", "--profile", join(dir, "profile.json"), "--now", "2021-04-01T03:00:00Z", "--json")) as { caseId: number };
  const id = String(opened.caseId);
  const examiner = ["--office", "shiharai1", "--case", id];
  await ok("office", "act", ...examiner, "--action", "decide", "--now", "2021-05-01T03:00:00Z");
  const paid = JSON.parse(await ok("office", "act", ...examiner, "--action", "pay", "--paid-on", "2021-05-10", "--now", "2021-05-10T03:00:00Z", "--json")) as { paidYen: number };

  const act = await run("office", "act", ...examiner, "--action", "cancel", "--reason", "x");
  assert.equal(act.code, 2, act.out);
  assert.match(act.out, /onshi office returns/);

  assert.match(await ok("office", "returns", "cancel", ...examiner, "--reason", "目的外使用 (第10)", "--now", "2022-01-10T03:00:00Z"), /取り消しました: .*取消 \(v4\)/);
  const order = await ok("office", "returns", "order", ...examiner, "--deadline", "2022-03-31", "--reason", "返還命令 (第11)", "--now", "2022-01-10T03:00:00Z");
  assert.match(order, new RegExp(`期限 2022-03-31 .*= ${paid.paidYen.toLocaleString("en")}円`));

  assert.match(await ok("office", "returns", "sweep", "--on", "2022-04-01"), /延滞中にしました: #1/);
  assert.match(await ok("office", "returns", "sweep", "--on", "2022-04-02"), /延滞中になった案件はありません/);

  const pay = ["office", "returns", "pay", ...examiner, "--paid-on", "2022-05-01", "--yen", "100000", "--key", "pay-1", "--now", "2022-05-02T03:00:00Z", "--json"];
  assert.deepEqual(JSON.parse(await ok(...pay)), JSON.parse(await ok(...pay)), "a retry under the same key answers the same");

  const statement = JSON.parse(await ok("office", "returns", "statement", "--facility", FACILITY, "--at", "2022-06-01", "--out", join(dir, "statement.pdf"), "--json"));
  // seed 002 l.1411-1427 第12: the statement's balance is lateInterest's for the one payment recorded
  const expected = lateInterest({ principal: paid.paidYen, received: "2021-05-10", deadline: "2022-03-31", payments: [{ on: "2022-05-01", yen: 100_000 }], at: "2022-06-01" });
  assert.equal(statement.cases[0].payments.length, 1, "recorded once");
  assert.equal(statement.totals.interestDue, expected.interestOutstanding);
  assert.equal(statement.totals.principalOutstanding, expected.principalOutstanding);
  assert.equal((await readFile(join(dir, "statement.pdf"))).subarray(0, 5).toString(), "%PDF-", "the PDF written");

  const bad = await run("office", "returns", "pay", ...examiner, "--paid-on", "2022-05-01", "--yen", "0", "--now", "2022-05-02T03:00:00Z");
  assert.equal(bad.code, 1, bad.out);
  assert.match(bad.out, /E9597/);
});
