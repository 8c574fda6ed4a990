// The test certification authority: the stand-in for J-LIS, which issues the 利用者証明用電子証明書.
// Its key and self-signed certificate are made once and kept in the database (card_authority),
// so certificates stay valid across restarts; it publishes a signed CRL of revoked serials.
import type { Db } from "../db/client.ts";
import { OqsError } from "../errors/catalogue.ts";
import { generateRsaKeys, importPrivateKeyPem, privateKeyPem, randomSerial, RSA_SHA256, x509 } from "./x509.ts";

export const AUTHORITY_NAME = "CN=onshi Test JPKI User Authentication CA, O=onshi, C=JP";
const AUTHORITY_YEARS = 30;
const CRL_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface Authority {
  certificate: x509.X509Certificate;
  signingKey: CryptoKey;
}

interface AuthorityRow {
  certificate_pem: string;
  private_key_pem: string;
}

/** The authority, created on first use. Two processes racing both generate; one row wins, both use it. */
export async function openAuthority(db: Db, now: Date): Promise<Authority> {
  let row = (await db.query<AuthorityRow>("select certificate_pem, private_key_pem from card_authority where id = 1"))[0];
  if (!row) {
    const created = await createAuthority(now);
    await db.query(
      `insert into card_authority (id, certificate_pem, private_key_pem, crl_der, crl_number, created_at)
       values (1, $1, $2, $3, 1, $4) on conflict (id) do nothing`,
      [created.certificate_pem, created.private_key_pem, created.crl_der, now],
    );
    row = (await db.query<AuthorityRow>("select certificate_pem, private_key_pem from card_authority where id = 1"))[0]!;
  }
  return { certificate: new x509.X509Certificate(row.certificate_pem), signingKey: await importPrivateKeyPem(row.private_key_pem) };
}

async function createAuthority(now: Date): Promise<AuthorityRow & { crl_der: Buffer }> {
  const keys = await generateRsaKeys();
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + AUTHORITY_YEARS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: AUTHORITY_NAME,
    notBefore: now,
    notAfter,
    keys,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const authority = { certificate, signingKey: keys.privateKey };
  return {
    certificate_pem: certificate.toString("pem"),
    private_key_pem: await privateKeyPem(keys.privateKey),
    crl_der: Buffer.from((await signCrl(authority, [], now)).rawData),
  };
}

/** The organisational unit of a card's 利用者証明用電子証明書 (the reader's is READER_UNIT). */
export const CARD_UNIT = "User Authentication";

/**
 * Issues an end-entity certificate valid from `notBefore` to `notAfter`. By default a card's:
 * like the real 利用者証明用電子証明書, its subject carries no name, address or 個人番号.
 */
export async function issueCertificate(
  authority: Authority,
  publicKey: CryptoKey,
  serial: string,
  notBefore: Date,
  notAfter: Date,
  subject = `CN=${serial}, OU=${CARD_UNIT}, O=onshi, C=JP`,
  /** Added to the end-entity profile (a TLS certificate's extended key usage and names). */
  extensions: x509.Extension[] = [],
): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject,
    issuer: authority.certificate.subject,
    notBefore,
    notAfter,
    publicKey,
    signingKey: authority.signingKey,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.AuthorityKeyIdentifierExtension.create(authority.certificate, false),
      ...extensions,
    ],
  });
}

async function signCrl(authority: Authority, revoked: { serial: string; revokedAt: Date }[], now: Date): Promise<x509.X509Crl> {
  return x509.X509CrlGenerator.create({
    issuer: authority.certificate.subject,
    thisUpdate: now,
    // RFC 5280 §5.1.2.5 asks conforming CAs for nextUpdate (and @peculiar/asn1-x509 mis-parses a
    // CRL without it). A new CRL is published on every revocation; the verifier follows the number.
    nextUpdate: new Date(now.getTime() + CRL_INTERVAL_MS),
    entries: revoked.map((r) => ({ serialNumber: r.serial, revocationDate: r.revokedAt, reason: x509.X509CrlReason.keyCompromise })),
    signingKey: authority.signingKey,
    signingAlgorithm: RSA_SHA256,
  });
}

/** Revokes a certificate (a card's, a reader's or a facility's) and publishes the new CRL (all revocations so far, re-signed). */
export async function revokeCertificate(db: Db, authority: Authority, serial: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    // Serialises publications: each CRL holds every revocation committed before it.
    await tx.query("select 1 from card_authority where id = 1 for update");
    const known = await tx.query(
      `select 1 from cards where certificate_serial = $1 union all select 1 from card_readers where certificate_serial = $1
       union all select 1 from facility_certificates where certificate_serial = $1`,
      [serial],
    );
    if (known.length === 0) throw new OqsError("E7014");
    await tx.query("insert into card_revocations (certificate_serial, revoked_at) values ($1, $2) on conflict do nothing", [serial, now]);
    const rows = await tx.query<{ certificate_serial: string; revoked_at: Date }>(
      "select certificate_serial, revoked_at from card_revocations order by certificate_serial",
    );
    const crl = await signCrl(authority, rows.map((r) => ({ serial: r.certificate_serial, revokedAt: r.revoked_at })), now);
    await tx.query("update card_authority set crl_der = $1, crl_number = crl_number + 1 where id = 1", [Buffer.from(crl.rawData)]);
  });
}
