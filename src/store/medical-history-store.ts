// What a person's derived history is computed from (src/domain/history-derivation.ts): the person,
// their qualifications with the insurer's kind, a 人工透析 certificate, the population they belong
// to with its seed, and the names of the facilities it may name.
import type { Db } from "../db/client.ts";

export interface HistorySource {
  personId: number;
  sex: 1 | 2 | 3;
  /** YYYY-MM-DD */
  birthdate: string;
  address: string | null;
  coverage: { from: string; until: string | null; kind: string }[];
  /** YYYY-MM-DD: the start of the earliest 特定疾病 certificate of category 1 (人工透析), or null. */
  dialysisFrom: string | null;
  population: { firstPersonId: number; seed: number; kind: "seeded" | "demo"; facilityCodes: string[] | null } | null;
}

export interface FacilityRow {
  code: string;
  name: string;
  kind: string;
}

/** Everything one history is derived from, in one round trip; undefined when no such person. */
export async function loadHistorySource(db: Db, personId: number): Promise<HistorySource | undefined> {
  const [row] = await db.query<{
    sex: 1 | 2 | 3;
    birthdate: string;
    address: string | null;
    coverage: { from: string; until: string | null; kind: string }[] | null;
    dialysis_from: string | null;
    population: { first_person_id: number; seed: number; kind: "seeded" | "demo"; facility_codes: string[] | null } | null;
  }>(
    `select p.sex, p.birthdate, p.address,
       (select json_agg(json_build_object('from', q.qualification_date, 'until', q.disqualification_date, 'kind', i.kind) order by q.qualification_date)
          from qualifications q join insurers i on i.insurer_number = q.insurer_number where q.person_id = p.person_id) as coverage,
       (select min(s.valid_start) from specific_disease_certificates s where s.person_id = p.person_id and s.disease_category = '1') as dialysis_from,
       (select row_to_json(x) from (select first_person_id, seed, kind, facility_codes from populations
          where first_person_id <= p.person_id and last_person_id >= p.person_id order by first_person_id desc limit 1) x) as population
     from persons p where p.person_id = $1`,
    [personId],
  );
  if (!row) return undefined;
  const population = row.population;
  return {
    personId,
    sex: row.sex,
    birthdate: row.birthdate,
    address: row.address,
    coverage: row.coverage ?? [],
    dialysisFrom: row.dialysis_from,
    population: population && {
      firstPersonId: Number(population.first_person_id),
      seed: Number(population.seed),
      kind: population.kind,
      facilityCodes: population.facility_codes,
    },
  };
}

/** The registered facilities among `codes`, in code order. */
export async function loadFacilities(db: Db, codes: readonly string[]): Promise<FacilityRow[]> {
  if (codes.length === 0) return [];
  return db.query<FacilityRow>(
    "select medical_institution_code as code, name, kind from facilities where medical_institution_code = any($1::text[]) order by medical_institution_code",
    [codes],
  );
}

/** Records the population a seeding or the demo adds (its persons' ids and the seed). */
export async function savePopulation(
  db: Db,
  population: { firstPersonId: number; lastPersonId: number; seed: number; kind: "seeded" | "demo"; facilityCodes?: readonly string[] },
): Promise<void> {
  await db.query(
    "insert into populations (first_person_id, last_person_id, seed, kind, facility_codes) values ($1, $2, $3, $4, $5) on conflict (first_person_id) do nothing",
    [population.firstPersonId, population.lastPersonId, population.seed, population.kind, population.facilityCodes ?? null],
  );
}

/** Whether a population of this kind is recorded (the demo is loaded once). */
export async function hasPopulation(db: Db, kind: "seeded" | "demo"): Promise<boolean> {
  const rows = await db.query("select 1 from populations where kind = $1 limit 1", [kind]);
  return rows.length > 0;
}
