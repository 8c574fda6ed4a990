// Facility client certificates (facility_certificates: the certificate, never its key) and the
// HTTPS server's certificate and key (tls_server_certificate).
import type { Db } from "../db/client.ts";
import type { Authority } from "../card/authority.ts";
import { FACILITY_CERTIFICATE_DAYS, makeFacilityCertificate, makeServerCertificate, normaliseSerial, sameCertificate, serialOf, serves, type IssuedFacilityCertificate, type ServerCertificate } from "../card/facility-certificates.ts";
import { OqsError } from "../errors/catalogue.ts";
import { facilityCodeProblem, type FacilityCodeProblem } from "../domain/facility-code.ts";

/** As a message's MedicalInstitutionCode is refused (src/oqs/messages/fields.ts). */
const FACILITY_CODE_ERRORS = { length: "E1006", digits: "E1007", prefecture: "E1009", checkDigit: "E1010" } as const satisfies Record<FacilityCodeProblem, string>;

/** A new key and client certificate for a registered facility; E1006–E1010 for a malformed code, E2001 for an unknown one. */
export async function issueFacilityCertificate(
  db: Db,
  authority: Authority,
  facilityCode: string,
  now: Date,
  days = FACILITY_CERTIFICATE_DAYS,
): Promise<IssuedFacilityCertificate> {
  const problem = facilityCodeProblem(facilityCode);
  if (problem) throw new OqsError(FACILITY_CODE_ERRORS[problem], "MedicalInstitutionCode");
  const known = await db.query("select 1 from facilities where medical_institution_code = $1", [facilityCode]);
  if (known.length === 0) throw new OqsError("E2001", "MedicalInstitutionCode");
  const issued = await makeFacilityCertificate(authority, facilityCode, now, days);
  await db.query(
    `insert into facility_certificates (certificate_serial, medical_institution_code, certificate_pem, not_after, issued_at)
     values ($1, $2, $3, $4, $5)`,
    [issued.serial, facilityCode, issued.certificatePem, issued.notAfter, now],
  );
  return issued;
}

/**
 * The facility a client certificate (DER, already verified against the authority by TLS) belongs
 * to: only a certificate issued by `issueFacilityCertificate`, byte for byte, and not revoked.
 * A card's or reader's certificate from the same authority is no facility's.
 */
export async function facilityOfCertificate(db: Db, der: Buffer): Promise<{ facilityCode: string } | { revoked: true } | undefined> {
  const [row] = await db.query<{ medical_institution_code: string; certificate_pem: string; revoked: boolean }>(
    `select f.medical_institution_code, f.certificate_pem,
            exists (select 1 from card_revocations v where v.certificate_serial = f.certificate_serial) as revoked
     from facility_certificates f where f.certificate_serial = $1`,
    [serialOf(der)],
  );
  if (!row || !sameCertificate(row.certificate_pem, der)) return undefined;
  return row.revoked ? { revoked: true } : { facilityCode: row.medical_institution_code };
}

/** The serial's facility certificate, for revocation; E2030 if the authority issued no facility certificate with it. */
export async function facilityCertificateSerial(db: Db, serial: string): Promise<{ serial: string; facilityCode: string }> {
  const normalised = normaliseSerial(serial);
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
  const [row] = await db.query<{ certificate_pem: string; private_key_pem: string }>(
    "select certificate_pem, private_key_pem from tls_server_certificate where id = 1",
  );
  if (row && serves(row.certificate_pem, authority, hosts, now)) {
    return { certificatePem: row.certificate_pem, privateKeyPem: row.private_key_pem, authorityPem: authority.certificate.toString("pem") };
  }
  const issued = await makeServerCertificate(authority, hosts, now);
  await db.query(
    `insert into tls_server_certificate (id, certificate_pem, private_key_pem) values (1, $1, $2)
     on conflict (id) do update set certificate_pem = excluded.certificate_pem, private_key_pem = excluded.private_key_pem`,
    [issued.certificatePem, issued.privateKeyPem],
  );
  return issued;
}
