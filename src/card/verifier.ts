// The server's side of a card check: one answer from the reader is accepted only if its challenge
// is fresh and unused, the certificate chains to the test authority, the card's signature over
// the challenge verifies, the certificate is not on the authority's CRL, and it is valid on the
// day (or within the 3-month grace, which answers for qualification only, with warning E7050).
// A face or eye check also needs the facility's reader to vouch for it (特定機関認証, modelled in
// src/card/reader.ts): its certificate from the same authority, with the reader profile, issued to
// the facility asking, not revoked, valid, and its signature over the challenge and the card.
// Hot path on node:crypto's X509Certificate (native); the CRL is parsed and its signature checked
// only when the authority publishes a new one.
import { verify, X509Certificate } from "node:crypto";
import type { Db } from "../db/client.ts";
import { jstDate, yyyymmddToIso } from "../domain/dates.ts";
import { OqsError } from "../oqs/error-codes.ts";
import { consumeChallenge, signedMessage } from "./challenges.ts";
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

export class CardVerifier {
  private revoked: { crlNumber: number; serials: Set<string> } | undefined;

  private constructor(
    private readonly db: Db,
    private readonly authority: X509Certificate,
  ) {}

  static async open(db: Db): Promise<CardVerifier> {
    const [row] = await db.query<{ certificate_pem: string }>("select certificate_pem from card_authority where id = 1");
    if (!row) throw new Error("認証局が作成されていません (openAuthority を先に実行してください)。");
    return new CardVerifier(db, new X509Certificate(row.certificate_pem));
  }

  /** Verifies a reader's answer for `facilityCode` (the facility whose reader sent it). */
  async verify(answer: Partial<Record<keyof CardAnswer, unknown>>, now: Date, facilityCode: string): Promise<VerifiedCard> {
    const { crlNumber } = await consumeChallenge(this.db, answer.nonce, now);
    const method = answer.method as CheckMethod;
    if (!CHECK_METHODS.includes(method)) throw new OqsError("E7015");
    const certificate = parseCertificate(answer.certificate);
    if (!certificate.checkIssued(this.authority) || !certificate.verify(this.authority.publicKey)) throw new OqsError("E7005");
    if (typeof answer.signature !== "string" || !verify("sha256", signedMessage(answer.nonce as string, method), certificate.publicKey, Buffer.from(answer.signature, "base64"))) {
      throw new OqsError("E7006");
    }
    const serial = certificate.serialNumber.toLowerCase();
    const revoked = await this.revokedSerials(crlNumber);
    if (revoked.has(serial)) throw new OqsError("E7007");

    const validFrom = new Date(certificate.validFrom);
    if (now < validFrom) throw new OqsError("E7009");
    const standing = certificateStanding(jstIso(validFrom), jstIso(new Date(certificate.validTo)), jstIso(now));
    if (standing.kind === "not-yet-valid") throw new OqsError("E7009");
    if (standing.kind === "expired") throw new OqsError("E7008");

    if (VOUCHED_METHODS.includes(method)) this.checkVouching(answer.reader, readerMessage(answer.nonce as string, method, serial), facilityCode, revoked, now);

    // A certificate of ours that is no card's (a reader's, say) is no card.
    const [card] = await this.db.query<{ person_id: number | null }>("select person_id from cards where certificate_serial = $1", [serial]);
    if (!card) throw new OqsError("E7014");
    return {
      certificateSerial: serial,
      method,
      scope: standing.kind === "grace" ? "qualification-only" : "full",
      ...(standing.kind === "grace" ? { warning: "E7050" as const } : {}),
      personId: card.person_id,
    };
  }

  /** The reader's 特定機関 vouching: E7017 none, E7018–E7024 one that does not hold. */
  private checkVouching(vouching: unknown, message: Buffer, facilityCode: string, revoked: ReadonlySet<string>, now: Date): void {
    if (typeof vouching !== "object" || vouching === null) throw new OqsError("E7017");
    const { certificate: der, signature } = vouching as Record<string, unknown>;
    const certificate = parseCertificate(der, "E7018");
    if (!certificate.checkIssued(this.authority) || !certificate.verify(this.authority.publicKey)) throw new OqsError("E7019");
    const subject = subjectOf(certificate);
    if (subject.OU !== READER_UNIT) throw new OqsError("E7020");
    if (subject.CN !== facilityCode) throw new OqsError("E7021");
    if (typeof signature !== "string" || !verify("sha256", message, certificate.publicKey, Buffer.from(signature, "base64"))) throw new OqsError("E7022");
    if (revoked.has(certificate.serialNumber.toLowerCase())) throw new OqsError("E7023");
    if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) throw new OqsError("E7024");
  }

  /** The serials on the current CRL, re-read (and its signature checked) when its number moves. */
  private async revokedSerials(crlNumber: number): Promise<Set<string>> {
    if (this.revoked?.crlNumber === crlNumber) return this.revoked.serials;
    const [row] = await this.db.query<{ crl_der: Uint8Array; crl_number: number }>("select crl_der, crl_number from card_authority where id = 1");
    const crl = new x509.X509Crl(new Uint8Array(row!.crl_der));
    const issuer = new x509.X509Certificate(this.authority.raw);
    if (!(await crl.verify({ publicKey: issuer.publicKey }))) throw new Error("認証局の失効リストの署名が不正です。");
    const serials = new Set(crl.entries.map((e) => e.serialNumber.toLowerCase()));
    this.revoked = { crlNumber: row!.crl_number, serials };
    return serials;
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
