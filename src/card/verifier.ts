// The server's side of a card check: one answer from the reader is accepted only if its challenge
// was issued to the facility asking, is fresh and unused, the certificate chains to the test authority, the card's signature over
// the challenge verifies, the certificate is not on the authority's CRL, and it is valid on the
// day (or within the 3-month grace, which answers for qualification only, with warning E7050).
// A face or eye check also needs the facility's reader to vouch for it (特定機関認証, modelled in
// src/card/reader-device.ts): its certificate from the same authority, with the reader profile, issued to
// the facility asking, not revoked, valid, and its signature over the challenge and the card.
// Pure: given the authority, the challenge key and the CRL, it needs no database; the statement
// that spends the challenge and finds the card is src/store/card-verifier-store.ts's.
// Hot path on node:crypto's X509Certificate (native), each certificate parsed and chain-checked
// once per process.
import { verify, X509Certificate, type KeyObject } from "node:crypto";
import { jstDate, yyyymmddToIso } from "../domain/dates.ts";
import { OqsError } from "../errors/catalogue.ts";
import { CHECK_METHODS, VOUCHED_METHODS, type CardAnswer, type CheckMethod } from "./answer.ts";
import { readChallenge, signedMessage, type Challenge } from "./challenges.ts";
import { certificateStanding } from "./grace.ts";
import { READER_UNIT, readerMessage } from "./reader-device.ts";
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

/** The serials on the authority's CRL number `crlNumber`. */
export interface RevocationList {
  crlNumber: number;
  serials: ReadonlySet<string>;
}

/** The CRL's serials, once its signature by the authority is checked. */
export async function readRevocationList(authority: X509Certificate, crlDer: Uint8Array, crlNumber: number): Promise<RevocationList> {
  const crl = new x509.X509Crl(new Uint8Array(crlDer));
  if (!(await crl.verify({ publicKey: new x509.X509Certificate(authority.raw).publicKey }))) throw new Error("認証局の失効リストの署名が不正です。");
  return { crlNumber, serials: new Set(crl.entries.map((e) => e.serialNumber.toLowerCase())) };
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

export class AnswerVerifier {
  private readonly trusted = new Map<string, Trusted>();

  constructor(
    readonly authority: X509Certificate,
    private readonly challengeKey: Buffer,
  ) {}

  /** The checks of an answer that need no database work (E7001, E7003–E7009, E7015, E7017–E7024), against the CRL `revoked`. */
  inspect(answer: Partial<Record<keyof CardAnswer, unknown>>, now: Date, facilityCode: string, revoked: RevocationList): Inspected {
    const challenge = readChallenge(this.challengeKey, answer.nonce, facilityCode, now);
    const method = answer.method as CheckMethod;
    if (!CHECK_METHODS.includes(method)) throw new OqsError("E7015");
    const card = this.trust(answer.certificate, "E7004", "E7005");
    if (typeof answer.signature !== "string" || !verify("sha256", signedMessage(challenge.nonce, facilityCode, method), card.publicKey, Buffer.from(answer.signature, "base64"))) {
      throw new OqsError("E7006");
    }
    if (revoked.serials.has(card.serial)) throw new OqsError("E7007");

    if (now < card.validFrom) throw new OqsError("E7009");
    const standing = certificateStanding(jstIso(card.validFrom), jstIso(card.validTo), jstIso(now));
    if (standing.kind === "not-yet-valid") throw new OqsError("E7009");
    if (standing.kind === "expired") throw new OqsError("E7008");

    const readerSerial = VOUCHED_METHODS.includes(method)
      ? this.checkVouching(answer.reader, readerMessage(challenge.nonce, facilityCode, method, card.serial), facilityCode, revoked.serials, now)
      : undefined;
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
   * The refusals that need the statement that spent the challenge: E7002 spent already, E7007/E7023
   * on `current`, the CRL as of that statement when it is newer than the inspection's, E7014 no card of ours.
   */
  settle(inspected: Inspected, row: SpendRow, current?: RevocationList): VerifiedCard {
    if (!row.fresh) throw new OqsError("E7002");
    if (current && current.crlNumber !== inspected.crlNumber) {
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
