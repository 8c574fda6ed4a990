// `npm test` runs test files several to a process: starting a process (the TypeScript loader,
// the module graph, PGlite, the compiled schemas) costs more than many files' own tests. This
// writes SHARDS entry files into OUT_DIR, each importing a share of the given test files (the
// largest first, each to the lightest shard, file size standing for time), and prints their paths,
// heaviest first so the pool starts them first.
//
// Each file runs inside a describe() named after it, so its top-level before/after hooks stay its
// own; test/support/databases.ts is imported first, at the top level, so the one PGlite it shares
// closes once after the shard's last file rather than after its first.
//
// A test that leaves something running (a child process, a socket, a timer) would keep its shard's
// process alive after the last test, and `node --test` waits for it without end: LINGER_MS after
// the last test the shard names what is still open and exits with a failure instead.
//
// usage: node scripts/test-shards.mjs OUT_DIR SHARDS FILE…
import { statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [outDir, count, ...files] = process.argv.slice(2);
const LINGER_MS = 60_000;
const shards = Array.from({ length: Math.min(Number(count), files.length) }, () => ({ weight: 0, files: [] }));
for (const file of [...files].sort((a, b) => statSync(b).size - statSync(a).size)) {
  const lightest = shards.reduce((a, b) => (b.weight < a.weight ? b : a));
  lightest.weight += statSync(file).size;
  lightest.files.push(file);
}

const root = resolve(import.meta.dirname, "..");
const support = pathToFileURL(join(root, "test/support/databases.ts")).href;
shards.forEach((shard, i) => {
  const entries = shard.files.map((file) => [relative(root, resolve(file)), pathToFileURL(resolve(file)).href]);
  const source = [
    `import ${JSON.stringify(support)};`,
    `import { after, describe } from "node:test";`,
    `for (const [name, url] of ${JSON.stringify(entries)}) describe(name, () => import(url));`,
    `const lingering = ${JSON.stringify(`テストの終了から ${LINGER_MS / 1000} 秒たっても終了しないプロセスです (${entries.map(([name]) => name).join(" ")})。まだ開いているもの:`)};`,
    `after(() => setTimeout(() => { console.error(lingering, process.getActiveResourcesInfo().join(", ")); process.exit(1); }, ${LINGER_MS}).unref());`,
    "",
  ].join("\n");
  const path = join(outDir, `shard-${String(i + 1).padStart(2, "0")}.test.mjs`);
  writeFileSync(path, source);
  console.log(path);
});
