// `onshi facilities add`: registers a 医療機関等 so that it can log in to the WebAPI. Its code is
// checked as the WebAPI checks one (10 digits, 都道府県番号, 検証番号) and must fit its kind; the
// 都道府県 is the code's own. The credential is the one given or a new random one, and is stored
// only as its hash: the caller shows it once.
import type { Db } from "../db/client.ts";
import { hashCredential, isFitCredential, newCredential } from "../domain/credential.ts";
import { municipalityNamed } from "../domain/municipalities.ts";
import { FACILITY_KINDS, facilityCodeProblem, kindFitsCode, type FacilityCodeProblem, type FacilityKind } from "../domain/facility-code.ts";
import { OqsError } from "../errors/catalogue.ts";
import { insertFacility } from "../store/facility-store.ts";

export interface NewFacility {
  code: string;
  name: string;
  kind: FacilityKind;
  municipality?: string;
  /** Generated when absent. */
  credential?: string;
}

export interface RegisteredFacility {
  code: string;
  name: string;
  kind: FacilityKind;
  prefecture: number;
  municipality: string | null;
  /** 全国地方公共団体コード of the 市区町村 named, when onshi's table knows it (disaster mode locates the facility by it). */
  municipalityCode: string | null;
  /** Only when onshi generated it: the one time it is shown. */
  credential?: string;
}

export const CODE_PROBLEMS: Record<FacilityCodeProblem, string> = {
  length: "10桁ではありません",
  digits: "数字以外の文字があります",
  prefecture: "先頭2桁の都道府県番号が 01〜47 ではありません",
  checkDigit: "検証番号 (最後の1桁) が合いません",
};
const MAX_NAME_LENGTH = 100;

/** The checks that need no database, so that a bad flag fails before the database is opened. */
export function checkNewFacility(facility: NewFacility): void {
  const problem = facilityCodeProblem(facility.code);
  if (problem) throw new OqsError("E9246", `${facility.code}: ${CODE_PROBLEMS[problem]}`);
  if (!FACILITY_KINDS.includes(facility.kind)) throw new OqsError("E9248", facility.kind);
  if (!kindFitsCode(facility.kind, facility.code)) throw new OqsError("E9248", `${facility.kind}, 点数表番号 ${facility.code.charAt(2)}`);
  const name = facility.name.trim();
  if (name.length === 0 || [...name].length > MAX_NAME_LENGTH || /\p{Cc}/u.test(name)) throw new OqsError("E9249");
  const credential = facility.credential;
  if (credential !== undefined && !isFitCredential(credential)) throw new OqsError("E9250");
}

export async function registerFacility(db: Db, facility: NewFacility): Promise<RegisteredFacility> {
  checkNewFacility(facility);
  const credential = facility.credential ?? newCredential();
  const prefecture = Number(facility.code.slice(0, 2));
  const municipality = facility.municipality?.trim() || null;
  const record = {
    code: facility.code,
    name: facility.name.trim(),
    kind: facility.kind,
    prefecture,
    municipality,
    municipalityCode: municipality === null ? null : (municipalityNamed(prefecture, municipality)?.code ?? null),
  };
  if (!(await insertFacility(db, record, hashCredential(credential)))) throw new OqsError("E9247", facility.code);
  return { ...record, ...(facility.credential === undefined ? { credential } : {}) };
}
