// Flags shared by every command that opens the database.
import { Command, Option } from "commander";

export function withDatabaseFlags(command: Command): Command {
  return command
    .addOption(new Option("--data-dir <dir>", "PGlite のデータフォルダ (DATABASE_URL が無いとき)").default("data"))
    .addOption(new Option("--memory", "PGlite をメモリ上で動かす (保存しない)"));
}
