import { mkdir } from "node:fs/promises";
import { openDb, type Db, type DbOptions } from "./client.ts";
import { migrate } from "./migrate.ts";

/** Opens the database and brings its schema up to date. */
export async function openMigrated(options: DbOptions): Promise<Db> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await openDb(options);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
