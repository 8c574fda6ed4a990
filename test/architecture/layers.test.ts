// The import rules of docs/architecture.md ("Layers"), checked on every import of src/ (static,
// dynamic and type-only alike), as TypeScript's own scanner (ts.preProcessFile) lists them.
// A short scan rather than dependency-cruiser: the rules fit in one table here, need nothing but
// the compiler we already have, and run in well under a second; dependency-cruiser's current major
// no longer supports Node 20, which onshi does.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** An import of one src file: `to` is a src path ("src/db/client.ts") or a package ("pg", "node:fs"). */
interface Arrow {
  from: string;
  to: string;
}

const DATABASE = ["src/db/", "src/store/", "pg", "pg-copy-streams", "@electric-sql/pglite"];
const HTTP = ["src/http/", "fastify", "@fastify/", "node:http", "node:https", "node:http2", "jose"];
const FILE_SYSTEM = ["node:fs", "node:fs/promises", "src/files/", "chokidar"];
const CLI = ["src/cli/", "commander", "cli-progress", "node:readline"];
const TRANSPORTS = ["src/http/", "src/gateway/", "src/cli/", "src/web/"];
const SERVICES = ["src/services/", "src/seed/"];

/** `to` falls under one of the prefixes: a folder ("src/db/"), a file, or a package with its subpaths. */
function under(to: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => (p.endsWith("/") ? to.startsWith(p) : to === p || to.startsWith(`${p}/`)));
}

interface Rule {
  name: string;
  /** The files the rule is about. */
  from: (file: string) => boolean;
  forbidden: readonly string[];
  /** Files of `from` the rule lets import `forbidden` all the same. */
  except?: readonly string[];
}

const RULES: readonly Rule[] = [
  {
    name: "rules (domain/, card/, subsidy/, errors/) import no database, HTTP, file system, CLI, services or transports",
    from: (f) => under(f, ["src/domain/", "src/card/", "src/subsidy/", "src/errors/"]),
    forbidden: [...DATABASE, ...HTTP, ...FILE_SYSTEM, ...CLI, ...SERVICES, ...TRANSPORTS, "src/oqs/", "src/codec/"],
  },
  {
    name: "the message core (oqs/, codec/) imports rules only: no database, HTTP, file system, CLI, services or transports",
    from: (f) => under(f, ["src/oqs/", "src/codec/"]),
    forbidden: [...DATABASE, ...HTTP, ...FILE_SYSTEM, ...CLI, ...SERVICES, ...TRANSPORTS],
  },
  {
    name: "stores (store/) hold SQL: they import no services or transports",
    from: (f) => under(f, ["src/store/"]),
    forbidden: [...SERVICES, ...TRANSPORTS, ...HTTP, ...FILE_SYSTEM, ...CLI],
  },
  {
    name: "services (services/, seed/) import no transports and reach files only through ports",
    from: (f) => under(f, SERVICES),
    forbidden: [...TRANSPORTS, ...HTTP, ...CLI, ...FILE_SYSTEM],
  },
  {
    name: "infrastructure (db/, files/, config, clock) imports no rules above it, services or transports",
    from: (f) => under(f, ["src/db/", "src/files/", "src/config.ts", "src/clock.ts"]),
    forbidden: [...SERVICES, ...TRANSPORTS, "src/store/", "src/oqs/"],
  },
  { name: "http/ imports no other transport", from: (f) => under(f, ["src/http/"]), forbidden: ["src/gateway/", "src/cli/", "src/web/"] },
  { name: "gateway/ imports no other transport", from: (f) => under(f, ["src/gateway/"]), forbidden: ["src/http/", "src/cli/", "src/web/"] },
  { name: "web/ imports no other transport (no CLI labels)", from: (f) => under(f, ["src/web/"]), forbidden: ["src/http/", "src/gateway/", "src/cli/"] },
  {
    name: "cli/ imports no other transport except in the commands that start or run them",
    from: (f) => under(f, ["src/cli/"]),
    forbidden: ["src/http/", "src/gateway/", "src/web/"],
    // serve starts the server, its web pages and the folder gateway; files runs the gateway's
    // own file check on files named on the command line.
    except: ["src/cli/commands/serve.ts", "src/cli/commands/files.ts"],
  },
];

/**
 * Arrows that break a rule and are allowed for now, each with why and until when. Keep it short:
 * an entry here is a debt, reported in the note.
 */
const ALLOWED: readonly (Arrow & { why: string })[] = [];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return path === "src/web/public" ? [] : sourceFiles(path);
    return /\.ts$/.test(e.name) ? [path] : [];
  });
}

function arrowsOf(file: string): Arrow[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
  return importedFiles.map(({ fileName }) => ({
    from: file,
    to: fileName.startsWith(".") ? relative(ROOT, normalize(join(ROOT, dirname(file), fileName))) : fileName,
  }));
}

export function breaches(arrows: readonly Arrow[]): string[] {
  return arrows.flatMap(({ from, to }) =>
    ALLOWED.some((a) => a.from === from && a.to === to) ? [] : RULES.filter((r) => r.from(from) && !r.except?.includes(from) && under(to, r.forbidden)).map((r) => `${from} → ${to}: ${r.name}`),
  );
}

/** Every cycle among src files, each as the files in order (Tarjan's strongly connected components). */
export function cycles(arrows: readonly Arrow[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of arrows) if (to.startsWith("src/")) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || next.get(v)?.includes(v)) found.push(component.reverse());
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}

const ARROWS = sourceFiles("src").flatMap(arrowsOf);

test("every import of src/ follows the layer rules of docs/architecture.md", () => {
  assert.deepEqual(breaches(ARROWS), []);
});

test("no import cycle among the files of src/", () => {
  assert.deepEqual(cycles(ARROWS), []);
});

test("the scan sees what it checks: a planted arrow breaking each kind of rule is caught, and a cycle", () => {
  // Guards against a scan that silently finds nothing (a wrong root, a resolver that drops paths).
  assert.ok(ARROWS.some((a) => a.from === "src/http/server.ts" && a.to.startsWith("src/http/")), "the scan reads src/");
  const planted: Arrow[] = [
    { from: "src/domain/dates.ts", to: "src/db/client.ts" },
    { from: "src/card/verifier.ts", to: "pg" },
    { from: "src/subsidy/engine.ts", to: "node:fs" },
    { from: "src/store/card-store.ts", to: "src/services/card-reader.ts" },
    { from: "src/services/card-reader.ts", to: "src/gateway/face-file.ts" },
    { from: "src/web/plugin.ts", to: "src/cli/commands/check-summary.ts" },
    { from: "src/http/server.ts", to: "src/web/plugin.ts" },
    { from: "src/cli/commands/check.ts", to: "src/http/server.ts" },
  ];
  assert.equal(breaches(planted).length, planted.length, breaches(planted).join("\n"));
  assert.deepEqual(breaches([{ from: "src/cli/commands/serve.ts", to: "src/http/server.ts" }]), []);
  assert.deepEqual(
    cycles([
      { from: "src/a.ts", to: "src/b.ts" },
      { from: "src/b.ts", to: "src/c.ts" },
      { from: "src/c.ts", to: "src/a.ts" },
    ]),
    [["src/a.ts", "src/b.ts", "src/c.ts"]],
  );
});
