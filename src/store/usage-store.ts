// Reading the usage records (migration 020) as facility-months: usage_days summed over days, shards
// and transports, plus usage_month_totals, plus the 名寄せ persons counted, beside the uploaded
// receipts. One set-based query serves a facility's months, a month's group totals and a series, so
// a national month (230,000 facilities) is one statement, not a loop (docs/usage.md).
import type { Db } from "../db/client.ts";
import type { FacilityKind } from "../domain/facility-code.ts";
import { USAGE_METHODS, type Basis, type UsageMethod } from "../domain/usage.ts";

/** Summed counters of a facility-month or a group, as the queries below return them. */
export interface UsageRow extends Record<UsageMethod, number> {
  /** YYYY-MM-DD, the month's first day */
  month: string;
  card_persons: number;
  receipts: number | null;
  outpatient_receipts: number | null;
}

export interface GroupRow extends UsageRow {
  kind: FacilityKind | null;
  prefecture: number | null;
  /** Facilities with any record or receipts in the month. */
  facilities: number;
  /** Of them, those that uploaded receipts: the receipt bases' sums are theirs only. */
  receipt_facilities: number;
  /** card_persons of the facilities that uploaded receipts. */
  receipt_persons: number;
}

export type Grouping = "nation" | "kind" | "prefecture" | "kind-prefecture";

const GROUP_COLUMNS: Record<Grouping, readonly string[]> = {
  nation: [],
  kind: ["kind"],
  prefecture: ["prefecture"],
  "kind-prefecture": ["kind", "prefecture"],
};

const METHOD_SUMS = USAGE_METHODS.map((m) => `sum(${m})::bigint as ${m}`).join(", ");
const METHOD_COALESCED = USAGE_METHODS.map((m) => `coalesce(f.${m}, 0) as ${m}`).join(", ");

/**
 * Every facility-month with a record or receipts between months $1 and $2 (first days, inclusive),
 * one row each: code, month, the six method counts, card_persons, receipts (null: none uploaded).
 * `codes` narrows it to the facilities with codes $3 to $4 (one facility, or a keyset page of them:
 * then each source is read by the range of its primary key). Each source is read by its month (or
 * day) range, which the indexes of migration 021 serve.
 */
function facilityMonthsSql(codes: boolean): string {
  const one = (column = "medical_institution_code") => (codes ? ` and ${column} between $3 and $4` : "");
  const zeros = USAGE_METHODS.map(() => "0").join(", ");
  return `
    with parts as (
      select medical_institution_code as code, month, ${USAGE_METHODS.join(", ")}, card_persons
      from usage_month_totals where month between $1::date and $2::date${one()}
      union all
      select medical_institution_code, date_trunc('month', day::timestamp)::date,
             ${USAGE_METHODS.map((m) => `coalesce(sum(count) filter (where method = '${m}'), 0)`).join(", ")}, 0
      from usage_days where day >= $1::date and day < ($2::date + interval '1 month')::date${one()}
      group by 1, 2
      union all
      select medical_institution_code, month, ${zeros}, count(*)
      from usage_card_persons where month between $1::date and $2::date${one()}
      group by 1, 2
    ), figures as (
      select code, month, ${METHOD_SUMS}, sum(card_persons)::bigint as card_persons from parts group by code, month
    ), receipts as (
      select medical_institution_code as code, month, receipts, outpatient_receipts
      from usage_receipts where month between $1::date and $2::date${one()}
    )
    select coalesce(f.code, r.code) as code, coalesce(f.month, r.month) as month, ${METHOD_COALESCED},
           coalesce(f.card_persons, 0) as card_persons, r.receipts, r.outpatient_receipts
    from figures f full join receipts r on r.code = f.code and r.month = f.month`;
}

/** A facility's months from `from` to `to` (first days, inclusive) that have a record or receipts, in order. */
export async function facilityUsageRows(db: Db, code: string, from: string, to: string): Promise<UsageRow[]> {
  return db.query<UsageRow>(`select * from (${facilityMonthsSql(true)}) m order by month`, [from, to, code, code]);
}

/** The same for the facilities with codes `first` to `last` (a page of the subsidy run over every facility), in code and month order. */
export async function facilityRangeUsageRows(db: Db, first: string, last: string, from: string, to: string): Promise<(UsageRow & { code: string })[]> {
  return db.query<UsageRow & { code: string }>(`select * from (${facilityMonthsSql(true)}) m order by code, month`, [from, to, first, last]);
}

/**
 * Group totals of the registered facilities for each month from `from` to `to`: one row per month
 * and group, in no order (a group without any facility-month has no row). The receipt bases' sums take only the
 * facilities that uploaded receipts (receipt_persons, receipts, outpatient_receipts).
 */
export async function groupUsageRows(db: Db, from: string, to: string, by: Grouping): Promise<GroupRow[]> {
  const columns = GROUP_COLUMNS[by];
  const selected = columns.length ? columns.join(", ") + "," : "";
  const nulls = ["kind", "prefecture"].filter((c) => !columns.includes(c)).map((c) => `null as ${c},`).join(" ");
  return db.query<GroupRow>(
    `select m.month, ${selected} ${nulls} count(*) as facilities, count(m.receipts) as receipt_facilities, ${METHOD_SUMS},
            sum(m.card_persons)::bigint as card_persons,
            coalesce(sum(m.card_persons) filter (where m.receipts is not null), 0)::bigint as receipt_persons,
            sum(m.receipts)::bigint as receipts, sum(m.outpatient_receipts)::bigint as outpatient_receipts
     from (${facilityMonthsSql(false)}) m join facilities fa on fa.medical_institution_code = m.code
     group by m.month${columns.map((c) => `, ${c}`).join("")}`,
    [from, to],
  );
}

/** The exact numerator and denominator of each basis in a facility-month row `m`. */
const BASIS_TERMS: Record<Basis, { numerator: string; denominator: string }> = {
  online: { numerator: "(m.card_face + m.card_pin + m.card_visual)", denominator: "(m.card_face + m.card_pin + m.card_visual + m.insurance_number + m.reference_number)" },
  receipt: { numerator: "m.card_persons", denominator: "m.receipts" },
  outpatient: { numerator: "m.card_persons", denominator: "m.outpatient_receipts" },
};

/**
 * Among the registered facilities of `kind` with a rate on `basis` in the month (first day), how many
 * there are (`ranked`) and how many have a rate strictly above numerator / denominator (`above`),
 * compared exactly by cross-multiplication.
 */
export async function rankCounts(db: Db, month: string, kind: FacilityKind, basis: Basis, numerator: number, denominator: number): Promise<{ ranked: number; above: number }> {
  const { numerator: n, denominator: d } = BASIS_TERMS[basis];
  const rows = await db.query<{ ranked: number; above: number }>(
    `select count(*) as ranked, count(*) filter (where ${n}::numeric * $4::numeric > $3::numeric * ${d}) as above
     from (${facilityMonthsSql(false)}) m join facilities fa on fa.medical_institution_code = m.code
     where fa.kind = $5 and ${d} > 0`,
    [month, month, numerator, denominator, kind],
  );
  return rows[0]!; // an aggregate without group by answers one row
}

/**
 * Every facility's standing within its kind on each notice basis in the month (first day $1), as
 * rankCounts counts it: `ranked` the facilities of the kind with a rate on the basis, `above` those
 * strictly higher. rank() counts the rows ordered strictly before a row's value, and the value is
 * the fraction floored to 30 decimals: exact for counts below 10^15, whose distinct fractions differ
 * by far more. Rows: code, kind, basis, above, ranked (a statement to select from).
 */
export const STANDINGS_SQL = `
  with m as (select m.* , fa.kind from (${facilityMonthsSql(false)}) m join facilities fa on fa.medical_institution_code = m.code),
  rated as (
    select code, kind, 'online' as basis, ${BASIS_TERMS.online.numerator} as n, ${BASIS_TERMS.online.denominator} as d from m
    union all
    select code, kind, 'receipt', ${BASIS_TERMS.receipt.numerator}, ${BASIS_TERMS.receipt.denominator} from m
  )
  select code, kind, basis, rank() over w - 1 as above, count(*) over (partition by kind, basis) as ranked
  from rated where d > 0
  window w as (partition by kind, basis order by div(n::numeric * 1e30, d) desc)`;
