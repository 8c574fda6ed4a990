// `onshi office …`: the subsidy office (docs/subsidy-office.md). Each subcommand lives in its own
// file (office-*.ts) and is registered here.
import type { Command } from "commander";
import { examples } from "../help.ts";
import type { CliRun } from "../io.ts";
import { registerOfficeAccount } from "./office-account.ts";
import { registerOfficeCases } from "./office-cases.ts";
import { registerOfficeLedger } from "./office-ledger.ts";
import { registerOfficeVendor } from "./office-vendor.ts";
import { registerOfficeReturns } from "./office-returns.ts";

export function registerOffice(program: Command, cli: CliRun) {
  const office = program
    .command("office")
    .description("補助金事務 (申請・取りまとめ・審査・決定・返還・補助金台帳) の操作")
    .addHelpText("after", examples("onshi office account add --login shiharai1 --role examiner --name 審査　一郎"));
  registerOfficeAccount(office, cli);
  registerOfficeCases(office, cli);
  registerOfficeLedger(office, cli);
  registerOfficeVendor(office, cli);
  registerOfficeReturns(office, cli);
}
