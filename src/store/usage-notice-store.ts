// The monthly notice's shared figures as issued (migration 029): each month's groups kept once,
// the month's standings kept once, each in one transaction by whoever needs them first; read by
// every notice after.
import type { Db } from "../db/client.ts";
import { STANDINGS_SQL, type GroupRow } from "./usage-store.ts";

export type NoticeBasis = "receipt" | "online";

/** The group rows as issued of the months (first days) from `from` to `to` that have them kept, by month. */
export async function issuedGroups(db: Db, from: string, to: string): Promise<Map<string, GroupRow[]>> {
  const rows = await db.query<{ month: string; groups: GroupRow[] }>("select month, groups from usage_notice_months where month between $1 and $2", [from, to]);
  return new Map(rows.map((r) => [r.month, r.groups]));
}

/** Keeps each month's group rows, unless kept already (the first kept stands). */
export async function keepIssuedGroups(db: Db, months: ReadonlyMap<string, readonly GroupRow[]>, now: Date): Promise<void> {
  for (const [month, groups] of months) {
    await db.query("insert into usage_notice_months (month, computed_at, groups) values ($1, $2, $3) on conflict do nothing", [month, now, JSON.stringify(groups)]);
  }
}

/** Whether the month's standings are kept. */
export async function standingsKept(db: Db, month: string): Promise<boolean> {
  const [row] = await db.query<{ kept: boolean }>("select ranks_computed_at is not null as kept from usage_notice_months where month = $1", [month]);
  return row?.kept ?? false;
}

/**
 * Computes and keeps the month's standings (its groups are kept already) in one statement, unless
 * another notice kept them first: then nothing is written and false is answered.
 */
export async function keepStandings(db: Db, month: string, now: Date): Promise<boolean> {
  const [row] = await db.query<{ kept: boolean }>(
    `with kept as (update usage_notice_months set ranks_computed_at = $3 where month = $1 and ranks_computed_at is null returning month),
     standings as (${STANDINGS_SQL}),
     written as (insert into usage_notice_ranks (month, medical_institution_code, basis, above, ranked)
       select $1, code, basis, above, ranked from standings where exists (select 1 from kept))
     select exists (select 1 from kept) as kept`,
    [month, month, now],
  );
  return row!.kept;
}

/** The facility's standing on `basis` as issued; undefined when it had no rate on it that month. */
export async function issuedStanding(db: Db, month: string, code: string, basis: NoticeBasis): Promise<{ above: number; ranked: number } | undefined> {
  const [row] = await db.query<{ above: number; ranked: number }>(
    "select above, ranked from usage_notice_ranks where month = $1 and medical_institution_code = $2 and basis = $3",
    [month, code, basis],
  );
  return row;
}

/** Forgets every kept figure: a simulation rewrites the nation the notices were issued against. */
export async function forgetIssued(db: Db): Promise<void> {
  await db.query("delete from usage_notice_ranks");
  await db.query("delete from usage_notice_months");
}
