// Every assert() / assert.ok() in the tests carries its message. Without one, Node builds the
// message of a failing assertion by re-reading the test file and trying to parse an expression
// from every token before the call (node:assert getErrMessage); on a TypeScript file of a few
// hundred lines that takes minutes to hours on one core, so one failing check looks like a hung
// test run and its failure is never printed (a CI run was lost to it).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? typeScriptFiles(join(dir, entry.name)) : /\.m?ts$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/** "file:line  call" for each assert()/assert.ok() call with only the value. */
function messageless(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length < 2 && ["assert", "assert.ok"].includes(node.expression.getText(source))) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push(`${relative(ROOT, file)}:${line}  ${node.getText(source).slice(0, 80)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test("every assert() and assert.ok() in test/ and bench/ names what it expects (a failing one without a message stalls the run)", () => {
  const files = [...typeScriptFiles(join(ROOT, "test")), ...typeScriptFiles(join(ROOT, "bench"))];
  assert.ok(files.length > 80, `found only ${files.length} test files`);
  assert.deepEqual(files.flatMap(messageless), []);
});
