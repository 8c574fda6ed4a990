// Each facility's card reader key and certificate (card_readers), issued on first use.
import type { Db } from "../db/client.ts";
import type { Authority } from "../card/authority.ts";
import { issueReaderCertificate, readerKey, type ReaderKey } from "../card/reader-device.ts";

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
    const issued = await issueReaderCertificate(authority, facilityCode, now);
    await db.query(
      `insert into card_readers (medical_institution_code, certificate_serial, certificate_pem, private_key_pem, not_after, issued_at)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (medical_institution_code) do update set certificate_serial = excluded.certificate_serial,
         certificate_pem = excluded.certificate_pem, private_key_pem = excluded.private_key_pem,
         not_after = excluded.not_after, issued_at = excluded.issued_at
       where card_readers.not_after <= $6
          or exists (select 1 from card_revocations v where v.certificate_serial = card_readers.certificate_serial)`,
      [facilityCode, issued.serial, issued.certificatePem, issued.privateKeyPem, issued.notAfter, now],
    );
    row = (await current())!;
  }
  return readerKey(facilityCode, row.certificate_pem, row.private_key_pem);
}
