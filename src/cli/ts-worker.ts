// A worker thread running a TypeScript module. The bin runs the sources through tsx, but Node 20
// does not pass a loader registered at run time to a worker's entry, so a one-line script registers
// tsx in the worker first and then imports the module.
import { Worker } from "node:worker_threads";

export function startTsWorker(module: URL, workerData?: unknown): Worker {
  const entry = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(entry, { eval: true, workerData });
}
