// Runs the `onshi` command as a user does (the bin in a child process) and keeps its exit code and output.
import { execFile, spawn, type ChildProcess } from "node:child_process";
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

/**
 * `onshi serve ARGS…` in a child process, once its banner is out: the child, the banner and the URL it
 * serves at. The caller stops it. The clone's bin by default; `command` another `onshi` (an installed one).
 */
const START_TIMEOUT_MS = 120_000;

export async function startServe(args: string[], env: NodeJS.ProcessEnv, where: { command?: string; cwd?: string } = {}): Promise<{ child: ChildProcess; banner: string; url: string }> {
  const [file, ...before] = where.command ? [where.command] : [process.execPath, BIN];
  const child = spawn(file!, [...before, "serve", ...args], { cwd: where.cwd, env, stdio: ["ignore", "pipe", "inherit"] });
  let banner = "";
  child.stdout!.setEncoding("utf8");
  await new Promise<void>((resolve, reject) => {
    // A server that never gets to its banner fails the test rather than holding the run.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`onshi serve printed no banner within ${START_TIMEOUT_MS / 1000} s: ${banner}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on("data", (chunk: string) => {
      banner += chunk;
      if (banner.includes("停止するには")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`onshi serve exited with ${code}: ${banner}`));
    });
  });
  return { child, banner, url: /WebAPI 認証:\s+POST (\S+)\/oqs-api-pro/.exec(banner)![1]! };
}
