// The facilities a 取りまとめ者 registered in advance (022's vendor_facilities, 第8 3) and its
// batches (subsidy_batches). Every query names the vendor: one vendor never reads another's.
import type { Db } from "../db/client.ts";

export interface VendorFacility {
  code: string;
  name: string;
  kind: string;
  registeredAt: Date;
}

/** Of `codes`, those that are facilities onshi knows. */
export async function knownFacilityCodes(db: Db, codes: readonly string[]): Promise<Set<string>> {
  const rows = await db.query<{ code: string }>("select medical_institution_code as code from facilities where medical_institution_code = any($1::text[])", [codes]);
  return new Set(rows.map((r) => r.code));
}

/** Registers `codes` (known facilities) for the vendor; the codes that were not registered before. */
export async function insertVendorFacilities(db: Db, vendorAccountId: number, codes: readonly string[], at: Date): Promise<Set<string>> {
  const rows = await db.query<{ code: string }>(
    `insert into vendor_facilities (vendor_account_id, medical_institution_code, registered_at)
     select $1, code, $3 from unnest($2::text[]) as code
     on conflict (vendor_account_id, medical_institution_code) do nothing
     returning medical_institution_code as code`,
    [vendorAccountId, codes, at.toISOString()],
  );
  return new Set(rows.map((r) => r.code));
}

/** Of `codes`, those the vendor registered, with the facility's kind. */
export async function registeredFacilityKinds(db: Db, vendorAccountId: number, codes: readonly string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ code: string; kind: string }>(
    `select v.medical_institution_code as code, f.kind from vendor_facilities v join facilities f on f.medical_institution_code = v.medical_institution_code
     where v.vendor_account_id = $1 and v.medical_institution_code = any($2::text[])`,
    [vendorAccountId, codes],
  );
  return new Map(rows.map((r) => [r.code, r.kind]));
}

/** The vendor's registered facilities, in code order. */
export async function listVendorFacilities(db: Db, vendorAccountId: number): Promise<VendorFacility[]> {
  const rows = await db.query<Record<string, unknown>>(
    `select v.medical_institution_code as code, f.name, f.kind, v.registered_at
     from vendor_facilities v join facilities f on f.medical_institution_code = v.medical_institution_code
     where v.vendor_account_id = $1 order by v.medical_institution_code`,
    [vendorAccountId],
  );
  return rows.map((r) => ({ code: r.code as string, name: r.name as string, kind: r.kind as string, registeredAt: new Date(r.registered_at as string | Date) }));
}
