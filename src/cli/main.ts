// `onshi` command line. Each command lives in ./commands and registers itself here.
import { Command } from "commander";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { errorMessage } from "../errors/catalogue.ts";
import { registerSeed } from "./commands/seed.ts";
import { registerServe } from "./commands/serve.ts";
import { registerCheck } from "./commands/check.ts";
import { registerFiles } from "./commands/files.ts";
import { registerCards } from "./commands/cards.ts";
import { registerReader } from "./commands/reader.ts";
import { registerSubsidy } from "./commands/subsidy.ts";
import { registerFacilities } from "./commands/facilities.ts";

const program = new Command("onshi")
  .description("オンライン資格確認等システムのオープンな実装")
  .showHelpAfterError();

registerServe(program);
registerSeed(program);
registerCheck(program);
registerFiles(program);
registerCards(program);
registerReader(program);
registerSubsidy(program);
registerFacilities(program);

/** sysexits' EX_TEMPFAIL: the command may succeed if run again later (the database is down). */
const EXIT_DATABASE_UNAVAILABLE = 75;

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (isDatabaseUnavailable(error)) {
    console.error(`エラー: E9002 ${errorMessage("E9002")} (${(error as Error).message})`);
    process.exitCode = EXIT_DATABASE_UNAVAILABLE;
  } else {
    console.error(`エラー: ${(error as Error).message}`);
    process.exitCode = (error as { exitCode?: number }).exitCode ?? 1;
  }
}
