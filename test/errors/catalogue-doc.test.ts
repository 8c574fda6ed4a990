import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ERROR_CODES } from "../../src/errors/catalogue.ts";

test("docs/error-codes.md publishes exactly the catalogue", () => {
  const doc = readFileSync(new URL("../../docs/error-codes.md", import.meta.url), "utf8");
  const rows = doc
    .split("\n")
    .filter((line) => /^\| E\d{4} /.test(line))
    .map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim()));
  const expected = Object.entries(ERROR_CODES).map(([code, d]) => [code, d.ja, d.en, String(d.http)]);
  assert.deepEqual(rows, expected);
});
