// `onshi usage`: マイナ保険証の利用 from onshi's own records (docs/usage.md). Each part registers its
// subcommand here.
import type { Command } from "commander";
import { examples } from "../help.ts";
import type { CliRun } from "../io.ts";
import { registerUsageRate } from "./usage-rate.ts";

export function registerUsage(program: Command, cli: CliRun) {
  const usage = program
    .command("usage")
    .description("マイナ保険証の利用の記録と利用率")
    .addHelpText("after", examples("onshi usage rate --facility 1310100019 --month 2025-10", "onshi usage rate --month 2025-10 --by kind"));
  registerUsageRate(usage, cli);
}
