// The subsidy engine's facility profile from onshi's own records (docs/usage.md 「施設プロフィール」):
// what the facilities table knows of the facility, and the months the programs read, with the
// figures onshi counted. `onshi usage profile` writes it, `onshi subsidy calc --facility` and
// `--all-facilities` calculate on it, the monthly notice asks it for the 医療DX推進体制整備加算 tier.
import type { Db } from "../db/client.ts";
import { OqsError } from "../errors/catalogue.ts";
import type { FacilityProfile, MonthFacts } from "../subsidy/profile.ts";
import { addMonths } from "../subsidy/usage-rate.ts";
import { findProfileFacility, profileFacilityPage, type ProfileFacility } from "../store/usage-profile-store.ts";
import { facilityMonths, facilityRangeMonths, type MonthFigures } from "./usage-rates.ts";

/** What a profile month takes of a month's figures (receipts null: none uploaded). */
type ProfileFigures = Pick<MonthFigures, "month" | "cardUses" | "cardPersons" | "onlineChecks" | "receipts" | "outpatientReceipts">;

/**
 * The first month any program reads: 2023-10, the base month of the 2024 支援金 (support-2024
 * baseMonth), the 一時金 (lump-sum-2024 baseMonth), the デジタル庁 modification's ※1 and ※2
 * (modification-da-2024 s1.months, s2.baseMonth) and the first of reader-expansion-2024's
 * usageMonths. Later programs read later months (dx-addition: N−2〜N−5 of the 算定月 N); none
 * reads an earlier one (test/usage/usage-profile.test.ts asks the engine).
 */
export const FIRST_PROFILE_MONTH = "2023-10";

/**
 * The months a profile at `at` holds: FIRST_PROFILE_MONTH to the month before `at`'s (a month is
 * read once it is over: dx-addition's latest is N−2, the other programs' periods ended before
 * they are paid), none before the month the facility opened. Empty before 2023-11.
 */
export function profileMonths(at: string, openedOn?: string | null): string[] {
  const opened = openedOn?.slice(0, 7);
  const months: string[] = [];
  const last = addMonths(at.slice(0, 7), -1);
  for (let m = opened !== undefined && opened > FIRST_PROFILE_MONTH ? opened : FIRST_PROFILE_MONTH; m <= last; m = addMonths(m, 1)) months.push(m);
  return months;
}

/**
 * The profile of a facility from its row and its months' figures (`rows`: in month order, some or
 * all months; a month not among them had no check, zeros). Receipts are left out of a month none were
 * uploaded for: the engine then names the field it misses instead of reading 0 receipts. Columns
 * the facilities table does not know (null) are left out too.
 */
export function profileFromRecords(facility: ProfileFacility, at: string, rows: readonly ProfileFigures[]): FacilityProfile {
  const profile: FacilityProfile = { name: facility.name, kind: facility.kind };
  if (facility.kind === "pharmacy") profile.largeChainPharmacy = facility.largeChainPharmacy;
  if (facility.openedOn !== null) profile.openedOn = facility.openedOn;
  if (facility.readersProvided !== null) profile.readersProvided = facility.readersProvided;
  if (facility.readersInUse !== null) profile.readersInUse = facility.readersInUse;
  const months: Record<string, MonthFacts> = {};
  let next = 0;
  for (const month of profileMonths(at, facility.openedOn)) {
    while (next < rows.length && rows[next]!.month < month) next++;
    const row = rows[next]?.month === month ? rows[next]! : undefined;
    const facts: MonthFacts = { cardUses: row?.cardUses ?? 0, cardPersons: row?.cardPersons ?? 0, onlineChecks: row?.onlineChecks ?? 0 };
    if (row?.receipts != null) {
      facts.receipts = row.receipts;
      facts.outpatientReceipts = row.outpatientReceipts!;
    }
    months[month] = facts;
  }
  profile.months = months;
  return profile;
}

/** The profile's first and last months at `at`, for the month queries (null: no month yet). */
function monthBounds(at: string): { from: string; to: string } | null {
  const months = profileMonths(at);
  return months.length === 0 ? null : { from: months[0]!, to: months.at(-1)! };
}

/** The profile of the facility `code` at `at` (YYYY-MM-DD); E8944 (as the rates answer it) when no facility has that code. */
export async function usageProfile(db: Db, code: string, at: string): Promise<FacilityProfile> {
  const facility = /^\d{10}$/.test(code) ? await findProfileFacility(db, code) : undefined;
  if (facility === undefined) throw new OqsError("E8944", code);
  const bounds = monthBounds(at);
  return profileFromRecords(facility, at, bounds === null ? [] : await facilityMonths(db, code, bounds.from, bounds.to));
}

export interface CodedProfile {
  code: string;
  profile: FacilityProfile;
}

/** A page of facilities and their months' figures, as read. */
interface PageRead {
  facilities: ProfileFacility[];
  rows: { code: string; figures: ProfileFigures }[];
}

async function readPage(db: Db, after: string, pageSize: number, bounds: { from: string; to: string } | null): Promise<PageRead> {
  const facilities = await profileFacilityPage(db, after, pageSize);
  if (facilities.length === 0 || bounds === null) return { facilities, rows: [] };
  return { facilities, rows: await facilityRangeMonths(db, facilities[0]!.code, facilities.at(-1)!.code, bounds.from, bounds.to) };
}

/**
 * Every facility's profile at `at`, a page of `pageSize` at a time in code order: per page one
 * query for the facilities (keyset: after the last code of the page before) and one for their
 * months. The next page is read while the caller works on this one. Pages are large because the
 * months query reads every block of the tables that holds a row of the page's codes: the
 * simulation writes a month of every facility at a time, so a page of 2,000 touches a fifth of the
 * blocks a page of 20,000 does.
 */
export async function* usageProfilePages(db: Db, at: string, pageSize = 20_000): AsyncGenerator<CodedProfile[]> {
  const bounds = monthBounds(at);
  let next: Promise<PageRead> | null = readPage(db, "", pageSize, bounds);
  while (next !== null) {
    const { facilities, rows }: PageRead = await next;
    if (facilities.length === 0) return;
    next = facilities.length < pageSize ? null : readPage(db, facilities.at(-1)!.code, pageSize, bounds);
    next?.catch(() => {}); // awaited on the next turn; the caller may stop before it
    const page: CodedProfile[] = [];
    let start = 0;
    for (const facility of facilities) {
      // Records of a code no facility has (usage_month_totals has no foreign key) are passed over.
      while (start < rows.length && rows[start]!.code < facility.code) start++;
      let end = start;
      while (end < rows.length && rows[end]!.code === facility.code) end++;
      page.push({ code: facility.code, profile: profileFromRecords(facility, at, rows.slice(start, end).map((r) => r.figures)) });
      start = end;
    }
    yield page;
  }
}
