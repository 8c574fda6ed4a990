// `onshi files validate FILE…`: tells a vendor what the terminal would say about a request file,
// before they drop it into `req`.
import type { Command } from "commander";
import { EXIT, type CliRun } from "../io.ts";
import { examples } from "../help.ts";
import { basename } from "node:path";
import { GATEWAY_DEFAULTS } from "../../gateway/gateway.ts";
import { readRequestEntry, type RequestEntry } from "../../gateway/request-entry.ts";
import { validateRequestFile, type FileReport } from "../../gateway/validate-file.ts";
import { ERROR_CODES, type ErrorCode } from "../../errors/catalogue.ts";
import { MESSAGE_KINDS } from "../../services/pipeline/index.ts";

export function registerFiles(program: Command, cli: CliRun) {
  const files = program
    .command("files")
    .description("連携フォルダ (req / res) の要求ファイルを扱う")
    .addHelpText("after", examples("onshi files validate OQSsiquc01req_202604010001.xml"));
  files
    .command("validate")
    .description("要求ファイルのファイル名・文字コード・XML・項目を検査し、端末が返すエラーコードを示す")
    .argument("<file...>", "要求ファイル (例: OQSsiquc01req_202604010001.xml)")
    .option("--json", "結果を JSON で出力する")
    .addHelpText(
      "after",
      examples("onshi files validate OQSsiquc01req_202604010001.xml      # 問題がなければ終了コード 0、あれば 1", "onshi files validate --json oqs/req/*.xml"),
    )
    .action(async (paths: string[], flags: { json?: boolean }) => {
      const reports: (FileReport & { file: string })[] = [];
      for (const path of paths) reports.push({ file: path, ...(await validatePath(path)) });
      if (flags.json) cli.print(JSON.stringify(reports, null, 2));
      else for (const report of reports) cli.print(describe(report));
      if (reports.some((r) => r.problems.length > 0)) cli.exitCode = EXIT.refused;
    });
}

/** Read as the gateway reads req: a link, FIFO or folder is refused unread, as is a file over the size limit. */
async function validatePath(path: string): Promise<FileReport> {
  const refused = (code: ErrorCode, detail: string): FileReport => ({ problems: [{ code, ja: ERROR_CODES[code].ja, en: ERROR_CODES[code].en, detail }] });
  let entry: RequestEntry;
  try {
    entry = await readRequestEntry(path, GATEWAY_DEFAULTS.maxFileBytes);
  } catch (error) {
    return refused("E4004", (error as Error).message);
  }
  switch (entry.type) {
    case "gone":
      return refused("E4004", "no such file");
    case "changed":
      return refused("E4004", "the file changed while it was read");
    case "special":
      return refused("E4004", `${entry.what}, not a regular file: the gateway refuses it in req without reading it`);
    case "tooLarge":
      return refused("E1011", `${entry.size} bytes; the limit is ${GATEWAY_DEFAULTS.maxFileBytes}`);
  }
  return validateRequestFile(basename(path), entry.bytes, new Set(MESSAGE_KINDS));
}

function describe(report: FileReport & { file: string }): string {
  const facts = [report.kind, report.charset && `${report.charset}${report.declared ? "" : " (XML宣言なし)"}`].filter(Boolean).join(", ");
  const title = `${report.file}${facts ? ` [${facts}]` : ""}`;
  const lines =
    report.problems.length === 0
      ? [`OK  ${title}: 問題はありません / no problems`]
      : [`NG  ${title}: ${report.problems.length} 件の問題 / ${report.problems.length} problem(s)`];
  for (const p of report.problems) {
    const where = [p.element, p.value !== undefined && `"${p.value}"`].filter(Boolean).join(" = ");
    lines.push(`  ${p.code}${where ? ` ${where}` : ""}`, `      ${p.ja}`, `      ${p.en}${p.detail ? ` (${p.detail})` : ""}`);
  }
  for (const w of report.warnings ?? []) lines.push(`  注意 / warning ${w.element} = "${w.value}"`, `      ${w.ja}`, `      ${w.en}`);
  return lines.join("\n");
}
