// Runs `onshi ARGS…` in this process, through the same run() as the bin, and keeps its exit code
// and output. Only what needs a real process (serve: signals, the process's own exit) spawns the
// bin (test/support/onshi-bin.ts).
import { Writable } from "node:stream";
import { run } from "../../src/cli/main.ts";
import type { CliIo } from "../../src/cli/io.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as written (an XML answer in Shift_JIS). */
  stdoutBytes: Buffer;
}

/** A stream that keeps what is written to it. */
export class Captured extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
  text(): string {
    return this.bytes().toString("utf8");
  }
}

export async function onshi(args: string[], env: NodeJS.ProcessEnv = process.env, stdin?: CliIo["stdin"]): Promise<CliResult> {
  const stdout = new Captured();
  const stderr = new Captured();
  const code = await run(args, { stdout, stderr, env, stdin });
  return { code, stdout: stdout.text(), stderr: stderr.text(), stdoutBytes: stdout.bytes() };
}
