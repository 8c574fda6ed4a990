#!/usr/bin/env node
// Runs the compiled command line (dist/, built by `npm ci` or `npm run build` in a clone, shipped
// built in the package).
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("エラー: onshi がビルドされていません (dist/ がありません)。クローンでは npm run build を実行してください。\n");
  process.exit(1);
}
const { run } = await import(main.href);
// An exit code, not process.exit: output still being written to a pipe is not cut off.
process.exitCode = await run(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
