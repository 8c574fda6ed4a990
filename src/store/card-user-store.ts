// The 利用者リスト: completed card checks per facility, numbered in commit order (see
// 007_card_users.sql), kept as the entries the API answers.
import type { Db } from "../db/client.ts";

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
}

/**
 * Appends an entry in the caller's transaction. The counter row stays locked until it commits,
 * so the facility's entries become visible in sequence order.
 */
export async function appendCardUser(
  tx: Db,
  facilityCode: string,
  checkedDate: string,
  personId: number,
  entry: Omit<CardUserEntry, "sequence">,
): Promise<CardUserEntry> {
  const [counter] = await tx.query<{ last_sequence: number }>(
    `insert into card_user_counters (medical_institution_code, last_sequence) values ($1, 1)
     on conflict (medical_institution_code) do update set last_sequence = card_user_counters.last_sequence + 1
     returning last_sequence`,
    [facilityCode],
  );
  const full: CardUserEntry = { sequence: Number(counter!.last_sequence), ...entry };
  await tx.query(
    "insert into card_users (medical_institution_code, sequence, checked_date, person_id, entry) values ($1, $2, $3, $4, $5)",
    [facilityCode, full.sequence, checkedDate, personId, JSON.stringify(full)],
  );
  return full;
}

/** The facility's entries of a day (YYYY-MM-DD) after a sequence number, oldest first. */
export async function listCardUsers(db: Db, facilityCode: string, date: string, afterSequence = 0): Promise<CardUserEntry[]> {
  const rows = await db.query<{ entry: CardUserEntry | string }>(
    `select entry from card_users
     where medical_institution_code = $1 and checked_date = $2 and sequence > $3 order by sequence`,
    [facilityCode, date, afterSequence],
  );
  return rows.map((r) => (typeof r.entry === "string" ? JSON.parse(r.entry) : r.entry));
}
