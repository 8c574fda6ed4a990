// `onshi usage profile --facility CODE [--at DATE] [--out FILE]`: the facility profile the subsidy
// engine takes, made from onshi's own records (docs/usage.md 「施設プロフィール」), as JSON on standard
// output or in a file — to read, or to complete with the facts onshi does not hold and give to
// `onshi subsidy calc`. A bad --at exits 2 with E9104; a facility not registered exits 1 with E8944,
// as `onshi usage rate`.
import type { Command } from "commander";
import { writeFile } from "node:fs/promises";
import { databaseOptions } from "../../config.ts";
import { openMigrated } from "../../db/open.ts";
import { errorMessage } from "../../errors/catalogue.ts";
import { usageProfile } from "../../services/usage-profile.ts";
import { dateInJapan } from "../../subsidy/engine.ts";
import { isIsoDate } from "../../subsidy/profile.ts";
import { examples } from "../help.ts";
import { usageError, type CliRun } from "../io.ts";
import { withDatabaseFlags } from "../options.ts";

interface ProfileFlags {
  facility: string;
  at?: string;
  out?: string;
  dataDir?: string;
  memory?: boolean;
}

export function registerUsageProfile(usage: Command, cli: CliRun): Command {
  return withDatabaseFlags(
    usage
      .command("profile")
      .description("記録から、補助金の計算 (onshi subsidy calc) に使う施設プロフィールの JSON を作る")
      .requiredOption("--facility <code>", "医療機関コード")
      .option("--at <date>", "基準日 (YYYY-MM-DD, 既定: 今日)。2023年10月からこの日の前月までの月を入れる")
      .option("--out <file>", "書き出すファイル (省略すると標準出力)")
      .addHelpText(
        "after",
        examples(
          "onshi usage profile --facility 1310100019 --at 2025-11-01 --out profile.json",
          "onshi subsidy calc profile.json --at 2025-11-01",
        ),
      ),
  ).action(async (flags: ProfileFlags) => {
    const at = flags.at ?? dateInJapan(new Date());
    if (!isIsoDate(at)) throw usageError(`E9104 ${errorMessage("E9104", `--at: ${at}`)}`);
    const db = await openMigrated(databaseOptions(flags, cli.io.env));
    let text: string;
    try {
      text = `${JSON.stringify(await usageProfile(db, flags.facility, at), null, 2)}\n`;
    } finally {
      await db.close();
    }
    if (flags.out === undefined) {
      cli.io.stdout.write(text);
      return;
    }
    try {
      await writeFile(flags.out, text);
    } catch (error) {
      throw usageError(`書き出せません: ${flags.out} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    cli.warn(`施設プロフィールを書き出しました: ${flags.out}`);
  });
}
