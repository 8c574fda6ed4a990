// `onshi office ledger|totals`: the 補助金台帳 (第13) from the command line, read as the system on
// the local data folder or DATABASE_URL (docs/subsidy-office.md 「補助金台帳」): a facility's entries,
// sums and retention day, or the totals per 年度 and programme; --csv and --pdf write the exports.
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { ledgerCsv, ledgerPdf, totalsCsv, totalsPdf } from "../../services/subsidy-ledger-export.ts";
import { facilityLedgerView, ledgerTotalsView, totalsFilter, type SumsLine } from "../../services/subsidy-ledger.ts";
import { actorOf } from "../../services/subsidy-office.ts";
import { yenText } from "../../subsidy/engine.ts";
import { inputError, runAdmin, withAdminFlags, type AdminFlags } from "../admin-command.ts";
import { examples } from "../help.ts";
import type { CliRun } from "../io.ts";

type ExportFlags = AdminFlags & { csv?: string; pdf?: string };

const withExportFlags = (command: Command) =>
  withAdminFlags(command.option("--csv <file>", "CSV (UTF-8) を書き出すファイル").option("--pdf <file>", "PDF を書き出すファイル"));

const sumsText = (s: SumsLine) =>
  `${s.programName}: 配付 ${s.readersDistributed}台、交付決定 ${yenText(s.decidedYen)}、支払 ${yenText(s.paidYen)}、取消 ${yenText(s.cancelledYen)} (${s.cancelledReaders}台)、返還命令 ${yenText(s.returnOrderedYen)}、返還 ${yenText(s.returnedYen)}、延滞金 ${yenText(s.interestYen)}、処分承認 ${s.disposedReaders}台`;

const written = (flags: ExportFlags) => [flags.csv && `CSV を書き出しました: ${flags.csv}`, flags.pdf && `PDF を書き出しました: ${flags.pdf}`].filter(Boolean).join("\n");

export function registerOfficeLedger(office: Command, cli: CliRun) {
  withExportFlags(
    office
      .command("ledger")
      .description("医療機関の補助金台帳 (記録、制度ごとの合計、帳簿等の保管期限) を表示する")
      .requiredOption("--facility <code>", "【必須】医療機関コード")
      .addHelpText("after", examples("onshi office ledger --facility 1310100019", "onshi office ledger --facility 1310100019 --csv ledger.csv --pdf ledger.pdf")),
  ).action(async (flags: ExportFlags & { facility: string }) => {
    await runAdmin(
      cli,
      flags,
      async (db, now) => {
        const view = await facilityLedgerView(db, await actorOf(db, { system: true }), flags.facility, now);
        if (flags.csv) await writeFile(flags.csv, ledgerCsv(view));
        if (flags.pdf) await writeFile(flags.pdf, await ledgerPdf(view));
        return view;
      },
      (view) =>
        [
          `${view.facility.name} (${view.facility.code}) の補助金台帳 ${view.asOf} 現在`,
          ...(view.entries.length === 0 ? ["記録はありません。"] : view.entries.map((e) => `  No.${e.entryId}  ${e.onDate}  ${e.label}${e.corrects === null ? "" : ` (No.${e.corrects} の訂正)`}  案件 ${e.caseId ?? "—"}  ${e.program}  ${yenText(e.yen)}  ${e.readers}台${e.note ? `  ${e.note}` : ""}`)),
          ...view.sums.map(sumsText),
          `保管期限: ${view.retention.keepUntil ?? "不明"}${view.retention.discardableFrom ? ` (${view.retention.discardableFrom} から廃棄できます)` : ""} — ${view.retention.reasons.join(" ")}`,
          written(flags),
        ]
          .filter(Boolean)
          .join("\n"),
    );
  });

  withExportFlags(
    office
      .command("totals")
      .description("補助金台帳の年度別・制度別の集計 (厚生労働大臣への報告) を表示する")
      .option("--from-year <year>", "この年度から (西暦、4月〜翌3月)")
      .option("--to-year <year>", "この年度まで")
      .option("--program <id>", "制度を一つに絞る")
      .addHelpText("after", examples("onshi office totals --from-year 2021 --to-year 2022", "onshi office totals --program fund-2020 --csv totals.csv")),
  ).action(async (flags: ExportFlags & { fromYear?: string; toYear?: string; program?: string }) => {
    try {
      totalsFilter(flags);
    } catch (error) {
      throw inputError(error);
    }
    await runAdmin(
      cli,
      flags,
      async (db, now) => {
        const view = await ledgerTotalsView(db, { fromYear: flags.fromYear, toYear: flags.toYear, program: flags.program });
        if (flags.csv) await writeFile(flags.csv, totalsCsv(view));
        if (flags.pdf) await writeFile(flags.pdf, await totalsPdf(view, now));
        return view;
      },
      (view) => [...(view.rows.length === 0 ? ["記録はありません。"] : view.rows.map((s) => `${s.fiscalYear ?? "全"}年度  ${sumsText(s)}`)), written(flags)].filter(Boolean).join("\n"),
    );
  });
}
