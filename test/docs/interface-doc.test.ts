// docs/interface.md is what the message schemas say: a vendor reads exactly the elements, formats
// and codes onshi checks. Regenerate with `node --import tsx scripts/interface-doc.ts`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { MESSAGE_KINDS } from "../../src/oqs/messages/index.ts";
import { interfaceMarkdown } from "../../src/oqs/messages/interface-doc.ts";

const page = readFileSync(new URL("../../docs/interface.md", import.meta.url), "utf8");

test("docs/interface.md is generated from the message schemas", () => {
  assert.equal(page, interfaceMarkdown(), "run: node --import tsx scripts/interface-doc.ts");
});

test("docs/interface.md has a request and an answer table for every message kind, and a meaning for every element", () => {
  for (const kind of MESSAGE_KINDS) {
    assert.ok(page.includes(`## ${kind}: `), kind);
    assert.ok(page.includes(`要求 \`${kind}req_….xml\``) && page.includes(`応答 \`${kind}res_….xml\``), kind);
  }
  const rows = page.split("\n").filter((line) => line.startsWith("| `"));
  assert.ok(rows.length > 150, "rows.length > 150");
  assert.deepEqual(rows.filter((row) => row.split(" | ")[1]!.trim() === ""), [], "every element says what it means");
});
