// The latest month onshi holds usage records or receipts for (a facility's, or anyone's): where the
// usage charts open when no months are asked for. 一括照会 rows do not count: they are in neither
// basis, and a month of them alone would open the charts on a month without a rate (the demo's
// receptions are answered on the day the server starts). Each max() is read from an index (the
// primary keys for a facility, migration 021's month indexes for everyone).
import type { Db } from "../db/client.ts";

/** YYYY-MM of the latest month with a record (other than 一括照会) or receipts, of facility `code` or (undefined) of any facility; undefined when there are none. */
export async function latestUsageMonth(db: Db, code?: string): Promise<string | undefined> {
  const where = code === undefined ? "" : " where medical_institution_code = $1";
  const checks = code === undefined ? " where method <> 'bulk_row'" : " and method <> 'bulk_row'";
  const [row] = await db.query<{ month: string | null }>(
    `select to_char(greatest(
       (select max(month) from usage_month_totals${where}),
       (select date_trunc('month', max(day)::timestamp)::date from usage_days${where}${checks}),
       (select max(month) from usage_card_persons${where}),
       (select max(month) from usage_receipts${where})), 'YYYY-MM') as month`,
    code === undefined ? [] : [code],
  );
  return row?.month ?? undefined;
}
