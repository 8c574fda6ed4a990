// `onshi disaster declare|extend|end|list`: 厚生労働省保険局's side of disaster mode. The operator
// names themself with --by (kept with the declaration and each change); facilities never reach
// these. Each runs through the server holding the data folder when there is one, as `cards` does.
import type { Command } from "commander";
import { jstTimestamp } from "../../domain/dates.ts";
import { readDeclaration, readJstTime, readOperator, type DeclarationView } from "../../services/disaster.ts";
import { adminNow, inputError, runRoutedAdmin, withAdminFlags, type AdminFlags } from "../admin-command.ts";
import { examples } from "../help.ts";
import { usageError, type CliRun } from "../io.ts";

/** Checks what needs no database, so that a bad flag is a usage error (exit 2). */
function checked(check: () => unknown): void {
  try {
    check();
  } catch (error) {
    throw inputError(error);
  }
}

function declarationId(value: string): number {
  const id = Number(value.normalize("NFKC"));
  if (!Number.isSafeInteger(id) || id <= 0) throw usageError(`宣言の番号が不正です: ${value}`);
  return id;
}

const jst = (iso: string) => jstTimestamp(new Date(iso)).replace(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})\d{2}$/, "$1-$2-$3 $4:$5");

function status(d: DeclarationView, now: Date): string {
  if (now < new Date(d.startsAt)) return "開始前";
  return now < new Date(d.endsAt) ? "実施中" : "終了";
}

function describe(d: DeclarationView, now: Date): string {
  const lines = [
    `#${d.id}  ${d.name}  [${status(d, now)}]`,
    `  期間: ${jst(d.startsAt)} 〜 ${jst(d.endsAt)} (日本時間, 終了時刻を含まない)`,
    `  市区町村: ${d.municipalities.map((m) => `${m.name} (${m.code})`).join(", ")}`,
    `  宣言: ${jst(d.declaredAt)} ${d.declaredBy}`,
    ...d.changes.map((c) => `  ${c.kind === "extend" ? "延長" : "終了"}: ${jst(c.changedAt)} ${c.changedBy} (終了 ${jst(c.previousEnd)} → ${jst(c.newEnd)})`),
  ];
  return lines.join("\n");
}

const BY = "操作する厚生労働省の担当者の氏名 (宣言と変更の記録に残る)";

export function registerDisaster(program: Command, cli: CliRun) {
  const disaster = program
    .command("disaster")
    .description("災害時医療情報閲覧: 厚生労働省保険局として災害を宣言・延長・終了する (対象の市区町村の医療機関等はカードなしで閲覧できる)")
    .addHelpText("after", examples("onshi disaster list", "onshi disaster declare --name 令和8年4月大雨 --municipalities 011002,012041 --from 2026-04-01 --to 2026-04-07 --by 山田"));

  withAdminFlags(
    disaster
      .command("declare")
      .description("災害を宣言する: 名称、対象の市区町村 (全国地方公共団体コード 6桁)、期間 (日本時間)")
      .requiredOption("--name <name>", "災害の名称")
      .requiredOption("--municipalities <codes>", "全国地方公共団体コード (6桁, カンマ区切り。指定都市のコードはその区すべてを含む)")
      .requiredOption("--from <datetime>", "開始 (YYYY-MM-DD はその日の 0:00, または YYYY-MM-DDTHH:MM)")
      .requiredOption("--to <datetime>", "終了 (YYYY-MM-DD はその日の終わりまで, または YYYY-MM-DDTHH:MM)")
      .requiredOption("--by <name>", BY)
      .addHelpText(
        "after",
        examples(
          "onshi disaster declare --name 令和8年4月大雨 --municipalities 011002,012041 --from 2026-04-01 --to 2026-04-07 --by 山田",
          "onshi disaster declare --name 台風 --municipalities 462012 --from 2026-09-01T12:00 --to 2026-09-07 --by 佐藤 --json",
        ),
      ),
  ).action(async (flags: AdminFlags & { name: string; municipalities: string; from: string; to: string; by: string }) => {
    const typed = { name: flags.name, municipalities: [flags.municipalities], from: flags.from, to: flags.to, by: flags.by };
    checked(() => readDeclaration(typed));
    const now = adminNow(flags);
    await runRoutedAdmin(cli, flags, "disaster.declare", { now, ...typed }, (d) => `宣言しました:\n${describe(d, new Date(now))}`);
  });

  withAdminFlags(
    disaster
      .command("extend <id>")
      .description("宣言の期間を延長する (終了前の宣言のみ。延長の履歴は残る)")
      .requiredOption("--to <datetime>", "新しい終了 (YYYY-MM-DD はその日の終わりまで, または YYYY-MM-DDTHH:MM)")
      .requiredOption("--by <name>", BY)
      .addHelpText("after", examples("onshi disaster extend 1 --to 2026-04-14 --by 山田")),
  ).action(async (id: string, flags: AdminFlags & { to: string; by: string }) => {
    const number = declarationId(id);
    checked(() => [readJstTime(flags.to, "end"), readOperator(flags.by)]);
    const now = adminNow(flags);
    await runRoutedAdmin(cli, flags, "disaster.extend", { now, id: number, to: flags.to, by: flags.by }, (d) => `延長しました:\n${describe(d, new Date(now))}`);
  });

  withAdminFlags(
    disaster
      .command("end <id>")
      .description("宣言を期間の途中で終了する (既定: 現在の日時で)")
      .requiredOption("--by <name>", BY)
      .option("--at <datetime>", "終了する日時 (YYYY-MM-DD はその日の 0:00, または YYYY-MM-DDTHH:MM)")
      .addHelpText("after", examples("onshi disaster end 1 --by 山田", "onshi disaster end 1 --by 山田 --at 2026-04-05T18:00")),
  ).action(async (id: string, flags: AdminFlags & { by: string; at?: string }) => {
    const number = declarationId(id);
    checked(() => [readOperator(flags.by), flags.at === undefined ? undefined : readJstTime(flags.at, "start")]);
    const now = adminNow(flags);
    await runRoutedAdmin(cli, flags, "disaster.end", { now, id: number, by: flags.by, at: flags.at }, (d) => `終了しました:\n${describe(d, new Date(now))}`);
  });

  withAdminFlags(
    disaster
      .command("list")
      .description("実施中・開始前の宣言の一覧 (--all で終了したものも。新しい順に最大100件)")
      .option("--all", "終了した宣言も表示する")
      .addHelpText("after", examples("onshi disaster list", "onshi disaster list --all --json")),
  ).action(async (flags: AdminFlags & { all?: boolean }) => {
    const now = adminNow(flags);
    await runRoutedAdmin(cli, flags, "disaster.list", { now, all: flags.all === true }, ({ declarations }) =>
      declarations.length === 0 ? "宣言はありません。" : declarations.map((d) => describe(d, new Date(now))).join("\n"),
    );
  });
}
