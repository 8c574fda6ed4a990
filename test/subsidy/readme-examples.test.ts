// The README's worked examples (a clinic and a hospital) are what `onshi subsidy calc` prints for the
// example profiles in docs/examples/subsidy/: the summary table whole, then one program's block.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { onshi } from "../support/cli.ts";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

for (const example of ["clinic", "hospital"]) {
  test(`README: the ${example} example is the command's output`, async () => {
    const command = `npx --no-install onshi subsidy calc docs/examples/subsidy/${example}.json --at 2025-06-01`;
    const start = readme.indexOf(`$ ${command}\n`);
    assert.ok(start >= 0, `README shows ${command}`);
    const shown = readme.slice(start + command.length + 3, readme.indexOf("\n…\n```", start));
    const [table, block] = shown.split("\n\n■ ");
    const run = await onshi(["subsidy", "calc", `docs/examples/subsidy/${example}.json`, "--at", "2025-06-01"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.slice(0, run.stdout.indexOf("\n\n■ ")), table, "regenerate the README's table");
    assert.ok(run.stdout.includes(`\n\n■ ${block}\n\n`), "regenerate the README's program block");
  });
}
