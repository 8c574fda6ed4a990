// The upload route's credentials, one per 全国地方公共団体コード (municipality_credentials): only
// their scrypt hashes are kept.
import type { Db } from "../db/client.ts";

/** Stores (or replaces) the hash of a municipality's credential. */
export async function saveMunicipalityCredential(db: Db, municipalityCode: string, credentialHash: string, issuedAt: Date): Promise<void> {
  await db.query(
    `insert into municipality_credentials (municipality_code, credential_hash, issued_at) values ($1, $2, $3)
     on conflict (municipality_code) do update set credential_hash = excluded.credential_hash, issued_at = excluded.issued_at`,
    [municipalityCode, credentialHash, issuedAt],
  );
}

/** The stored hash, or undefined when the code was never issued one. */
export async function municipalityCredentialHash(db: Db, municipalityCode: string): Promise<string | undefined> {
  const [row] = await db.query<{ credential_hash: string }>("select credential_hash from municipality_credentials where municipality_code = $1", [municipalityCode]);
  return row?.credential_hash;
}
