// `onshi usage notice --facility CODE --month YYYY-MM [--out FILE]`: the facility's monthly
// マイナ保険証利用率 notice (docs/usage.md 「お知らせ」): a summary on the terminal (the view model
// as JSON with --json), the PDF with --out. A bad month exits 2 (E8970); an unregistered facility
// (E8971) or a notice not issued yet (E8972) exits 1 with its code.
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { monthText } from "../../subsidy/engine.ts";
import { checkedNoticeMonth, usageNotice, type UsageNotice } from "../../services/usage-notice.ts";
import { rateText, usageNoticePdf } from "../../services/usage-notice-pdf.ts";
import { BASIS_LABELS, type Basis } from "../../services/usage-rates.ts";
import { inputError, runAdmin, withAdminFlags, type AdminFlags } from "../admin-command.ts";
import { examples, padTo } from "../help.ts";
import type { CliRun } from "../io.ts";

interface NoticeFlags extends AdminFlags {
  facility: string;
  month: string;
  out?: string;
}

const BASES: readonly Basis[] = ["receipt", "outpatient", "online"];

export function describeNotice(n: UsageNotice): string {
  const f = n.facility;
  const lines = [
    `マイナ保険証利用率のお知らせ  ${monthText(n.month)}診療分 (${n.issuedOn} 発行)`,
    `${f.name} (${f.code})  ${f.prefectureName}・${f.kindLabel}`,
    "",
    [padTo("", 30), padTo("貴施設", 10), padTo(`全国の${f.kindLabel}`, 20), `${f.prefectureName}の${f.kindLabel}`].join(""),
    ...BASES.map((b) => [padTo(BASIS_LABELS[b], 30), padTo(rateText(n.rates[b]), 10), padTo(rateText(n.kindNation?.rates[b]), 20), rateText(n.kindPrefecture?.rates[b])].join("")),
    ...n.ranks.map((r) => `全国の${f.kindLabel}の中での位置 (${BASIS_LABELS[r.basis]}): ${r.label} (${r.ranked} 施設中、より高い施設 ${r.above})`),
    "",
    "医療DX推進体制整備加算 (利用率による区分):",
    ...n.dx.map((d) => `  算定月 ${d.month}: ${d.tier}${d.rateUsed ? ` (${d.rateUsed.month} ${d.rateUsed.percent})` : ""}${d.pending.length > 0 ? ` — ${d.pending.join("・")} は未確定` : ""}`),
    "",
    n.subsidies.length === 0 ? "この診療月で判定が変わる補助金・支援金: なし" : "この診療月で判定が変わる補助金・支援金:",
    ...n.subsidies.map((s) => `  ${s.program}: ${s.eligible === true ? "対象" : s.eligible === false ? "対象外" : "判定できない"}`),
  ];
  return lines.join("\n");
}

export function registerUsageNotice(usage: Command, cli: CliRun): Command {
  return withAdminFlags(
    usage
      .command("notice")
      .description("医療機関等の月ごとのマイナ保険証利用率のお知らせ (診療月の2か月後の11日に発行) を表示し、--out で PDF に書き出す")
      .requiredOption("--facility <code>", "医療機関コード (10桁)")
      .requiredOption("--month <yyyy-mm>", "診療月 (YYYY-MM)")
      .option("--out <file>", "お知らせの PDF を書き出すファイル"),
  )
    .addHelpText("after", examples("onshi usage notice --facility 1310100019 --month 2026-02 --out notice.pdf"))
    .action(async (flags: NoticeFlags) => {
      try {
        checkedNoticeMonth(flags.month);
      } catch (error) {
        throw inputError(error);
      }
      await runAdmin(
        cli,
        flags,
        async (db, now) => {
          const notice = await usageNotice(db, flags.facility, flags.month, now);
          if (flags.out) await writeFile(flags.out, await usageNoticePdf(notice));
          return notice;
        },
        (notice) => `${describeNotice(notice)}${flags.out ? `\n\nPDF を書き出しました: ${flags.out}` : ""}`,
      );
    });
}
