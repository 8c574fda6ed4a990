// The consents patients give at home for オンライン診療・訪問診療 (migration 019), and the bulk
// searches over them: a facility's consents of one kind by consent day or examination day.
import type { Db } from "../db/client.ts";
import { isoToYyyymmdd, yyyymmddToIso } from "../domain/dates.ts";
import { REMOTE_CATEGORY_NAMES, type RemoteCategory, type RemoteSearch, type Treatment } from "../domain/remote-consent.ts";

export interface NewRemoteConsent {
  facilityCode: string;
  personId: number;
  treatment: Treatment;
  consentedAt: Date;
  /** YYYYMMDD, Japan time, as the three below. */
  consentDate: string;
  examinationDate: string | null;
  validFrom: string;
  validTo: string;
  agreed: ReadonlySet<RemoteCategory>;
}

export interface RemoteConsent extends NewRemoteConsent {
  consentId: number;
  withdrawnAt: Date | null;
}

type Row = Record<string, unknown>;

const COLUMNS = { pharmacists: "pharmacists", specificHealthCheckups: "specific_health_checkups", diagnosis: "diagnosis", operation: "operation" } as const satisfies Record<RemoteCategory, string>;
const day = (v: unknown): string => isoToYyyymmdd(v as string);

function toConsent(r: Row): RemoteConsent {
  return {
    consentId: Number(r.consent_id),
    facilityCode: r.medical_institution_code as string,
    personId: Number(r.person_id),
    treatment: r.treatment as Treatment,
    consentedAt: new Date(r.consented_at as Date),
    consentDate: day(r.consent_date),
    examinationDate: r.examination_date == null ? null : day(r.examination_date),
    validFrom: day(r.valid_from),
    validTo: day(r.valid_to),
    agreed: new Set(REMOTE_CATEGORY_NAMES.filter((c) => r[COLUMNS[c]] === true)),
    withdrawnAt: r.withdrawn_at == null ? null : new Date(r.withdrawn_at as Date),
  };
}

export async function saveRemoteConsent(db: Db, c: NewRemoteConsent): Promise<RemoteConsent> {
  const [row] = await db.query<Row>(
    `insert into remote_consents (medical_institution_code, person_id, treatment, consented_at, consent_date, examination_date,
       valid_from, valid_to, pharmacists, specific_health_checkups, diagnosis, operation)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning *`,
    [
      c.facilityCode,
      c.personId,
      c.treatment,
      c.consentedAt,
      yyyymmddToIso(c.consentDate),
      c.examinationDate && yyyymmddToIso(c.examinationDate),
      yyyymmddToIso(c.validFrom),
      yyyymmddToIso(c.validTo),
      ...REMOTE_CATEGORY_NAMES.map((name) => c.agreed.has(name)),
    ],
  );
  return toConsent(row!);
}

/** The start of the day after `day` (YYYYMMDD) in Japan time: a consent withdrawn before it is not in force on `day`. */
const nextDayStart = (d: string) => new Date(new Date(`${yyyymmddToIso(d)}T00:00:00+09:00`).getTime() + 86_400_000);

/** The person's consents for the facility and kind in force on `day`, newest first. */
export async function consentsInForce(db: Db, facilityCode: string, personId: number, treatment: Treatment, on: string): Promise<RemoteConsent[]> {
  const rows = await db.query<Row>(
    `select * from remote_consents
     where medical_institution_code = $1 and person_id = $2 and treatment = $3
       and valid_from <= $4 and valid_to >= $4 and (withdrawn_at is null or withdrawn_at >= $5)
     order by consented_at desc, consent_id desc`,
    [facilityCode, personId, treatment, yyyymmddToIso(on), nextDayStart(on)],
  );
  return rows.map(toConsent);
}

/** Withdraws the person's consents for the facility and kind that are in force on the day of `at`; returns how many. */
export async function withdrawRemoteConsents(db: Db, facilityCode: string, personId: number, treatment: Treatment, at: Date, on: string): Promise<number> {
  const rows = await db.query(
    `update remote_consents set withdrawn_at = $4
     where medical_institution_code = $1 and person_id = $2 and treatment = $3
       and valid_from <= $5 and valid_to >= $5 and (withdrawn_at is null or withdrawn_at >= $6)
     returning consent_id`,
    [facilityCode, personId, treatment, at, yyyymmddToIso(on), nextDayStart(on)],
  );
  return rows.length;
}

/**
 * The consents a bulk search lists: of the facility and kind, with their consent (or examination)
 * day in [from, to], in force on `on` (the day the search is answered); one per person, the newest,
 * ordered by that day and then person.
 */
export async function searchRemoteConsents(db: Db, facilityCode: string, search: RemoteSearch, on: string): Promise<RemoteConsent[]> {
  const keyColumn = search.by === "consent" ? "consent_date" : "examination_date";
  const rows = await db.query<Row>(
    `select * from (
       select distinct on (person_id) * from remote_consents
       where medical_institution_code = $1 and treatment = $2 and ${keyColumn} between $3 and $4
         and valid_from <= $5 and valid_to >= $5 and (withdrawn_at is null or withdrawn_at >= $6)
       order by person_id, consented_at desc, consent_id desc
     ) latest order by ${keyColumn}, person_id`,
    [facilityCode, search.treatment, yyyymmddToIso(search.from), yyyymmddToIso(search.to), yyyymmddToIso(on), nextDayStart(on)],
  );
  return rows.map(toConsent);
}
