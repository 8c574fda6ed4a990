// `onshi subsidy calc --batch FILE.jsonl`: one profile a line in, one answer a line out, in order.
// Lines go in chunks to a pool of worker threads (one per core by default, --jobs N), so a file
// of all the facilities in Japan uses every core; answers are written in input order whatever
// order the chunks finish in, and reading pauses while enough chunks are in flight (memory stays
// flat). A small file is answered in this thread: starting workers would cost more than it saves.
import { createReadStream, statSync } from "node:fs";
import { once } from "node:events";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import type { Worker } from "node:worker_threads";
import cliProgress from "cli-progress";
import { startTsWorker } from "../ts-worker.ts";
import { answerLines, CalcInputError, type BatchLine } from "./calc-input.ts";
import type { BatchChunk } from "./batch-worker.ts";
import type { CliIo } from "../io.ts";

const CHUNK_LINES = 500;
/** Chunks in flight per worker: enough to keep each busy while the next is read. */
const QUEUE_PER_WORKER = 2;

/** A bar on a terminal, a line every few seconds otherwise (as `onshi seed`). Progress is in bytes read. */
function progressReporter(io: CliIo, totalBytes: number) {
  if (io.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: io.stderr, format: "計算中 [{bar}] {percentage}% {profiles} 件 残り {eta_formatted}", hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(totalBytes, 1), 0, { profiles: 0 });
    return { update: (bytes: number, profiles: number) => bar.update(bytes, { profiles }), stop: () => bar.stop() };
  }
  let last = performance.now();
  return {
    update: (_bytes: number, profiles: number) => {
      if (performance.now() - last < 5000) return;
      last = performance.now();
      io.stderr.write(`計算中 ${profiles} 件\n`);
    },
    stop: () => {},
  };
}

type Answer = { text: string; refused: number };

/** Workers answering chunks; each worker takes one chunk at a time, the rest wait in a queue. */
class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: { chunk: BatchChunk; resolve: (a: Answer) => void; reject: (e: unknown) => void }[] = [];
  private readonly all: Worker[] = [];

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = startTsWorker(new URL("./batch-worker.ts", import.meta.url));
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  answer(chunk: BatchChunk): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ chunk, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const worker = this.idle.pop()!;
      const { chunk, resolve, reject } = this.waiting.shift()!;
      const done = (settle: () => void) => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        this.idle.push(worker);
        settle();
        this.dispatch();
      };
      const onMessage = (answer: Answer) => done(() => resolve(answer));
      const onError = (error: unknown) => done(() => reject(error));
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.postMessage(chunk);
    }
  }

  close(): Promise<number[]> {
    return Promise.all(this.all.map((w) => w.terminate()));
  }
}

/**
 * Answers every line of `path` to standard output; a bad line is answered with its code and field
 * and does not stop the others. `jobs` workers (0: answer in this thread).
 */
export async function runBatch(io: CliIo, path: string, at: string, only: string | undefined, jobs: number): Promise<{ profiles: number; refused: number }> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new CalcInputError("E9101", path, (error as NodeJS.ErrnoException).code ?? "読み込めません");
  }
  // Roughly 3 KB a profile: below two chunks' worth the workers' start-up is not worth it.
  const pool = jobs > 0 && size > 2 * CHUNK_LINES * 3000 ? new WorkerPool(jobs) : null;
  const progress = progressReporter(io, size);
  const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
  const inFlight: Promise<Answer>[] = [];
  let chunk: BatchLine[] = [];
  let lineNumber = 0;
  let bytes = 0;
  let profiles = 0;
  let refused = 0;

  const write = async (answer: Answer) => {
    refused += answer.refused;
    if (!io.stdout.write(answer.text)) await once(io.stdout, "drain");
    progress.update(bytes, profiles);
  };
  const send = async () => {
    const lines = chunk;
    chunk = [];
    const job: BatchChunk = { lines, path, at, only };
    if (pool === null) return write(answerLines(lines, path, at, only));
    const answer = pool.answer(job);
    answer.catch(() => {}); // awaited below in input order; a failure must not go unhandled meanwhile
    inFlight.push(answer);
    // Answers leave in input order: wait for the oldest chunk once enough are queued.
    if (inFlight.length >= QUEUE_PER_WORKER * jobs) await write(await inFlight.shift()!);
  };
  try {
    for await (const line of lines) {
      lineNumber++;
      bytes += Buffer.byteLength(line) + 1;
      if (line.trim() === "") continue;
      profiles++;
      chunk.push({ number: lineNumber, text: line });
      if (chunk.length === CHUNK_LINES) await send();
    }
    if (chunk.length > 0) await send();
    while (inFlight.length > 0) await write(await inFlight.shift()!);
  } finally {
    progress.stop();
    await pool?.close();
  }
  return { profiles, refused };
}

/** The default --jobs: one worker per core. */
export const DEFAULT_JOBS = availableParallelism();
