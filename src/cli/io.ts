// What a command touches of the outside world. main.ts's run() is given it: the bin passes the
// process's streams and environment, tests their own, so commands run in process.
import { format } from "node:util";

export type Output = NodeJS.WritableStream & { isTTY?: boolean };

export interface CliIo {
  stdout: Output;
  stderr: Output;
  /** What onshi reads itself (DATABASE_URL, PORT, ...). Commander reads the variables of options declared with .env() from process.env. */
  env: NodeJS.ProcessEnv;
}

/** One run of the command line: its io, and the exit code a command sets when it ends without throwing. */
export class CliRun {
  exitCode = 0;
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
