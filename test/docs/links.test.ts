// The README and docs/ send a reader only to what the repository holds or to public addresses:
// every relative link resolves to a file or folder inside the repository, and no page points at
// the project's private notes (the source texts and research notes it was built from) by their
// names; a source is cited by its public title and date (docs/subsidy.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

function pages(): string[] {
  const inDocs = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? inDocs(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : []));
  return ["README.md", ...inDocs("docs")];
}

/** Links of a Markdown page: `[text](target)` and `<img src>`, without their #fragment. */
function linksOf(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g), ...markdown.matchAll(/\bsrc="([^"]+)"/g)].map((m) => m[1]!);
  return targets.filter((t) => !/^(https?:|mailto:|#)/.test(t)).map((t) => decodeURIComponent(t.replace(/#.*$/, "")));
}

/** Names of what is not in the repository: the private notes' folders and files, and citations of them. */
const OUTSIDE = [/\bshared\//, /(?<!src\/)\bseeds?\//, /\bspec\//, /\/work\//, /DESIGN\.md/, /oqs-interface\.md/, /subsidy-programs\.md/, /\bseeds? 0\d\d\b/, /\bspec §/];

test("the README and docs/ link only to files inside the repository", () => {
  const broken: string[] = [];
  for (const page of pages()) {
    for (const target of linksOf(readFileSync(join(root, page), "utf8"))) {
      const path = resolve(root, dirname(page), target);
      const inside = !relative(root, path).startsWith(`..${sep}`) && relative(root, path) !== "..";
      if (!inside || !existsSync(path)) broken.push(`${page}: ${target}${inside ? " (missing)" : " (outside the repository)"}`);
    }
  }
  assert.deepEqual(broken, []);
});

test("the README and docs/ name no file the reader does not have", () => {
  const found: string[] = [];
  for (const page of pages()) {
    for (const [i, line] of readFileSync(join(root, page), "utf8").split("\n").entries()) {
      for (const pattern of OUTSIDE) if (pattern.test(line)) found.push(`${page}:${i + 1}: ${line.trim().slice(0, 120)}`);
    }
  }
  assert.deepEqual(found, []);
});
