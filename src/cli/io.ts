// What a command touches of the outside world. main.ts's run() is given it: the bin passes the
// process's streams and environment, tests their own, so commands run in process.
import { format } from "node:util";

export type Output = NodeJS.WritableStream & { isTTY?: boolean };
export type Input = NodeJS.ReadableStream & { isTTY?: boolean };

export interface CliIo {
  stdout: Output;
  stderr: Output;
  /** Where a command asks for a confirmation (onshi reset); none, or one that is no terminal, cannot be asked. */
  stdin?: Input;
  /** What onshi reads itself (DATABASE_URL, PORT, ...). Commander reads the variables of options declared with .env() from process.env. */
  env: NodeJS.ProcessEnv;
}

/**
 * The exit codes, the same for every command (README, "Exit codes"): 0 done; 1 done, and the answer
 * is a refusal or an error result; 2 not done: a usage error or an input the command cannot use;
 * 75 (sysexits' EX_TEMPFAIL) the database is down, so the command may succeed if run again later.
 */
export const EXIT = { ok: 0, refused: 1, usage: 2, databaseUnavailable: 75 } as const;

/** A usage or input error: run() prints its message and exits 2. */
export function usageError(message: string): Error {
  return Object.assign(new Error(message), { exitCode: EXIT.usage });
}

/** One run of the command line: its io, and the exit code a command sets when it ends without throwing. */
export class CliRun {
  exitCode: number = EXIT.ok;
  constructor(readonly io: CliIo) {}

  /** A line on stdout, formatted as console.log does. */
  print(...values: unknown[]): void {
    this.io.stdout.write(`${format(...values)}\n`);
  }

  /** A line on stderr, formatted as console.error does. */
  warn(...values: unknown[]): void {
    this.io.stderr.write(`${format(...values)}\n`);
  }
}
