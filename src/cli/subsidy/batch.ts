// `onshi subsidy calc --batch FILE.jsonl`: one profile a line in, one answer a line out, in order
// (and `--all-facilities`, whose chunks are profiles made from the records: ./all-facilities.ts).
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
import { answerChunk, CalcInputError, type BatchLine, type CalcChunk, type ChunkAnswer } from "./calc-input.ts";
import type { CliIo } from "../io.ts";

/** Profiles a chunk: enough to keep the messages to and from a worker few. */
export const CHUNK_LINES = 500;
/** Chunks in flight per worker: enough to keep each busy while the next is read. */
const QUEUE_PER_WORKER = 2;

/**
 * A bar on a terminal, a line every few seconds otherwise (as `onshi seed`). Progress is in `total`'s
 * unit (bytes read of a --batch file, facilities of the database); `count` is shown with `unit`.
 */
export function progressReporter(io: CliIo, total: number, unit: string) {
  if (io.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: io.stderr, format: `計算中 [{bar}] {percentage}% {count} ${unit} 残り {eta_formatted}`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(total, 1), 0, { count: 0 });
    return { update: (done: number, count: number) => bar.update(done, { count }), stop: () => bar.stop() };
  }
  let last = performance.now();
  return {
    update: (_done: number, count: number) => {
      if (performance.now() - last < 5000) return;
      last = performance.now();
      io.stderr.write(`計算中 ${count} ${unit}\n`);
    },
    stop: () => {},
  };
}

/** Workers answering chunks; each worker takes one chunk at a time, the rest wait in a queue. */
class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: { chunk: CalcChunk; resolve: (a: ChunkAnswer) => void; reject: (e: unknown) => void }[] = [];
  private readonly all: Worker[] = [];

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = startTsWorker(new URL("./batch-worker.ts", import.meta.url));
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  answer(chunk: CalcChunk): Promise<ChunkAnswer> {
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
      const onMessage = (answer: ChunkAnswer) => done(() => resolve(answer));
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
 * Answers `chunks` on `jobs` workers (0: in this thread) and writes each answer's text to standard
 * output in input order, whatever order the chunks finish in; `onAnswer` sees each answer then.
 * Reading the chunks waits while QUEUE_PER_WORKER are in flight per worker (memory stays flat).
 */
export async function answerInOrder(io: CliIo, chunks: AsyncIterable<CalcChunk>, jobs: number, onAnswer: (answer: ChunkAnswer) => void): Promise<void> {
  const pool = jobs > 0 ? new WorkerPool(jobs) : null;
  const inFlight: Promise<ChunkAnswer>[] = [];
  const write = async (answer: ChunkAnswer) => {
    if (!io.stdout.write(answer.text)) await once(io.stdout, "drain");
    onAnswer(answer);
  };
  try {
    for await (const chunk of chunks) {
      if (pool === null) {
        await write(answerChunk(chunk));
        continue;
      }
      const answer = pool.answer(chunk);
      answer.catch(() => {}); // awaited below in input order; a failure must not go unhandled meanwhile
      inFlight.push(answer);
      // Answers leave in input order: wait for the oldest chunk once enough are queued.
      if (inFlight.length >= QUEUE_PER_WORKER * jobs) await write(await inFlight.shift()!);
    }
    while (inFlight.length > 0) await write(await inFlight.shift()!);
  } finally {
    await pool?.close();
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
  const progress = progressReporter(io, size, "件");
  let bytes = 0;
  let profiles = 0;
  let refused = 0;
  async function* chunks(): AsyncGenerator<CalcChunk> {
    const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
    let chunk: BatchLine[] = [];
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      bytes += Buffer.byteLength(line) + 1;
      if (line.trim() === "") continue;
      profiles++;
      chunk.push({ number: lineNumber, text: line });
      if (chunk.length === CHUNK_LINES) {
        yield { kind: "lines", lines: chunk, path, at, only };
        chunk = [];
      }
    }
    if (chunk.length > 0) yield { kind: "lines", lines: chunk, path, at, only };
  }
  try {
    // Roughly 3 KB a profile: below two chunks' worth the workers' start-up is not worth it.
    await answerInOrder(io, chunks(), size > 2 * CHUNK_LINES * 3000 ? jobs : 0, (answer) => {
      refused += answer.refused;
      progress.update(bytes, profiles);
    });
  } finally {
    progress.stop();
  }
  return { profiles, refused };
}

/** The default --jobs: one worker per core. */
export const DEFAULT_JOBS = availableParallelism();
