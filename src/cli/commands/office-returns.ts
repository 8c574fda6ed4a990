// `onshi office returns cancel|order|pay|sweep|statement`: cancellation (第10), return (第11) and
// 延滞金 (第12) from the command line (docs/subsidy-office.md 「取消し・返還・延滞金」), through the
// same services as the office's routes; `onshi office act` leaves these actions to them, since
// their amounts and 台帳 entries come from the return calculators.
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import type { Db } from "../../db/client.ts";
import { actorOf, idempotent, type CaseActor } from "../../services/subsidy-office.ts";
import { returnStatementPdf } from "../../services/subsidy-return-pdf.ts";
import { cancelDecision, orderReturn, recordReturnPayment, returnStatement, sweepOverdueReturns, SYSTEM } from "../../services/subsidy-returns.ts";
import { dateInJapan, yenOrUnknown, yenText } from "../../subsidy/engine.ts";
import { runAdmin, withAdminFlags, type AdminFlags } from "../admin-command.ts";
import { examples } from "../help.ts";
import type { CliRun } from "../io.ts";
import { caseLine, loginOf, wholeNumber, withActorFlags, type ActorFlags } from "./office-cases.ts";

type WriteFlags = ActorFlags & { case: string; expectedVersion?: string };

export function registerOfficeReturns(office: Command, cli: CliRun) {
  const returns = office
    .command("returns")
    .description("交付決定の取消し (第10)・返還命令 (第11)・納付と延滞金 (第12)・明細")
    .addHelpText("after", examples("onshi office returns sweep", "onshi office returns statement --facility 1310100019"));

  /** Runs one write as the flags' actor, once per --key when one is given. */
  const write = <T>(flags: WriteFlags, op: string, request: unknown, run: (tx: Db, actor: CaseActor, now: Date, caseId: number) => Promise<T>, describe: (answer: T) => string) => {
    const login = loginOf(flags);
    const caseId = wholeNumber(flags.case, "--case")!;
    return runAdmin(
      cli,
      flags,
      async (db, now) => {
        const actor = await actorOf(db, login);
        const once = async (tx: Db) => ({ status: 200, body: await run(tx, actor, now, caseId) });
        return (flags.key === undefined ? await once(db) : await idempotent(db, actor, flags.key, { op, caseId, request }, now, once)).body;
      },
      describe,
    );
  };

  withActorFlags(
    returns
      .command("cancel")
      .description("交付決定を取り消す (第10)。--yen・--readers を指定すると一部、なければ全部 (残っている部分)")
      .requiredOption("--case <id>", "【必須】案件番号")
      .requiredOption("--reason <text>", "【必須】取消しの理由")
      .option("--yen <yen>", "一部の取消し: 取り消す金額 (円)")
      .option("--readers <n>", "一部の取消し: 取り消す台数")
      .option("--expected-version <n>", "見ていた案件の版 (E9505)")
      .addHelpText("after", examples("onshi office returns cancel --office shiharai1 --case 12 --yen 300000 --reason 補助対象外の機器")),
  ).action(async (flags: WriteFlags & { reason: string; yen?: string; readers?: string }) => {
    const yen = wholeNumber(flags.yen, "--yen");
    const readers = wholeNumber(flags.readers, "--readers");
    const request = { whole: yen === undefined && readers === undefined, yen, readers, ground: flags.reason, expectedVersion: wholeNumber(flags.expectedVersion, "--expected-version") };
    await write(flags, "cancel", request, (tx, actor, now, caseId) => cancelDecision(tx, caseId, actor, request, now), (c) => `取り消しました: ${caseLine(c)}`);
  });

  withActorFlags(
    returns
      .command("order")
      .description("返還を命じる (第11): 支払後に取り消した補助金と、カードリーダーの減価償却 (5年) 後の残額")
      .requiredOption("--case <id>", "【必須】案件番号")
      .requiredOption("--deadline <date>", "【必須】返還の期限 (YYYY-MM-DD)")
      .requiredOption("--reason <text>", "【必須】返還命令の理由")
      .option("--reader-cost <yen>", "カードリーダー1台の提供に要した費用相当額 (取り消した部分に台数があるとき必須)")
      .option("--expected-version <n>", "見ていた案件の版 (E9505)")
      .addHelpText("after", examples("onshi office returns order --office shiharai1 --case 12 --deadline 2026-06-30 --reader-cost 99000 --reason 第10による取消し")),
  ).action(async (flags: WriteFlags & { deadline: string; reason: string; readerCost?: string }) => {
    const request = { deadline: flags.deadline, readerCost: wholeNumber(flags.readerCost, "--reader-cost"), ground: flags.reason, expectedVersion: wholeNumber(flags.expectedVersion, "--expected-version") };
    await write(flags, "order", request, (tx, actor, now, caseId) => orderReturn(tx, caseId, actor, request, now), (a) =>
      [`返還を命じました: ${caseLine(a.case)}`, `期限 ${a.order.deadline}  補助金 ${yenText(a.order.subsidyYen)} + カードリーダー ${yenText(a.order.readerYen)} = ${yenText(a.amounts.total)}`, ...a.amounts.reasons.map((r) => `  ${r}`)].join("\n"),
    );
  });

  withActorFlags(
    returns
      .command("pay")
      .description("返還の納付を記録する。期限までに全額なら返還済、期限後は延滞金へ先に充当 (第12 3)、延滞金も含め全額で完済")
      .requiredOption("--case <id>", "【必須】案件番号")
      .requiredOption("--paid-on <date>", "【必須】納付の日 (YYYY-MM-DD)")
      .requiredOption("--yen <yen>", "【必須】納付額 (円)")
      .addHelpText("after", examples("onshi office returns pay --office shiharai1 --case 12 --paid-on 2026-06-30 --yen 381200 --key pay-12-1")),
  ).action(async (flags: WriteFlags & { paidOn: string; yen: string }) => {
    const request = { paidOn: flags.paidOn, yen: wholeNumber(flags.yen, "--yen")! };
    await write(flags, "pay", request, (tx, actor, now, caseId) => recordReturnPayment(tx, caseId, actor, request, now), (a) =>
      `記録しました: ${caseLine(a.case)}\n${a.balance.at} 時点: 未返還 ${yenText(a.balance.principalOutstanding)}、未納の延滞金 ${yenOrUnknown(a.balance.interestDue)}`,
    );
  });

  withAdminFlags(
    returns
      .command("sweep")
      .description("期限までに返還されなかった案件を延滞中にする (システムとして。何度実行しても同じ)")
      .option("--on <date>", "判定する日 (YYYY-MM-DD, 既定: 今日)")
      .addHelpText("after", examples("onshi office returns sweep", "onshi office returns sweep --on 2026-07-01 --json")),
  ).action(async (flags: AdminFlags & { on?: string }) => {
    await runAdmin(
      cli,
      flags,
      async (db, now) => {
        const day = flags.on ?? dateInJapan(now);
        return { day, moved: await sweepOverdueReturns(db, day, now), by: SYSTEM.name };
      },
      (a) => (a.moved.length === 0 ? `${a.day}: 延滞中になった案件はありません。` : `${a.day}: 延滞中にしました: ${a.moved.map((id) => `#${id}`).join(", ")}`),
    );
  });

  withAdminFlags(
    returns
      .command("statement")
      .description("医療機関の取消し・返還・延滞金の明細 (--out で PDF)")
      .requiredOption("--facility <code>", "【必須】医療機関コード")
      .option("--at <date>", "残高を示す日 (YYYY-MM-DD, 既定: 今日)")
      .option("--out <file>", "PDF をこのファイルに書く")
      .addHelpText("after", examples("onshi office returns statement --facility 1310100019 --at 2026-07-01 --out statement.pdf")),
  ).action(async (flags: AdminFlags & { facility: string; at?: string; out?: string }) => {
    await runAdmin(
      cli,
      flags,
      async (db, now) => {
        const statement = await returnStatement(db, flags.facility, flags.at ?? dateInJapan(now));
        if (flags.out !== undefined) await writeFile(flags.out, await returnStatementPdf(statement));
        return statement;
      },
      (s) =>
        [
          `${s.facility.name} (${s.facility.code})  ${s.at} 現在`,
          `返還を命じた額 ${yenText(s.totals.ordered)}  納付済み ${yenText(s.totals.paid)}  未返還 ${yenText(s.totals.principalOutstanding)}  未納の延滞金 ${yenOrUnknown(s.totals.interestDue)}`,
          ...s.cases.map((c) => `#${c.caseId}  ${c.program}  ${c.stateLabel}${c.order ? `  期限 ${c.order.deadline}  ${yenText(c.order.total)}` : ""}${c.balance ? `  未返還 ${yenText(c.balance.principalOutstanding)}  延滞金 ${yenOrUnknown(c.balance.interestDue)}` : ""}`),
          ...(flags.out !== undefined ? [`PDF: ${flags.out}`] : []),
        ].join("\n"),
    );
  });
}
