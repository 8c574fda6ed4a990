// The databases integration tests run on: embedded PGlite always, and the PostgreSQL server
// named by TEST_DATABASE_URL (scripts/test.sh creates a fresh one). Each test suite gets a clean
// schema of its own, so suites do not see each other's rows.
import { openDb, type Db } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrate.ts";

export interface TestDatabase {
  name: string;
  open(): Promise<Db>;
}

let schemaCounter = 0;

export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [
    {
      name: "PGlite",
      async open() {
        const db = await openDb({});
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
        const schema = `t${process.pid}_${++schemaCounter}`;
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
