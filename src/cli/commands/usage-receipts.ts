// `onshi usage receipts --facility CODE FILE`: a facility's monthly receipt counts from a JSON or
// CSV file, stored as POST /onshi-api/usage/receipts stores them (services/usage-receipts.ts),
// through the server holding the data folder when there is one. Exit 1 when a row or the whole
// upload is refused (the other rows are stored), 2 for a file that cannot be read.
import type { Command } from "commander";
import { readFile, stat } from "node:fs/promises";
import { RECEIPTS_FILE_LIMIT_BYTES, type ReceiptsAnswer, type ReceiptsUpload } from "../../services/usage-receipts.ts";
import { adminNow, runRoutedAdmin, withAdminFlags, type AdminFlags } from "../admin-command.ts";
import { examples } from "../help.ts";
import { usageError, type CliRun } from "../io.ts";

type ReceiptsFlags = AdminFlags & { facility: string };

const RESULT_LABELS = { registered: "登録", updated: "更新", unchanged: "変更なし", refused: "拒否" } as const;

/** The file as an upload: JSON when it begins with `{` (after a BOM and spaces), CSV otherwise. */
async function readUpload(path: string): Promise<ReceiptsUpload> {
  const size = await stat(path).then(
    (s) => s.size,
    () => {
      throw usageError(`ファイルを読めません: ${path}`);
    },
  );
  if (size > RECEIPTS_FILE_LIMIT_BYTES) throw usageError(`ファイルが大きすぎます (${RECEIPTS_FILE_LIMIT_BYTES.toLocaleString("en")} バイトまで): ${path}`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await readFile(path));
  } catch {
    throw usageError(`ファイルを UTF-8 として読めません: ${path}`);
  }
  if (!/^\uFEFF?\s*\{/.test(text)) return { csv: text };
  try {
    return { json: JSON.parse(text.replace(/^\uFEFF/, "")) };
  } catch (error) {
    throw usageError(`JSON として読めません: ${path} (${(error as Error).message})`);
  }
}

function describe(answer: ReceiptsAnswer): string {
  const { counts } = answer;
  return [
    `医療機関 ${answer.facilityCode}: 登録 ${counts.registered} 件, 更新 ${counts.updated} 件, 変更なし ${counts.unchanged} 件, 拒否 ${counts.refused} 件`,
    ...answer.results.map((r) =>
      [`  ${r.row} 行目`, r.month ?? "", RESULT_LABELS[r.result], ...(r.code ? [`${r.code} ${r.message}${r.field ? ` (${r.field})` : ""}`] : [])].filter(Boolean).join("  "),
    ),
  ].join("\n");
}

export function registerUsageReceipts(usage: Command, cli: CliRun) {
  withAdminFlags(
    usage
      .command("receipts")
      .description("医療機関の月ごとのレセプト件数 (全体・外来) を JSON か CSV のファイルから登録する。同じファイルを2回登録しても何も変わらない")
      .requiredOption("--facility <code>", "医療機関コード (10桁)")
      .argument("<file>", '{"months":[{"month":"YYYY-MM","receipts":n,"outpatientReceipts":n}]} の JSON か、見出し month,receipts,outpatientReceipts の CSV (UTF-8)')
      .addHelpText(
        "after",
        examples("onshi usage receipts --facility 1310100019 receipts.csv", "onshi usage receipts --facility 1310100019 receipts.json --json"),
      ),
  ).action(async (file: string, flags: ReceiptsFlags) => {
    const upload = await readUpload(file);
    await runRoutedAdmin(cli, flags, "usage.receipts", { now: adminNow(flags), facility: flags.facility, upload }, describe, (answer) => answer.counts.refused > 0);
  });
}
