// What the admin commands (`cards`, `facilities cert`) share: --json, --now and the database flags,
// and one way to run an operation on the database and print its answer.
import type { Command } from "commander";
import { clockFrom } from "../clock.ts";
import { databaseOptions } from "../config.ts";
import type { Db } from "../db/client.ts";
import { openMigrated } from "../db/open.ts";
import { OqsError } from "../errors/catalogue.ts";
import type { CliRun } from "./io.ts";
import { withDatabaseFlags } from "./options.ts";

export interface AdminFlags {
  json?: boolean;
  now?: string;
  dataDir?: string;
  memory?: boolean;
}

export function withAdminFlags(command: Command): Command {
  return withDatabaseFlags(command.option("--json", "JSON で出力する").option("--now <datetime>", "この日時を現在として扱う"));
}

/** Opens the database, runs the operation, prints its answer (JSON with --json); an OqsError exits 2 with its code. */
export async function runAdmin<T>(cli: CliRun, flags: AdminFlags, operation: (db: Db, now: Date) => Promise<T>, describe: (answer: T) => string): Promise<void> {
  const now = clockFrom(flags.now)();
  const db = await openMigrated(databaseOptions(flags, cli.io.env));
  try {
    const answer = await operation(db, now);
    cli.print(flags.json ? JSON.stringify(answer, null, 2) : describe(answer));
  } catch (error) {
    if (!(error instanceof OqsError)) throw error;
    cli.print(flags.json ? JSON.stringify({ code: error.code, message: error.message }) : `${error.code} ${error.message}`);
    cli.exitCode = 2;
  } finally {
    await db.close();
  }
}
