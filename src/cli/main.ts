// `onshi` command line. Each command lives in ./commands and registers itself here. run() takes
// the arguments and the io and returns the exit code, so it runs in process (tests) as in the bin.
// A command's module is imported only when that command runs or shows its help: the modules bring
// in the database, the server and the certificates, and `onshi --help` should not wait for them.
import { readFileSync } from "node:fs";
import { CommanderError, type Command } from "commander";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { errorMessage, OqsError } from "../errors/catalogue.ts";
import { examples, japaneseProgram } from "./help.ts";
import { CliRun, EXIT, type CliIo } from "./io.ts";

type Register = (program: Command, cli: CliRun) => unknown;

/** The commands in the order of `onshi --help`, each with the line it shows there. */
export const COMMANDS: readonly { name: string; summary: string; load: () => Promise<Register> }[] = [
  { name: "serve", summary: "サーバ (WebAPI・連携フォルダ・画面) を起動する", load: async () => (await import("./commands/serve.ts")).registerServe },
  { name: "seed", summary: "合成した被保険者集団をデータベースに読み込む", load: async () => (await import("./commands/seed.ts")).registerSeed },
  { name: "simulate", summary: "模擬の全国 (医療機関等と月ごとの資格確認・レセプト件数) を書き込む", load: async () => (await import("./commands/simulate.ts")).registerSimulate },
  { name: "check", summary: "個別照会を行う", load: async () => (await import("./commands/check.ts")).registerCheck },
  { name: "files", summary: "連携フォルダの要求ファイルを検査する", load: async () => (await import("./commands/files.ts")).registerFiles },
  { name: "cards", summary: "合成マイナンバーカードを発行・失効・ロック解除する", load: async () => (await import("./commands/cards.ts")).registerCards },
  { name: "reader", summary: "カードリーダーでの受付を行う (起動中のサーバに接続)", load: async () => (await import("./commands/reader-tap.ts")).registerReader },
  { name: "subsidy", summary: "補助金・支援金を計算する", load: async () => (await import("./commands/subsidy.ts")).registerSubsidy },
  { name: "usage", summary: "マイナ保険証の利用の記録と利用率、レセプト件数、利用率のお知らせ", load: async () => (await import("./commands/usage.ts")).registerUsage },
  { name: "facilities", summary: "医療機関等の一覧・登録と電子証明書の発行・失効", load: async () => (await import("./commands/facilities.ts")).registerFacilities },
  { name: "disaster", summary: "災害時医療情報閲覧の宣言・延長・終了・一覧 (厚生労働省の操作)", load: async () => (await import("./commands/disaster.ts")).registerDisaster },
  { name: "pmh", summary: "医療費助成 (PMH) の参加団体の一覧と、ある日付に参加しているか。地方公共団体の受給者証登録の認証情報", load: async () => (await import("./commands/pmh.ts")).registerPmh },
  { name: "welfare", summary: "医療扶助の医療券・調剤券を登録する (福祉事務所の操作)", load: async () => (await import("./commands/welfare.ts")).registerWelfare },
  { name: "staff", summary: "職員アカウント (資格確認端末の閲覧画面) を作成・一覧・無効化する", load: async () => (await import("./commands/staff.ts")).registerStaff },
  { name: "office", summary: "補助金事務 (取りまとめ者・支払基金のアカウント、申請・審査・決定・返還・補助金台帳)", load: async () => (await import("./commands/office.ts")).registerOffice },
  { name: "persons", summary: "被保険者を探し、資格確認のキーを表示する", load: async () => (await import("./commands/persons.ts")).registerPersons },
  { name: "audit", summary: "閲覧の監査ログを検証する (ハッシュチェーンの再計算)", load: async () => (await import("./commands/audit.ts")).registerAudit },
  { name: "reset", summary: "組み込みデータベースのデータフォルダを削除する (確認あり)", load: async () => (await import("./commands/reset.ts")).registerReset },
];

const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

/**
 * The `onshi` program for one run, with the commands `load` names registered in full and the others
 * by name and summary only. Output and exits go through cli (set before commands are added: they inherit it).
 */
export async function onshiProgram(cli: CliRun, load: (name: string) => boolean = () => true): Promise<Command> {
  const program = japaneseProgram("onshi", VERSION)
    .description("オンライン資格確認等システムのオープンな実装")
    .exitOverride()
    .configureOutput({ writeOut: (s) => void cli.io.stdout.write(s), writeErr: (s) => void cli.io.stderr.write(s) })
    .addHelpText(
      "after",
      `${examples("onshi serve --demo            # デモデータでサーバを起動する", "onshi check --help            # コマンドごとの使い方")}

終了コード: 0 成功, 1 拒否またはエラーの応答, 2 使い方・入力の誤り, 75 データベースに接続できない`,
    );
  const registers = await Promise.all(COMMANDS.map(async (c) => (load(c.name) ? await c.load() : undefined)));
  COMMANDS.forEach(({ name, summary }, i) => {
    const register = registers[i];
    if (register) register(program, cli);
    (program.commands.find((c) => c.name() === name) ?? program.command(name)).summary(summary);
  });
  return program;
}

/** The command `onshi ARGV…` runs (`onshi help serve` shows serve's help), if any. */
function commandNamed(argv: readonly string[]): string | undefined {
  return argv[0] === "help" ? argv[1] : argv[0];
}

/** Runs `onshi ARGV…` (the arguments after the command's name) and returns its exit code; never ends the process. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const cli = new CliRun(io);
  try {
    const program = await onshiProgram(cli, (name) => name === commandNamed(argv));
    await program.parseAsync([...argv], { from: "user" });
    return cli.exitCode;
  } catch (error) {
    // Commander has already written its message: help and version exit 0, a usage error 2.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (isDatabaseUnavailable(error)) {
      cli.warn(`エラー: E9002 ${errorMessage("E9002")} (${(error as Error).message})`);
      return EXIT.databaseUnavailable;
    }
    cli.warn(`エラー: ${error instanceof OqsError ? `${error.code} ` : ""}${(error as Error).message}`);
    return (error as { exitCode?: number }).exitCode ?? EXIT.refused;
  }
}
