// Flags shared by every command that opens the database.
import { Command, CommanderError, Option } from "commander";

export function withDatabaseFlags(command: Command): Command {
  return command
    .addOption(new Option("--data-dir <dir>", "PGlite のデータフォルダ (DATABASE_URL が無いとき)").default("data"))
    .addOption(new Option("--memory", "PGlite をメモリ上で動かす (保存しない)"));
}

/** For exitOverride: commander's own refusals (unknown flag, missing value) exit 2 like ours; --help and --version still exit 0. */
export function usageExitsTwo(error: CommanderError): never {
  throw error.exitCode === 0 ? error : Object.assign(error, { exitCode: 2 });
}
