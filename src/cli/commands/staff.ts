// `onshi staff add|list|disable`: a facility's staff accounts for the terminal page (/terminal/).
// The first administrator is created here; the password is generated and printed once, or read
// from standard input (--password-stdin), and stored only as a scrypt hash.
import { Option, type Command } from "commander";
import { STAFF_ROLE_NAMES, STAFF_ROLES, type StaffRole } from "../../domain/staff.ts";
import { addStaffAccount, checkStaffAccountInput, disableStaff, type StaffAccountInput } from "../../services/staff.ts";
import { listStaffAccounts } from "../../store/staff-store.ts";
import { inputError, runAdmin, withAdminFlags, type AdminFlags } from "../admin-command.ts";
import { examples } from "../help.ts";
import type { CliRun } from "../io.ts";
import { created, passwordShownOnce, readPassword } from "../password-stdin.ts";

type Flags = AdminFlags & { facility: string; login: string };

const roleList = STAFF_ROLE_NAMES.map((r) => `${r} (${STAFF_ROLES[r]})`).join(", ");

export function registerStaff(program: Command, cli: CliRun) {
  const staff = program
    .command("staff")
    .description("職員アカウント (資格確認端末の閲覧画面 /terminal/ にサインインする) の管理")
    .addHelpText(
      "after",
      examples(
        "onshi staff add --facility 1310100019 --login kanri --role doctor --name 管理　医師 --admin",
        "onshi staff list --facility 1310100019",
        "onshi staff disable --facility 1310100019 --login kanri",
      ),
    );

  withAdminFlags(
    staff
      .command("add")
      .description("職員アカウントを作る。パスワードは生成して一度だけ表示する (--password-stdin で標準入力から読む)")
      .requiredOption("--facility <code>", "【必須】医療機関コード")
      .requiredOption("--login <id>", "【必須】ログインID (半角英小文字・数字・「._-」の3〜32文字)")
      .addOption(new Option("--role <role>", `【必須】職種: ${roleList}`).makeOptionMandatory())
      .option("--name <name>", "表示名 (省略するとログインID)")
      .option("--admin", "医療機関の管理者 (職員アカウントを作る人) にする")
      .option("--password-stdin", "パスワード (10〜128 文字) を標準入力から読む")
      .addHelpText(
        "after",
        examples(
          "onshi staff add --facility 1310100019 --login kanri --role doctor --admin        # 最初の管理者",
          "printf '%s' 'nurse-password-1' | onshi staff add --facility 1310100019 --login kango --role nurse --password-stdin",
        ),
      ),
  ).action(async (flags: Flags & { role: string; name?: string; admin?: boolean; passwordStdin?: boolean }) => {
    const input: StaffAccountInput = {
      facilityCode: flags.facility,
      loginId: flags.login,
      displayName: flags.name,
      role: flags.role,
      administrator: flags.admin === true,
      password: flags.passwordStdin ? await readPassword(cli.io.stdin) : undefined,
    };
    try {
      checkStaffAccountInput(input);
    } catch (error) {
      throw inputError(error);
    }
    await runAdmin(
      cli,
      flags,
      async (db, now) => created(await addStaffAccount(db, input, now), flags.passwordStdin),
      (a) =>
        `作成しました: ${a.facilityCode}  ${a.loginId}  ${a.displayName}  ${STAFF_ROLES[a.role]}${a.administrator ? "  (管理者)" : ""}` +
        passwordShownOnce(a.password),
    );
  });

  withAdminFlags(
    staff
      .command("list")
      .description("医療機関の職員アカウントを表示する (無効にしたものも)")
      .requiredOption("--facility <code>", "【必須】医療機関コード")
      .addHelpText("after", examples("onshi staff list --facility 1310100019", "onshi staff list --facility 1310100019 --json")),
  ).action(async (flags: Omit<Flags, "login">) => {
    await runAdmin(
      cli,
      flags,
      async (db) => ({ accounts: await listStaffAccounts(db, flags.facility) }),
      ({ accounts }) =>
        accounts.length === 0
          ? "職員アカウントはありません。onshi staff add で作れます。"
          : accounts
              .map((a) => `${a.loginId}  ${a.displayName}  ${STAFF_ROLES[a.role as StaffRole]}${a.administrator ? "  管理者" : ""}${a.disabledAt ? `  (無効: ${a.disabledAt.toISOString()})` : ""}`)
              .join("\n"),
    );
  });

  withAdminFlags(
    staff
      .command("disable")
      .description("職員アカウントを無効にする (サインイン中のセッションも終わる。記録は残る)")
      .requiredOption("--facility <code>", "【必須】医療機関コード")
      .requiredOption("--login <id>", "【必須】ログインID")
      .addHelpText("after", examples("onshi staff disable --facility 1310100019 --login kango")),
  ).action(async (flags: Flags) => {
    await runAdmin(
      cli,
      flags,
      async (db, now) => {
        await disableStaff(db, flags.facility, flags.login, now);
        return { facilityCode: flags.facility, loginId: flags.login, disabled: true };
      },
      (r) => `無効にしました: ${r.facilityCode}  ${r.loginId}`,
    );
  });
}
