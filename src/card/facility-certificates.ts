// 医療機関等向け電子証明書: the real WebAPI knows a facility by its TLS client certificate. onshi's
// test authority issues one per request (`onshi facilities cert issue`), keeps the certificate
// (never the key, which goes to the facility alone) and, for `onshi serve --tls`, the server's
// own certificate. TLS peers check validity against the real clock, not onshi's `--now`, so the
// server certificate is dated by the wall clock; a facility certificate by the clock it is given.
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import type { Db } from "../db/client.ts";
import { OqsError } from "../errors/catalogue.ts";
import { readFacilityCode } from "../oqs/request-reader.ts";
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

/** A new key and client certificate for a registered facility; E1006–E1010 for a malformed code, E2001 for an unknown one. */
export async function issueFacilityCertificate(
  db: Db,
  authority: Authority,
  facilityCode: string,
  now: Date,
  days = FACILITY_CERTIFICATE_DAYS,
): Promise<IssuedFacilityCertificate> {
  readFacilityCode({ MedicalInstitutionCode: facilityCode });
  const known = await db.query("select 1 from facilities where medical_institution_code = $1", [facilityCode]);
  if (known.length === 0) throw new OqsError("E2001", "MedicalInstitutionCode");
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
  const certificatePem = certificate.toString("pem");
  await db.query(
    `insert into facility_certificates (certificate_serial, medical_institution_code, certificate_pem, not_after, issued_at)
     values ($1, $2, $3, $4, $5)`,
    [serial, facilityCode, certificatePem, notAfter, now],
  );
  return {
    facilityCode,
    serial,
    notAfter,
    certificatePem,
    privateKeyPem: await privateKeyPem(keys.privateKey),
    authorityPem: authority.certificate.toString("pem"),
  };
}

/**
 * The facility a client certificate (DER, already verified against the authority by TLS) belongs
 * to: only a certificate issued by `issueFacilityCertificate`, byte for byte, and not revoked.
 * A card's or reader's certificate from the same authority is no facility's.
 */
export async function facilityOfCertificate(db: Db, der: Buffer): Promise<{ facilityCode: string } | { revoked: true } | undefined> {
  const serial = new X509Certificate(der).serialNumber.toLowerCase();
  const [row] = await db.query<{ medical_institution_code: string; certificate_pem: string; revoked: boolean }>(
    `select f.medical_institution_code, f.certificate_pem,
            exists (select 1 from card_revocations v where v.certificate_serial = f.certificate_serial) as revoked
     from facility_certificates f where f.certificate_serial = $1`,
    [serial],
  );
  if (!row || !new X509Certificate(row.certificate_pem).raw.equals(der)) return undefined;
  return row.revoked ? { revoked: true } : { facilityCode: row.medical_institution_code };
}

/** The serial's facility certificate, for revocation; E2030 if the authority issued no facility certificate with it. */
export async function facilityCertificateSerial(db: Db, serial: string): Promise<{ serial: string; facilityCode: string }> {
  const normalised = serial.toLowerCase().replace(/:/g, "");
  const [row] = await db.query<{ medical_institution_code: string }>(
    "select medical_institution_code from facility_certificates where certificate_serial = $1",
    [normalised],
  );
  if (!row) throw new OqsError("E2030");
  return { serial: normalised, facilityCode: row.medical_institution_code };
}

/**
 * The HTTPS server's certificate for `hosts` (names and addresses), issued on first use and again
 * when it lacks a host, nears its end or is not the current authority's. Two processes racing both
 * issue; the last wins.
 */
export async function openServerCertificate(db: Db, authority: Authority, hosts: readonly string[], now: Date): Promise<ServerCertificate> {
  const authorityPem = authority.certificate.toString("pem");
  const [row] = await db.query<{ certificate_pem: string; private_key_pem: string }>(
    "select certificate_pem, private_key_pem from tls_server_certificate where id = 1",
  );
  if (row && serves(row.certificate_pem, authority, hosts, now)) {
    return { certificatePem: row.certificate_pem, privateKeyPem: row.private_key_pem, authorityPem };
  }
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
  const issued = { certificatePem: certificate.toString("pem"), privateKeyPem: await privateKeyPem(keys.privateKey), authorityPem };
  await db.query(
    `insert into tls_server_certificate (id, certificate_pem, private_key_pem) values (1, $1, $2)
     on conflict (id) do update set certificate_pem = excluded.certificate_pem, private_key_pem = excluded.private_key_pem`,
    [issued.certificatePem, issued.privateKeyPem],
  );
  return issued;
}

function serves(pem: string, authority: Authority, hosts: readonly string[], now: Date): boolean {
  const certificate = new X509Certificate(pem);
  if (!certificate.verify(new X509Certificate(authority.certificate.toString("pem")).publicKey)) return false;
  if (new Date(certificate.validTo).getTime() - now.getTime() < SERVER_RENEW_MS || new Date(certificate.validFrom) > now) return false;
  return hosts.every((host) => (isIP(host) ? certificate.checkIP(host) !== undefined : certificate.checkHost(host) !== undefined));
}
