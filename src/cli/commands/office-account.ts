// `onshi office account add|list|disable`: the office's accounts for /office — a 取りまとめ者
// (vendor) or a 支払基金 審査担当 (examiner). The password is generated and printed once, or read
// from standard input (--password-stdin), and stored only as a scrypt hash.
import { Option, type Command } from "commander";
import { OFFICE_ROLE_NAMES, OFFICE_ROLES, type OfficeRole } from "../../domain/office.ts";
import { addOfficeAccount, checkOfficeAccountInput, disableOffice, type OfficeAccountInput } from "../../services/office-accounts.ts";
import { listOfficeAccounts } from "../../store/office-account-store.ts";
import { inputError, runAdmin, withAdminFlags, type AdminFlags } from "../admin-command.ts";
import { examples } from "../help.ts";
import type { CliRun } from "../io.ts";
import { created, passwordShownOnce, readPassword } from "../password-stdin.ts";

const roleList = OFFICE_ROLE_NAMES.map((r) => `${r} (${OFFICE_ROLES[r]})`).join(", ");

export function registerOfficeAccount(office: Command, cli: CliRun) {
  const account = office
    .command("account")
    .description("補助金事務のアカウント (/office/ にサインインする取りまとめ者・支払基金 審査担当) の管理")
    .addHelpText(
      "after",
      examples(
        "onshi office account add --login vendor1 --role vendor --name 取りまとめ株式会社",
        "onshi office account list",
        "onshi office account disable --login vendor1",
      ),
    );

  withAdminFlags(
    account
      .command("add")
      .description("アカウントを作る。パスワードは生成して一度だけ表示する (--password-stdin で標準入力から読む)")
      .requiredOption("--login <id>", "【必須】ログインID (半角英小文字・数字・「._-」の3〜32文字)")
      .addOption(new Option("--role <role>", `【必須】役割: ${roleList}`).makeOptionMandatory())
      .option("--name <name>", "表示名 (省略するとログインID)")
      .option("--password-stdin", "パスワード (10〜128 文字) を標準入力から読む")
      .addHelpText(
        "after",
        examples(
          "onshi office account add --login shiharai1 --role examiner --name 審査　一郎",
          "printf '%s' 'vendor-password-1' | onshi office account add --login vendor1 --role vendor --password-stdin",
        ),
      ),
  ).action(async (flags: AdminFlags & { login: string; role: string; name?: string; passwordStdin?: boolean }) => {
    const input: OfficeAccountInput = {
      loginId: flags.login,
      displayName: flags.name,
      role: flags.role,
      password: flags.passwordStdin ? await readPassword(cli.io.stdin) : undefined,
    };
    try {
      checkOfficeAccountInput(input);
    } catch (error) {
      throw inputError(error);
    }
    await runAdmin(
      cli,
      flags,
      async (db, now) => created(await addOfficeAccount(db, input, now), flags.passwordStdin),
      (a) =>
        `作成しました: ${a.loginId}  ${a.displayName}  ${OFFICE_ROLES[a.role]}` +
        passwordShownOnce(a.password),
    );
  });

  withAdminFlags(
    account
      .command("list")
      .description("補助金事務のアカウントを表示する (無効にしたものも)")
      .addHelpText("after", examples("onshi office account list", "onshi office account list --json")),
  ).action(async (flags: AdminFlags) => {
    await runAdmin(
      cli,
      flags,
      async (db) => ({ accounts: await listOfficeAccounts(db) }),
      ({ accounts }) =>
        accounts.length === 0
          ? "アカウントはありません。onshi office account add で作れます。"
          : accounts
              .map((a) => `${a.loginId}  ${a.displayName}  ${OFFICE_ROLES[a.role as OfficeRole]}${a.disabledAt ? `  (無効: ${a.disabledAt.toISOString()})` : ""}`)
              .join("\n"),
    );
  });

  withAdminFlags(
    account
      .command("disable")
      .description("アカウントを無効にする (サインイン中のセッションも終わる。記録は残る)")
      .requiredOption("--login <id>", "【必須】ログインID")
      .addHelpText("after", examples("onshi office account disable --login vendor1")),
  ).action(async (flags: AdminFlags & { login: string }) => {
    await runAdmin(
      cli,
      flags,
      async (db, now) => {
        await disableOffice(db, flags.login, now);
        return { loginId: flags.login, disabled: true };
      },
      (r) => `無効にしました: ${r.loginId}`,
    );
  });
}
