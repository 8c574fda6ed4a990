#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so a fresh clone needs no build step.
import { register } from "tsx/esm/api";
register();
const { run } = await import("../src/cli/main.ts");
// An exit code, not process.exit: output still being written to a pipe is not cut off.
process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
