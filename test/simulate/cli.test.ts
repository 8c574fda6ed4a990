// `onshi simulate` as a user meets it (run(), in process, on an in-memory PGlite): the fit table
// with the published figure and its source beside the simulated rate, --json with the same
// figures, and each bad flag refused with its code and exit 2 before anything is opened.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { onshi } from "../support/cli.ts";

const env = { ...process.env, DATABASE_URL: "" };

describe("onshi simulate", () => {
  test("prints the rows written and each month's fit: published, source, simulated, difference", async () => {
    const { code, stdout, stderr } = await onshi(["simulate", "--facilities", "300", "--from", "2024-07", "--to", "2024-09", "--memory"], env);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /医療機関 病院 \d+、医科診療所 \d+、歯科診療所 \d+、薬局 \d+/);
    assert.match(stdout, /行数 facilities 300、usage_month_totals [\d,]+、usage_receipts [\d,]+/);
    assert.match(stdout, /^2024-07 {2}11\.13% +\d+\.\d\d% +[+-]\d\.\d\d +wic-net\.com\/material\/document\/16526\/2 \[V\]$/m);
    assert.match(stdout, /^2024-08 {2}\(12\.50%\) \d+\.\d\d% +[+-]\d\.\d\d +2024-07 と 2024-09 の間を補間 \(公表値なし\)$/m);
    assert.match(stderr, /投入中 900\/900 施設月/);
  });

  test("a plan of a few checks goes through the check code by itself; --totals writes it as totals", async () => {
    const small = ["simulate", "--facilities", "3", "--from", "2024-12", "--to", "2024-12", "--volume", "0.01", "--memory"];
    const through = await onshi(small, env);
    assert.equal(through.code, 0, through.stderr);
    assert.match(through.stdout, /書き方 受診ごとに資格確認を通して/);
    assert.match(through.stdout, /行数 facilities 3、usage_days [\d,]+、usage_card_persons [\d,]+、usage_receipts 3/);
    const totals = await onshi([...small, "--totals"], env);
    assert.equal(totals.code, 0, totals.stderr);
    assert.match(totals.stdout, /書き方 施設・月ごとの合計/);
    const fit = (out: string) => out.split("\n").find((l) => l.startsWith("2024-12"));
    assert.equal(fit(through.stdout), fit(totals.stdout), "the same fit both ways");
  });

  test("--json gives the summary with the fit, and no progress", async () => {
    const { code, stdout, stderr } = await onshi(["simulate", "--facilities", "50", "--from", "2025-09", "--to", "2025-10", "--seed", "3", "--json", "--memory"], env);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "");
    const summary = JSON.parse(stdout) as { seed: number; rows: { facilities: number }; fit: { month: string; published: number; source: string; simulated: { numerator: number; denominator: number } }[] };
    assert.equal(summary.seed, 3);
    assert.equal(summary.rows.facilities, 50);
    assert.deepEqual(summary.fit.map((f) => [f.month, f.published]), [["2025-09", 35.62], ["2025-10", 37.14]]);
    assert.ok(summary.fit.every((f) => f.simulated.denominator > 0 && f.source.length > 0), "each month has checks and a source");
  });

  test("bad flags exit 2 with their code, and say which flag", async () => {
    const cases: [string[], RegExp][] = [
      [["--from", "2024-13"], /E8920 .*--from 2024-13/],
      [["--to", "2024/05"], /E8920 .*--to 2024\/05/],
      [["--from", "2024-07", "--to", "2024-06"], /E8921 .*--from 2024-07 --to 2024-06/],
      [["--from", "2023-09"], /E8922 .*--from 2023-09/],
      [["--to", "2025-11"], /E8922 .*--to 2025-11/],
      [["--facilities", "0"], /E8923 .*--facilities 0/],
      [["--facilities", "500001"], /E8923 /],
      [["--facilities", "1e3"], /E8923 /],
      [["--seed", "-1"], /E8924 /],
      [["--seed", "4294967296"], /E8924 /],
      [["--volume", "0"], /E8927 /],
      [["--volume", "1.5"], /E8927 /],
      [["--facilities", "100", "--through-checks"], /E8927 .*--through-checks: [\d,]+ 件 \(上限 20,000 件\)/],
      [["--through-checks", "--totals"], /--through-checks.*--totals|--totals.*--through-checks/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await onshi(["simulate", ...args, "--memory"], env);
      assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
      assert.match(stderr, message, args.join(" "));
    }
  });
});
