// Reads the qualifications that share a search key, with their person, insurer and certificates,
// in one round trip (the hot path of every 資格確認); for 一括照会, the same for many keys at once.
import type { Db } from "../db/client.ts";
import { withAlongside, type Alongside } from "./alongside.ts";
import { isoToYyyymmdd } from "../domain/dates.ts";
import type {
  ElderlyCertificate,
  LimitCertificate,
  QualificationRecord,
  SpecificDiseaseCertificate,
} from "../domain/qualification.ts";

export interface SearchKey {
  insurerNumber: string;
  insuredIdentificationNumber: string;
  insuredCardSymbol?: string;
  insuredBranchNumber?: string;
}

// The columns toRecord reads, and the joins they come from; single and bulk lookups share both.
// The insurer's name is a subquery on its key: as a join, the planner (expecting one key row)
// scanned the whole insurers table once per key, 3/4 of a 1,000-key bulk lookup.
const COLUMNS = `q.qualification_id, q.insurer_number,
  (select i.name from insurers i where i.insurer_number = q.insurer_number) as insurer_name, q.insured_card_classification,
  q.insured_card_symbol, q.insured_identification_number, q.insured_branch_number,
  q.personal_family_classification, q.insured_name, q.qualification_date, q.disqualification_date,
  q.reason_of_loss, q.card_issuance_date, q.card_valid_date, q.card_expiration_date,
  q.partial_contribution_ratio, q.preschool,
  p.person_id, p.name, p.name_kana, p.name_of_other, p.name_of_other_kana, p.sex, p.birthdate,
  p.address, p.post_number,
  exists (select 1 from qualifications n
          where n.person_id = q.person_id and n.qualification_date > q.qualification_date) as has_newer,
  (select json_agg(e) from elderly_certificates e where e.qualification_id = q.qualification_id) as elderly,
  (select json_agg(l) from limit_certificates l where l.qualification_id = q.qualification_id) as limits,
  (select json_agg(s) from specific_disease_certificates s where s.qualification_id = q.qualification_id) as diseases`;
const JOINS = `join persons p on p.person_id = q.person_id`;

// With $5, the facility's 照会番号 for each person comes in the same round trip (the hot path).
const FIND_BY_KEY = `
select ${COLUMNS}, r.reference_number
from qualifications q
${JOINS}
left join reference_numbers r on r.medical_institution_code = $5 and r.person_id = q.person_id
where q.insurer_number = $1 and q.insured_identification_number = $2
  and ($3::text is null or q.insured_card_symbol = $3)
  and ($4::text is null or q.insured_branch_number = $4)`;

// A card check knows the person (card → person by 保険証利用登録), not a key: all the person's
// qualifications, with the facility's 照会番号.
const FIND_BY_PERSON = `
select ${COLUMNS}, r.reference_number
from qualifications q
${JOINS}
left join reference_numbers r on r.medical_institution_code = $2 and r.person_id = q.person_id
where q.person_id = $1`;

// Many keys in one statement: the keys arrive as parallel arrays and each match carries the
// (1-based) position of its key.
const FIND_BY_KEYS = `
select k.key_index, ${COLUMNS}
from unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality
  as k(insurer_number, insured_identification_number, insured_card_symbol, insured_branch_number, key_index)
join qualifications q on q.insurer_number = k.insurer_number
  and q.insured_identification_number = k.insured_identification_number
  and (k.insured_card_symbol is null or q.insured_card_symbol = k.insured_card_symbol)
  and (k.insured_branch_number is null or q.insured_branch_number = k.insured_branch_number)
${JOINS}`;

type Row = Record<string, unknown>;

function queryByKey(db: Db, key: SearchKey, facilityCode: string | null, alongside: readonly Alongside[] = []): Promise<Row[]> {
  const values = [key.insurerNumber, key.insuredIdentificationNumber, key.insuredCardSymbol ?? null, key.insuredBranchNumber ?? null, facilityCode];
  const statement = withAlongside({ sql: FIND_BY_KEY, values }, alongside);
  return db.query<Row>(statement.sql, statement.values);
}

export async function findQualifications(db: Db, key: SearchKey): Promise<QualificationRecord[]> {
  return (await queryByKey(db, key, null)).map(toRecord);
}

/** The qualifications matching a key, and the requesting facility's 照会番号 by person id; `alongside` is written by the same statement. */
export async function findQualificationsForFacility(
  db: Db,
  key: SearchKey,
  facilityCode: string,
  alongside: readonly Alongside[] = [],
): Promise<{ records: QualificationRecord[]; referenceNumbers: Map<number, string> }> {
  const rows = await queryByKey(db, key, facilityCode, alongside);
  const referenceNumbers = new Map<number, string>();
  for (const row of rows) if (row.reference_number != null) referenceNumbers.set(row.person_id as number, row.reference_number as string);
  return { records: rows.map(toRecord), referenceNumbers };
}

/** One person's qualifications, and the facility's 照会番号 for the person (if any). */
export async function findQualificationsOfPerson(
  db: Db,
  personId: number,
  facilityCode: string,
): Promise<{ records: QualificationRecord[]; referenceNumbers: Map<number, string> }> {
  const rows = await db.query<Row>(FIND_BY_PERSON, [personId, facilityCode]);
  const referenceNumbers = new Map<number, string>();
  if (rows[0]?.reference_number != null) referenceNumbers.set(personId, rows[0].reference_number as string);
  return { records: rows.map(toRecord), referenceNumbers };
}

/** The qualifications matching each key, in the order of `keys`. */
export async function findQualificationsForKeys(db: Db, keys: readonly SearchKey[]): Promise<QualificationRecord[][]> {
  const found: QualificationRecord[][] = keys.map(() => []);
  if (keys.length === 0) return found;
  const rows = await db.query<Row>(FIND_BY_KEYS, [
    keys.map((k) => k.insurerNumber),
    keys.map((k) => k.insuredIdentificationNumber),
    keys.map((k) => k.insuredCardSymbol ?? null),
    keys.map((k) => k.insuredBranchNumber ?? null),
  ]);
  for (const row of rows) found[Number(row.key_index) - 1]!.push(toRecord(row));
  return found;
}

const date = (v: unknown): string => isoToYyyymmdd(v as string);
const optionalDate = (v: unknown): string | null => (v == null ? null : date(v));
const optional = <T>(v: unknown): T | null => (v == null ? null : (v as T));

function period(r: Row) {
  return { certificateDate: optionalDate(r.certificate_date), validStart: date(r.valid_start), validEnd: date(r.valid_end) };
}

function toRecord(r: Row): QualificationRecord {
  return {
    qualificationId: r.qualification_id as number,
    person: {
      personId: r.person_id as number,
      name: r.name as string,
      nameKana: r.name_kana as string,
      nameOfOther: optional(r.name_of_other),
      nameOfOtherKana: optional(r.name_of_other_kana),
      sex: r.sex as 1 | 2 | 3,
      birthdate: date(r.birthdate),
      address: optional(r.address),
      postNumber: optional(r.post_number),
    },
    insurerNumber: r.insurer_number as string,
    insurerName: r.insurer_name as string,
    insuredCardClassification: r.insured_card_classification as string,
    insuredCardSymbol: optional(r.insured_card_symbol),
    insuredIdentificationNumber: r.insured_identification_number as string,
    insuredBranchNumber: optional(r.insured_branch_number),
    personalFamilyClassification: r.personal_family_classification as 1 | 2,
    insuredName: optional(r.insured_name),
    qualificationDate: date(r.qualification_date),
    disqualificationDate: optionalDate(r.disqualification_date),
    reasonOfLoss: optional(r.reason_of_loss),
    cardIssuanceDate: optionalDate(r.card_issuance_date),
    cardValidDate: optionalDate(r.card_valid_date),
    cardExpirationDate: optionalDate(r.card_expiration_date),
    partialContributionRatio: optional(r.partial_contribution_ratio),
    preschool: r.preschool as boolean,
    hasNewerQualification: r.has_newer as boolean,
    elderlyCertificates: ((r.elderly as Row[] | null) ?? []).map(
      (e): ElderlyCertificate => ({ ...period(e), contributionRatio: e.contribution_ratio as number }),
    ),
    limitCertificates: ((r.limits as Row[] | null) ?? []).map(
      (l): LimitCertificate => ({
        ...period(l),
        classification: l.classification as string,
        classificationFlag: l.classification_flag as string,
        longTermDate: optionalDate(l.long_term_date),
      }),
    ),
    specificDiseaseCertificates: ((r.diseases as Row[] | null) ?? []).map(
      (s): SpecificDiseaseCertificate => ({
        ...period(s),
        diseaseCategory: s.disease_category as string,
        selfPay: s.self_pay as number,
      }),
    ),
  };
}
