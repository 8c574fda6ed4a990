// `onshi seed`: loads a deterministic synthetic population, with a progress bar on stderr.
import type { Command } from "commander";
import { Option } from "commander";
import { databaseOptions, describeDatabase } from "../../config.ts";
import { isIsoDate } from "../../seed/calendar.ts";
import type { SeedSummary } from "../../seed/load.ts";
import { DEFAULT_REFERENCE_DATE } from "../../seed/population.ts";
import { SEED_PERSONS_LIMIT } from "../../services/admin-operations.ts";
import { perform } from "../folder-server.ts";
import { examples } from "../help.ts";
import { progressReporter } from "../progress.ts";
import { withDatabaseFlags } from "../options.ts";
import { usageError, type CliRun } from "../io.ts";

interface SeedFlags {
  persons: string;
  seed: string;
  now?: string;
  json?: boolean;
  dataDir?: string;
  memory?: boolean;
}

export function registerSeed(program: Command, cli: CliRun) {
  withDatabaseFlags(
    program
      .command("seed")
      .description("合成した被保険者集団をデータベースに読み込む (同じ --seed と --now なら同じ内容)")
      .addHelpText(
        "after",
        examples("onshi seed --persons 1000 --seed 42          # 1,000 人を data/ の組み込みデータベースに", "DATABASE_URL=postgres://localhost/onshi onshi seed --json   # PostgreSQL に 10,000 人"),
      )
      .addOption(new Option("--persons <n>", "人数").default("10000"))
      .addOption(new Option("--seed <s>", "乱数の種 (0 以上の整数)").default("1"))
      .option("--now <date>", `集団の基準日 YYYY-MM-DD (既定: ${DEFAULT_REFERENCE_DATE})`)
      .option("--json", "結果を JSON で標準出力に書く (進捗表示なし)"),
  ).action(async (flags: SeedFlags) => {
    const persons = wholeNumber(flags.persons, "--persons");
    if (persons > SEED_PERSONS_LIMIT) throw usageError(`--persons は ${SEED_PERSONS_LIMIT.toLocaleString("ja-JP")} 人までです (何度かに分けて投入できます): ${flags.persons}`);
    const seed = wholeNumber(flags.seed, "--seed");
    const referenceDate = flags.now === undefined ? DEFAULT_REFERENCE_DATE : isoDate(flags.now);
    const options = databaseOptions(flags, cli.io.env);
    const progress = progressReporter(cli, persons, !flags.json, "人");
    let summary: SeedSummary;
    try {
      // Through the server holding the data folder when there is one (services/admin-operations.ts).
      summary = await perform(cli, options, "seed", { persons, seed, referenceDate }, progress.update);
    } finally {
      progress.stop();
    }
    if (flags.json) {
      cli.print(JSON.stringify({ ...summary, seed, referenceDate }));
      return;
    }
    const certificates = summary.elderlyCertificates + summary.limitCertificates + summary.specificDiseaseCertificates;
    cli.print(`${describeDatabase(options)} に投入しました (seed ${seed}、基準日 ${referenceDate}、${summary.seconds} 秒)`);
    cli.print(`  被保険者 ${summary.persons.toLocaleString("ja-JP")} 人 (person_id ${summary.firstPersonId} から)`);
    cli.print(`  資格 ${summary.qualifications.toLocaleString("ja-JP")} 件`);
    cli.print(
      `  証 ${certificates.toLocaleString("ja-JP")} 件 (高齢受給者証 ${summary.elderlyCertificates.toLocaleString("ja-JP")}、` +
        `限度額適用認定 ${summary.limitCertificates.toLocaleString("ja-JP")}、特定疾病 ${summary.specificDiseaseCertificates.toLocaleString("ja-JP")})`,
    );
    cli.print(`  医療費助成の受給者証 ${summary.subsidyCertificates.toLocaleString("ja-JP")} 件 (基準日に PMH に参加している自治体の分)`);
    cli.print(`  医療扶助の医療券・調剤券 ${summary.medicalTickets.toLocaleString("ja-JP")} 件 (基準日の受診の分)`);
  });
}

function wholeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw usageError(`${flag} には 0 以上の整数を指定してください: ${value}`);
  return n;
}

/** YYYY-MM-DD or YYYYMMDD, a real date. */
function isoDate(value: string): string {
  const iso = /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : value;
  if (!isIsoDate(iso)) throw usageError(`--now には日付を YYYY-MM-DD で指定してください: ${value}`);
  return iso;
}
