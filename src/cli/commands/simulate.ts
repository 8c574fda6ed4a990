// `onshi simulate`: writes the simulated nation (src/seed/simulate.ts) with a progress bar on
// stderr, then states the fit of each month: the published national rate, its source, the
// simulated one and the difference.
import type { Command } from "commander";
import { Option } from "commander";
import { databaseOptions, describeDatabase } from "../../config.ts";
import { openMigrated } from "../../db/open.ts";
import { FACILITY_KINDS, FACILITY_KIND_LABELS } from "../../domain/facility-code.ts";
import { OqsError } from "../../errors/catalogue.ts";
import { expectedChecks, MAX_SIMULATED_FACILITIES } from "../../seed/nation-plan.ts";
import { MAX_THROUGH_CHECKS, simulateThroughChecks } from "../../seed/simulate-checks.ts";
import { FIRST_SIMULATED_MONTH, LAST_SIMULATED_MONTH, monthsBetween } from "../../seed/nation-series.ts";
import { simulateNation, type MonthFit, type SimulateOptions, type SimulateSummary } from "../../seed/simulate.ts";
import { percentText } from "../../subsidy/usage-rate.ts";
import { inputError } from "../admin-command.ts";
import { examples } from "../help.ts";
import { EXIT, type CliRun } from "../io.ts";
import { withDatabaseFlags } from "../options.ts";
import { progressReporter } from "../progress.ts";

/** A plan of at most this many checks goes through the check code unless --totals (about a minute on PGlite). */
const AUTO_THROUGH_CHECKS = 2_000;

interface SimulateFlags {
  facilities: string;
  from: string;
  to: string;
  seed: string;
  volume: string;
  replace?: boolean;
  throughChecks?: boolean;
  totals?: boolean;
  json?: boolean;
  dataDir?: string;
  memory?: boolean;
}

export function registerSimulate(program: Command, cli: CliRun) {
  withDatabaseFlags(
    program
      .command("simulate")
      .description(
        `模擬の全国 (医療機関等と月ごとの資格確認・レセプト件数) をデータベースに書き込む。全国のマイナ保険証利用率 (オンライン資格確認件数ベース) が公表値の ±1 ポイントに収まるよう調整する (同じ --seed なら同じ内容)`,
      )
      .addHelpText(
        "after",
        examples(
          "onshi simulate --facilities 1000 --memory            # 1,000 施設、2023-10〜2025-10",
          "DATABASE_URL=postgres://localhost/onshi onshi simulate --facilities 229717 --replace   # 全国規模",
        ),
      )
      .addOption(new Option("--facilities <n>", `施設数 (1〜${MAX_SIMULATED_FACILITIES.toLocaleString("ja-JP")}; 全国は 229,717)`).default("1000"))
      .addOption(new Option("--from <month>", "最初の診療月 YYYY-MM").default(FIRST_SIMULATED_MONTH))
      .addOption(new Option("--to <month>", "最後の診療月 YYYY-MM").default(LAST_SIMULATED_MONTH))
      .addOption(new Option("--seed <s>", "乱数の種 (0〜4294967295 の整数)").default("1"))
      .addOption(new Option("--volume <f>", "施設・月あたりの資格確認件数の全国に対する割合 (0 より大きく 1 以下)").default("1"))
      .option("--replace", "既存の模擬データ (名前が【模擬】で始まる医療機関と記録) を削除してから書き込む")
      .addOption(new Option("--through-checks", `受診ごとに実際の資格確認 (カードリーダー・個別照会) を通して記録する (${MAX_THROUGH_CHECKS.toLocaleString("ja-JP")} 件まで)`).conflicts("totals"))
      .option("--totals", `施設・月ごとの合計を直接書き込む (資格確認 ${AUTO_THROUGH_CHECKS.toLocaleString("ja-JP")} 件を超える計画の既定)`)
      .option("--json", "結果を JSON で標準出力に書く (進捗表示なし)"),
  ).action(async (flags: SimulateFlags) => {
    let options: SimulateOptions;
    try {
      options = simulateOptions(flags);
    } catch (error) {
      throw inputError(error);
    }
    // Small plans go through the check code unless --totals; large ones are written as totals unless --through-checks (refused over the limit).
    const checks = expectedChecks(options);
    if (flags.throughChecks && checks > MAX_THROUGH_CHECKS) {
      throw inputError(new OqsError("E8927", `--through-checks: ${checks.toLocaleString("ja-JP")} 件 (上限 ${MAX_THROUGH_CHECKS.toLocaleString("ja-JP")} 件)`));
    }
    const throughChecks = flags.throughChecks === true || (flags.totals !== true && checks <= AUTO_THROUGH_CHECKS);
    const database = databaseOptions(flags, cli.io.env);
    const db = await openMigrated(database);
    const progress = throughChecks
      ? progressReporter(cli, checks, !flags.json, "件")
      : progressReporter(cli, options.facilities * monthsBetween(options.from, options.to).length, !flags.json, "施設月");
    let summary: SimulateSummary;
    try {
      summary = await (throughChecks ? simulateThroughChecks : simulateNation)(db, options, progress.update);
    } catch (error) {
      if (!(error instanceof OqsError)) throw error;
      cli.warn(`エラー: ${error.code} ${error.message}`);
      cli.exitCode = EXIT.refused;
      return;
    } finally {
      progress.stop();
      await db.close();
    }
    if (flags.json) {
      cli.print(JSON.stringify(summary, null, 2));
      return;
    }
    cli.print(`${describeDatabase(database)} に模擬データを書き込みました (seed ${summary.seed}、${summary.from}〜${summary.to}、${summary.seconds} 秒)`);
    cli.print(`  医療機関 ${FACILITY_KINDS.map((k) => `${FACILITY_KIND_LABELS[k]} ${summary.facilities[k].toLocaleString("ja-JP")}`).join("、")}`);
    cli.print(`  書き方 ${summary.way === "totals" ? "施設・月ごとの合計" : "受診ごとに資格確認を通して"}`);
    cli.print(`  行数 ${Object.entries(summary.rows).map(([table, n]) => `${table} ${n.toLocaleString("ja-JP")}`).join("、")}`);
    if (summary.replaced > 0) cli.print(`  置き換えた模擬の医療機関 ${summary.replaced.toLocaleString("ja-JP")}`);
    cli.print("");
    cli.print(fitTable(summary.fit));
  });
}

/** The fit as a table: 診療月, the published rate and its source (or the months interpolated between), the simulated rate, the difference. */
export function fitTable(fit: readonly MonthFit[]): string {
  const lines = ["診療月   公表値   模擬     差 (pt)  出典"];
  for (const f of fit) {
    const published = f.published === null ? `(${f.target.toFixed(2)}%)` : `${f.published.toFixed(2)}%`;
    const simulated = f.simulated.denominator === 0 ? "不明" : percentText(f.simulated);
    const difference = Number.isFinite(f.difference) ? `${f.difference >= 0 ? "+" : ""}${f.difference.toFixed(2)}` : "-";
    const source = f.source === null ? `${f.interpolatedBetween?.join(" と ")} の間を補間 (公表値なし)` : `${f.source} [${f.status}]`;
    lines.push(`${f.month}  ${published.padEnd(8)} ${simulated.padEnd(8)} ${difference.padEnd(8)} ${source}`);
  }
  return lines.join("\n");
}

/** The flags as the writer's options, or the OqsError of the first bad one (E8920–E8924, E8927). */
export function simulateOptions(flags: Pick<SimulateFlags, "facilities" | "from" | "to" | "seed" | "volume" | "replace">): SimulateOptions {
  const from = month(flags.from, "--from");
  const to = month(flags.to, "--to");
  if (from > to) throw new OqsError("E8921", `--from ${from} --to ${to}`);
  for (const [value, flag] of [[from, "--from"], [to, "--to"]] as const) {
    if (value < FIRST_SIMULATED_MONTH || value > LAST_SIMULATED_MONTH) throw new OqsError("E8922", `${flag} ${value}`);
  }
  const facilities = Number(flags.facilities);
  if (!/^\d+$/.test(flags.facilities) || facilities < 1 || facilities > MAX_SIMULATED_FACILITIES) throw new OqsError("E8923", `--facilities ${flags.facilities}`);
  const seed = Number(flags.seed);
  if (!/^\d+$/.test(flags.seed) || seed > 0xffffffff) throw new OqsError("E8924", `--seed ${flags.seed}`);
  const volume = Number(flags.volume);
  if (!/^\d+(\.\d+)?$/.test(flags.volume) || !(volume > 0 && volume <= 1)) throw new OqsError("E8927", `--volume ${flags.volume}`);
  return { facilities, from, to, seed, volume, replace: flags.replace === true };
}

function month(value: string, flag: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new OqsError("E8920", `${flag} ${value}`);
  return value;
}
