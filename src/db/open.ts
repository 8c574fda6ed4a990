import { privateFolder, restrictTree } from "../files/private-files.ts";
import { openDb, type Db, type DbOptions } from "./client.ts";
import { migrate } from "./migrate.ts";

/**
 * Opens the database and brings its schema up to date. An embedded (PGlite) data folder is the
 * owner's alone (credential hashes, private keys): the folder 0700 from its creation, so nothing
 * in it is ever open to others, and its files 0600 once open. PGlite's initdb writes its files
 * 0666; the files PostgreSQL creates later are 0600 by its own rule (test/security/file-modes).
 */
export async function openMigrated(options: DbOptions): Promise<Db> {
  if (options.dataDir) await privateFolder(options.dataDir);
  const db = await openDb(options);
  try {
    await migrate(db);
    if (options.dataDir) await restrictTree(options.dataDir);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
