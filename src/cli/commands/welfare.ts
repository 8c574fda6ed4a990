// `onshi welfare issue|credential`: the 福祉事務所's side of 医療扶助. `issue` records a 医療券
// (調剤券 at a pharmacy) for a recipient and a facility, 3 to 30 days before the visit, as the
// route /onshi-api/welfare/medical-tickets does; `credential` gives the office its credential for
// that route. Both run through the server holding the data folder when there is one.
import type { Command } from "commander";
import { checkOfficeNumber, checkTicketRequest, type TicketRequest } from "../../services/welfare.ts";
import { adminNow, inputError, runRoutedAdmin, withAdminFlags, type AdminFlags } from "../admin-command.ts";
import { examples } from "../help.ts";
import { usageError, type CliRun } from "../io.ts";

/** Checks what needs no database, so that a bad flag is a usage error (exit 2). */
function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw inputError(error);
  }
}

function amount(value: string): number {
  const yen = Number(value.normalize("NFKC"));
  if (!/^[0-9０-９]+$/.test(value)) throw usageError(`--self-pay が不正です (0 以上の整数, 円): ${value}`);
  return yen;
}

type IssueFlags = AdminFlags & { office: string; recipient: string; facility: string; visit: string; type?: string; injury?: string[]; selfPay?: string };

export function registerWelfare(program: Command, cli: CliRun) {
  const welfare = program
    .command("welfare")
    .description("医療扶助 (生活保護): 福祉事務所として医療券・調剤券を登録する")
    .addHelpText(
      "after",
      examples("onshi welfare issue --office 12131017 --recipient 1000017 --facility 1310000001 --visit 2026-04-10", "onshi welfare credential --office 12131017"),
    );

  withAdminFlags(
    welfare
      .command("issue")
      .description("受給者と医療機関の医療券 (薬局は調剤券) を登録する。受診日は今日 (日本時間) の3〜30日後。有効期間は受診日から診療年月の末日まで")
      .requiredOption("--office <number>", "福祉事務所の公費負担者番号 (法別番号 12 の8桁)")
      .requiredOption("--recipient <number>", "受給者番号 (7桁)")
      .requiredOption("--facility <code>", "医療機関コード (10桁)")
      .requiredOption("--visit <date>", "受診日 (YYYY-MM-DD)")
      .option("--type <type>", "診療別: inpatient (入院), outpatient (入院外), dental (歯科), dispensing (調剤)。省略時は医療機関の種別による")
      .option("--injury <name...>", "傷病名 (3つまで)")
      .option("--self-pay <yen>", "本人支払額 (円, 省略時 0)")
      .addHelpText(
        "after",
        examples(
          "onshi welfare issue --office 12131017 --recipient 1000017 --facility 1310000001 --visit 2026-04-10",
          "onshi welfare issue --office 12131017 --recipient 1000017 --facility 1310000001 --visit 2026-04-10 --type inpatient --injury 肺炎 --json",
        ),
      ),
  ).action(async (flags: IssueFlags) => {
    const request = {
      recipientNumber: flags.recipient,
      facilityCode: flags.facility,
      visitDate: flags.visit,
      ...(flags.type === undefined ? {} : { treatmentType: flags.type as TicketRequest["treatmentType"] }),
      ...(flags.injury === undefined ? {} : { injuryNames: flags.injury }),
      ...(flags.selfPay === undefined ? {} : { selfPayAmount: amount(flags.selfPay) }),
    };
    checked(() => [checkOfficeNumber(flags.office), checkTicketRequest(request)]);
    await runRoutedAdmin(cli, flags, "welfare.issue", { now: adminNow(flags), office: flags.office, ...request }, (t) =>
      [
        `${t.ticketType}を登録しました: 交付番号 ${t.issueNumber}`,
        `  受給者番号 ${t.recipientNumber}  医療機関 ${t.facilityCode}  診療別 ${t.treatmentType}`,
        `  診療年月 ${t.treatmentMonth}  有効期間 ${t.validFrom} 〜 ${t.validTo}  本人支払額 ${t.selfPayAmount} 円`,
        ...(t.injuryNames.length > 0 ? [`  傷病名 ${t.injuryNames.join("、")}`] : []),
      ].join("\n"),
    );
  });

  withAdminFlags(
    welfare
      .command("credential")
      .description("福祉事務所の医療券登録 (/onshi-api/welfare/medical-tickets) の認証情報を発行する (以前のものは使えなくなる)")
      .requiredOption("--office <number>", "福祉事務所の公費負担者番号 (法別番号 12 の8桁)")
      .option("--credential <text>", "認証情報 (空白を含まない 12〜128 文字。省略すると生成して1度だけ表示する)")
      .addHelpText("after", examples("onshi welfare credential --office 12131017", "onshi welfare credential --office 12131017 --credential my-office-secret-1")),
  ).action(async (flags: AdminFlags & { office: string; credential?: string }) => {
    checked(() => checkOfficeNumber(flags.office));
    await runRoutedAdmin(cli, flags, "welfare.credential", { office: flags.office, ...(flags.credential === undefined ? {} : { credential: flags.credential }) }, (r) =>
      r.credential === undefined ? `認証情報を設定しました: ${r.office}` : `認証情報を発行しました: ${r.office}\n  認証情報 ${r.credential}  (この1度だけ表示します)`,
    );
  });
}
