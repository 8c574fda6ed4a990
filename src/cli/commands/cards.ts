// `onshi cards`: the authority's and the 市区町村's side of the synthetic マイナンバーカード — issue a
// card to a person, list the cards, revoke a certificate (published on the CRL), and the
// 市区町村's reset of the PIN and face locks. Admin operations: the reader never does these.
import type { Command } from "commander";
import { clockFrom } from "../../clock.ts";
import { openAuthority, revokeCertificate } from "../../store/card-authority-store.ts";
import { resetCardLocks, cardLocks } from "../../store/card-chip-store.ts";
import { issueCard } from "../../store/card-issue-store.ts";
import { PIN_PATTERN } from "../../card/pin.ts";
import { databaseOptions } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import { openMigrated } from "../../db/open.ts";
import { isValidYyyymmdd } from "../../domain/dates.ts";
import { OqsError } from "../../errors/catalogue.ts";
import { DEMO_CARD_IDS } from "../../seed/demo-cards.ts";
import { listSimulatedCards } from "../../services/card-simulator.ts";
import { withDatabaseFlags } from "../options.ts";
import type { CliRun } from "../io.ts";

export interface CommonFlags {
  json?: boolean;
  now?: string;
  dataDir?: string;
  memory?: boolean;
}

const usage = (message: string) => Object.assign(new Error(message), { exitCode: 2 });
const isoDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && isValidYyyymmdd(value.replaceAll("-", ""));

/** Opens the database, runs the operation, prints its answer (JSON with --json); an OqsError exits 2 with its code. */
export async function run<T>(cli: CliRun, flags: CommonFlags, operation: (db: Db, now: Date) => Promise<T>, describe: (answer: T) => string): Promise<void> {
  const now = clockFrom(flags.now)();
  const db = await openMigrated(databaseOptions(flags, cli.io.env));
  try {
    const answer = await operation(db, now);
    cli.print(flags.json ? JSON.stringify(answer, null, 2) : describe(answer));
  } catch (error) {
    if (!(error instanceof OqsError)) throw error;
    cli.print(flags.json ? JSON.stringify({ code: error.code, message: error.message }) : `${error.code} ${error.message}`);
    cli.exitCode = 2;
  } finally {
    await db.close();
  }
}

async function serialOf(db: Db, cardId: string): Promise<string> {
  const [row] = await db.query<{ certificate_serial: string }>("select certificate_serial from cards where card_id = $1", [cardId]);
  if (!row) throw new OqsError("E7014");
  return row.certificate_serial;
}

export function registerCards(program: Command, cli: CliRun) {
  const cards = program.command("cards").description("合成マイナンバーカードの管理 (発行・一覧・失効・市区町村での暗証番号と顔認証のロック解除)");
  const common = (command: Command) =>
    withDatabaseFlags(command.option("--json", "JSON で出力する").option("--now <datetime>", "この日時を現在として扱う"));

  common(
    cards
      .command("issue")
      .description("人物 (person_id) にカードを発行する: 鍵ペア、認証局の利用者証明用電子証明書、暗証番号、券面")
      .requiredOption("--person <id>", "カードの持ち主の person_id")
      .requiredOption("--certificate-expiry <date>", "電子証明書の有効期限 (YYYY-MM-DD)")
      .option("--card-expiry <date>", "券面の有効期限 (YYYY-MM-DD, 既定: 電子証明書の有効期限)")
      .option("--pin <pin>", "暗証番号 (4桁, 既定: 無作為)"),
  ).action(async (flags: CommonFlags & { person: string; certificateExpiry: string; cardExpiry?: string; pin?: string }) => {
    const personId = Number(flags.person);
    if (!Number.isSafeInteger(personId) || personId <= 0) throw usage(`--person が不正です: ${flags.person}`);
    if (!isoDate(flags.certificateExpiry)) throw usage(`--certificate-expiry が不正です (YYYY-MM-DD): ${flags.certificateExpiry}`);
    if (flags.cardExpiry !== undefined && !isoDate(flags.cardExpiry)) throw usage(`--card-expiry が不正です (YYYY-MM-DD): ${flags.cardExpiry}`);
    if (flags.pin !== undefined && !PIN_PATTERN.test(flags.pin)) throw usage("--pin は4桁の数字で指定してください");
    await run(
      cli,
      flags,
      async (db, now) => {
        const [person] = await db.query<{ name: string; address: string | null; birthdate: string; sex: 1 | 2 | 3 }>(
          "select name, address, birthdate, sex from persons where person_id = $1",
          [personId],
        );
        if (!person) throw usage(`person_id ${personId} の人物がいません`);
        const face = { name: person.name, address: person.address ?? "", birthdate: person.birthdate, sex: person.sex, expiry: flags.cardExpiry ?? flags.certificateExpiry };
        const issued = await issueCard(db, await openAuthority(db, now), { face, certificateExpiry: flags.certificateExpiry, holderPersonId: personId, pin: flags.pin }, now);
        return { cardId: issued.cardId, certificateSerial: issued.certificateSerial, pin: issued.pin, face: issued.face, registered: false };
      },
      (c) => `カードを発行しました: ${c.cardId}  ${c.face.name}  暗証番号 ${c.pin}  (保険証利用登録はカードリーダーで暗証番号により行います)`,
    );
  });

  common(cards.command("list").description("カードの一覧 (券面、電子証明書の有効期限、利用登録・失効、ロックの回数)")).action(async (flags: CommonFlags) => {
    await run(
      cli,
      flags,
      async (db) => ({ cards: await listSimulatedCards(db, DEMO_CARD_IDS) }),
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

  common(cards.command("revoke <cardId>").description("カードの電子証明書を失効させる (認証局が新しい失効リストを公開する)")).action(async (cardId: string, flags: CommonFlags) => {
    await run(
      cli,
      flags,
      async (db, now) => {
        const serial = await serialOf(db, cardId);
        await revokeCertificate(db, await openAuthority(db, now), serial, now);
        return { cardId, certificateSerial: serial, revoked: true };
      },
      (r) => `失効させました: ${r.cardId} (証明書 ${r.certificateSerial})`,
    );
  });

  common(cards.command("reset <cardId>").description("市区町村での初期化: 暗証番号と顔認証のロックを解除する")).action(async (cardId: string, flags: CommonFlags) => {
    await run(
      cli,
      flags,
      async (db) => {
        await resetCardLocks(db, cardId);
        return { cardId, locks: await cardLocks(db, cardId) };
      },
      (r) => `ロックを解除しました: ${r.cardId}`,
    );
  });
}
