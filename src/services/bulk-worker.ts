// The background worker of two-phase bulk messages: it answers the rows of unfinished receptions
// chunk by chunk, each chunk in one transaction that also stores its results, so a worker
// stopped or killed at any point resumes on the next start with no row lost or answered twice.
// It also retires receptions past their retention period. A failed step (the database went away
// mid-chunk: the chunk's transaction rolled back whole) is tried again after a back-off, so the
// worker resumes by itself once the database is back.
import type { Clock } from "../clock.ts";
import type { Db } from "../db/client.ts";
import {
  expireReceptions,
  lockUnfinishedReception,
  markFinished,
  pendingRows,
  receptionEvents,
  saveResults,
  unfinishedReceptions,
  type PendingRow,
  type Reception,
  type ReceptionKind,
  type RowResult,
} from "../store/reception-store.ts";
import type { Alongside } from "../store/alongside.ts";
import { dateInJapan } from "../subsidy/engine.ts";
import { processQualificationChunk } from "./bulk-check.ts";
import type { BulkSettings } from "./bulk-settings.ts";
import { processRegistrationChunk } from "./reference-numbers.ts";
import { processMedicalAidChunk, processOnlineChunk, processVisitChunk } from "./remote-bulk.ts";
import { recordCheck } from "./usage-recording.ts";

/** Answers some rows of a reception; runs inside the chunk's transaction. */
export type ChunkProcessor = (tx: Db, reception: Reception, rows: readonly PendingRow[]) => Promise<RowResult[]>;

export const CHUNK_PROCESSORS: Record<ReceptionKind, ChunkProcessor> = {
  muquc: processQualificationChunk,
  muimm: processRegistrationChunk,
  muonq: processOnlineChunk,
  muhvq: processVisitChunk,
  mutic: processMedicalAidChunk,
};

/**
 * The kinds whose rows are qualification checks, each answered row counted as a 一括照会 row
 * (bulk_row, docs/usage.md): 一括照会 and the bulk searches of オンライン診療, 訪問診療 and 医療扶助;
 * not 照会番号一括登録, which registers numbers and checks no one's qualification.
 */
const CHECKING_KINDS: ReadonlySet<ReceptionKind> = new Set(["muquc", "muonq", "muhvq", "mutic"]);

export interface BulkWorkerOptions {
  db: Db;
  now: Clock;
  /** false only to measure what recording costs (ONSHI_USAGE_RECORDING=off); absent = recorded. */
  recordUsage?: boolean;
  settings: Pick<BulkSettings, "chunkSize">;
  processors?: Partial<Record<ReceptionKind, ChunkProcessor>>;
  /** How often to look for work when idle (other processes' uploads are found this way). */
  pollMs?: number;
  /** How often to retire expired receptions. */
  expiryCheckMs?: number;
  /** The wait after a failed step, doubling with each failure in a row up to `max`. */
  retryMs?: { first: number; max: number };
  onError?: (error: unknown) => void;
}

/**
 * 0.5 s, 1 s, 2 s, 4 s, then every 5 s: a database restart (a few seconds) costs a handful of
 * attempts, and the worker resumes within 5 s of the database's return however long it was away.
 */
const DEFAULT_RETRY_MS = { first: 500, max: 5_000 };

export class BulkWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private lastExpiryCheck = 0;
  private readonly wake = () => this.wakeUp?.();

  constructor(private readonly options: BulkWorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    receptionEvents.on("created", this.wake);
    this.loop = this.run();
  }

  /** Finishes the chunk in hand (its transaction commits or rolls back whole) and stops. */
  async stop(): Promise<void> {
    this.running = false;
    receptionEvents.off("created", this.wake);
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    const retry = this.options.retryMs ?? DEFAULT_RETRY_MS;
    let failures = 0;
    while (this.running) {
      let worked = false;
      try {
        worked = await this.step();
        failures = 0;
      } catch (error) {
        failures++;
        this.options.onError?.(error);
      }
      if (!this.running) break;
      if (failures > 0) await this.idle(Math.min(retry.max, retry.first * 2 ** (failures - 1)));
      else if (!worked) await this.idle(this.options.pollMs ?? 500);
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** One unit of work: retire expired receptions when due, then one chunk of the oldest reception. */
  async step(): Promise<boolean> {
    const { db, now } = this.options;
    if (Date.now() - this.lastExpiryCheck >= (this.options.expiryCheckMs ?? 60_000)) {
      this.lastExpiryCheck = Date.now();
      await expireReceptions(db, now());
    }
    for (const receptionNumber of await unfinishedReceptions(db)) {
      if (await this.processChunk(receptionNumber)) return true;
    }
    return false;
  }

  /** Answers the next chunk of one reception; false when another worker holds it. */
  async processChunk(receptionNumber: string): Promise<boolean> {
    const { db, now, settings } = this.options;
    const processors = this.options.processors ?? CHUNK_PROCESSORS;
    return db.transaction(async (tx) => {
      const reception = await lockUnfinishedReception(tx, receptionNumber);
      if (reception === undefined) return false;
      const process = processors[reception.kind];
      if (process === undefined) return false;
      const rows = await pendingRows(tx, receptionNumber, settings.chunkSize);
      const results = await process(tx, reception, rows);
      await saveResults(tx, receptionNumber, results, this.usageOf(reception, results));
      if (rows.length < settings.chunkSize || (await pendingRows(tx, receptionNumber, 1)).length === 0) {
        await markFinished(tx, receptionNumber, now());
      }
      return true;
    });
  }

  /**
   * The chunk's usage record, written with its results: the rows answered (a row refused for its
   * own search key, status 2, looks nobody up and counts nothing), on the day in Japan of the answer.
   */
  private usageOf(reception: Reception, results: readonly RowResult[]): Alongside[] {
    if (!CHECKING_KINDS.has(reception.kind)) return [];
    const count = results.filter((r) => r.status === 1).length;
    const transport = reception.fromFile ? "folder" : "webapi";
    return recordCheck(this.options, { facilityCode: reception.facilityCode, day: dateInJapan(this.options.now()), method: "bulk_row", transport, count });
  }
}
