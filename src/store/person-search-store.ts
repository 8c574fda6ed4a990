// Finds persons by what a front desk knows of them (カナ, birth date, the card's keys), for
// `onshi persons find`: one row per qualification, with the keys a 資格確認 is asked with.
import type { Db } from "../db/client.ts";

/** Criteria in the stored form; each one given narrows the search. */
export interface PersonCriteria {
  /** The start of name_kana (全角カナ, words separated by a 全角 space). */
  kanaPrefix?: string;
  /** YYYY-MM-DD. */
  birthdate?: string;
  insurerNumber?: string;
  symbol?: string;
  number?: string;
  branch?: string;
  /** The whole name or 通称, spaces left out, NFKC (漢字 or whatever was stored). */
  fullName?: string;
  /** The whole カナ name or 通称カナ, spaces left out (全角カナ). */
  fullKana?: string;
  sex?: 1 | 2 | 3;
  /** A part of the address, spaces left out, NFKC. */
  addressPart?: string;
}

export interface PersonMatch {
  personId: number;
  name: string;
  nameKana: string;
  /** YYYY-MM-DD. */
  birthdate: string;
  sex: 1 | 2 | 3;
  address: string | null;
  insurerNumber: string;
  symbol: string | null;
  number: string;
  branch: string | null;
  /** 1 本人, 2 家族. */
  personalFamilyClassification: 1 | 2;
  qualificationDate: string;
  disqualificationDate: string | null;
}

/**
 * The first `limit` matches (after `offset`) in カナ order (then birth date, person, newest qualification first).
 * Only the criteria given are in the SQL, so each search is planned on its own index: the カナ as a
 * range on persons_name_kana (collation "C", whose order is the code points', so a prefix is a
 * range and the index gives the order too), the birth date on persons_birthdate, the card's keys
 * on qualifications_key or qualifications_number.
 */
export async function findPersons(db: Db, criteria: PersonCriteria, limit: number, offset = 0): Promise<PersonMatch[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (criteria.kanaPrefix !== undefined) {
    where.push(`p.name_kana collate "C" >= ${param(criteria.kanaPrefix)} and p.name_kana collate "C" < ${param(afterPrefix(criteria.kanaPrefix))}`);
  }
  if (criteria.birthdate !== undefined) where.push(`p.birthdate = ${param(criteria.birthdate)}::date`);
  if (criteria.insurerNumber !== undefined) where.push(`q.insurer_number = ${param(criteria.insurerNumber)}`);
  if (criteria.symbol !== undefined) where.push(`q.insured_card_symbol = ${param(criteria.symbol)}`);
  if (criteria.number !== undefined) where.push(`q.insured_identification_number = ${param(criteria.number)}`);
  if (criteria.branch !== undefined) where.push(`q.insured_branch_number = ${param(criteria.branch)}`);
  // Compared without spaces and NFKC on both sides (the stored 全角 space included); the other
  // criteria (a birth date at least, services/disaster-search.ts) pick the rows through an index.
  const bare = (column: string) => `replace(normalize(${column}, NFKC), ' ', '')`;
  if (criteria.fullName !== undefined) {
    const name = param(criteria.fullName);
    where.push(`(${bare("p.name")} = ${name} or ${bare("p.name_of_other")} = ${name})`);
  }
  if (criteria.fullKana !== undefined) {
    const kana = param(criteria.fullKana);
    where.push(`(${bare("p.name_kana")} = ${kana} or ${bare("p.name_of_other_kana")} = ${kana})`);
  }
  if (criteria.sex !== undefined) where.push(`p.sex = ${param(criteria.sex)}`);
  if (criteria.addressPart !== undefined) where.push(`strpos(${bare("p.address")}, ${param(criteria.addressPart)}) > 0`);
  if (where.length === 0) throw new Error("findPersons needs a criterion");
  const rows = await db.query<{
    person_id: number;
    name: string;
    name_kana: string;
    birthdate: string;
    sex: 1 | 2 | 3;
    address: string | null;
    insurer_number: string;
    insured_card_symbol: string | null;
    insured_identification_number: string;
    insured_branch_number: string | null;
    personal_family_classification: 1 | 2;
    qualification_date: string;
    disqualification_date: string | null;
  }>(
    `select p.person_id, p.name, p.name_kana, p.birthdate, p.sex, p.address, q.insurer_number, q.insured_card_symbol,
       q.insured_identification_number, q.insured_branch_number, q.personal_family_classification,
       q.qualification_date, q.disqualification_date
     from persons p join qualifications q on q.person_id = p.person_id
     where ${where.join(" and ")}
     order by p.name_kana collate "C", p.birthdate, p.person_id, q.qualification_date desc, q.qualification_id
     limit ${param(limit)} offset ${param(offset)}`,
    params,
  );
  return rows.map((r) => ({
    personId: r.person_id,
    name: r.name,
    nameKana: r.name_kana,
    birthdate: r.birthdate,
    sex: r.sex,
    address: r.address,
    insurerNumber: r.insurer_number,
    symbol: r.insured_card_symbol,
    number: r.insured_identification_number,
    branch: r.insured_branch_number,
    personalFamilyClassification: r.personal_family_classification,
    qualificationDate: r.qualification_date,
    disqualificationDate: r.disqualification_date,
  }));
}

/** The first string after every one that starts with `prefix` (in code point order). */
function afterPrefix(prefix: string): string {
  const last = prefix.codePointAt(prefix.length - 1)!;
  return prefix.slice(0, -1) + String.fromCodePoint(last + 1);
}
