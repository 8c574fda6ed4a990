// `npm run build` (run by `npm ci` and `npm pack` through `prepare`): compiles src/ into dist/ with
// tsc and copies every other file of src/ (migrations, program data, the profile schema, the web
// pages) to the same place in dist/, so each module finds what it reads at the same relative URL
// from the sources and from the build.
// `--if-stale` builds only when dist/ is missing or older than a source (scripts/test.sh, bench).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const dist = join(root, "dist");
/** Written last: a build cut short leaves no stamp and is redone. */
const stamp = join(dist, ".built");
const inputs = ["src", "tsconfig.json", "tsconfig.build.json", "package.json"].map((p) => join(root, p));

function newestInput() {
  const files = inputs.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p, { recursive: true }).map((f) => join(p, f)) : [p]));
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

if (process.argv.includes("--if-stale") && existsSync(stamp) && statSync(stamp).mtimeMs >= newestInput()) process.exit(0);

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
cpSync(join(root, "src"), dist, { recursive: true, filter: (source) => statSync(source).isDirectory() || !source.endsWith(".ts") });
writeFileSync(stamp, `${new Date().toISOString()}\n`);
