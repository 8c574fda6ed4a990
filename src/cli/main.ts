// `onshi` command line. Each command lives in ./commands and registers itself here.
import { Command } from "commander";
import { registerSeed } from "./commands/seed.ts";
import { registerServe } from "./commands/serve.ts";
import { registerCheck } from "./commands/check.ts";
import { registerFiles } from "./commands/files.ts";
import { registerCards } from "./commands/cards.ts";
import { registerReader } from "./commands/reader.ts";
import { registerSubsidy } from "./commands/subsidy.ts";

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

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = (error as { exitCode?: number }).exitCode ?? 1;
  console.error(`エラー: ${(error as Error).message}`);
  process.exitCode = code;
}
