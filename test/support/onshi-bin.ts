// Runs the `onshi` command as a user does (the bin in a child process) and keeps its exit code and output.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

export const BIN = new URL("../../bin/onshi.js", import.meta.url).pathname;

export async function onshi(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { maxBuffer: 256 * 2 ** 20, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
