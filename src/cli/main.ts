// `onshi` command line. Each command lives in ./commands and registers itself here. run() takes
// the arguments and the io and returns the exit code, so it runs in process (tests) as in the bin.
import { Command, CommanderError } from "commander";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { errorMessage, OqsError } from "../errors/catalogue.ts";
import { CliRun, type CliIo } from "./io.ts";
import { registerSeed } from "./commands/seed.ts";
import { registerServe } from "./commands/serve.ts";
import { registerCheck } from "./commands/check.ts";
import { registerFiles } from "./commands/files.ts";
import { registerCards } from "./commands/cards.ts";
import { registerReader } from "./commands/reader-tap.ts";
import { registerSubsidy } from "./commands/subsidy.ts";
import { registerFacilities } from "./commands/facilities.ts";

/** sysexits' EX_TEMPFAIL: the command may succeed if run again later (the database is down). */
const EXIT_DATABASE_UNAVAILABLE = 75;

/** The `onshi` program for one run. Output and exits go through cli (set before commands are added: they inherit it). */
export function onshiProgram(cli: CliRun): Command {
  const program = new Command("onshi")
    .description("オンライン資格確認等システムのオープンな実装")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => void cli.io.stdout.write(s), writeErr: (s) => void cli.io.stderr.write(s) });
  registerServe(program, cli);
  registerSeed(program, cli);
  registerCheck(program, cli);
  registerFiles(program, cli);
  registerCards(program, cli);
  registerReader(program, cli);
  registerSubsidy(program, cli);
  registerFacilities(program, cli);
  return program;
}

/** Runs `onshi ARGV…` (the arguments after the command's name) and returns its exit code; never ends the process. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const cli = new CliRun(io);
  try {
    await onshiProgram(cli).parseAsync([...argv], { from: "user" });
    return cli.exitCode;
  } catch (error) {
    // Commander has already written its own message (usage errors, --help, --version).
    if (error instanceof CommanderError) return error.exitCode;
    if (isDatabaseUnavailable(error)) {
      cli.warn(`エラー: E9002 ${errorMessage("E9002")} (${(error as Error).message})`);
      return EXIT_DATABASE_UNAVAILABLE;
    }
    cli.warn(`エラー: ${error instanceof OqsError ? `${error.code} ` : ""}${(error as Error).message}`);
    return (error as { exitCode?: number }).exitCode ?? 1;
  }
}
