// The monthly notice's shared figures as issued (docs/usage.md 「お知らせ」, migration 029): each
// month's group totals, kept when a notice first shows the month (as its own or in its history),
// and every facility's standing within its kind, kept with the month's first notice. Every later
// notice reads them instead of the whole nation's records, and says what the first one said.
import type { Db } from "../db/client.ts";
import { USAGE_METHODS, rankBand } from "../domain/usage.ts";
import { issuedGroups, issuedStanding, keepIssuedGroups, keepStandings, standingsKept, type NoticeBasis } from "../store/usage-notice-store.ts";
import { groupUsageRows, type GroupRow } from "../store/usage-store.ts";
import { addMonths } from "../subsidy/usage-rate.ts";
import type { GroupSeries } from "./usage-charts.ts";
import { groupRatesOf, type GroupRates, type RankStanding } from "./usage-rates.ts";

const NOTICE_BASES: readonly NoticeBasis[] = ["receipt", "online"];

const firstDay = (month: string) => `${month}-01`;

/** Group rows summed into one, as groupUsageRows sums facility-months: groups add up, never their rates. */
function sumGroups(month: string, kind: GroupRow["kind"], rows: readonly GroupRow[]): GroupRow {
  const sum = { month, kind, prefecture: null, facilities: 0, receipt_facilities: 0, card_persons: 0, receipt_persons: 0, receipts: null, outpatient_receipts: null } as GroupRow;
  for (const m of USAGE_METHODS) sum[m] = 0;
  for (const row of rows) {
    for (const m of USAGE_METHODS) sum[m] += row[m];
    for (const c of ["facilities", "receipt_facilities", "card_persons", "receipt_persons"] as const) sum[c] += row[c];
    if (row.receipts !== null) sum.receipts = (sum.receipts ?? 0) + row.receipts;
    if (row.outpatient_receipts !== null) sum.outpatient_receipts = (sum.outpatient_receipts ?? 0) + row.outpatient_receipts;
  }
  return sum;
}

/** A month's kind × prefecture rows with the nation's and each kind's summed from them. */
export function widerGroups(month: string, byKindPrefecture: readonly GroupRow[]): GroupRow[] {
  if (byKindPrefecture.length === 0) return [];
  const kinds = [...new Set(byKindPrefecture.map((g) => g.kind!))];
  return [sumGroups(month, null, byKindPrefecture), ...kinds.map((kind) => sumGroups(month, kind, byKindPrefecture.filter((g) => g.kind === kind))), ...byKindPrefecture];
}

/**
 * The group rows as issued of the months from `first` to `last` (YYYY-MM), by first day: those
 * kept are read, the others computed from the records in one statement and kept (a month without
 * records is kept empty: that is what its notice said).
 */
export async function issueMonths(db: Db, first: string, last: string, now: Date): Promise<Map<string, GroupRow[]>> {
  const kept = await issuedGroups(db, firstDay(first), firstDay(last));
  const missing: string[] = [];
  for (let month = first; month <= last; month = addMonths(month, 1)) if (!kept.has(firstDay(month))) missing.push(firstDay(month));
  if (missing.length === 0) return kept;
  const rows = await groupUsageRows(db, missing[0]!, missing.at(-1)!, "kind-prefecture");
  const months = new Map(missing.map((day) => [day, widerGroups(day, rows.filter((r) => r.month === day))]));
  await keepIssuedGroups(db, months, now);
  // Another notice may have kept some of them meanwhile: the first kept stands, so read them back.
  return issuedGroups(db, firstDay(first), firstDay(last));
}

/** One month's groups of `issueMonths`' answer as rates: the nation (no kind), each kind, each kind × prefecture. */
export function monthGroupRates(months: ReadonlyMap<string, GroupRow[]>, month: string): GroupRates[] {
  return groupRatesOf(months.get(firstDay(month)) ?? []);
}

/** A chart's national and kind lines from `issueMonths`' answer, read once for the whole chart. */
export function issuedSeries(months: ReadonlyMap<string, GroupRow[]>): GroupSeries {
  return async (_db, first, last, by) => {
    const wanted = (g: GroupRow) => g.prefecture === null && (by === "kind") === (g.kind !== null);
    const inSpan = [...months].filter(([day]) => day >= firstDay(first) && day <= firstDay(last));
    return groupRatesOf(inSpan.flatMap(([, groups]) => groups.filter(wanted)));
  };
}

/** The facility's standing on each notice basis as issued (kept with the month's first notice); null where it had no rate. */
export async function issuedRankBands(db: Db, month: string, code: string, now: Date): Promise<Record<NoticeBasis, RankStanding | null>> {
  const day = firstDay(month);
  if (!(await standingsKept(db, day))) {
    await issueMonths(db, month, month, now);
    await keepStandings(db, day, now);
  }
  const band = async (basis: NoticeBasis) => {
    const standing = await issuedStanding(db, day, code, basis);
    return standing ? { band: rankBand(standing.above, standing.ranked), ...standing } : null;
  };
  return { receipt: await band("receipt"), online: await band("online") };
}
