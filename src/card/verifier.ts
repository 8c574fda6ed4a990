// The server's side of a card check: one answer from the reader is accepted only if its challenge
// was issued to the facility asking, is fresh and unused, the certificate chains to the test authority, the card's signature over
// the challenge verifies, the certificate is not on the authority's CRL, and it is valid on the
// day (or within the 3-month grace, which answers for qualification only, with warning E7050).
// A face or eye check also needs the facility's reader to vouch for it (特定機関認証, modelled in
// src/card/reader.ts): its certificate from the same authority, with the reader profile, issued to
// the facility asking, not revoked, valid, and its signature over the challenge and the card.
// Hot path on node:crypto's X509Certificate (native), each certificate parsed and chain-checked
// once per process; the CRL is parsed and its signature checked only when the authority publishes
// a new one; one database round trip per answer.
import { verify, X509Certificate, type KeyObject } from "node:crypto";
import type { Db } from "../db/client.ts";
import { jstDate, yyyymmddToIso } from "../domain/dates.ts";
import { OqsError } from "../errors/catalogue.ts";
import { challengeKey, readChallenge, signedMessage, type Challenge } from "./challenges.ts";
import { CHECK_METHODS, type CardAnswer, type CheckMethod } from "./chip.ts";
import { certificateStanding } from "./grace.ts";
import { READER_UNIT, readerMessage, VOUCHED_METHODS } from "./reader.ts";
import { x509 } from "./x509.ts";

export interface VerifiedCard {
  certificateSerial: string;
  method: CheckMethod;
  /** "full" while the certificate is valid; "qualification-only" in the 3 months after expiry. */
  scope: "full" | "qualification-only";
  warning?: "E7050";
  /** The person linked by 保険証利用登録, or null when the card is not registered yet. */
  personId: number | null;
}

/** An answer that passed every check needing no database work. */
export interface Inspected {
  challenge: Challenge;
  at: Date;
  serial: string;
  method: CheckMethod;
  scope: "full" | "qualification-only";
  /** The CRL the revocation checks used. */
  crlNumber: number;
  /** The vouching reader's certificate serial (face and visual checks). */
  readerSerial?: string;
}

/** What settle needs from the statement that spends the challenge. */
export interface SpendRow {
  fresh: boolean;
  crl_number: number;
  card: boolean;
  person_id: number | null;
}

/** The CTE `spent` (a row when this statement spent the challenge), on parameters $1–$3 (spendValues). */
export const SPEND_CHALLENGE = "spent as (insert into card_challenges (nonce, used_at, expires_at) values ($1, $2, $3) on conflict (nonce) do nothing returning nonce)";

export function spendValues(inspected: Inspected): unknown[] {
  return [inspected.challenge.nonce, inspected.at, inspected.challenge.expiresAt];
}

/** A certificate the authority issued, parsed once: cards and readers present the same ones again and again. */
interface Trusted {
  certificate: X509Certificate;
  publicKey: KeyObject;
  serial: string;
  validFrom: Date;
  validTo: Date;
}

/** Certificates kept parsed and chain-checked; past this many the cache starts afresh. */
const TRUSTED_CACHE_SIZE = 20_000;
/** How often spent challenges past their expiry are deleted. */
const PURGE_EVERY_MS = 60_000;

export class CardVerifier {
  private revoked: { crlNumber: number; serials: Set<string> } | undefined;
  private readonly trusted = new Map<string, Trusted>();
  private purgedAt = -Infinity;

  private constructor(
    private readonly db: Db,
    private readonly authority: X509Certificate,
    private readonly challengeKey: Buffer,
  ) {}

  static async open(db: Db): Promise<CardVerifier> {
    const [row] = await db.query<{ certificate_pem: string }>("select certificate_pem from card_authority where id = 1");
    if (!row) throw new Error("認証局が作成されていません (openAuthority を先に実行してください)。");
    return new CardVerifier(db, new X509Certificate(row.certificate_pem), await challengeKey(db));
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

  /** The checks of an answer that need no database work (E7001, E7003–E7009, E7015, E7017–E7024). */
  async inspect(answer: Partial<Record<keyof CardAnswer, unknown>>, now: Date, facilityCode: string): Promise<Inspected> {
    const challenge = readChallenge(this.challengeKey, answer.nonce, facilityCode, now);
    const method = answer.method as CheckMethod;
    if (!CHECK_METHODS.includes(method)) throw new OqsError("E7015");
    const card = this.trust(answer.certificate, "E7004", "E7005");
    if (typeof answer.signature !== "string" || !verify("sha256", signedMessage(challenge.nonce, facilityCode, method), card.publicKey, Buffer.from(answer.signature, "base64"))) {
      throw new OqsError("E7006");
    }
    const revoked = this.revoked ?? (await this.loadRevoked());
    if (revoked.serials.has(card.serial)) throw new OqsError("E7007");

    if (now < card.validFrom) throw new OqsError("E7009");
    const standing = certificateStanding(jstIso(card.validFrom), jstIso(card.validTo), jstIso(now));
    if (standing.kind === "not-yet-valid") throw new OqsError("E7009");
    if (standing.kind === "expired") throw new OqsError("E7008");

    const readerSerial = VOUCHED_METHODS.includes(method)
      ? this.checkVouching(answer.reader, readerMessage(challenge.nonce, facilityCode, method, card.serial), facilityCode, revoked.serials, now)
      : undefined;
    await this.purgeSpentChallenges(now);
    return {
      challenge,
      at: now,
      serial: card.serial,
      method,
      scope: standing.kind === "grace" ? "qualification-only" : "full",
      crlNumber: revoked.crlNumber,
      ...(readerSerial ? { readerSerial } : {}),
    };
  }

  /**
   * The refusals that need the statement that spent the challenge (SPEND_CHALLENGE): E7002 spent
   * already, E7007/E7023 on a CRL published since the inspection, E7014 no card of ours.
   */
  async settle(inspected: Inspected, row: SpendRow): Promise<VerifiedCard> {
    if (!row.fresh) throw new OqsError("E7002");
    if (row.crl_number !== inspected.crlNumber) {
      const current = await this.loadRevoked();
      if (current.serials.has(inspected.serial)) throw new OqsError("E7007");
      if (inspected.readerSerial !== undefined && current.serials.has(inspected.readerSerial)) throw new OqsError("E7023");
    }
    // A certificate of ours that is no card's (a reader's, say) is no card.
    if (!row.card) throw new OqsError("E7014");
    return {
      certificateSerial: inspected.serial,
      method: inspected.method,
      scope: inspected.scope,
      ...(inspected.scope === "qualification-only" ? { warning: "E7050" as const } : {}),
      personId: row.person_id,
    };
  }

  /** The reader's 特定機関 vouching (its certificate's serial): E7017 none, E7018–E7024 one that does not hold. */
  private checkVouching(vouching: unknown, message: Buffer, facilityCode: string, revoked: ReadonlySet<string>, now: Date): string {
    if (typeof vouching !== "object" || vouching === null) throw new OqsError("E7017");
    const { certificate: der, signature } = vouching as Record<string, unknown>;
    const reader = this.trust(der, "E7018", "E7019");
    const subject = subjectOf(reader.certificate);
    if (subject.OU !== READER_UNIT) throw new OqsError("E7020");
    if (subject.CN !== facilityCode) throw new OqsError("E7021");
    if (typeof signature !== "string" || !verify("sha256", message, reader.publicKey, Buffer.from(signature, "base64"))) throw new OqsError("E7022");
    if (revoked.has(reader.serial)) throw new OqsError("E7023");
    if (now < reader.validFrom || now > reader.validTo) throw new OqsError("E7024");
    return reader.serial;
  }

  /** The certificate, if it reads (else `unreadable`) and the authority issued it (else `foreign`). */
  private trust(value: unknown, unreadable: "E7004" | "E7018", foreign: "E7005" | "E7019"): Trusted {
    const known = typeof value === "string" ? this.trusted.get(value) : undefined;
    if (known) return known;
    const certificate = parseCertificate(value, unreadable);
    if (!certificate.checkIssued(this.authority) || !certificate.verify(this.authority.publicKey)) throw new OqsError(foreign);
    const trusted: Trusted = {
      certificate,
      publicKey: certificate.publicKey,
      serial: certificate.serialNumber.toLowerCase(),
      validFrom: new Date(certificate.validFrom),
      validTo: new Date(certificate.validTo),
    };
    if (this.trusted.size >= TRUSTED_CACHE_SIZE) this.trusted.clear();
    this.trusted.set(value as string, trusted);
    return trusted;
  }

  /** The serials on the authority's current CRL, its signature checked. */
  private async loadRevoked(): Promise<{ crlNumber: number; serials: Set<string> }> {
    const [row] = await this.db.query<{ crl_der: Uint8Array; crl_number: number }>("select crl_der, crl_number from card_authority where id = 1");
    const crl = new x509.X509Crl(new Uint8Array(row!.crl_der));
    const issuer = new x509.X509Certificate(this.authority.raw);
    if (!(await crl.verify({ publicKey: issuer.publicKey }))) throw new Error("認証局の失効リストの署名が不正です。");
    this.revoked = { crlNumber: row!.crl_number, serials: new Set(crl.entries.map((e) => e.serialNumber.toLowerCase())) };
    return this.revoked;
  }

  /** Spent challenges are needed only until they expire (an expired one is refused as such); deleted now and then. */
  private async purgeSpentChallenges(now: Date): Promise<void> {
    if (now.getTime() - this.purgedAt < PURGE_EVERY_MS) return;
    this.purgedAt = now.getTime();
    await this.db.query("delete from card_challenges where expires_at < $1", [now]);
  }
}

function parseCertificate(value: unknown, unreadable: "E7004" | "E7018" = "E7004"): X509Certificate {
  if (typeof value !== "string" || value.length === 0) throw new OqsError(unreadable);
  try {
    return new X509Certificate(Buffer.from(value, "base64"));
  } catch {
    throw new OqsError(unreadable);
  }
}

/** The subject's attributes by name (node prints one `name=value` per line). */
function subjectOf(certificate: X509Certificate): Record<string, string> {
  return Object.fromEntries(certificate.subject.split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
}

function jstIso(instant: Date): string {
  return yyyymmddToIso(jstDate(instant));
}
