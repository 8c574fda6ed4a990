// `onshi subsidy calc PROFILE.json`: every subsidy program for one facility profile at a date,
// with the reason and the source of each yen. A readable table by default, JSON with --json.
// The profile is a file, a --batch file of them, or made from onshi's records: one facility's
// (--facility) or every facility's (--all-facilities, docs/usage.md 「施設プロフィール」).
// A bad profile, program id or date exits 2 with its E91xx code and the field or flag at fault; a
// facility not registered exits 1 with E8944, as `onshi usage rate`.
import type { Command } from "commander";
import { FACILITY_KIND_LABELS } from "../../domain/facility-code.ts";
import { calculate, dateInJapan, yenOrUnknown, type SubsidyOutput, type SubsidyResult } from "../../subsidy/engine.ts";
import { loadPrograms, PROGRAM_IDS } from "../../subsidy/program-data.ts";
import { isIsoDate, type FacilityProfile } from "../../subsidy/profile.ts";
import { databaseOptions } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import { openMigrated } from "../../db/open.ts";
import { OqsError } from "../../errors/catalogue.ts";
import { usageProfile } from "../../services/usage-profile.ts";
import { runAllFacilities } from "../subsidy/all-facilities.ts";
import { DEFAULT_JOBS, runBatch } from "../subsidy/batch.ts";
import { CalcInputError, readProfileFile } from "../subsidy/calc-input.ts";
import { describeTally } from "../subsidy/facility-summary.ts";
import { EXIT, usageError, type CliRun } from "../io.ts";
import { displayWidth, examples, padTo } from "../help.ts";
import { withDatabaseFlags } from "../options.ts";

const yen = yenOrUnknown;
/** The amount, or for an unknown one the floor when the program gives one ("951,000円以上"). */
const amountText = (r: SubsidyResult) =>
  r.amount === null && typeof r.details?.amountAtLeast === "number" ? `${yen(r.details.amountAtLeast)}以上` : yen(r.amount);
const verdict = (r: SubsidyResult) => (r.eligible === true ? "対象" : r.eligible === false ? "対象外" : "判定できない");

export function describeCalc(profile: FacilityProfile, output: SubsidyOutput): string {
  const lines = [`${profile.name ? `${profile.name} ` : ""}(${FACILITY_KIND_LABELS[profile.kind]})  基準日 ${output.at}`, ""];
  lines.push(`${padTo("プログラム", 26)} ${padTo("事業", 5)} ${padTo("判定", 12)} ${"金額".padStart(13)}`);
  for (const r of output.results) {
    lines.push(`${r.program.padEnd(26)} ${(r.project === undefined ? "-" : `#${r.project}`).padEnd(5)} ${padTo(verdict(r), 12)} ${" ".repeat(Math.max(0, 14 - displayWidth(amountText(r))))}${amountText(r)}`);
  }
  for (const r of output.results) {
    lines.push("", `■ ${r.program}${r.project === undefined ? "" : ` (projects[${r.project}])`}: ${verdict(r)} ${amountText(r)}`);
    lines.push("  理由:", ...r.reasons.map((s) => `    ${s}`));
    if (r.missing) lines.push("  不足している項目:", ...r.missing.map((s) => `    ${s}`));
    lines.push("  根拠:", ...r.sources.map((s) => `    ${s}`));
  }
  return lines.join("\n");
}

interface CalcFlags {
  batch?: string;
  facility?: string;
  allFacilities?: boolean;
  jobs?: string;
  at?: string;
  program?: string;
  json?: boolean;
  dataDir?: string;
  memory?: boolean;
}


async function withDatabase<T>(cli: CliRun, flags: CalcFlags, run: (db: Db) => Promise<T>): Promise<T> {
  const db = await openMigrated(databaseOptions(flags, cli.io.env));
  try {
    return await run(db);
  } finally {
    await db.close();
  }
}

export function registerSubsidyCalc(subsidy: Command, cli: CliRun): Command {
  return withDatabaseFlags(subsidy
    .command("calc")
    .description("施設プロフィール (JSON) から補助金・支援金の対象と金額を、理由と根拠つきで計算する")
    .argument("[profile]", "施設プロフィールのJSONファイル (src/subsidy/facility-profile.schema.json)")
    .option("--batch <file>", "1行に1つの施設プロフィールを書いた JSON Lines を計算し、1行に1つの結果を出力する")
    .option("--facility <code>", "データベースの記録から作った、この医療機関コードの施設プロフィールで計算する")
    .option("--all-facilities", "データベースのすべての施設を記録から作ったプロフィールで計算し、1行に1施設の JSON Lines と最後に集計を出力する")
    .option("--jobs <n>", `--batch / --all-facilities で並行して計算するワーカー数 (既定: CPUコア数 ${DEFAULT_JOBS}、0 はワーカーを使わない)`)
    .option("--at <date>", "基準日 (YYYY-MM-DD, 既定: 今日)")
    .option("--program <id>", `1つのプログラムだけ計算する (${PROGRAM_IDS.join(", ")})`)
    .option("--json", "JSON で出力する")
    .addHelpText(
      "after",
      examples(
        "onshi subsidy calc docs/examples/subsidy/clinic.json --at 2025-06-01              # 表と、理由・根拠",
        "onshi subsidy calc --batch profiles.jsonl --at 2023-02-01 > answers.jsonl       # 1行に1つの施設",
        "onshi subsidy calc --facility 1310100019 --at 2025-11-01                         # 記録から作ったプロフィールで",
        "onshi subsidy calc --all-facilities --at 2025-11-01 > answers.jsonl              # すべての施設と集計",
      ),
    ))
    .action(async (path: string | undefined, flags: CalcFlags) => {
      try {
        const at = flags.at ?? dateInJapan(new Date());
        if (!isIsoDate(at)) throw new CalcInputError("E9104", "--at", at);
        if (flags.program !== undefined && !(PROGRAM_IDS as readonly string[]).includes(flags.program)) {
          throw new CalcInputError("E9103", "--program", `${flags.program} (${PROGRAM_IDS.join(", ")})`);
        }
        const inputs = [path !== undefined, flags.batch !== undefined, flags.facility !== undefined, flags.allFacilities === true].filter(Boolean).length;
        if (inputs !== 1) {
          throw usageError("施設プロフィールのファイル、--batch <file>、--facility <code>、--all-facilities のどれか1つを指定してください");
        }
        const jobs = flags.jobs === undefined ? DEFAULT_JOBS : /^\d{1,3}$/.test(flags.jobs) ? Number(flags.jobs) : NaN;
        if (Number.isNaN(jobs)) throw usageError(`--jobs は0以上の整数で指定してください: ${flags.jobs}`);
        if (flags.batch !== undefined) {
          const { profiles, refused } = await runBatch(cli.io, flags.batch, at, flags.program, jobs);
          cli.warn(`${profiles} 件を計算しました${refused > 0 ? ` (うち ${refused} 件は不正な入力)` : ""}`);
          if (refused > 0) cli.exitCode = EXIT.usage;
          return;
        }
        if (flags.allFacilities) {
          const summary = await withDatabase(cli, flags, (db) => runAllFacilities(cli.io, db, at, flags.program, jobs));
          cli.warn(describeTally(summary.programs, summary.facilities, summary.at));
          return;
        }
        const profile = flags.facility !== undefined ? await withDatabase(cli, flags, (db) => usageProfile(db, flags.facility!, at)) : readProfileFile(path!);
        const output = calculate(profile, at, loadPrograms(), flags.program);
        cli.print(flags.json ? JSON.stringify(output, null, 2) : describeCalc(profile, output));
      } catch (error) {
        // A facility not registered is a refusal (exit 1), as `onshi usage rate` answers it.
        if (error instanceof OqsError && error.code === "E8944") {
          if (!flags.json) throw error;
          cli.print(JSON.stringify({ code: error.code, message: error.message, field: "--facility" }));
          cli.exitCode = EXIT.refused;
          return;
        }
        if (!(error instanceof CalcInputError)) throw error;
        if (flags.json) {
          cli.print(JSON.stringify({ code: error.code, message: error.message, field: error.field }));
          cli.exitCode = EXIT.usage;
          return;
        }
        throw usageError(`${error.code} ${error.message}`);
      }
    });
}
