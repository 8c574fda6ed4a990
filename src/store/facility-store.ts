// The facilities table as `onshi facilities list|add` keeps it (the WebAPI reads it through
// FacilityDirectory).
import type { Db } from "../db/client.ts";
import type { FacilityKind } from "../domain/facility-code.ts";

export interface FacilityRecord {
  code: string;
  name: string;
  kind: FacilityKind;
  /** 都道府県番号 1–47. */
  prefecture: number;
  municipality: string | null;
  /** 全国地方公共団体コード (6 digits), null when onshi's table does not know the municipality. */
  municipalityCode: string | null;
  /** Whether the code-and-credential login can work for it (a credential is set). */
  hasCredential: boolean;
}

interface FacilityRow {
  medical_institution_code: string;
  name: string;
  kind: FacilityKind;
  prefecture: number;
  municipality: string | null;
  municipality_code: string | null;
  has_credential: boolean;
}

const SELECT_FACILITIES = `select medical_institution_code, name, kind, prefecture, municipality, municipality_code, credential_hash is not null as has_credential
     from facilities`;

const facilityRecord = (r: FacilityRow): FacilityRecord => ({ code: r.medical_institution_code, name: r.name, kind: r.kind, prefecture: r.prefecture, municipality: r.municipality, municipalityCode: r.municipality_code, hasCredential: r.has_credential });

export async function listFacilities(db: Db): Promise<FacilityRecord[]> {
  return (await db.query<FacilityRow>(`${SELECT_FACILITIES} order by medical_institution_code`)).map(facilityRecord);
}

/** The registered facility of `code`, or undefined. */
export async function findFacility(db: Db, code: string): Promise<FacilityRecord | undefined> {
  const [row] = await db.query<FacilityRow>(`${SELECT_FACILITIES} where medical_institution_code = $1`, [code]);
  return row && facilityRecord(row);
}

/** Adds the facility; false when its code is registered already (nothing changed). */
export async function insertFacility(db: Db, facility: Omit<FacilityRecord, "hasCredential">, credentialHash: string): Promise<boolean> {
  const inserted = await db.query(
    `insert into facilities (medical_institution_code, name, kind, prefecture, municipality, municipality_code, credential_hash)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing returning 1`,
    [facility.code, facility.name, facility.kind, facility.prefecture, facility.municipality, facility.municipalityCode, credentialHash],
  );
  return inserted.length === 1;
}

/** The kind of a registered facility, or undefined. */
export async function findFacilityKind(db: Db, code: string): Promise<FacilityKind | undefined> {
  const rows = await db.query<{ kind: FacilityKind }>("select kind from facilities where medical_institution_code = $1", [code]);
  return rows[0]?.kind;
}
