// The demo マイナンバーカード: one per state a reader meets, for demo persons of src/seed/demo.ts,
// all with PIN 1234 (the simulator marks them demo; the PIN is in the README and the start banner,
// never in a listing). Fixed card ids, faces and dates, so the
// README can list them; each card's keys are made once per process. What a tap answers depends on
// the day (a certificate expires): demoCardState says it for any clock, the README's table for the
// demo date, 2026-04-01 (`onshi serve --demo --now 2026-04-01`).
import { openAuthority, revokeCertificate } from "../store/card-authority-store.ts";
import { issueCard } from "../store/card-issue-store.ts";
import type { Db } from "../db/client.ts";
import { registerCard } from "../store/card-store.ts";
import { generateRsaKeys } from "../card/x509.ts";
import { certificateStanding } from "../card/grace.ts";
import { jstDate, yyyymmddToIso } from "../domain/dates.ts";

export const DEMO_PIN = "1234";

/** When the demo cards were issued (and their certificates start). */
const ISSUED_AT = new Date("2021-04-01T09:00:00+09:00");
/** 保険証利用登録 of the registered ones: the day マイナ保険証 went into full operation. */
const REGISTERED_AT = new Date("2021-10-20T09:00:00+09:00");

export interface DemoCard {
  cardId: string;
  name: string;
  /** What else the card shows at the reader, whatever the day. */
  note?: string;
  /** The certificate's last valid day (YYYY-MM-DD). */
  certificateExpiry: string;
  state: "registered" | "unregistered" | "revoked";
  securityCode: string;
}

export const DEMO_CARDS: readonly DemoCard[] = [
  { cardId: "DE00000000000001", name: "山田　太郎", note: "総合病院では照会番号 0012345 つき", certificateExpiry: "2030-05-15", state: "registered", securityCode: "4821" },
  { cardId: "DE00000000000002", name: "山田　花子", certificateExpiry: "2030-08-20", state: "unregistered", securityCode: "3907" },
  { cardId: "DE00000000000003", name: "鈴木　一郎", certificateExpiry: "2026-02-28", state: "registered", securityCode: "5512" },
  { cardId: "DE00000000000004", name: "小林　和子", certificateExpiry: "2030-09-10", state: "revoked", securityCode: "7730" },
  { cardId: "DE00000000000005", name: "佐藤　健一", note: "限度額適用認定あり", certificateExpiry: "2030-02-28", state: "registered", securityCode: "2284" },
  { cardId: "DE00000000000006", name: "中村　優", note: "双子: 同じ枝番でも本人の資格だけ", certificateExpiry: "2030-07-07", state: "registered", securityCode: "6649" },
  { cardId: "DE00000000000007", name: "高橋　美咲", note: "医療費助成の受給者証 マル親・精神通院 (精神通院は総合病院と薬局のみ)", certificateExpiry: "2030-06-18", state: "registered", securityCode: "1185" },
  { cardId: "DE00000000000008", name: "福田　良子", note: "医療扶助: 総合病院の医療券・薬局の調剤券 (2026-04-01 から4月末まで)", certificateExpiry: "2030-06-12", state: "registered", securityCode: "9046" },
];

/** What a PIN tap of a demo card answers: a refusal's code, the grace's warning, or whether the card is registered. */
type DemoCardOutcome = "E7007" | "E7009" | "E7008" | "E7050" | "registered" | "unregistered";

const OUTCOME_LABELS: Record<DemoCardOutcome, string> = {
  E7007: "電子証明書の失効 (E7007)",
  E7009: "電子証明書の有効期間前 (E7009)",
  E7008: "電子証明書の期限切れから3か月を過ぎている: 利用できない (E7008)",
  E7050: "電子証明書の期限切れから3か月以内: 資格確認のみ (E7050)",
  registered: "利用登録済み",
  unregistered: "未登録: 暗証番号で保険証利用登録",
};

/**
 * A demo card's state at `now`, in words, as the card verifier decides it (src/card/verifier.ts: revoked
 * first, then the certificate's standing on the JST day), so that what the banner and the start
 * page state is what the next tap answers.
 */
export function demoCardState(card: DemoCard, now: Date): string {
  return OUTCOME_LABELS[demoCardOutcome(card, now)] + (card.note ? ` (${card.note})` : "");
}

function demoCardOutcome(card: DemoCard, now: Date): DemoCardOutcome {
  if (card.state === "revoked") return "E7007";
  if (now < ISSUED_AT) return "E7009";
  const standing = certificateStanding(yyyymmddToIso(jstDate(ISSUED_AT)), card.certificateExpiry, yyyymmddToIso(jstDate(now)));
  if (standing.kind === "not-yet-valid") return "E7009";
  if (standing.kind === "expired") return "E7008";
  if (standing.kind === "grace") return "E7050";
  return card.state;
}

export const DEMO_CARD_IDS: ReadonlySet<string> = new Set(DEMO_CARDS.map((c) => c.cardId));

// Each demo card's key pair, made once per process: a process that loads the demo into many
// databases (the tests do) would otherwise spend seconds on RSA key generation for each.
const demoKeys = new Map<string, Promise<CryptoKeyPair>>();
function demoKeysOf(cardId: string): Promise<CryptoKeyPair> {
  if (!demoKeys.has(cardId)) demoKeys.set(cardId, generateRsaKeys());
  return demoKeys.get(cardId)!;
}

/** Issues the demo cards that are missing (after loadDemo); a card already there is left as it is. */
export async function loadDemoCards(db: Db): Promise<number> {
  const existing = new Set((await db.query<{ card_id: string }>("select card_id from cards where card_id = any($1)", [DEMO_CARDS.map((c) => c.cardId)])).map((r) => r.card_id));
  const missing = DEMO_CARDS.filter((c) => !existing.has(c.cardId));
  if (missing.length === 0) return 0;
  const authority = await openAuthority(db, ISSUED_AT);
  for (const card of missing) {
    const [person] = await db.query<{ person_id: number; address: string | null; sex: 1 | 2 | 3; birthdate: string }>(
      "select person_id, address, sex, birthdate from persons where name = $1 order by person_id limit 1",
      [card.name],
    );
    if (!person) throw new Error(`デモの人物がいません: ${card.name} (loadDemo を先に実行してください)`);
    const issued = await issueCard(
      db,
      authority,
      {
        cardId: card.cardId,
        face: { name: card.name, address: person.address ?? "", birthdate: person.birthdate, sex: person.sex, expiry: "2031-04-01", securityCode: card.securityCode },
        certificateExpiry: card.certificateExpiry,
        holderPersonId: person.person_id,
        pin: DEMO_PIN,
        keys: await demoKeysOf(card.cardId),
      },
      ISSUED_AT,
    );
    if (card.state !== "unregistered") await registerCard(db, issued.certificateSerial, REGISTERED_AT);
    if (card.state === "revoked") await revokeCertificate(db, authority, issued.certificateSerial, REGISTERED_AT);
  }
  return missing.length;
}
