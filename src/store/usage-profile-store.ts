// What the subsidy engine's facility profile reads from onshi's records (docs/usage.md 「施設プロフィール」):
// the facility's own columns, and its monthly figures for a run of facilities at once. A range of
// codes, not a list: `onshi subsidy calc --all-facilities` walks every facility in keyset pages of
// codes, and each page's months come from the tables' primary keys (code, month / day) in one range
// scan per table instead of one query per facility.
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

/** A facility-month's figures as the profile takes them; receipts null when none were uploaded. */
export interface ProfileMonthRow {
  code: string;
  /** YYYY-MM */
  month: string;
  cardUses: number;
  cardPersons: number;
  onlineChecks: number;
  receipts: number | null;
  outpatientReceipts: number | null;
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

/**
 * The months from `from` to `to` (first days, inclusive) that have records of the facilities with codes
 * `first` to `last`, ordered by code and month. A month's figures are its usage_month_totals row plus
 * its usage_days (summed over days, transports and shards) plus its usage_card_persons; cardUses are
 * the three card methods, onlineChecks those and the two 個別照会 methods (bulk_row is in neither).
 */
export async function profileMonthRows(db: Db, first: string, last: string, from: string, to: string): Promise<ProfileMonthRow[]> {
  return db.query<ProfileMonthRow>(
    `with figures as (
       select medical_institution_code as code, month, card_face + card_pin + card_visual as card_uses,
              card_face + card_pin + card_visual + insurance_number + reference_number as online_checks, card_persons
         from usage_month_totals
        where medical_institution_code between $1 and $2 and month between $3::date and $4::date
       union all
       select medical_institution_code, date_trunc('month', day)::date,
              coalesce(sum(count) filter (where method in ('card_face', 'card_pin', 'card_visual')), 0),
              coalesce(sum(count) filter (where method <> 'bulk_row'), 0), 0
         from usage_days
        where medical_institution_code between $1 and $2 and day >= $3::date and day < ($4::date + interval '1 month')
        group by 1, 2
       union all
       select medical_institution_code, month, 0, 0, count(*)
         from usage_card_persons
        where medical_institution_code between $1 and $2 and month between $3::date and $4::date
        group by 1, 2
     ), months as (
       select code, month, sum(card_uses) as card_uses, sum(online_checks) as online_checks, sum(card_persons) as card_persons
         from figures group by code, month
     ), receipts as (
       select medical_institution_code as code, month, receipts, outpatient_receipts
         from usage_receipts
        where medical_institution_code between $1 and $2 and month between $3::date and $4::date
     )
     select code, to_char(month, 'YYYY-MM') as month,
            coalesce(m.card_uses, 0)::bigint as "cardUses", coalesce(m.card_persons, 0)::bigint as "cardPersons",
            coalesce(m.online_checks, 0)::bigint as "onlineChecks",
            r.receipts, r.outpatient_receipts as "outpatientReceipts"
       from months m full join receipts r using (code, month)
      order by code, month`,
    [first, last, from, to],
  );
}
