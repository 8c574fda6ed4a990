// `onshi usage …`: マイナ保険証利用率 from onshi's own records (docs/usage.md). Each subcommand lives
// in its own file (usage-*.ts) and is registered here.
import type { Command } from "commander";
import { examples } from "../help.ts";
import type { CliRun } from "../io.ts";
import { registerUsageNotice } from "./usage-notice.ts";
import { registerUsageProfile } from "./usage-profile.ts";
import { registerUsageRate } from "./usage-rate.ts";
import { registerUsageReceipts } from "./usage-receipts.ts";

export function registerUsage(program: Command, cli: CliRun) {
  const usage = program
    .command("usage")
    .description("マイナ保険証の利用の記録と利用率、医療機関がアップロードするレセプト件数、利用率のお知らせ")
    .addHelpText(
      "after",
      examples(
        "onshi usage rate --facility 1310100019 --month 2025-10",
        "onshi usage rate --month 2025-10 --by kind",
        "onshi usage receipts --facility 1310100019 receipts.csv",
        "onshi usage notice --facility 1310100019 --month 2026-02 --out notice.pdf",
        "onshi usage profile --facility 1310100019 --at 2025-11-01",
      ),
    );
  registerUsageRate(usage, cli);
  registerUsageReceipts(usage, cli);
  registerUsageNotice(usage, cli);
  registerUsageProfile(usage, cli);
}
