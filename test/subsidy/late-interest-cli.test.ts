// `npx onshi subsidy late-interest` as a user runs it (the bin's run(), in process).
// Figures: seed 002 l.1409-1427 第12 (no page markers in the 実施要領 extract).
import { test } from "node:test";
import assert from "node:assert/strict";
import { onshi } from "../support/cli.ts";

const flags = ["subsidy", "late-interest", "--principal", "1000000", "--received", "2021-04-01", "--deadline", "2021-09-30"];

test("a readable Japanese table of periods and payments", async () => {
  // seed 002 l.1411-1427 第12 1 and 3
  const { code, stdout } = await onshi([...flags, "--payments", "2021-09-30:400000,2022-04-01:700000"]);
  assert.equal(code, 0);
  assert.match(stdout, /2021-04-02〜2021-09-30\s+182\s+1,000,000円\s+14,958円/);
  assert.match(stdout, /2022-04-01\s+700,000円\s+9,249円\s+614,958円\s+75,793円/);
  assert.match(stdout, /延滞金の合計 24,207円/);
  assert.match(stdout, /第12 3/);
});

test("--json gives the result, with the balance on --at when nothing is paid", async () => {
  // seed 002 l.1411-1421 第12 1 and 2
  const { code, stdout } = await onshi([...flags, "--at", "2022-04-01", "--json"]);
  assert.equal(code, 0);
  const r = JSON.parse(stdout);
  assert.equal(r.interest, 30_000);
  assert.equal(r.principalOutstanding, 1_000_000);
  assert.equal(r.periods[0].days, 365);
});

test("bad flags exit 2 and name the flag", async () => {
  const bad = await onshi(["subsidy", "late-interest", "--principal", "1,000", "--received", "2021-04-01", "--deadline", "2021-09-30"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--principal/);
  const missing = await onshi(["subsidy", "late-interest", "--principal", "1000", "--received", "2021-04-01"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--deadline/);
  const payments = await onshi([...flags, "--payments", "2022-04-01=5"]);
  assert.equal(payments.code, 2);
  assert.match(payments.stderr, /--payments/);
  const order = await onshi([...flags, "--payments", "2021-01-01:5"]);
  assert.equal(order.code, 2);
  assert.match(order.stderr, /E9133 .*--payments/);
  const json = await onshi(["subsidy", "late-interest", "--principal", "1", "--received", "2021-04-31", "--deadline", "2021-09-30", "--json"]);
  assert.equal(json.code, 2);
  assert.deepEqual([JSON.parse(json.stdout).code, JSON.parse(json.stdout).flag], ["E9131", "--received"]);
  const unknown = await onshi([...flags, "--bogus"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--bogus/);
});
