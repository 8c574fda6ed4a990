// The test certification authority: the stand-in for J-LIS, which issues the 利用者証明用電子証明書.
// Here its certificates and CRLs are made; its key and certificate are kept in the database
// (src/store/card-authority-store.ts), so certificates stay valid across restarts.
import { generateRsaKeys, importPrivateKeyPem, privateKeyPem, randomSerial, RSA_SHA256, x509 } from "./x509.ts";

export const AUTHORITY_NAME = "CN=onshi Test JPKI User Authentication CA, O=onshi, C=JP";
const AUTHORITY_YEARS = 30;
const CRL_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface Authority {
  certificate: x509.X509Certificate;
  signingKey: CryptoKey;
}

/** A new authority, stored as PEM, with its first (empty) CRL. */
export interface NewAuthority {
  certificatePem: string;
  privateKeyPem: string;
  crlDer: Buffer;
}

export async function authorityFrom(certificatePem: string, privateKeyPem: string): Promise<Authority> {
  return { certificate: new x509.X509Certificate(certificatePem), signingKey: await importPrivateKeyPem(privateKeyPem) };
}

export async function createAuthority(now: Date): Promise<NewAuthority> {
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
    certificatePem: certificate.toString("pem"),
    privateKeyPem: await privateKeyPem(keys.privateKey),
    crlDer: Buffer.from((await signCrl(authority, [], now)).rawData),
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

/** The CRL listing every revocation so far. */
export async function signCrl(authority: Authority, revoked: { serial: string; revokedAt: Date }[], now: Date): Promise<x509.X509Crl> {
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
