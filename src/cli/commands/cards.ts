// `onshi cards`: the authority's and the 市区町村's side of the synthetic マイナンバーカード — issue a
// card to a person, list the cards, revoke a certificate (published on the CRL), and the
// 市区町村's reset of the PIN and face locks. Admin operations: the reader never does these.
// Each runs through the server holding the data folder when there is one (services/admin-operations.ts).
import type { Command } from "commander";
import { PIN_PATTERN } from "../../card/pin.ts";
import { isValidYyyymmdd } from "../../domain/dates.ts";
import { adminNow, runRoutedAdmin, withAdminFlags, type AdminFlags } from "../admin-command.ts";
import { examples } from "../help.ts";
import { usageError, type CliRun } from "../io.ts";

const isoDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && isValidYyyymmdd(value.replaceAll("-", ""));

export function registerCards(program: Command, cli: CliRun) {
  const cards = program
    .command("cards")
    .description("合成マイナンバーカードの管理 (発行・一覧・失効・市区町村での暗証番号と顔認証のロック解除)")
    .addHelpText("after", examples("onshi cards list", "onshi cards reset DE00000000000001"));
  withAdminFlags(
    cards
      .command("issue")
      .description("人物 (person_id) にカードを発行する: 鍵ペア、認証局の利用者証明用電子証明書、暗証番号、券面")
      .requiredOption("--person <id>", "カードの持ち主の person_id")
      .requiredOption("--certificate-expiry <date>", "電子証明書の有効期限 (YYYY-MM-DD)")
      .option("--card-expiry <date>", "券面の有効期限 (YYYY-MM-DD, 既定: 電子証明書の有効期限)")
      .option("--pin <pin>", "暗証番号 (4桁, 既定: 無作為)")
      .addHelpText("after", examples("onshi cards issue --person 1 --certificate-expiry 2030-12-31", "onshi cards issue --person 1 --certificate-expiry 2030-12-31 --pin 1234 --json")),
  ).action(async (flags: AdminFlags & { person: string; certificateExpiry: string; cardExpiry?: string; pin?: string }) => {
    const personId = Number(flags.person);
    if (!Number.isSafeInteger(personId) || personId <= 0) throw usageError(`--person が不正です: ${flags.person}`);
    if (!isoDate(flags.certificateExpiry)) throw usageError(`--certificate-expiry が不正です (YYYY-MM-DD): ${flags.certificateExpiry}`);
    if (flags.cardExpiry !== undefined && !isoDate(flags.cardExpiry)) throw usageError(`--card-expiry が不正です (YYYY-MM-DD): ${flags.cardExpiry}`);
    if (flags.pin !== undefined && !PIN_PATTERN.test(flags.pin)) throw usageError("--pin は4桁の数字で指定してください");
    await runRoutedAdmin(
      cli,
      flags,
      "cards.issue",
      { now: adminNow(flags), person: personId, certificateExpiry: flags.certificateExpiry, cardExpiry: flags.cardExpiry, pin: flags.pin },
      (c) => `カードを発行しました: ${c.cardId}  ${c.face.name}  暗証番号 ${c.pin}  (保険証利用登録はカードリーダーで暗証番号により行います)`,
    );
  });

  withAdminFlags(
    cards
      .command("list")
      .description("カードの一覧 (券面、電子証明書の有効期限、利用登録・失効、ロックの回数)")
      .addHelpText("after", examples("onshi cards list", "onshi cards list --json --data-dir data")),
  ).action(async (flags: AdminFlags) => {
    await runRoutedAdmin(
      cli,
      flags,
      "cards.list",
      {},
      ({ cards: list }) =>
        list
          .map((c) =>
            [c.cardId, c.face.name, c.face.birthdate, `証明書 ${c.certificateExpiry}まで`, c.registered ? "登録済" : "未登録", c.revoked ? "失効" : "", `暗証番号の失敗 ${c.locks.pinFailures}/3`, `顔認証の失敗 ${c.locks.faceFailures}/10`]
              .filter(Boolean)
              .join("  "),
          )
          .join("\n") || "カードはありません。",
    );
  });

  withAdminFlags(
    cards
      .command("revoke <cardId>")
      .description("カードの電子証明書を失効させる (認証局が新しい失効リストを公開する)")
      .addHelpText("after", examples("onshi cards revoke DE00000000000002")),
  ).action(async (cardId: string, flags: AdminFlags) => {
    await runRoutedAdmin(
      cli,
      flags,
      "cards.revoke",
      { now: adminNow(flags), cardId },
      (r) => `失効させました: ${r.cardId} (証明書 ${r.certificateSerial})`,
    );
  });

  withAdminFlags(
    cards
      .command("reset <cardId>")
      .description("市区町村での初期化: 暗証番号と顔認証のロックを解除する")
      .addHelpText("after", examples("onshi cards reset DE00000000000001")),
  ).action(async (cardId: string, flags: AdminFlags) => {
    await runRoutedAdmin(
      cli,
      flags,
      "cards.reset",
      { cardId },
      (r) => `ロックを解除しました: ${r.cardId}`,
    );
  });
}
