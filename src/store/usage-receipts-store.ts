// The facility's uploaded receipt counts (usage_receipts, migration 020). One statement stores a
// whole upload; a month whose counts are already those uploaded is left as it is (its updated_at
// too), so the same upload twice changes nothing.
import type { Db } from "../db/client.ts";
import type { ReceiptMonth } from "../domain/usage-receipts.ts";

export type ReceiptOutcome = "registered" | "updated" | "unchanged";

/** Stores the months; each month's outcome (YYYY-MM → registered, updated or unchanged). */
export async function saveReceipts(db: Db, facilityCode: string, months: readonly ReceiptMonth[], at: Date): Promise<Map<string, ReceiptOutcome>> {
  const outcomes = new Map<string, ReceiptOutcome>(months.map((m) => [m.month, "unchanged"]));
  if (months.length === 0) return outcomes;
  // xmax is 0 on a row this statement inserted, the updating transaction's id on a row it updated.
  const rows = await db.query<{ month: string; inserted: boolean }>(
    `insert into usage_receipts (medical_institution_code, month, receipts, outpatient_receipts, updated_at)
     select $1, (t.month || '-01')::date, t.receipts, t.outpatient, $5
     from unnest($2::text[], $3::bigint[], $4::bigint[]) as t(month, receipts, outpatient)
     on conflict (medical_institution_code, month) do update
       set receipts = excluded.receipts, outpatient_receipts = excluded.outpatient_receipts, updated_at = excluded.updated_at
       where (usage_receipts.receipts, usage_receipts.outpatient_receipts) is distinct from (excluded.receipts, excluded.outpatient_receipts)
     returning to_char(month, 'YYYY-MM') as month, xmax::text = '0' as inserted`,
    [facilityCode, months.map((m) => m.month), months.map((m) => m.receipts), months.map((m) => m.outpatientReceipts), at.toISOString()],
  );
  for (const row of rows) outcomes.set(row.month, row.inserted ? "registered" : "updated");
  return outcomes;
}
