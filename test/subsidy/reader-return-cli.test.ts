// `npx onshi subsidy reader-return` as a user runs it (the bin's run(), in process).
// Figures: seed 002 l.1397-1405 第11 (no page markers in the 実施要領 extract).
import { test } from "node:test";
import assert from "node:assert/strict";
import { onshi } from "../support/cli.ts";

const flags = ["subsidy", "reader-return", "--reader-cost", "100000", "--readers", "3", "--provided", "2021-04-01", "--cancelled", "2023-10-01"];

test("a readable table: the readers' residual after 30 of 60 months and the subsidy", async () => {
  // seed 002 l.1405 第11 「減価償却（５年）に応じた残額）及び補助金」
  const { code, stdout } = await onshi([...flags, "--subsidy", "1050000"]);
  assert.equal(code, 0);
  assert.match(stdout, /経過 30か月 \/ 残り 30か月 の残額\s+150,000円/);
  assert.match(stdout, /返還額の合計\s+1,200,000円/);
});

test("--json", async () => {
  // seed 002 l.1405 第11
  const { code, stdout } = await onshi([...flags, "--json"]);
  assert.equal(code, 0);
  const r = JSON.parse(stdout);
  assert.deepEqual([r.monthsUsed, r.readerRemaining, r.subsidy, r.total], [30, 150_000, 0, 150_000]);
});

test("bad flags exit 2 and name the flag", async () => {
  const readers = await onshi([...flags.slice(0, 4), "--readers", "0", "--provided", "2021-04-01", "--cancelled", "2023-10-01"]);
  assert.equal(readers.code, 2);
  assert.match(readers.stderr, /--readers/);
  const order = await onshi([...flags.slice(0, 6), "--provided", "2021-04-01", "--cancelled", "2021-03-01"]);
  assert.equal(order.code, 2);
  assert.match(order.stderr, /E9133 .*--cancelled/);
  const cost = await onshi(["subsidy", "reader-return", "--provided", "2021-04-01", "--cancelled", "2023-10-01"]);
  assert.equal(cost.code, 2);
  assert.match(cost.stderr, /--reader-cost/);
});
