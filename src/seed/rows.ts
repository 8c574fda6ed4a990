// Rows of the person tables as the generators produce them, and their COPY text form. Column
// lists are spelled out per table (not taken from object keys) so that the COPY column order
// cannot drift from the line format.
import { copyField } from "../db/copy-field.ts";

export interface PersonRow {
  person_id: number;
  name: string;
  name_kana: string;
  name_of_other: string | null;
  name_of_other_kana: string | null;
  sex: 1 | 2;
  birthdate: string;
  address: string;
  post_number: string;
}

export interface QualificationRow {
  qualification_id: number;
  person_id: number;
  insurer_number: string;
  insured_card_classification: string;
  insured_card_symbol: string | null;
  insured_identification_number: string;
  insured_branch_number: string | null;
  personal_family_classification: 1 | 2;
  insured_name: string;
  qualification_date: string;
  disqualification_date: string | null;
  reason_of_loss: string | null;
  card_issuance_date: string | null;
  card_valid_date: string | null;
  card_expiration_date: string | null;
  partial_contribution_ratio: number | null;
  preschool: boolean;
}

interface Period {
  person_id: number;
  qualification_id: number;
  certificate_date: string;
  valid_start: string;
  valid_end: string;
}
export interface ElderlyRow extends Period {
  contribution_ratio: 20 | 30;
}
export interface LimitRow extends Period {
  classification: "01" | "02" | "03";
  classification_flag: string;
  long_term_date: string | null;
}
export interface DiseaseRow extends Period {
  disease_category: "1" | "2" | "3";
  self_pay: number;
}

/** A 受給者証 of 医療費助成 as the seed makes it (the other columns of the table take their defaults). */
export interface SubsidyRow {
  issuer_code: string;
  history_key: string;
  person_id: number;
  programme: string;
  org_certificate_type_id: string | null;
  insurer_number: string;
  recipient_number: string;
  certification_name: string;
  income_segment: string | null;
  max_copayment_monthly: number | null;
  max_copayment_per_visit: number | null;
  valid_from: string;
  valid_to: string;
  updated_at: string;
}

/** Rows of one batch (a household, or many), per table. */
export interface RowSet {
  persons: PersonRow[];
  qualifications: QualificationRow[];
  elderly_certificates: ElderlyRow[];
  limit_certificates: LimitRow[];
  specific_disease_certificates: DiseaseRow[];
  medical_subsidy_certificates: SubsidyRow[];
}
export type TableName = keyof RowSet;

/** Parents before children, for the foreign keys. */
export const TABLE_ORDER: readonly TableName[] = ["persons", "qualifications", "elderly_certificates", "limit_certificates", "specific_disease_certificates", "medical_subsidy_certificates"];

export function emptyRowSet(): RowSet {
  return { persons: [], qualifications: [], elderly_certificates: [], limit_certificates: [], specific_disease_certificates: [], medical_subsidy_certificates: [] };
}

export const COLUMNS: { readonly [T in TableName]: readonly (keyof RowSet[T][number] & string)[] } = {
  persons: ["person_id", "name", "name_kana", "name_of_other", "name_of_other_kana", "sex", "birthdate", "address", "post_number"],
  qualifications: [
    "qualification_id", "person_id", "insurer_number", "insured_card_classification", "insured_card_symbol",
    "insured_identification_number", "insured_branch_number", "personal_family_classification", "insured_name",
    "qualification_date", "disqualification_date", "reason_of_loss", "card_issuance_date", "card_valid_date",
    "card_expiration_date", "partial_contribution_ratio", "preschool",
  ],
  elderly_certificates: ["person_id", "qualification_id", "certificate_date", "valid_start", "valid_end", "contribution_ratio"],
  limit_certificates: ["person_id", "qualification_id", "classification", "classification_flag", "certificate_date", "valid_start", "valid_end", "long_term_date"],
  specific_disease_certificates: ["person_id", "qualification_id", "disease_category", "certificate_date", "valid_start", "valid_end", "self_pay"],
  medical_subsidy_certificates: [
    "issuer_code", "history_key", "person_id", "programme", "org_certificate_type_id", "insurer_number", "recipient_number",
    "certification_name", "income_segment", "max_copayment_monthly", "max_copayment_per_visit", "valid_from", "valid_to", "updated_at",
  ],
};

// Hand-written per table (in COLUMNS order): formatting is a good part of the loader's CPU time.
// Dates and numbers never need escaping; text goes through copyField.
const f = copyField;
const LINE: { readonly [T in TableName]: (row: RowSet[T][number]) => string } = {
  persons: (p) =>
    `${p.person_id}\t${f(p.name)}\t${f(p.name_kana)}\t${f(p.name_of_other)}\t${f(p.name_of_other_kana)}\t${p.sex}\t${p.birthdate}\t${f(p.address)}\t${f(p.post_number)}\n`,
  qualifications: (q) =>
    `${q.qualification_id}\t${q.person_id}\t${q.insurer_number}\t${f(q.insured_card_classification)}\t${f(q.insured_card_symbol)}\t` +
    `${f(q.insured_identification_number)}\t${f(q.insured_branch_number)}\t${q.personal_family_classification}\t${f(q.insured_name)}\t` +
    `${q.qualification_date}\t${f(q.disqualification_date)}\t${f(q.reason_of_loss)}\t${f(q.card_issuance_date)}\t${f(q.card_valid_date)}\t` +
    `${f(q.card_expiration_date)}\t${f(q.partial_contribution_ratio)}\t${q.preschool ? "t" : "f"}\n`,
  elderly_certificates: (e) => `${e.person_id}\t${e.qualification_id}\t${e.certificate_date}\t${e.valid_start}\t${e.valid_end}\t${e.contribution_ratio}\n`,
  limit_certificates: (l) =>
    `${l.person_id}\t${l.qualification_id}\t${l.classification}\t${l.classification_flag}\t${l.certificate_date}\t${l.valid_start}\t${l.valid_end}\t${f(l.long_term_date)}\n`,
  specific_disease_certificates: (s) =>
    `${s.person_id}\t${s.qualification_id}\t${s.disease_category}\t${s.certificate_date}\t${s.valid_start}\t${s.valid_end}\t${s.self_pay}\n`,
  medical_subsidy_certificates: (c) =>
    `${c.issuer_code}\t${f(c.history_key)}\t${c.person_id}\t${c.programme}\t${f(c.org_certificate_type_id)}\t${c.insurer_number}\t${f(c.recipient_number)}\t` +
    `${f(c.certification_name)}\t${f(c.income_segment)}\t${f(c.max_copayment_monthly)}\t${f(c.max_copayment_per_visit)}\t${c.valid_from}\t${c.valid_to}\t${c.updated_at}\n`,
};

/** One COPY text-format line of a row, in the order of COLUMNS[table], ending in "\n". */
export function copyLine<T extends TableName>(table: T, row: RowSet[T][number]): string {
  return (LINE[table] as (row: RowSet[T][number]) => string)(row);
}
