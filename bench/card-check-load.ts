// The card-check benchmark's load generator: a lean keep-alive HTTP transport for the reader
// client (fetch costs more CPU per request, and the load generator shares the two cores with
// the server and PostgreSQL), and a closed loop of workers that each run one whole check after
// another, timing each.
import http from "node:http";
import type { Transport } from "../src/cli/card-reader-client.ts";

export function keepAliveTransport(connections: number): { transport: Transport; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const transport: Transport = (method, url, body, headers) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const request = http.request(
        url,
        {
          method,
          agent,
          headers: payload === undefined ? headers : { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // Left as text; the reader client reports it.
            }
            resolve({ status: response.statusCode ?? 0, body: parsed });
          });
          response.on("error", reject);
        },
      );
      request.on("error", reject);
      request.end(payload);
    });
  return { transport, close: () => agent.destroy() };
}

export interface LoopResult {
  checksPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  checks: number;
  errors: number;
  /** The first few distinct error messages, to tell what failed. */
  errorSamples: string[];
}

/**
 * Runs `check(worker, i)` in `workers` concurrent loops for a warm-up, then for `seconds`, and
 * counts the checks that finish inside the timed window.
 */
export async function closedLoop(options: {
  workers: number;
  seconds: number;
  warmupSeconds: number;
  check: (worker: number, iteration: number) => Promise<void>;
}): Promise<LoopResult> {
  const latencies: number[] = [];
  const samples = new Set<string>();
  let errors = 0;
  let timing = false;
  let stopAt = Infinity;
  const worker = async (w: number) => {
    for (let i = 0; performance.now() < stopAt; i++) {
      const started = performance.now();
      try {
        await options.check(w, i);
        const ended = performance.now();
        if (timing && ended <= stopAt) latencies.push(ended - started);
      } catch (error) {
        if (timing) errors++;
        if (samples.size < 5) samples.add(String((error as Error).message ?? error));
      }
    }
  };
  const started = performance.now();
  const warmEnd = started + options.warmupSeconds * 1000;
  stopAt = warmEnd + options.seconds * 1000;
  const done = Promise.all(Array.from({ length: options.workers }, (_, w) => worker(w)));
  await new Promise((r) => setTimeout(r, Math.max(0, warmEnd - performance.now())));
  // Checks started in the warm-up and finishing after it count: the loop is full the whole window.
  timing = true;
  await done;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? 0 : Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1)));
  return {
    checksPerSecond: Math.round(sorted.length / options.seconds),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    checks: sorted.length,
    errors,
    errorSamples: [...samples],
  };
}
