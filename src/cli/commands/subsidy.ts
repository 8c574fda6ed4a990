// `onshi subsidy`: the subsidy engine on the command line. `late-interest` (第12 延滞金) and
// `reader-return` (第11 返還) of seed 002's 実施要領; `calc` (issue 5's programs) registers here too.
// Pure calculations: no database. Bad flags exit 2 with a message naming the flag.
import type { Command } from "commander";
import { lateInterest, type LateInterestResult, type Payment } from "../../subsidy/late-interest.ts";
import { readerReturn, type ReaderReturnResult } from "../../subsidy/reader-return.ts";
import { yenOrUnknown } from "../../subsidy/engine.ts";
import { SubsidyInputError } from "../../subsidy/input-error.ts";
import { readingsMarkdown } from "../../subsidy/readings.ts";
import { examples } from "../help.ts";
import { registerSubsidyCalc } from "./subsidy-calc.ts";
import { EXIT, usageError, type CliRun } from "../io.ts";

function parseYen(value: string, flag: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw usageError(`${flag} が不正です (円、整数): ${value}`);
  return n;
}

/** `DATE:YEN,DATE:YEN` → payments; an empty string is no payment. */
export function parsePayments(value: string | undefined): Payment[] {
  if (value === undefined || value.trim() === "") return [];
  return value.split(",").map((item) => {
    const m = /^\s*(\d{4}-\d{2}-\d{2}):(\d+)\s*$/.exec(item);
    if (!m || !Number.isSafeInteger(Number(m[2]))) throw usageError(`--payments が不正です (日付:金額 を , で区切る。例 2022-04-01:500000): ${item}`);
    return { on: m[1]!, yen: Number(m[2]) };
  });
}

/** Runs a calculation; an input error from the rules exits 2 naming the flag (JSON on stdout with --json). */
function answer<T>(cli: CliRun, json: boolean | undefined, flags: Record<string, string>, compute: () => T, describe: (r: T) => string): void {
  try {
    const result = compute();
    cli.print(json ? JSON.stringify(result, null, 2) : describe(result));
  } catch (error) {
    if (!(error instanceof SubsidyInputError)) throw error;
    const flag = flags[error.field.replace(/\[\d+\].*$/, "")] ?? error.field;
    if (json) {
      cli.print(JSON.stringify({ code: error.code, message: error.message, flag }));
      cli.exitCode = EXIT.usage;
      return;
    }
    throw usageError(`${error.code} ${error.message} (${flag})`);
  }
}

const yen = yenOrUnknown;
const right = (s: string, width: number) => s.padStart(width);

export function describeLateInterest(r: LateInterestResult): string {
  const lines = [
    `延滞金 (第12)  返還すべき補助金 ${yen(r.principal)}  受領の日 ${r.received}  返還期限 ${r.deadline}  利率 ${r.ratePercent === null ? "—" : `年${r.ratePercent}%`}`,
  ];
  if (r.periods.length > 0) {
    lines.push("", "期間                       日数          元本        延滞金");
    for (const p of r.periods) lines.push(`${p.from}〜${p.to}  ${right(String(p.days), 5)}  ${right(yen(p.principal), 12)}  ${right(yen(p.interest), 12)}`);
  }
  if (r.payments.length > 0) {
    lines.push("", "納付日           納付額      延滞金へ      補助金へ      過払い");
    for (const p of r.payments) lines.push(`${p.on}  ${right(yen(p.yen), 12)}  ${right(yen(p.toInterest), 12)}  ${right(yen(p.toPrincipal), 12)}  ${right(yen(p.excess), 10)}`);
  }
  lines.push(
    "",
    `延滞金の合計 ${yen(r.interest)}  (納付済み ${yen(r.interestPaid)})`,
    `${r.at} 時点の未納: 補助金 ${yen(r.principalOutstanding)}  延滞金 ${yen(r.interestOutstanding)}`,
    "",
    ...explanation(r),
  );
  return lines.join("\n");
}

/** The reasons, the readings chosen and the sources, under their headings. */
function explanation(r: { reasons: string[]; readings: string[]; sources: string[] }): string[] {
  return [
    "理由:",
    ...r.reasons.map((s) => `  ${s}`),
    "読み方:",
    ...r.readings.map((s) => `  ${s}`),
    "根拠:",
    ...r.sources.map((s) => `  ${s}`),
  ];
}

export function describeReaderReturn(r: ReaderReturnResult): string {
  return [
    `顔認証付きカードリーダー及び補助金の返還 (第11)  提供の日 ${r.providedOn}  取消しの日 ${r.at}`,
    "",
    `項目                                   金額`,
    `カードリーダー ${r.readers}台 (1台 ${yen(r.readerCost)})  ${right(yen(r.readerCost * r.readers), 14)}`,
    `経過 ${r.monthsUsed}か月 / 残り ${r.monthsLeft}か月 の残額         ${right(yen(r.readerRemaining), 14)}`,
    `補助金                                ${right(yen(r.subsidy), 14)}`,
    `返還額の合計                          ${right(yen(r.total), 14)}`,
    "",
    ...explanation(r),
  ].join("\n");
}

interface LateFlags {
  principal: string;
  received: string;
  deadline: string;
  payments?: string;
  at?: string;
  json?: boolean;
}

interface ReturnFlags {
  readerCost: string;
  readers: string;
  provided: string;
  cancelled: string;
  subsidy: string;
  json?: boolean;
}

export function registerSubsidy(program: Command, cli: CliRun): Command {
  const subsidy = program
    .command("subsidy")
    .description("補助金・支援金の計算 (各プログラムの対象と金額、返還と延滞金、読み方)")
    .addHelpText("after", examples("onshi subsidy calc docs/examples/subsidy/clinic.json --at 2025-06-01"));

  subsidy
    .command("late-interest")
    .description("延滞金 (実施要領 第12): 受領の日から返還の日まで年3% (365日当たり)、納付はまず延滞金に充当")
    .requiredOption("--principal <yen>", "返還すべき補助金の額 (円)")
    .requiredOption("--received <date>", "補助金の受領の日 (YYYY-MM-DD)")
    .requiredOption("--deadline <date>", "返還命令の期限 (YYYY-MM-DD)")
    .option("--payments <list>", "納付 (日付:金額 を , で区切る。例 2022-04-01:500000,2022-05-01:300000)")
    .option("--at <date>", "未納があるときに延滞金を計算する日 (YYYY-MM-DD, 既定: 最後の納付の日)")
    .option("--json", "JSON で出力する")
    .addHelpText(
      "after",
      examples(
        "onshi subsidy late-interest --principal 1000000 --received 2021-04-01 --deadline 2022-03-31 --payments 2022-04-01:500000,2022-05-01:520000",
      ),
    )
    .action((flags: LateFlags) => {
      const principal = parseYen(flags.principal, "--principal");
      const { received, deadline } = flags;
      const payments = parsePayments(flags.payments);
      answer(
        cli,
        flags.json,
        { principal: "--principal", received: "--received", deadline: "--deadline", payments: "--payments", at: "--at" },
        () => lateInterest({ principal, received, deadline, payments, at: flags.at }),
        describeLateInterest,
      );
    });

  subsidy
    .command("reader-return")
    .description("顔認証付きカードリーダー及び補助金の返還 (実施要領 第11): 減価償却（５年）に応じた残額と補助金")
    .requiredOption("--reader-cost <yen>", "カードリーダー1台の提供に要した費用相当額 (円)")
    .option("--readers <n>", "取消しに係るカードリーダーの台数", "1")
    .requiredOption("--provided <date>", "カードリーダーの提供の日 (YYYY-MM-DD)")
    .requiredOption("--cancelled <date>", "交付決定の取消しの日 (YYYY-MM-DD)")
    .option("--subsidy <yen>", "取消しに係る補助金の額 (円)", "0")
    .option("--json", "JSON で出力する")
    .addHelpText("after", examples("onshi subsidy reader-return --reader-cost 300000 --provided 2021-04-01 --cancelled 2023-04-01 --subsidy 200000"))
    .action((flags: ReturnFlags) => {
      const readerCost = parseYen(flags.readerCost, "--reader-cost");
      const readers = /^\d+$/.test(flags.readers) ? Number(flags.readers) : NaN;
      if (!Number.isSafeInteger(readers) || readers < 1) throw usageError(`--readers が不正です (1以上の整数): ${flags.readers}`);
      const { provided: providedOn, cancelled: at } = flags;
      const subsidyYen = parseYen(flags.subsidy, "--subsidy");
      answer(
        cli,
        flags.json,
        { readerCost: "--reader-cost", readers: "--readers", providedOn: "--provided", at: "--cancelled", subsidy: "--subsidy" },
        () => readerReturn({ readerCost, readers, providedOn, at, subsidy: subsidyYen }),
        describeReaderReturn,
      );
    });

  registerSubsidyCalc(subsidy, cli);
  subsidy
    .command("readings")
    .description("各プログラムのデータファイルに記録した読み方 (出典が曖昧・沈黙している箇所の解釈) を Markdown で出力する")
    .addHelpText("after", examples("onshi subsidy readings > readings.md"))
    .action(() => {
      cli.io.stdout.write(readingsMarkdown());
    });
  return subsidy;
}
