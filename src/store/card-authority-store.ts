// The test authority's key, certificate and current CRL (card_authority), and its revocations.
import type { Db } from "../db/client.ts";
import { authorityFrom, createAuthority, signCrl, type Authority } from "../card/authority.ts";
import { OqsError } from "../errors/catalogue.ts";

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
      [created.certificatePem, created.privateKeyPem, created.crlDer, now],
    );
    row = (await db.query<AuthorityRow>("select certificate_pem, private_key_pem from card_authority where id = 1"))[0]!;
  }
  return authorityFrom(row.certificate_pem, row.private_key_pem);
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
