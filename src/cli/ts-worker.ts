// A worker thread running one of onshi's modules, named by its source (.ts) URL. Built (dist/), the
// worker runs the compiled .js next to the caller. From the sources (tests, bench) the process runs
// through tsx, but Node 20 does not pass a loader registered at run time to a worker's entry, so a
// one-line script registers tsx in the worker first and then imports the module.
import { Worker } from "node:worker_threads";

const compiled = import.meta.url.endsWith(".js");

export function startTsWorker(module: URL, workerData?: unknown): Worker {
  if (compiled) return new Worker(new URL(module.href.replace(/\.ts$/, ".js")), { workerData });
  const entry = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(entry, { eval: true, workerData });
}
