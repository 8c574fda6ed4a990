// `onshi office apply|show|act|periods`: the subsidy office's cases from the command line, acting
// as a facility's administrator (--facility and --staff), an office account (--office) or the
// system (--system), on the local data folder or DATABASE_URL (docs/subsidy-office.md).
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { OqsError } from "../../errors/catalogue.ts";
import { act, actorOf, apply, idempotent, listCases, resubmit, showCase, type ActorLogin, type SubsidyCase } from "../../services/subsidy-office.ts";
import { applicationPeriod, unknownLimits, type DatedLimit } from "../../subsidy/application-periods.ts";
import { CASE_KINDS, CASE_STATE_LABELS, type CaseKind } from "../../subsidy/case-states.ts";
import { dateInJapan, yenOrUnknown } from "../../subsidy/engine.ts";
import { PROGRAM_IDS, loadPrograms } from "../../subsidy/program-data.ts";
import { examAct, isExamAction, type ExamAction } from "../../services/subsidy-exam.ts";
import { inputError, runAdmin, withAdminFlags, type AdminFlags } from "../admin-command.ts";
import { examples } from "../help.ts";
import { usageError, type CliRun } from "../io.ts";
import { RETURN_ACTIONS } from "../../services/subsidy-returns.ts";

export type ActorFlags = AdminFlags & { facility?: string; staff?: string; office?: string; system?: boolean; key?: string };

export function withActorFlags(command: Command): Command {
  return withAdminFlags(
    command
      .option("--facility <code>", "医療機関コード (--staff と一緒に)")
      .option("--staff <login>", "その医療機関の管理者の職員アカウントとして操作する")
      .option("--office <login>", "補助金事務のアカウント (取りまとめ者・支払基金 審査担当) として操作する")
      .option("--system", "システムとして操作する (期限の経過による延滞など)")
      .option("--key <key>", "Idempotency-Key: 同じキーで同じ操作を繰り返しても一度だけ行う"),
  );
}

export function loginOf(flags: ActorFlags): ActorLogin {
  const given = [flags.staff !== undefined, flags.office !== undefined, flags.system === true].filter(Boolean).length;
  if (given !== 1) throw usageError("--staff (と --facility)、--office、--system のどれか一つを指定してください");
  if (flags.staff !== undefined) {
    if (flags.facility === undefined) throw usageError("--staff には --facility (医療機関コード) が必要です");
    return { staff: { facilityCode: flags.facility, loginId: flags.staff } };
  }
  return flags.office !== undefined ? { office: flags.office } : { system: true };
}

export function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw inputError(new OqsError("E9512", flag));
  return Number(value);
}

async function readProfile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch {
    throw inputError(new OqsError("E9101", path));
  }
}

const limitText = (l: DatedLimit | undefined) => (l === undefined ? "—" : (l.date ?? "公表されていない"));

export function caseLine(c: SubsidyCase): string {
  const amount = c.kind === "reader_request" ? `${c.decidedReaders ?? c.requestedReaders ?? "?"}台` : yenOrUnknown(c.decidedYen ?? c.requestedYen);
  return `#${c.caseId}  ${c.facilityCode}  ${c.program}  ${c.kind === "reader_request" ? "リーダー提供申請" : "補助金申請"}  ${CASE_STATE_LABELS[c.state]} (v${c.version})  ${amount}`;
}

export function registerOfficeCases(office: Command, cli: CliRun) {
  withActorFlags(
    office
      .command("apply")
      .description("補助金の交付申請 (または顔認証付きカードリーダーの提供申請) をする。申請日は今日 (日本時間)")
      .requiredOption("--profile <file>", "【必須】施設プロフィールの JSON (申請する事業を projects に一件)")
      .requiredOption("--program <id>", `【必須】制度: ${PROGRAM_IDS.join(", ")}`)
      .option("--kind <kind>", `application (補助金申請、既定) または reader_request (リーダー提供申請)`)
      .addHelpText(
        "after",
        examples(
          "onshi office apply --facility 1310100019 --staff kanri --program modification-2025 --profile profile.json",
          "onshi office apply --office vendor1 --facility 1310100019 --program fund-2020 --kind reader_request --profile profile.json",
        ),
      ),
  ).action(async (flags: ActorFlags & { profile: string; program: string; kind?: string }) => {
    const login = loginOf(flags);
    if (flags.facility === undefined) throw usageError("--facility (申請する医療機関コード) を指定してください");
    if (flags.kind !== undefined && !(CASE_KINDS as readonly string[]).includes(flags.kind)) throw inputError(new OqsError("E9513", "kind"));
    const input = { facilityCode: flags.facility, program: flags.program, kind: flags.kind as CaseKind | undefined, profile: await readProfile(flags.profile) };
    await runAdmin(
      cli,
      flags,
      async (db, now) => {
        const actor = await actorOf(db, login);
        const run = async (tx: typeof db) => ({ status: 201, body: await apply(tx, input, actor, now) });
        return (flags.key === undefined ? await run(db) : await idempotent(db, actor, flags.key, { op: "apply", input }, now, run)).body;
      },
      (c) => `受け付けました: ${caseLine(c)}`,
    );
  });

  withAdminFlags(
    office
      .command("show")
      .description("案件とその経過 (誰が・いつ・なぜ) を表示する。--facility だけなら医療機関の案件の一覧")
      .option("--case <id>", "案件番号")
      .option("--facility <code>", "医療機関コード (その医療機関の案件の一覧)")
      .addHelpText("after", examples("onshi office show --case 12", "onshi office show --facility 1310100019 --json")),
  ).action(async (flags: AdminFlags & { case?: string; facility?: string }) => {
    if ((flags.case === undefined) === (flags.facility === undefined)) throw usageError("--case か --facility のどちらか一つを指定してください");
    const caseId = wholeNumber(flags.case, "--case");
    await runAdmin(
      cli,
      flags,
      async (db) => {
        const system = await actorOf(db, { system: true });
        return caseId !== undefined ? await showCase(db, caseId, system) : { cases: await listCases(db, flags.facility!, system) };
      },
      (answer) =>
        "cases" in answer
          ? answer.cases.length === 0
            ? "案件はありません。"
            : answer.cases.map(caseLine).join("\n")
          : [
              caseLine(answer.case),
              ...answer.transitions.map(
                (t) => `  ${t.seq}. ${t.at.toISOString()}  ${t.action}  ${t.fromState ? CASE_STATE_LABELS[t.fromState] : "—"} → ${CASE_STATE_LABELS[t.toState]}  ${t.actorName} (${t.actorRole})${t.reason ? `  理由: ${t.reason}` : ""}`,
              ),
            ].join("\n"),
    );
  });

  withActorFlags(
    office
      .command("act")
      .description("案件の状態を進める (send_back, resubmit, decide, pay; 取消し・返還は onshi office returns)")
      .requiredOption("--case <id>", "【必須】案件番号")
      .requiredOption("--action <action>", "【必須】操作")
      .option("--reason <text>", "理由 (差戻し・減額・取消し・返還命令では必須)")
      .option("--expected-version <n>", "見ていた案件の版: 他の人が先に進めていたら何もしない (E9505)")
      .option("--yen <yen>", "金額 (decide: 減額した交付決定額。省略すると算定額で決定)")
      .option("--readers <n>", "台数 (decide: 減らした提供台数。省略すると申請台数で決定)")
      .option("--paid-on <date>", "支払の日 (pay; 既定は今日)")
      .option("--profile <file>", "訂正した施設プロフィール (resubmit)")
      .addHelpText(
        "after",
        examples(
          "onshi office act --office shiharai1 --case 12 --action decide --expected-version 1",
          "onshi office act --office shiharai1 --case 12 --action decide --yen 300000 --reason 見積の一部が対象外",
          "onshi office act --facility 1310100019 --staff kanri --case 12 --action resubmit --profile profile.json",
        ),
      ),
  ).action(async (flags: ActorFlags & { case: string; action: string; reason?: string; expectedVersion?: string; yen?: string; readers?: string; paidOn?: string; profile?: string }) => {
    if ((RETURN_ACTIONS as readonly string[]).includes(flags.action)) throw usageError(`${flags.action} は onshi office returns cancel|order|pay|sweep で行います (金額と補助金台帳は返還の計算から)`);
    const login = loginOf(flags);
    const caseId = wholeNumber(flags.case, "--case")!;
    const expectedVersion = wholeNumber(flags.expectedVersion, "--expected-version");
    const yen = wholeNumber(flags.yen, "--yen");
    const readers = wholeNumber(flags.readers, "--readers");
    if (flags.action === "resubmit" && flags.profile === undefined) throw usageError("resubmit には --profile (訂正した施設プロフィール) が必要です");
    if (flags.action === "pay" && yen !== undefined) throw usageError("pay の金額は交付決定額です (--yen は指定できません)");
    const profile = flags.profile === undefined ? undefined : await readProfile(flags.profile);
    const set = { decidedYen: yen, decidedReaders: readers };
    const request = { op: "act", caseId, action: flags.action, reason: flags.reason, expectedVersion, set, profile };
    await runAdmin(
      cli,
      flags,
      async (db, now) => {
        const actor = await actorOf(db, login);
        const run = async (tx: typeof db) => ({
          status: 200,
          body:
            flags.action === "resubmit"
              ? await resubmit(tx, caseId, profile, actor, now, { expectedVersion })
              : isExamAction(flags.action)
                ? (await examAct(tx, loadPrograms(), caseId, flags.action, actor, now, examBody(flags.action, { yen, readers, reason: flags.reason, paidOn: flags.paidOn, expectedVersion }, now))).case
                : await act(tx, caseId, flags.action, actor, now, { expectedVersion, reason: flags.reason, set }),
        });
        return (flags.key === undefined ? await run(db) : await idempotent(db, actor, flags.key, request, now, run)).body;
      },
      (c) => `${flags.action}: ${caseLine(c)}`,
    );
  });

  office
    .command("periods")
    .description("制度ごとの申請期間と事業の完了期限 (出典つき。公表されていないものはそう表示する)")
    .option("--json", "JSON で出力する")
    .addHelpText("after", examples("onshi office periods", "onshi office periods --json"))
    .action(async (flags: { json?: boolean }) => {
    const periods = PROGRAM_IDS.flatMap((program) => [applicationPeriod(program, "application"), ...(program === "fund-2020" ? [applicationPeriod(program, "reader_request")] : [])]);
    const answer = periods.map((p) => ({ ...p, unknown: unknownLimits(p) }));
    cli.print(
      flags.json
        ? JSON.stringify(answer, null, 2)
        : answer
            .map((p) =>
              p.notHere
                ? `${p.program} (${p.kind}): この窓口では受け付けない — ${p.notHere.reason}`
                : `${p.program} (${p.kind}): 申請 ${limitText(p.from)} 〜 ${limitText(p.to)}${p.completeBy ? `、完了期限 ${limitText(p.completeBy)}` : ""}${p.afterCompletion ? "、完了後に申請" : ""}`,
            )
            .join("\n"),
    );
  });
}

/**
 * The body an examiner's page would send for the flags (the exam's rules then apply as on the
 * route): a decision with --yen or --readers is a reduction, without them an acceptance.
 */
function examBody(action: ExamAction, f: { yen?: number; readers?: number; reason?: string; paidOn?: string; expectedVersion?: number }, now: Date): Record<string, unknown> {
  if (action === "decide") return { outcome: f.yen !== undefined || f.readers !== undefined ? "reduce" : "accept", yen: f.yen, readers: f.readers, reason: f.reason, expectedVersion: f.expectedVersion };
  if (action === "pay") return { paidOn: f.paidOn ?? dateInJapan(now), expectedVersion: f.expectedVersion };
  return { reason: f.reason, expectedVersion: f.expectedVersion };
}
