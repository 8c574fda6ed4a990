// `onshi office vendor register|list` and `onshi office batch`: a 取りまとめ者 registers the
// facilities it will apply for (第8 3) and sends a batch of applications (CSV or JSON Lines), from
// the command line as an office account (--office), on the local data folder or DATABASE_URL
// (docs/subsidy-office.md 「取りまとめ者の一括申請」).
import { readFile } from "node:fs/promises";
import { Option, type Command } from "commander";
import type { Db } from "../../db/client.ts";
import { OqsError } from "../../errors/catalogue.ts";
import { submitBatch, submitBatchOnce, type BatchAnswer } from "../../services/office-batch.ts";
import { registerVendorFacilities, vendorFacilities, type Registration } from "../../services/office-vendor.ts";
import { actorOf, type CaseActor } from "../../services/subsidy-office.ts";
import { BATCH_FORMATS, BATCH_MODES, MAX_BATCH_BYTES, type BatchFormat, type BatchMode } from "../../subsidy/batch-lines.ts";
import { inputError, runAdmin, withAdminFlags, type AdminFlags } from "../admin-command.ts";
import { examples } from "../help.ts";
import { usageError, type CliRun } from "../io.ts";

type VendorFlags = AdminFlags & { office: string };

/** The vendor account named by --office: E9654 none (the cases' answer), E9531 an examiner's. */
async function vendorOf(db: Db, login: string): Promise<CaseActor & { accountId: number }> {
  const actor = await actorOf(db, { office: login });
  if (actor.role !== "vendor" || actor.accountId === null) throw new OqsError("E9531", login);
  return { ...actor, accountId: actor.accountId };
}

async function readText(path: string): Promise<string> {
  try {
    const text = await readFile(path, "utf8");
    if (Buffer.byteLength(text) > MAX_BATCH_BYTES) throw inputError(new OqsError("E1011", path));
    return text;
  } catch (error) {
    if (!(error instanceof Error && "code" in error)) throw error;
    throw inputError(new OqsError("E9101", path));
  }
}

const registrationText = (r: Registration) =>
  [
    `登録しました: ${r.registered.length} 件、登録済み: ${r.already.length} 件、登録できません: ${r.refused.length} 件`,
    ...r.refused.map((e) => `  ${e.line} 件目  ${e.code} ${e.message}`),
  ].join("\n");

const OUTCOMES = { accepted: "すべて受け付けました", partly_accepted: "一部を受け付けました", refused: "1件も受け付けていません" } as const;

function batchText(b: BatchAnswer): string {
  return [
    `一括申請 #${b.batchId} (${b.format}, ${b.mode}): ${OUTCOMES[b.outcome]}。${b.lines} 行、受付 ${b.accepted} 件、誤り ${b.errors.length} 行`,
    ...b.errors.map((e) => `  ${e.line} 行目  ${e.field}  ${e.code} ${e.message}`),
    ...b.cases.map((c) => `  ${c.line} 行目  案件 #${c.caseId}  ${c.facilityCode}  ${c.program}`),
  ].join("\n");
}

export function registerOfficeVendor(office: Command, cli: CliRun) {
  const vendor = office
    .command("vendor")
    .description("取りまとめ者が申請する医療機関等の事前登録 (実施要領 第8 3)")
    .addHelpText("after", examples("onshi office vendor register --office vendor1 1310100019 1310100027", "onshi office vendor list --office vendor1"));

  withAdminFlags(
    vendor
      .command("register")
      .description("医療機関コードを取りまとめ者の申請先として登録する (登録済みのものはそのまま)")
      .argument("[codes...]", "医療機関コード")
      .requiredOption("--office <login>", "【必須】取りまとめ者のログインID")
      .option("--file <file>", "医療機関コードを1行に1つ書いたファイル")
      .addHelpText("after", examples("onshi office vendor register --office vendor1 1310100019", "onshi office vendor register --office vendor1 --file codes.txt --json")),
  ).action(async (codes: string[], flags: VendorFlags & { file?: string }) => {
    const all = [...codes, ...(flags.file === undefined ? [] : (await readText(flags.file)).split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== ""))];
    if (all.length === 0) throw usageError("医療機関コードを引数か --file で指定してください");
    await runAdmin(cli, flags, async (db, now) => registerVendorFacilities(db, (await vendorOf(db, flags.office)).accountId, all, now), registrationText, (r) => r.refused.length > 0);
  });

  withAdminFlags(
    vendor
      .command("list")
      .description("取りまとめ者が登録した医療機関等を表示する")
      .requiredOption("--office <login>", "【必須】取りまとめ者のログインID")
      .addHelpText("after", examples("onshi office vendor list --office vendor1 --json")),
  ).action(async (flags: VendorFlags) => {
    await runAdmin(
      cli,
      flags,
      async (db) => ({ facilities: await vendorFacilities(db, (await vendorOf(db, flags.office)).accountId) }),
      ({ facilities }) => (facilities.length === 0 ? "登録した医療機関等はありません。onshi office vendor register で登録できます。" : facilities.map((f) => `${f.code}  ${f.name}  ${f.kind}`).join("\n")),
    );
  });

  withAdminFlags(
    office
      .command("batch")
      .description("取りまとめ者の一括申請 (CSV または JSON Lines、1行に1件)。申請日は今日 (日本時間)")
      .argument("<file>", "一括申請のファイル (.csv は CSV、それ以外は JSON Lines)")
      .requiredOption("--office <login>", "【必須】取りまとめ者のログインID")
      .addOption(new Option("--mode <mode>", "partial: 正しい行だけ受け付ける、all_or_nothing: 誤りが1行でもあれば1件も受け付けない").choices(BATCH_MODES).default("partial"))
      .addOption(new Option("--format <format>", "ファイルの形式 (既定: 拡張子から)").choices(BATCH_FORMATS))
      .option("--key <key>", "Idempotency-Key: 同じキーで同じファイルを送り直しても一度だけ受け付ける")
      .addHelpText(
        "after",
        examples("onshi office batch --office vendor1 applications.jsonl", "onshi office batch --office vendor1 applications.csv --mode all_or_nothing --key 2025-07-01-a --json") +
          "\n\n終了コード: 0 すべて受け付けた, 1 誤りのある行があった (または拒否), 2 使い方・入力の誤り",
      ),
  ).action(async (file: string, flags: VendorFlags & { mode: BatchMode; format?: BatchFormat; key?: string }) => {
    const text = await readText(file);
    const format = flags.format ?? (file.toLowerCase().endsWith(".csv") ? "csv" : "jsonl");
    await runAdmin(
      cli,
      flags,
      async (db, now) => {
        const actor = await vendorOf(db, flags.office);
        if (flags.key === undefined) return db.transaction((tx) => submitBatch(tx, actor, text, format, flags.mode, now));
        return (await submitBatchOnce(db, actor, flags.key, text, format, flags.mode, now)).body;
      },
      batchText,
      (b) => b.errors.length > 0,
    );
  });
}
