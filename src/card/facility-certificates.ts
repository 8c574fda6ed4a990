// 医療機関等向け電子証明書: the real WebAPI knows a facility by its TLS client certificate. onshi's
// test authority issues one per request (`onshi facilities cert issue`), keeps the certificate
// (never the key, which goes to the facility alone) and, for `onshi serve --tls`, the server's
// own certificate. TLS peers check validity against the real clock, not onshi's `--now`, so the
// server certificate is dated by the wall clock; a facility certificate by the clock it is given.
// The certificates are made here and kept by src/store/facility-certificate-store.ts.
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { issueCertificate, type Authority } from "./authority.ts";
import { generateRsaKeys, privateKeyPem, randomSerial, x509 } from "./x509.ts";

/** The organisational unit that marks a facility's client certificate (the facility code is its CN). */
const FACILITY_UNIT = "Medical Institution";
export const FACILITY_CERTIFICATE_DAYS = 730;
const SERVER_UNIT = "OQS Server";
const SERVER_DAYS = 397;
/** A server certificate this close to its end is replaced at start, before clients see it lapse. */
const SERVER_RENEW_MS = 30 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface IssuedFacilityCertificate {
  facilityCode: string;
  serial: string;
  notAfter: Date;
  certificatePem: string;
  privateKeyPem: string;
  /** The authority's certificate: the trust anchor for the server's certificate. */
  authorityPem: string;
}

export interface ServerCertificate {
  certificatePem: string;
  privateKeyPem: string;
  authorityPem: string;
}

/** A new key and client certificate for the facility (its code the certificate's CN). */
export async function makeFacilityCertificate(
  authority: Authority,
  facilityCode: string,
  now: Date,
  days = FACILITY_CERTIFICATE_DAYS,
): Promise<IssuedFacilityCertificate> {
  const keys = await generateRsaKeys();
  const serial = randomSerial();
  const notAfter = new Date(now.getTime() + days * DAY_MS);
  const certificate = await issueCertificate(
    authority,
    keys.publicKey,
    serial,
    now,
    notAfter,
    `CN=${facilityCode}, OU=${FACILITY_UNIT}, O=onshi, C=JP`,
    [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false)],
  );
  return {
    facilityCode,
    serial,
    notAfter,
    certificatePem: certificate.toString("pem"),
    privateKeyPem: await privateKeyPem(keys.privateKey),
    authorityPem: authority.certificate.toString("pem"),
  };
}

/** The serial of a certificate (DER), as the database keeps it. */
export function serialOf(der: Buffer): string {
  return new X509Certificate(der).serialNumber.toLowerCase();
}

/** A serial as typed (upper case, colon-separated or not), as the database keeps it. */
export function normaliseSerial(serial: string): string {
  return serial.toLowerCase().replace(/:/g, "");
}

/** The same certificate, byte for byte. */
export function sameCertificate(pem: string, der: Buffer): boolean {
  return new X509Certificate(pem).raw.equals(der);
}

/** A new HTTPS server certificate for `hosts` (names and addresses). */
export async function makeServerCertificate(authority: Authority, hosts: readonly string[], now: Date): Promise<ServerCertificate> {
  const keys = await generateRsaKeys();
  const names = hosts.map((host) => (isIP(host) ? { type: "ip" as const, value: host } : { type: "dns" as const, value: host }));
  const certificate = await issueCertificate(
    authority,
    keys.publicKey,
    randomSerial(),
    now,
    new Date(now.getTime() + SERVER_DAYS * DAY_MS),
    `CN=${hosts[0]}, OU=${SERVER_UNIT}, O=onshi, C=JP`,
    [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false), new x509.SubjectAlternativeNameExtension(names, false)],
  );
  return { certificatePem: certificate.toString("pem"), privateKeyPem: await privateKeyPem(keys.privateKey), authorityPem: authority.certificate.toString("pem") };
}

/** Whether a kept server certificate still serves: the current authority's, for every host, not near its end. */
export function serves(pem: string, authority: Authority, hosts: readonly string[], now: Date): boolean {
  const certificate = new X509Certificate(pem);
  if (!certificate.verify(new X509Certificate(authority.certificate.toString("pem")).publicKey)) return false;
  if (new Date(certificate.validTo).getTime() - now.getTime() < SERVER_RENEW_MS || new Date(certificate.validFrom) > now) return false;
  return hosts.every((host) => (isIP(host) ? certificate.checkIP(host) !== undefined : certificate.checkHost(host) !== undefined));
}
