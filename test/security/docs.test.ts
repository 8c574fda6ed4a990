// docs/security.md says which test holds each promise: every file of test/security is named there,
// and every test file it names exists, so the page cannot drift from the suite.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const page = readFileSync(new URL("docs/security.md", root), "utf8");

test("docs/security.md names every regression test of test/security", () => {
  const files = readdirSync(new URL("test/security/", root)).filter((f) => f.endsWith(".test.ts") && f !== "docs.test.ts");
  const missing = files.filter((f) => !page.includes(`test/security/${f}`));
  assert.deepEqual(missing, []);
});

test("every test file docs/security.md names exists", () => {
  const named = [...page.matchAll(/`(test\/[\w/.-]+\.test\.ts)`/g)].map((m) => m[1]!);
  assert.ok(named.length > 10, "named.length > 10");
  assert.deepEqual(named.filter((path) => !existsSync(new URL(path, root))), []);
});
