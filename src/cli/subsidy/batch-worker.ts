// A worker of `onshi subsidy calc --batch` and `--all-facilities`: answers the chunks it is sent,
// one message back per chunk.
import { parentPort } from "node:worker_threads";
import { answerChunk, type CalcChunk } from "./calc-input.ts";

parentPort!.on("message", (chunk: CalcChunk) => {
  parentPort!.postMessage(answerChunk(chunk));
});
