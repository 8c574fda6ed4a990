// `onshi check`: 個別照会 from the command line, answered by the same core as the WebAPI.
import type { Command } from "commander";
import { Option } from "commander";
import { readFile } from "node:fs/promises";
import { clockFrom, type Clock } from "../../clock.ts";
import { treeToJson } from "../../codec/json.ts";
import { encodeXml } from "../../codec/xml.ts";
import { databaseOptions } from "../../config.ts";
import { jstDate } from "../../domain/dates.ts";
import { compact, isTree, type XmlTree } from "../../oqs/message-tree.ts";
import { perform } from "../folder-server.ts";
import { examples } from "../help.ts";
import { withDatabaseFlags } from "../options.ts";
import { EXIT, usageError, type CliRun } from "../io.ts";
import { describeAnswer } from "./check-summary.ts";

interface CheckFlags {
  request?: string;
  insurer?: string;
  symbol?: string;
  number?: string;
  branch?: string;
  birthdate?: string;
  date?: string;
  facility?: string;
  limitConsent?: boolean;
  json?: boolean;
  xml?: boolean;
  charset: "utf-8" | "shift_jis";
  now?: string;
  demo?: boolean;
  dataDir?: string;
  memory?: boolean;
}

export function registerCheck(program: Command, cli: CliRun) {
  withDatabaseFlags(
    program
      .command("check")
      .description("個別照会 (被保険者証の記号番号等による資格確認) を行う。検索条件は --facility, --insurer, --number, --birthdate (と --symbol, --branch) か --request のファイル")
      .addHelpText(
        "after",
        examples(
          "onshi check --demo --facility 1310100019 --insurer 06131015 --symbol 700 --number 8002 --branch 00 --birthdate 19680229 --date 20260401",
          "onshi check --request OQSsiquc01req_202604010001.xml --json",
        ),
      )
      .option("--request <file>", "要求ファイル (OQSsiquc01req の XML、または WebAPI と同じ JSON) で照会する")
      .option("--insurer <number>", "保険者番号")
      .option("--symbol <symbol>", "被保険者証記号")
      .option("--number <number>", "被保険者証番号")
      .option("--branch <branch>", "枝番 (2桁)")
      .option("--birthdate <yyyymmdd>", "生年月日")
      .option("--date <yyyymmdd>", "資格を確認する日付 (既定: 今日)")
      .option("--facility <code>", "照会する医療機関コード")
      .option("--limit-consent", "限度額適用認定証関連情報の提供に同意あり")
      .option("--json", "応答を WebAPI と同じ JSON で出力する")
      .option("--xml", "応答を XML で出力する")
      .addOption(new Option("--charset <charset>", "--xml の文字コード").choices(["utf-8", "shift_jis"]).default("utf-8"))
      .option("--now <datetime>", "この日時を現在として扱う")
      .option("--demo", "デモデータ (README の人物と医療機関) が無ければ読み込んでから照会する"),
  ).action(async (flags: CheckFlags) => {
    const now = clockFrom(flags.now);
    const request = flags.request ? await readRequestFile(flags.request) : { tree: requestFromFlags(flags, now) };
    const characterCode = flags.xml && flags.charset === "shift_jis" ? "1" : "0";
    const input = { now: now().toISOString(), characterCode, demo: Boolean(flags.demo), request } as const;
    // Through the server holding the data folder when there is one (services/admin-operations.ts).
    const answer = await perform(cli, databaseOptions(flags, cli.io.env), "check", input);
    if (answer.cause) cli.warn(answer.cause);
    const message = answer.message as XmlTree;
    const header = isTree(message.XmlMsg) && isTree(message.XmlMsg.MessageHeader) ? message.XmlMsg.MessageHeader : {};
    if (answer.failedAt === "decode") cli.warn(`要求ファイルの形式が不正です: ${flags.request}: ${header.ErrorMessage} ${answer.detail}`);
    if (flags.xml) cli.io.stdout.write(encodeXml(message, characterCode === "1" ? "Shift_JIS" : "UTF-8"));
    else if (flags.json) cli.print(JSON.stringify(treeToJson(message), null, 2));
    else cli.print(describeAnswer(message));
    const body = isTree(message.XmlMsg) ? message.XmlMsg.MessageBody : undefined;
    const personError = isTree(body) && body.ProcessingResultStatus === "2";
    if (answer.error || personError) cli.exitCode = EXIT.refused;
  });
}

function requestFromFlags(flags: CheckFlags, now: Clock): XmlTree {
  const missing = (["facility", "insurer", "number", "birthdate"] as const).filter((name) => !flags[name]);
  if (missing.length > 0) {
    throw usageError(`--request か、検索条件 ${missing.map((m) => `--${m}`).join(", ")} を指定してください。`);
  }
  return {
    XmlMsg: {
      MessageHeader: compact({
        QualificationConfirmationDate: flags.date ?? jstDate(now()),
        MedicalInstitutionCode: flags.facility,
      }),
      MessageBody: {
        QualificationConfirmSearchInfo: compact({
          InsurerNumber: flags.insurer,
          InsuredCardSymbol: flags.symbol,
          InsuredIdentificationNumber: flags.number,
          InsuredBranchNumber: flags.branch,
          Birthdate: flags.birthdate,
          LimitApplicationCertificateRelatedConsFlg: flags.limitConsent ? "1" : "0",
        }),
      },
    },
  };
}

/** A request file as JSON (by its first byte) or XML, read as the folder gateway reads it (by its declaration). */
async function readRequestFile(path: string): Promise<{ jsonText: string } | { xmlBase64: string }> {
  const bytes = await readFile(path).catch(() => {
    throw usageError(`要求ファイルを読めません: ${path}`);
  });
  return bytes.subarray(0, 1).toString() === "{" ? { jsonText: bytes.toString("utf8") } : { xmlBase64: bytes.toString("base64") };
}
