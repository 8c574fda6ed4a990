// What the subsidy engine's facility profile reads of the facilities table (docs/usage.md
// 「施設プロフィール」): the facility's own columns, one facility or a keyset page of them in code
// order (`onshi subsidy calc --all-facilities` walks every facility so; the months come from
// usage-store.ts's facilityRangeUsageRows for the page's range of codes).
import type { Db } from "../db/client.ts";
import type { FacilityKind } from "../domain/facility-code.ts";

export interface ProfileFacility {
  code: string;
  name: string;
  kind: FacilityKind;
  largeChainPharmacy: boolean;
  openedOn: string | null;
  readersProvided: number | null;
  readersInUse: number | null;
}

const FACILITY_COLUMNS = `medical_institution_code as code, name, kind, large_chain_pharmacy as "largeChainPharmacy",
  opened_on as "openedOn", readers_provided as "readersProvided", readers_in_use as "readersInUse"`;

export async function findProfileFacility(db: Db, code: string): Promise<ProfileFacility | undefined> {
  const rows = await db.query<ProfileFacility>(`select ${FACILITY_COLUMNS} from facilities where medical_institution_code = $1`, [code]);
  return rows[0];
}

/** Up to `limit` facilities after code `after` ("" for the first page), in code order. */
export async function profileFacilityPage(db: Db, after: string, limit: number): Promise<ProfileFacility[]> {
  return db.query<ProfileFacility>(
    `select ${FACILITY_COLUMNS} from facilities where medical_institution_code > $1 order by medical_institution_code limit $2`,
    [after, limit],
  );
}

export async function countFacilities(db: Db): Promise<number> {
  return Number((await db.query<{ n: number }>("select count(*)::bigint as n from facilities"))[0]!.n);
}
