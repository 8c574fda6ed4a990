// One small interface over the two PostgreSQL engines we run on: embedded PGlite (default) and a
// PostgreSQL server (DATABASE_URL). Everything above this file writes plain PostgreSQL SQL.
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { lockFolder } from "./folder-lock.ts";
import { isDatabaseUnavailable } from "./unavailable.ts";

export type DbKind = "pglite" | "postgres";

export interface Db {
  readonly kind: DbKind;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs one or more statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
  /** Streams rows in COPY text format (tab-separated, \N for null, one row per line). */
  copyRows(table: string, columns: readonly string[], lines: AsyncIterable<string> | Iterable<string>): Promise<void>;
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres://… ; when absent, PGlite is used. */
  url?: string;
  /** PGlite data folder; when absent (and no url), PGlite runs in memory. */
  dataDir?: string;
  /** Pool size for PostgreSQL (default: DEFAULT_POOL_SIZE). */
  poolSize?: number;
  /** An in-memory PGlite starts from this dump of a data folder (PGlite's dumpDataDir) instead of running initdb, its slow part. */
  pgliteImage?: Blob;
}

// Dates stay 'YYYY-MM-DD' strings (no time-zone shifts); int8 becomes a number (ids fit in 2^53).
const DATE_OID = 1082;
const INT8_OID = 20;

/**
 * Short queries keep a core busy each, so more connections than about twice the cores only make
 * the backends contend (measured in the bench: 4 connections beat 16 on 2 cores).
 */
const DEFAULT_POOL_SIZE = Math.max(4, 2 * availableParallelism());

/** How long a new connection (or a wait for a free one) may take before the request fails E9002. */
const CONNECT_TIMEOUT_MS = 10_000;

export async function openDb(options: DbOptions = {}): Promise<Db> {
  return options.url ? openPostgres(options.url, options.poolSize ?? DEFAULT_POOL_SIZE) : openPglite(options.dataDir, options.pgliteImage);
}

async function openPglite(dataDir?: string, image?: Blob): Promise<Db> {
  // One process per data folder, taken before PGlite reads a byte of it (folder-lock.ts).
  const lock = dataDir === undefined ? undefined : await lockFolder(dataDir);
  try {
    const db = await PGlite.create(dataDir ?? "memory://", {
      loadDataDir: image,
      parsers: { [DATE_OID]: (v: string) => v, [INT8_OID]: (v: string) => Number(v) },
      serializers: { [pgliteTypes.INT8]: (v: unknown) => String(v) },
    });
    return pgliteDb(db, db, async () => {
      await db.close();
      await lock?.release();
    });
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

function pgliteDb(db: PGlite, root: PGlite, close: () => Promise<void>, tx?: { query: PGlite["query"]; exec: PGlite["exec"] }): Db {
  const target = tx ?? db;
  const self: Db = {
    kind: "pglite",
    async query<T>(sql: string, params: unknown[] = []) {
      return (await target.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
    async copyRows(table, columns, lines) {
      // PGlite reads COPY input from a blob; send it in chunks so memory stays bounded.
      let chunk: string[] = [];
      let size = 0;
      const flush = async () => {
        if (chunk.length === 0) return;
        const blob = new Blob([chunk.join("")]);
        chunk = [];
        size = 0;
        await target.query(`COPY ${table} (${columns.join(", ")}) FROM '/dev/blob'`, [], { blob });
      };
      for await (const line of lines) {
        chunk.push(line);
        size += line.length;
        if (size > 8_000_000) await flush();
      }
      await flush();
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>) {
      if (tx) return fn(self);
      return root.transaction((t) => fn(pgliteDb(db, root, close, t)));
    },
    close,
  };
  return self;
}

async function openPostgres(url: string, max: number): Promise<Db> {
  const parseTypes = {
    getTypeParser: (oid: number, format?: "text" | "binary") =>
      oid === DATE_OID ? (v: string) => v : oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text"),
  };
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: parseTypes as pg.CustomTypesConfig,
    // A server that neither answers nor refuses (a partition) costs a request this long, then E9002.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // An idle client that loses its connection must not take the process down; the pool drops it
  // and opens new connections once the server is back.
  pool.on("error", () => {});
  try {
    await pool.query("select 1");
  } catch (error) {
    await pool.end();
    throw error;
  }
  return postgresDb(pool, () => pool.end());
}

function postgresDb(runner: pg.Pool | pg.PoolClient, close: () => Promise<void>): Db {
  const self: Db = {
    kind: "postgres",
    async query<T>(sql: string, params: unknown[] = []) {
      // Named, so each connection parses a statement once and PostgreSQL can reuse its plan.
      return (await runner.query({ name: statementName(sql), text: sql, values: params })).rows as T[];
    },
    async exec(sql: string) {
      await runner.query(sql);
    },
    async copyRows(table, columns, lines) {
      const copy = async (client: pg.PoolClient) => {
        const sink = client.query(copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN`));
        await pipeline(Readable.from(batchLines(lines)), sink);
      };
      return "release" in runner ? copy(runner) : withClient(runner, copy);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>) {
      if ("release" in runner) return fn(self);
      return withClient(runner, async (client, discard) => {
        await client.query("begin");
        try {
          const result = await fn(postgresDb(client, async () => {}));
          await client.query("commit");
          return result;
        } catch (error) {
          await client.query("rollback").catch(discard);
          throw error;
        }
      });
    },
    close,
  };
  return self;
}

/**
 * Runs fn on a client checked out of the pool. While checked out the client has an 'error'
 * listener: pg emits 'error' when the connection drops between queries (57P01 on a server
 * restart, a killed postmaster), and with no listener that ends the process. A client whose
 * connection broke, or on which fn called discard, goes back with release(error), so the pool
 * closes it instead of handing it out again.
 */
async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient, discard: (error: unknown) => void) => Promise<T>): Promise<T> {
  let broken: Error | undefined;
  const discard = (error: unknown) => {
    broken ??= error instanceof Error ? error : new Error(String(error));
  };
  // The listener goes on inside pg-pool's callback, in the same tick as the pool takes its own
  // off: a new connection's ReadyForQuery and a 57P01 can arrive in one read, and the error is
  // emitted before an awaiting caller would run (the outage test caught that gap).
  const client = await new Promise<pg.PoolClient>((resolve, reject) =>
    pool.connect((error, checkedOut) => {
      if (error || !checkedOut) return reject(error);
      checkedOut.on("error", discard);
      resolve(checkedOut);
    }),
  );
  try {
    return await fn(client, discard);
  } catch (error) {
    if (isDatabaseUnavailable(error)) discard(error);
    throw error;
  } finally {
    client.off("error", discard);
    client.release(broken);
  }
}

// Our SQL texts are constants (insertInsurers varies only with the catalogue's size), so this
// map and each connection's prepared statements stay small.
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `q_${createHash("sha1").update(sql).digest("hex").slice(0, 16)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** Groups lines into ~64 KiB strings so the COPY stream is not written one row at a time. */
async function* batchLines(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  let buffer = "";
  for await (const line of lines) {
    buffer += line;
    if (buffer.length >= 65536) {
      yield buffer;
      buffer = "";
    }
  }
  if (buffer) yield buffer;
}
