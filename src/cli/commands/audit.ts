// `onshi audit verify`: recomputes the audit log's hash chain (docs/audit.md) and names the first
// broken record; exit 0 intact, 1 broken. Through the server holding the data folder when there is
// one (services/admin-operations.ts), with progress on stderr.
import type { Command } from "commander";
import { databaseOptions } from "../../config.ts";
import { checkAuditRange, type AuditVerification } from "../../services/audit-verify.ts";
import { inputError } from "../admin-command.ts";
import { perform } from "../folder-server.ts";
import { examples } from "../help.ts";
import { EXIT, type CliRun } from "../io.ts";
import { withDatabaseFlags } from "../options.ts";

interface VerifyFlags {
  from?: string;
  to?: string;
  json?: boolean;
  dataDir?: string;
  memory?: boolean;
}

/** A progress line on stderr at most every few seconds (none with --json). */
const PROGRESS_EVERY_MS = 3000;

export function registerAudit(program: Command, cli: CliRun) {
  const audit = program.command("audit").description("閲覧の監査ログ").addHelpText("after", examples("onshi audit verify"));
  withDatabaseFlags(
    audit
      .command("verify")
      .description("監査ログのハッシュチェーンを計算し直し、最初に壊れている記録を示す (終了コード 0 改ざんなし, 1 改ざんあり)")
      .option("--from <date>", "この日 (日本時間, YYYY-MM-DD) 以降の閲覧の記録から")
      .option("--to <date>", "この日 (日本時間, YYYY-MM-DD) までの閲覧の記録まで")
      .option("--json", "結果を JSON で出力する")
      .addHelpText("after", examples("onshi audit verify", "onshi audit verify --from 2026-04-01 --to 2026-04-30 --json")),
  ).action(async (flags: VerifyFlags) => {
    const range = { from: flags.from, to: flags.to };
    try {
      checkAuditRange(range);
    } catch (error) {
      throw inputError(error);
    }
    let last = performance.now();
    const progress = (done: number, total: number) => {
      if (flags.json || performance.now() - last < PROGRESS_EVERY_MS) return;
      last = performance.now();
      cli.warn(`検証中 ${done.toLocaleString("ja-JP")}/${total.toLocaleString("ja-JP")} 件`);
    };
    const verdict = await perform(cli, databaseOptions(flags, cli.io.env), "audit.verify", range, progress);
    cli.print(flags.json ? JSON.stringify(verdict, null, 2) : describe(verdict));
    if (!verdict.intact) cli.exitCode = EXIT.refused;
  });
}

function describe(v: AuditVerification): string {
  const span = v.from || v.to ? `${v.from ?? "最初"} 〜 ${v.to ?? "最後"} の` : "";
  const seqs = v.firstSeq === null ? "" : ` (seq ${v.firstSeq}〜${v.lastSeq})`;
  if (!v.break) return `監査ログは改ざんされていません: ${span}記録 ${v.checked.toLocaleString("ja-JP")} 件${seqs}、チェーンの先頭 seq ${v.headSeq} (${v.seconds} 秒)`;
  const b = v.break;
  return [`${b.code} ${b.message}`, `  最初に壊れている記録: seq ${b.seq}${b.at ? ` (閲覧日時 ${b.at})` : ""}`, `  ${b.detail}`, `  それまでの記録 ${v.checked.toLocaleString("ja-JP")} 件は正しくつながっています。`].join("\n");
}
