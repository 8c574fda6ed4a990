// Reading the 補助金台帳 (第13, table subsidy_ledger): a facility's entries in the order they were
// recorded, and the totals per programme and 年度. Entries are only ever appended (the cases
// store's appendLedger; a trigger refuses UPDATE, DELETE and TRUNCATE), so nothing here writes.
//
// A correction is an entry of its own naming the entry it corrects; it counts as that entry's kind,
// programme and 年度 (the year's totals are restated), while it keeps its own day in the list.
import type { Db } from "../db/client.ts";

export const LEDGER_ENTRY_KINDS = ["readers_distributed", "decided", "paid", "cancelled", "return_ordered", "returned", "interest", "disposal_approved", "correction"] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];
/** What an entry counts as in a total: its own kind, or for a correction the kind it corrects. */
export type LedgerTotalKind = Exclude<LedgerEntryKind, "correction">;

export interface LedgerEntry {
  entryId: number;
  facilityCode: string;
  caseId: number | null;
  program: string;
  fiscalYear: number;
  entry: LedgerEntryKind;
  onDate: string;
  yen: number;
  readers: number;
  corrects: number | null;
  note: string | null;
  actorRole: string;
  actorName: string;
  recordedAt: Date;
}

interface EntryRow {
  entry_id: number;
  medical_institution_code: string;
  case_id: number | null;
  program: string;
  fiscal_year: number;
  entry: LedgerEntryKind;
  on_date: string;
  yen: number;
  readers: number;
  corrects: number | null;
  note: string | null;
  actor_role: string;
  actor_name: string;
  recorded_at: Date;
}

const ENTRY_COLUMNS = "entry_id, medical_institution_code, case_id, program, fiscal_year, entry, on_date, yen, readers, corrects, note, actor_role, actor_name, recorded_at";

const entryOf = (r: EntryRow): LedgerEntry => ({
  entryId: r.entry_id,
  facilityCode: r.medical_institution_code,
  caseId: r.case_id,
  program: r.program,
  fiscalYear: r.fiscal_year,
  entry: r.entry,
  onDate: r.on_date,
  yen: r.yen,
  readers: r.readers,
  corrects: r.corrects,
  note: r.note,
  actorRole: r.actor_role,
  actorName: r.actor_name,
  recordedAt: r.recorded_at,
});

/** A facility's entries, oldest first (the order they were recorded). */
export async function facilityLedger(db: Db, facilityCode: string): Promise<LedgerEntry[]> {
  const rows = await db.query<EntryRow>(`select ${ENTRY_COLUMNS} from subsidy_ledger where medical_institution_code = $1 order by entry_id`, [facilityCode]);
  return rows.map(entryOf);
}

export async function ledgerEntry(db: Db, entryId: number): Promise<LedgerEntry | undefined> {
  const [row] = await db.query<EntryRow>(`select ${ENTRY_COLUMNS} from subsidy_ledger where entry_id = $1`, [entryId]);
  return row && entryOf(row);
}

/** The sums of a set of entries, each kind apart (a correction counted with the kind it corrects). */
export interface LedgerSums {
  /** Facilities with an entry among them. */
  facilities: number;
  readersDistributed: number;
  decidedYen: number;
  paidYen: number;
  cancelledYen: number;
  /** Readers taken back by cancellations (negative, as recorded). */
  cancelledReaders: number;
  returnOrderedYen: number;
  returnedYen: number;
  interestYen: number;
  disposedReaders: number;
}

export interface LedgerSumRow extends LedgerSums {
  /** null on a row summing every 年度; program null on a row summing every programme. */
  fiscalYear: number | null;
  program: string | null;
}

export interface LedgerFilter {
  facilityCode?: string;
  /** 年度 range, inclusive. */
  fromYear?: number;
  toYear?: number;
  program?: string;
}

/**
 * `perYear` (the 厚生労働大臣's report): sums per 年度 and programme, per 年度 over all programmes
 * (program null), per programme over all 年度 (fiscalYear null) and over everything (both null).
 * `perProgram` (a facility's ledger): per programme and over all. A correction counts with the
 * entry it corrects: its kind, its programme and its 年度, so a year's figures are restated.
 */
export async function ledgerSums(db: Db, filter: LedgerFilter, grouping: "perYear" | "perProgram"): Promise<LedgerSumRow[]> {
  const sets = grouping === "perYear" ? "(t.fiscal_year, t.program), (t.fiscal_year), (t.program), ()" : "(t.program), ()";
  const yearColumn = grouping === "perYear" ? "t.fiscal_year" : "null::integer";
  const sum = (column: "yen" | "readers", kind: LedgerTotalKind) => `coalesce(sum(t.${column}) filter (where t.kind = '${kind}'), 0)::bigint`;
  const rows = await db.query<{
    fiscal_year: number | null;
    program: string | null;
    facilities: number;
    readers_distributed: number;
    decided_yen: number;
    paid_yen: number;
    cancelled_yen: number;
    cancelled_readers: number;
    return_ordered_yen: number;
    returned_yen: number;
    interest_yen: number;
    disposed_readers: number;
  }>(
    `select ${yearColumn} as fiscal_year, t.program, count(distinct t.medical_institution_code)::bigint as facilities,
            ${sum("readers", "readers_distributed")} as readers_distributed, ${sum("yen", "decided")} as decided_yen,
            ${sum("yen", "paid")} as paid_yen, ${sum("yen", "cancelled")} as cancelled_yen, ${sum("readers", "cancelled")} as cancelled_readers,
            ${sum("yen", "return_ordered")} as return_ordered_yen, ${sum("yen", "returned")} as returned_yen,
            ${sum("yen", "interest")} as interest_yen, ${sum("readers", "disposal_approved")} as disposed_readers
       from (select l.medical_institution_code, l.yen, l.readers,
                    coalesce(c.fiscal_year, l.fiscal_year) as fiscal_year,
                    coalesce(c.program, l.program) as program,
                    coalesce(c.entry, l.entry) as kind
               from subsidy_ledger l left join subsidy_ledger c on c.entry_id = l.corrects
              where ($1::text is null or l.medical_institution_code = $1)) t
      where ($2::integer is null or t.fiscal_year >= $2) and ($3::integer is null or t.fiscal_year <= $3)
        and ($4::text is null or t.program = $4)
      group by grouping sets (${sets})
     having count(*) > 0
      order by 1 nulls last, 2 nulls last`,
    [filter.facilityCode ?? null, filter.fromYear ?? null, filter.toYear ?? null, filter.program ?? null],
  );
  return rows.map((r) => ({
    fiscalYear: r.fiscal_year,
    program: r.program,
    facilities: r.facilities,
    readersDistributed: r.readers_distributed,
    decidedYen: r.decided_yen,
    paidYen: r.paid_yen,
    cancelledYen: r.cancelled_yen,
    cancelledReaders: r.cancelled_readers,
    returnOrderedYen: r.return_ordered_yen,
    returnedYen: r.returned_yen,
    interestYen: r.interest_yen,
    disposedReaders: r.disposed_readers,
  }));
}

export interface ProvidedReaders {
  readers: number;
  providedOn: string;
}

/**
 * The readers the ledger records as distributed, per day, for each of the facility's cases
 * (corrections of a distribution counted with it, on the distribution's day); days whose readers
 * net to zero or less are left out.
 */
export async function readersProvided(db: Db, facilityCode: string): Promise<Map<number, ProvidedReaders[]>> {
  const rows = await db.query<{ case_id: number; on_date: string; readers: number }>(
    `select coalesce(c.case_id, l.case_id) as case_id, coalesce(c.on_date, l.on_date) as on_date, sum(l.readers)::bigint as readers
       from subsidy_ledger l left join subsidy_ledger c on c.entry_id = l.corrects
      where l.medical_institution_code = $1 and coalesce(c.entry, l.entry) = 'readers_distributed' and coalesce(c.case_id, l.case_id) is not null
      group by 1, 2 having sum(l.readers) > 0 order by 1, 2`,
    [facilityCode],
  );
  const byCase = new Map<number, ProvidedReaders[]>();
  for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), { readers: r.readers, providedOn: r.on_date }]);
  return byCase;
}
