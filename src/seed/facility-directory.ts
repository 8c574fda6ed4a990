// The facilities that generated histories name: in every municipality of places.ts one 病院, three
// 診療所 and two 薬局, with 医療機関コード of their prefecture and a 郡市区番号 from 70 up (the
// demo's is 01). `onshi seed` adds the ones missing (a code registered by hand first keeps its
// row). They are fixed, not drawn from a seed, so every population shares them and a history
// names the same facilities whatever else is registered later.
import { withCheckDigit } from "../domain/check-digit.ts";
import type { FacilityKind } from "../domain/facility-code.ts";
import { municipalityNamed } from "../domain/municipalities.ts";
import type { Db } from "../db/client.ts";
import { PREFECTURES, TOWNS, type City, type Prefecture } from "./places.ts";

export interface DirectoryFacility {
  code: string;
  name: string;
  kind: FacilityKind;
  prefecture: number;
  municipality: string;
  /** 全国地方公共団体コード, so that a disaster declaration for the municipality covers them. */
  municipalityCode: string | null;
}

const CLINIC_NAMES = ["内科クリニック", "ファミリークリニック", "整形外科医院"];
const PHARMACY_NAMES = ["あおば薬局", "さくら調剤薬局"];

function cityFacilities(p: Prefecture, city: City, index: number): DirectoryFacility[] {
  const pref = String(p.code).padStart(2, "0");
  const district = String(70 + index);
  const town = TOWNS[(p.code * 7 + index) % TOWNS.length]!;
  const at = (table: string, serial: number) => withCheckDigit(`${pref}${table}${district}${String(9000 + serial)}`);
  const where = { prefecture: p.code, municipality: city.name, municipalityCode: municipalityNamed(p.code, city.name)?.code ?? null };
  return [
    { code: at("1", 1), name: `${city.name}中央病院`, kind: "hospital", ...where },
    ...CLINIC_NAMES.map((name, i) => ({ code: at("1", 101 + i), name: `${i === 0 ? town : city.name}${name}`, kind: "medical_clinic" as const, ...where })),
    ...PHARMACY_NAMES.map((name, i) => ({ code: at("4", 201 + i), name: `${i === 0 ? town : city.name.replace(/(市|区|町|村)$/, "")}${name}`, kind: "pharmacy" as const, ...where })),
  ];
}

/** Every generated facility, by prefecture and municipality. */
export const FACILITY_DIRECTORY: readonly DirectoryFacility[] = PREFECTURES.flatMap((p) => p.cities.flatMap((c, i) => cityFacilities(p, c, i)));

/** The generated facilities of the municipality in an address (the prefecture's first one when none matches). */
export function directoryFacilitiesNear(address: string | null): DirectoryFacility[] {
  const prefecture = PREFECTURES.find((p) => address?.startsWith(p.name)) ?? PREFECTURES[12]!;
  const rest = address?.slice(prefecture.name.length) ?? "";
  const city = prefecture.cities.find((c) => rest.startsWith(c.name)) ?? prefecture.cities[0]!;
  return FACILITY_DIRECTORY.filter((f) => f.prefecture === prefecture.code && f.municipality === city.name);
}

/** Adds the generated facilities that are missing (about a thousand rows, one statement). */
export async function insertFacilityDirectory(db: Db): Promise<void> {
  const rows = FACILITY_DIRECTORY;
  const values = rows.map((_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`).join(", ");
  await db.query(
    `insert into facilities (medical_institution_code, name, kind, prefecture, municipality, municipality_code) values ${values}
     on conflict (medical_institution_code) do nothing`,
    rows.flatMap((f) => [f.code, f.name, f.kind, f.prefecture, f.municipality, f.municipalityCode]),
  );
}
