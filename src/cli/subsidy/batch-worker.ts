// A --batch worker: answers the chunks of lines it is sent, one message back per chunk.
import { parentPort } from "node:worker_threads";
import { answerLines, type BatchLine } from "./calc-input.ts";

export interface BatchChunk {
  lines: BatchLine[];
  path: string;
  at: string;
  only: string | undefined;
}

parentPort!.on("message", ({ lines, path, at, only }: BatchChunk) => {
  parentPort!.postMessage(answerLines(lines, path, at, only));
});
