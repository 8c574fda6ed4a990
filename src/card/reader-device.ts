// The facility's 顔認証付きカードリーダー and its 特定機関認証, modelled. In face mode the real card
// signs without a PIN because the reader holds a JPKI certificate for specific institutions; here
// each facility's reader gets its own certificate and key from the test authority (a distinct
// profile: OU=READER_UNIT, the facility code as CN), made on first use and kept in card_readers
// (src/store/reader-device-store.ts).
// After a face match or a staff check by eye, the reader signs the card's signed message plus the
// card's certificate serial: it vouches that it checked this card's holder for this challenge.
// docs/card-model.md says what is real and what is modelled.
import { createPrivateKey, sign, type KeyObject } from "node:crypto";
import type { CheckMethod, ReaderVouching } from "./answer.ts";
import { issueCertificate, type Authority } from "./authority.ts";
import { signedMessage } from "./challenges.ts";
import { generateRsaKeys, privateKeyPem, randomSerial, x509 } from "./x509.ts";

/** The organisational unit that marks a reader (特定機関) certificate. */
export const READER_UNIT = "Tokutei Kikan Reader";
const READER_YEARS = 5;

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

/** A new reader certificate and key for the facility, valid for READER_YEARS from `now`. */
export async function issueReaderCertificate(
  authority: Authority,
  facilityCode: string,
  now: Date,
): Promise<{ serial: string; certificatePem: string; privateKeyPem: string; notAfter: Date }> {
  const keys = await generateRsaKeys();
  const serial = randomSerial();
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + READER_YEARS);
  const certificate = await issueCertificate(authority, keys.publicKey, serial, now, notAfter, readerSubject(facilityCode));
  return { serial, certificatePem: certificate.toString("pem"), privateKeyPem: await privateKeyPem(keys.privateKey), notAfter };
}

export function readerKey(facilityCode: string, certificatePem: string, privateKeyPem: string): ReaderKey {
  return {
    facilityCode,
    certificateDer: Buffer.from(new x509.X509Certificate(certificatePem).rawData).toString("base64"),
    key: createPrivateKey(privateKeyPem),
  };
}

/** The reader's vouching for a check it made on the card with `cardSerial`. */
export function vouch(reader: ReaderKey, nonce: string, method: CheckMethod, cardSerial: string): ReaderVouching {
  return { certificate: reader.certificateDer, signature: sign("sha256", readerMessage(nonce, reader.facilityCode, method, cardSerial), reader.key).toString("base64") };
}
