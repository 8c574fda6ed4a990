// `npx onshi seed` as a user runs it (the bin's run(), in process) on an in-memory PGlite.
import { test } from "node:test";
import assert from "node:assert/strict";
import cliProgress from "cli-progress";
import { run as runCli } from "../../src/cli/main.ts";
import { progressLine } from "../../src/cli/progress.ts";
import { Captured, onshi as run, type CliResult } from "../support/cli.ts";

// A DATABASE_URL in the caller's environment must not send the test to a real server.
const onshi = (args: string[]): Promise<CliResult> => run(["seed", ...args, "--memory"], { ...process.env, DATABASE_URL: "" });

test("--json prints the summary only (no progress on stderr)", async () => {
  const { code, stdout, stderr } = await onshi(["--persons", "300", "--seed", "3", "--now", "2026-04-01", "--json"]);
  assert.equal(code, 0, stderr);
  assert.equal(stderr, "");
  const summary = JSON.parse(stdout);
  assert.equal(summary.persons, 300);
  assert.equal(summary.seed, 3);
  assert.equal(summary.referenceDate, "2026-04-01");
  assert.ok(summary.qualifications >= 300, "summary.qualifications >= 300");
  for (const key of ["elderlyCertificates", "limitCertificates", "specificDiseaseCertificates", "subsidyCertificates", "seconds"]) assert.equal(typeof summary[key], "number", key);
});

test("without --json: a Japanese summary, and plain progress lines when stderr is not a terminal", async () => {
  const { code, stdout, stderr } = await onshi(["--persons", "200"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /被保険者 200 人/);
  assert.match(stdout, /資格 [\d,]+ 件/);
  assert.match(stdout, /医療費助成の受給者証 [\d,]+ 件/);
  assert.match(stderr, /投入中 200\/200 人/);
});

test("on a terminal the bar shows no remaining time until it can estimate one", async () => {
  const stdout = new Captured();
  const stderr = Object.assign(new Captured(), { isTTY: true, columns: 120 });
  const code = await runCli(["seed", "--persons", "300", "--memory"], { stdout, stderr, env: { ...process.env, DATABASE_URL: "" } });
  assert.equal(code, 0, stderr.text());
  // The frames the bar drew (cursor moves and line clears between them).
  const frames = stderr.text().split(/\x1b\[[0-9;]*[A-Za-z]|\r/).filter((frame) => frame.startsWith("投入中"));
  assert.ok(frames.length >= 2, stderr.text());
  assert.match(frames[0]!, /^投入中 \[[^\]]*\] 0% 0\/300 人$/, "the first frame: nothing done, no estimate");
  assert.match(frames.at(-1)!, /^投入中 \[[^\]]*\] 100% 300\/300 人$/, "done: nothing remains");
  for (const frame of frames) assert.doesNotMatch(frame, /INF|NULL|残り 0s/, frame);
});

test("the remaining time, once there is progress to estimate it from", () => {
  const options = { barCompleteString: "=".repeat(10), barIncompleteString: "-".repeat(10), barsize: 10, barGlue: "", autopaddingChar: "" } as cliProgress.Options;
  const line = (value: number, eta: unknown) => progressLine(options, { value, total: 100, eta: eta as number, progress: value / 100, startTime: 0, stopTime: null, maxWidth: 120 } as unknown as cliProgress.Params);
  assert.equal(line(0, "0"), "投入中 [----------] 0% 0/100 人");
  assert.equal(line(10, "INF"), "投入中 [=---------] 10% 10/100 人");
  assert.equal(line(40, 75), "投入中 [====------] 40% 40/100 人 残り 1m15s");
});

test("bad flags are refused with a Japanese message and exit code 2", async () => {
  const cases = [
    [["--persons", "-5"], /--persons には 0 以上の整数/],
    [["--persons", "1.5"], /--persons には 0 以上の整数/],
    [["--persons", "many"], /--persons には 0 以上の整数/],
    [["--persons", "10000001"], /--persons は 10,000,000 人までです/],
    [["--seed", "x"], /--seed には 0 以上の整数/],
    [["--now", "2026-02-30"], /--now には日付を YYYY-MM-DD で/],
  ] as const;
  await Promise.all(
    cases.map(async ([args, message]) => {
      const { code, stderr } = await onshi([...args]);
      assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
      assert.match(stderr, message);
    }),
  );
});
