// 照会番号 reads and writes. Every query names the facility: a number is never visible to another
// facility, and no query finds a person by a number alone (it is not a lookup key, spec §7).
import type { Db } from "../db/client.ts";

const FIND = `
select person_id, reference_number from reference_numbers
where medical_institution_code = $1 and person_id = any($2::bigint[])`;

/** The facility's numbers for these persons; persons without one are absent from the map. */
export async function findReferenceNumbers(db: Db, facilityCode: string, personIds: number[]): Promise<Map<number, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await db.query<{ person_id: number; reference_number: string }>(FIND, [facilityCode, personIds]);
  return new Map(rows.map((r) => [r.person_id, r.reference_number]));
}

// The guard refuses a number another person holds without raising an error, so that a caller's
// surrounding transaction stays usable; the unique constraint still settles a concurrent race.
const SAVE = `
insert into reference_numbers (medical_institution_code, person_id, reference_number, registered_at, updated_at)
select $1, $2, $3, $4, $4
where not exists (select 1 from reference_numbers
                  where medical_institution_code = $1 and reference_number = $3 and person_id <> $2)
on conflict (medical_institution_code, person_id)
  do update set reference_number = excluded.reference_number, updated_at = excluded.updated_at
returning 1`;

export interface ReferenceNumberRow {
  facilityCode: string;
  personId: number;
  referenceNumber: string;
  at: Date;
}

/** Registers or replaces the person's number: "taken" when another person holds it in that facility. */
export async function saveReferenceNumber(db: Db, row: ReferenceNumberRow): Promise<"saved" | "taken"> {
  try {
    const saved = await db.query(SAVE, [row.facilityCode, row.personId, row.referenceNumber, row.at.toISOString()]);
    return saved.length > 0 ? "saved" : "taken";
  } catch (error) {
    if ((error as { code?: string }).code === "23505") return "taken";
    throw error;
  }
}
