// The 利用者リスト: completed card checks per facility, numbered in commit order (see
// 007_card_users.sql), kept as the entries the API answers.
import type { Db } from "../db/client.ts";
import { withAlongside, type Alongside } from "./alongside.ts";

/** One line of the 利用者リスト (scratch/contract5.md `entry`). */
export interface CardUserEntry {
  sequence: number;
  checkedAt: string;
  method: "pin" | "face" | "visual";
  name: string;
  kanaName?: string;
  birthdate: string;
  sex: string;
  insurerNumber: string;
  insuredCardSymbol?: string;
  insuredIdentificationNumber: string;
  insuredBranchNumber?: string;
  qualificationValidity: string;
  consent: Record<string, boolean>;
  prescriptionIssueSelect?: string;
  warning?: { code: string; message: string };
  faceFile: string;
  referenceNumber?: string;
  /** The 受給者証 of 医療費助成 the face result carries (only with the patient's consent, where the facility uses it). */
  medicalSubsidies?: MedicalSubsidyEntry[];
}

/** One 受給者証 as the 利用者リスト shows it (dates YYYY-MM-DD, caps in yen). */
export interface MedicalSubsidyEntry {
  insurerNumber: string;
  recipientNumber?: string;
  name: string;
  validFrom: string;
  validTo?: string;
  monthlyCap?: number;
  perVisitCap?: number;
  alwaysReimbursement?: boolean;
}

/**
 * Appends an entry in one statement, with `alongside` (the other writes of the same check: its
 * consent record, its usage record) in the same statement, so all commit or none does. The
 * counter row stays locked until the statement commits, so the facility's entries become visible
 * in sequence order; nothing slow happens while it is held.
 */
export async function appendCardUser(
  db: Db,
  facilityCode: string,
  checkedDate: string,
  personId: number,
  entry: Omit<CardUserEntry, "sequence">,
  alongside: readonly Alongside[] = [],
): Promise<CardUserEntry> {
  // The stored entry starts with its sequence (json keeps key order): spliced in front of the
  // entry's own JSON text, as the counter gives it in this statement.
  const statement = withAlongside(
    {
      sql: `with counter as (
       insert into card_user_counters (medical_institution_code, last_sequence) values ($1, 1)
       on conflict (medical_institution_code) do update set last_sequence = card_user_counters.last_sequence + 1
       returning last_sequence)
     insert into card_users (medical_institution_code, sequence, checked_date, person_id, entry)
     select $1, last_sequence, $2, $3, ('{"sequence":' || last_sequence || ',' || substr($4::text, 2))::json from counter
     returning sequence`,
      values: [facilityCode, checkedDate, personId, JSON.stringify(entry)],
    },
    alongside,
  );
  const [row] = await db.query<{ sequence: number }>(statement.sql, statement.values);
  return { sequence: Number(row!.sequence), ...entry };
}

/** The facility's entries of a day (YYYY-MM-DD) after a sequence number, oldest first. */
export async function listCardUsers(db: Db, facilityCode: string, date: string, afterSequence = 0): Promise<CardUserEntry[]> {
  return (await listCardUserPersons(db, facilityCode, date, afterSequence)).map((u) => u.entry);
}

/** An entry with the person it names (never answered as such: the terminal page opens the person by the entry's sequence). */
export interface CardUserPerson {
  personId: number;
  entry: CardUserEntry;
}

type EntryRow = { person_id: number | string; entry: CardUserEntry | string };
const cardUserPerson = (r: EntryRow): CardUserPerson => ({ personId: Number(r.person_id), entry: typeof r.entry === "string" ? JSON.parse(r.entry) : r.entry });

export async function listCardUserPersons(db: Db, facilityCode: string, date: string, afterSequence = 0): Promise<CardUserPerson[]> {
  const rows = await db.query<EntryRow>(
    `select person_id, entry from card_users
     where medical_institution_code = $1 and checked_date = $2 and sequence > $3 order by sequence`,
    [facilityCode, date, afterSequence],
  );
  return rows.map(cardUserPerson);
}

/** One entry of the facility by its sequence; another facility's sequence finds nothing. */
export async function findCardUser(db: Db, facilityCode: string, sequence: number): Promise<CardUserPerson | undefined> {
  const rows = await db.query<EntryRow>("select person_id, entry from card_users where medical_institution_code = $1 and sequence = $2", [facilityCode, sequence]);
  return rows[0] && cardUserPerson(rows[0]);
}
