// The facility's 顔認証付きカードリーダー and its 特定機関認証, modelled. In face mode the real card
// signs without a PIN because the reader holds a JPKI certificate for specific institutions; here
// each facility's reader gets its own certificate and key from the test authority (a distinct
// profile: OU=READER_UNIT, the facility code as CN), made on first use and kept in card_readers.
// After a face match or a staff check by eye, the reader signs the card's signed message plus the
// card's certificate serial: it vouches that it checked this card's holder for this challenge.
// docs/card-model.md says what is real and what is modelled.
import { createPrivateKey, sign, type KeyObject } from "node:crypto";
import type { Db } from "../db/client.ts";
import type { Authority } from "./authority.ts";
import { issueCertificate } from "./authority.ts";
import { signedMessage } from "./challenges.ts";
import type { CheckMethod } from "./chip.ts";
import { generateRsaKeys, privateKeyPem, randomSerial, x509 } from "./x509.ts";

/** The organisational unit that marks a reader (特定機関) certificate. */
export const READER_UNIT = "Tokutei Kikan Reader";
const READER_YEARS = 5;

/** The methods the reader, not the PIN, vouches for. */
export const VOUCHED_METHODS: readonly CheckMethod[] = ["face", "visual"];

export interface ReaderVouching {
  /** The reader's certificate, DER in base64. */
  certificate: string;
  /** RSASSA-PKCS1-v1_5 SHA-256 over readerMessage(nonce, facility, method, card serial), base64. */
  signature: string;
}

export interface ReaderKey {
  facilityCode: string;
  certificateDer: string;
  key: KeyObject;
}

/** What the reader signs: the card's own signed message bound to the card's certificate serial. */
export function readerMessage(nonce: string, facilityCode: string, method: CheckMethod, cardSerial: string): Buffer {
  return Buffer.concat([signedMessage(nonce, facilityCode, method), Buffer.from(`:card:${cardSerial.toLowerCase()}`, "utf8")]);
}

export function readerSubject(facilityCode: string): string {
  return `CN=${facilityCode}, OU=${READER_UNIT}, O=onshi, C=JP`;
}

/**
 * The facility's reader key, issued on first use (and again once the old one has expired or been
 * revoked). Two processes racing both issue; one row wins and both use it.
 */
export async function openReader(db: Db, authority: Authority, facilityCode: string, now: Date): Promise<ReaderKey> {
  const current = async () =>
    (
      await db.query<{ certificate_pem: string; private_key_pem: string }>(
        `select r.certificate_pem, r.private_key_pem from card_readers r
         where r.medical_institution_code = $1 and r.not_after > $2
           and not exists (select 1 from card_revocations v where v.certificate_serial = r.certificate_serial)`,
        [facilityCode, now],
      )
    )[0];
  let row = await current();
  if (!row) {
    const keys = await generateRsaKeys();
    const serial = randomSerial();
    const notAfter = new Date(now);
    notAfter.setUTCFullYear(notAfter.getUTCFullYear() + READER_YEARS);
    const certificate = await issueCertificate(authority, keys.publicKey, serial, now, notAfter, readerSubject(facilityCode));
    await db.query(
      `insert into card_readers (medical_institution_code, certificate_serial, certificate_pem, private_key_pem, not_after, issued_at)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (medical_institution_code) do update set certificate_serial = excluded.certificate_serial,
         certificate_pem = excluded.certificate_pem, private_key_pem = excluded.private_key_pem,
         not_after = excluded.not_after, issued_at = excluded.issued_at
       where card_readers.not_after <= $6
          or exists (select 1 from card_revocations v where v.certificate_serial = card_readers.certificate_serial)`,
      [facilityCode, serial, certificate.toString("pem"), await privateKeyPem(keys.privateKey), notAfter, now],
    );
    row = (await current())!;
  }
  return {
    facilityCode,
    certificateDer: Buffer.from(new x509.X509Certificate(row.certificate_pem).rawData).toString("base64"),
    key: createPrivateKey(row.private_key_pem),
  };
}

/** The reader's vouching for a check it made on the card with `cardSerial`. */
export function vouch(reader: ReaderKey, nonce: string, method: CheckMethod, cardSerial: string): ReaderVouching {
  return { certificate: reader.certificateDer, signature: sign("sha256", readerMessage(nonce, reader.facilityCode, method, cardSerial), reader.key).toString("base64") };
}
