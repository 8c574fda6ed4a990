// The terminal page's patients: the facility's card users of the day (the 利用者リスト's entries)
// whose consent to at least one of 薬剤・特定健診・診療・手術 is in force now. A patient is named by
// the sequence of their latest entry, never by the person's id: a number of another facility, or
// one that does not exist, finds nobody alike (E2106).
import type { Db } from "../db/client.ts";
import { availableTimeOf, isConsentInForce, type ConsentRecord } from "../domain/consent.ts";
import { jstDate, yyyymmddToIso } from "../domain/dates.ts";
import { MEDICAL_INFO_CATEGORIES, type MedicalInfoCategory } from "../domain/medical-history.ts";
import { OqsError } from "../errors/catalogue.ts";
import { findCardUser, listCardUserPersons, type CardUserPerson } from "../store/card-user-store.ts";
import { findConsent, findConsents } from "../store/consent-store.ts";

export interface TerminalPatient {
  sequence: number;
  checkedAt: string;
  name: string;
  kanaName?: string;
  birthdate: string;
  sex: string;
  /** The categories whose consent is in force, each with the time it ends (AvailableTime). */
  consents: Partial<Record<MedicalInfoCategory, string>>;
}

function consentsInForce(record: ConsentRecord | undefined, at: Date): TerminalPatient["consents"] {
  if (!record) return {};
  const until = availableTimeOf(record.consTime).toISOString();
  return Object.fromEntries(MEDICAL_INFO_CATEGORIES.filter((c) => isConsentInForce(record, c, at)).map((c) => [c, until]));
}

function patientOf({ entry }: CardUserPerson, record: ConsentRecord | undefined, at: Date): TerminalPatient {
  return {
    sequence: entry.sequence,
    checkedAt: entry.checkedAt,
    name: entry.name,
    ...(entry.kanaName ? { kanaName: entry.kanaName } : {}),
    birthdate: entry.birthdate,
    sex: entry.sex,
    consents: consentsInForce(record, at),
  };
}

/** Today's (JST) patients with a consent in force, the latest card check first, one line per person. */
export async function todaysPatients(db: Db, facilityCode: string, now: Date): Promise<TerminalPatient[]> {
  const latest = new Map<number, CardUserPerson>();
  for (const user of await listCardUserPersons(db, facilityCode, yyyymmddToIso(jstDate(now)))) latest.set(user.personId, user);
  const consents = await findConsents(db, facilityCode, [...latest.keys()]);
  return [...latest.values()]
    .map((user) => patientOf(user, consents.get(user.personId), now))
    .filter((p) => Object.keys(p.consents).length > 0)
    .sort((a, b) => b.sequence - a.sequence);
}

/** The patient of one of the facility's card-user entries, with the person's id for the services; E2106 when the facility has no such entry. */
export async function findPatient(db: Db, facilityCode: string, sequence: number, now: Date): Promise<TerminalPatient & { personId: number }> {
  const user = Number.isSafeInteger(sequence) && sequence > 0 ? await findCardUser(db, facilityCode, sequence) : undefined;
  if (!user) throw new OqsError("E2106");
  return { ...patientOf(user, await findConsent(db, facilityCode, user.personId), now), personId: user.personId };
}
