// Issue 12 item 8: onshi runs on Node 20, so `npm ci` on Node 20 must not warn that a dependency
// wants a newer Node (EBADENGINE). npm compares each installed package's `engines.node`, which the
// lock file records, with the running Node; every Node 20 release must satisfy each of them.
// content-disposition 3 and cookie 2 ask for Node 22: package.json's overrides keep the releases
// before them (same API).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import semver from "semver";

const read = (file: string) => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), "utf8"));

test("every package the lock file installs allows every Node 20 release (no engine warning from npm ci)", () => {
  const own = read("package.json") as { engines: { node: string } };
  assert.ok(semver.subset("20.x", own.engines.node), "onshi itself claims Node 20");
  const lock = read("package-lock.json") as { packages: Record<string, { engines?: { node?: unknown } }> };
  const refusing = Object.entries(lock.packages)
    .map(([path, entry]) => [path, entry.engines?.node] as const)
    .filter(([, range]) => typeof range === "string" && !semver.subset("20.x", range))
    .map(([path, range]) => `${path}: node ${range}`);
  assert.deepEqual(refusing, []);
});
