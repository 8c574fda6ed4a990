// The card verifier over the database: src/card/verifier.ts's checks, fed with the authority, the
// challenge key and the current CRL from the database, and the one statement per answer that
// spends the challenge, reads the CRL's number and finds the card. The CRL is read and its
// signature checked again only when the authority publishes a new one.
import { X509Certificate } from "node:crypto";
import type { Db } from "../db/client.ts";
import { AnswerVerifier, readRevocationList, type Inspected, type RevocationList, type SpendRow, type VerifiedCard } from "../card/verifier.ts";
import type { CardAnswer } from "../card/answer.ts";
import { challengeKey } from "./card-challenge-store.ts";

/** The CTE `spent` (a row when this statement spent the challenge), on parameters $1–$3 (spendValues). */
export const SPEND_CHALLENGE = "spent as (insert into card_challenges (nonce, used_at, expires_at) values ($1, $2, $3) on conflict (nonce) do nothing returning nonce)";

export function spendValues(inspected: Inspected): unknown[] {
  return [inspected.challenge.nonce, inspected.at, inspected.challenge.expiresAt];
}

/** How often spent challenges past their expiry are deleted. */
const PURGE_EVERY_MS = 60_000;

export class CardVerifier {
  private revoked: RevocationList | undefined;
  private purgedAt = -Infinity;

  private constructor(
    private readonly db: Db,
    private readonly answers: AnswerVerifier,
  ) {}

  static async open(db: Db): Promise<CardVerifier> {
    const [row] = await db.query<{ certificate_pem: string }>("select certificate_pem from card_authority where id = 1");
    if (!row) throw new Error("認証局が作成されていません (openAuthority を先に実行してください)。");
    return new CardVerifier(db, new AnswerVerifier(new X509Certificate(row.certificate_pem), await challengeKey(db)));
  }

  /**
   * Verifies a reader's answer for `facilityCode` (the facility whose reader sent it): every check
   * that needs no database first (inspect), then one statement spends the challenge, reads the
   * CRL's number and finds the card (settle).
   */
  async verify(answer: Partial<Record<keyof CardAnswer, unknown>>, now: Date, facilityCode: string): Promise<VerifiedCard> {
    const inspected = await this.inspect(answer, now, facilityCode);
    const [row] = await this.db.query<SpendRow>(
      `with ${SPEND_CHALLENGE}
       select exists (select 1 from spent) as fresh, (select crl_number from card_authority where id = 1) as crl_number,
              c.certificate_serial is not null as card, c.person_id
       from (select 1) one left join cards c on c.certificate_serial = $4`,
      [...spendValues(inspected), inspected.serial],
    );
    return this.settle(inspected, row!);
  }

  /** The checks of an answer that need no database work, against the CRL last read. */
  async inspect(answer: Partial<Record<keyof CardAnswer, unknown>>, now: Date, facilityCode: string): Promise<Inspected> {
    const inspected = this.answers.inspect(answer, now, facilityCode, this.revoked ?? (await this.loadRevoked()));
    await this.purgeSpentChallenges(now);
    return inspected;
  }

  /** The refusals that need the statement that spent the challenge (SPEND_CHALLENGE), on the CRL as of it. */
  async settle(inspected: Inspected, row: SpendRow): Promise<VerifiedCard> {
    const current = row.fresh && row.crl_number !== inspected.crlNumber ? await this.loadRevoked() : undefined;
    return this.answers.settle(inspected, row, current);
  }

  /** The serials on the authority's current CRL, its signature checked. */
  private async loadRevoked(): Promise<RevocationList> {
    const [row] = await this.db.query<{ crl_der: Uint8Array; crl_number: number }>("select crl_der, crl_number from card_authority where id = 1");
    this.revoked = await readRevocationList(this.answers.authority, row!.crl_der, row!.crl_number);
    return this.revoked;
  }

  /** Spent challenges are needed only until they expire (an expired one is refused as such); deleted now and then. */
  private async purgeSpentChallenges(now: Date): Promise<void> {
    if (now.getTime() - this.purgedAt < PURGE_EVERY_MS) return;
    this.purgedAt = now.getTime();
    await this.db.query("delete from card_challenges where expires_at < $1", [now]);
  }
}
