// The databases integration tests run on: embedded PGlite always, and the PostgreSQL server
// named by TEST_DATABASE_URL (scripts/test.sh creates a fresh one). Each test suite gets a clean
// schema of its own, so suites do not see each other's rows. On both, one database per test
// process holds every suite's schema: starting a PGlite (initdb) costs seconds, a schema and its
// migrations a tenth of one.
import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import { openDb, type Db } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrate.ts";

export interface TestDatabase {
  name: string;
  open(): Promise<Db>;
}

let schemaCounter = 0;
const nextSchema = () => `t${process.pid}_${++schemaCounter}`;

export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [
    {
      name: "PGlite",
      async open() {
        const schema = nextSchema();
        const db = scopedPglite(await sharedPglite(), schema);
        await db.exec(`create schema ${schema}`);
        await migrate(db);
        return db;
      },
    },
  ];
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    list.push({
      name: "PostgreSQL",
      async open() {
        const schema = nextSchema();
        const admin = await openDb({ url, poolSize: 1 });
        await admin.exec(`drop schema if exists ${schema} cascade; create schema ${schema}`);
        await admin.close();
        const scoped = new URL(url);
        scoped.searchParams.set("options", `-c search_path=${schema}`);
        const db = await openDb({ url: scoped.toString(), poolSize: 4 });
        await migrate(db);
        return db;
      },
    });
  }
  return list;
}

/** The process's one PGlite, its session's search_path, and a queue that lets one schema's work run at a time. */
interface SharedPglite {
  db: Db;
  searchPath: string | undefined;
  queue: Promise<unknown>;
}

let shared: Promise<SharedPglite> | undefined;
// An open PGlite keeps the process alive: the shared one closes after the file's last test.
after(async () => {
  if (shared) await (await shared).db.close();
});

function sharedPglite(): Promise<SharedPglite> {
  shared ??= (async () => ({ db: await openDb({ pgliteImage: await freshClusterImage() }), searchPath: undefined, queue: Promise.resolve() }))();
  return shared;
}

/**
 * A Db on the shared PGlite that sees only its schema. PGlite is one session, so each call waits
 * its turn and sets search_path first when another schema had it; a transaction keeps the turn
 * until it ends. close() ends this handle only (later calls fail as on a closed PGlite).
 */
function scopedPglite(shared: SharedPglite, schema: string): Db {
  let closed = false;
  const turn = <T>(work: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new Error("PGlite is closed"));
    const run = shared.queue.then(async () => {
      if (shared.searchPath !== schema) {
        await shared.db.exec(`set search_path to ${schema}`);
        shared.searchPath = schema;
      }
      return work();
    });
    shared.queue = run.catch(() => {});
    return run;
  };
  return {
    kind: "pglite",
    query: (sql, params) => turn(() => shared.db.query(sql, params)),
    exec: (sql) => turn(() => shared.db.exec(sql)),
    copyRows: (table, columns, lines) => turn(() => shared.db.copyRows(table, columns, lines)),
    transaction: (fn) => turn(() => shared.db.transaction(fn)),
    close: async () => {
      closed = true;
    },
  };
}

/**
 * A dump of a freshly initialised PGlite cluster, made once per PGlite version and kept in the
 * temporary folder (written aside and renamed, so parallel test processes never read half a file).
 */
async function freshClusterImage(): Promise<Blob> {
  const main = fileURLToPath(import.meta.resolve("@electric-sql/pglite"));
  const { version } = JSON.parse(await readFile(join(dirname(main), "../package.json"), "utf8")) as { version: string };
  const path = join(tmpdir(), `onshi-test-pglite-${version}.tar`);
  if (!existsSync(path)) {
    const pglite = await PGlite.create("memory://");
    const image = Buffer.from(await (await pglite.dumpDataDir("none")).arrayBuffer());
    await pglite.close();
    const aside = `${path}.${process.pid}`;
    await writeFile(aside, image);
    await rename(aside, path);
  }
  return new Blob([await readFile(path)]);
}
