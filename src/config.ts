// Where the database lives, from the environment and the shared CLI flags.
import { resolve } from "node:path";
import type { DbOptions } from "./db/client.ts";

export interface DatabaseFlags {
  dataDir?: string;
  memory?: boolean;
}

export const DEFAULT_DATA_DIR = "data";
/** What onshi keeps in a data folder: the embedded database, and the default OQS root (連携フォルダ). */
export const PGLITE_FOLDER = "pglite";
export const OQS_FOLDER = "oqs";

/** DATABASE_URL wins; otherwise PGlite in <dataDir>/pglite, or in memory with --memory. */
export function databaseOptions(flags: DatabaseFlags, env: NodeJS.ProcessEnv = process.env): DbOptions {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL };
  if (flags.memory) return {};
  return { dataDir: resolve(flags.dataDir ?? DEFAULT_DATA_DIR, PGLITE_FOLDER) };
}

export function describeDatabase(options: DbOptions): string {
  if (options.url) return `PostgreSQL (${options.url.replace(/\/\/[^@/]*@/, "//***@")})`;
  return options.dataDir ? `PGlite (${options.dataDir})` : "PGlite (in memory)";
}
