// What the admin commands (`cards`, `facilities cert`) share: --json, --now and the database flags,
// and one way to run an operation on the database and print its answer.
import type { Command } from "commander";
import { clockFrom } from "../clock.ts";
import { databaseOptions } from "../config.ts";
import type { Db } from "../db/client.ts";
import { openMigrated } from "../db/open.ts";
import { OqsError } from "../errors/catalogue.ts";
import type { AdminAnswer, AdminInput, AdminOperationName } from "../services/admin-operations.ts";
import { perform } from "./folder-server.ts";
import { EXIT, usageError, type CliRun } from "./io.ts";
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

/** The command's clock as the operations take it (--now, else the real time). */
export function adminNow(flags: AdminFlags): string {
  return clockFrom(flags.now)().toISOString();
}

/**
 * Opens the database, runs the operation, prints its answer (JSON with --json); an OqsError (a refusal)
 * exits 1 with its code, and so does an answer `refused` says refuses part of the input.
 */
export async function runAdmin<T>(
  cli: CliRun,
  flags: AdminFlags,
  operation: (db: Db, now: Date) => Promise<T>,
  describe: (answer: T) => string,
  refused?: (answer: T) => boolean,
): Promise<void> {
  const now = clockFrom(flags.now)();
  const db = await openMigrated(databaseOptions(flags, cli.io.env));
  try {
    await report(cli, flags, () => operation(db, now), describe, refused);
  } finally {
    await db.close();
  }
}

/**
 * As runAdmin, for an operation that the server holding the data folder runs when there is one
 * (folder-server.ts); `refused` tells an answer that refuses part of the input (exit 1, JSON or not).
 */
export async function runRoutedAdmin<N extends AdminOperationName>(
  cli: CliRun,
  flags: AdminFlags,
  name: N,
  input: AdminInput<N>,
  describe: (answer: AdminAnswer<N>) => string,
  refused: (answer: AdminAnswer<N>) => boolean = () => false,
): Promise<void> {
  await report(cli, flags, () => perform(cli, databaseOptions(flags, cli.io.env), name, input), describe, refused);
}

async function report<T>(cli: CliRun, flags: AdminFlags, answer: () => Promise<T>, describe: (answer: T) => string, refused: (answer: T) => boolean = () => false): Promise<void> {
  try {
    const value = await answer();
    cli.print(flags.json ? JSON.stringify(value, null, 2) : describe(value));
    if (refused(value)) cli.exitCode = EXIT.refused;
  } catch (error) {
    if (!(error instanceof OqsError)) throw error;
    cli.print(flags.json ? JSON.stringify({ code: error.code, message: error.message }) : `${error.code} ${error.message}`);
    cli.exitCode = EXIT.refused;
  }
}

/** An input a command checks before it opens the database: its OqsError as a usage error (stderr, exit 2). */
export function inputError(error: unknown): unknown {
  return error instanceof OqsError ? usageError(`${error.code} ${error.message}`) : error;
}
