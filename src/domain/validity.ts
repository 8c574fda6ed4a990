// The validity decision of 個別照会 (OQSCD006 QualificationValidity): a pure function of the
// qualifications that share the search key and the confirmation date.
import { isQualifiedOn, type QualificationRecord } from "./qualification.ts";

export const Validity = {
  Valid: "1",
  Lost: "2",
  LostWithNewer: "3",
  NotFound: "4",
  Multiple: "5",
} as const;
export type Validity = (typeof Validity)[keyof typeof Validity];

/** How each value reads on a screen or in a summary (the CLI, the web pages). */
export const VALIDITY_LABELS: Readonly<Record<string, string>> = {
  [Validity.Valid]: "有効",
  [Validity.Lost]: "無効",
  [Validity.LostWithNewer]: "無効（新しい資格あり）",
  [Validity.NotFound]: "該当資格なし",
  [Validity.Multiple]: "複数該当",
};

export interface ValidityDecision {
  validity: Validity;
  /** The qualification shown for each person found (several only for 複数該当). */
  results: QualificationRecord[];
}

/**
 * `candidates` are the qualifications whose insurer, number (and symbol and branch, when the
 * request gives them) match. A birth date that does not match counts as not found. One person →
 * 1 when a qualification covers the date; otherwise 3 when the person has a newer qualification,
 * else 2 (this also answers a qualification that starts after the date: it exists but does not
 * cover it). Several persons → 5 with each person's qualification.
 */
export function decideValidity(candidates: readonly QualificationRecord[], birthdate: string, date: string): ValidityDecision {
  const byPerson = new Map<number, QualificationRecord[]>();
  for (const q of candidates) {
    if (q.person.birthdate !== birthdate) continue;
    const list = byPerson.get(q.person.personId);
    if (list) list.push(q);
    else byPerson.set(q.person.personId, [q]);
  }
  if (byPerson.size === 0) return { validity: Validity.NotFound, results: [] };
  const shown = [...byPerson.values()].map((list) => qualificationToShow(list, date));
  if (shown.length > 1) return { validity: Validity.Multiple, results: shown };
  const only = shown[0]!;
  if (isQualifiedOn(only, date)) return { validity: Validity.Valid, results: shown };
  return { validity: only.hasNewerQualification ? Validity.LostWithNewer : Validity.Lost, results: shown };
}

/** Among one person's matching qualifications: the one covering the date, else the latest acquired. */
function qualificationToShow(list: QualificationRecord[], date: string): QualificationRecord {
  const covering = list.find((q) => isQualifiedOn(q, date));
  if (covering) return covering;
  return list.reduce((latest, q) => (q.qualificationDate > latest.qualificationDate ? q : latest));
}
