// The facility's side of 医療費助成 (PMH): the OQS 環境設定 医療費助成情報 利用する / 利用しない,
// and who changed it. Choosing 利用する is deemed acceptance of the PMH terms of use (spec §8),
// so the name of whoever chose it is kept with the time. Pure rules; the store keeps the rows.
import { OqsError } from "../errors/catalogue.ts";
import type { SubsidyCertificate } from "./medical-subsidy.ts";
import { participationOn, PMH_PROGRAMMES, type Participation, type PmhProgrammeKey } from "./pmh-participation.ts";

/** The longest name of the person who changes the setting (kept in medical_subsidy_use_changes). */
export const MAX_CHANGED_BY = 100;

/** One change of the setting, as recorded. */
export interface MedicalSubsidyUseChange {
  inUse: boolean;
  changedAt: Date;
  changedBy: string;
}

/** The labels of the real 環境設定 screen. */
export const USE_LABELS = { true: "利用する", false: "利用しない" } as const;
export const useLabel = (inUse: boolean): string => USE_LABELS[String(inUse) as "true" | "false"];

/** The name of whoever changes the setting: NFKC, trimmed, 1–100 characters, no control characters (E8600). */
export function readChangedBy(by: unknown): string {
  const value = typeof by === "string" ? by.normalize("NFKC").trim() : "";
  if (value === "" || [...value].length > MAX_CHANGED_BY || /\p{Cc}/u.test(value)) throw new OqsError("E8600", typeof by === "string" ? by : undefined);
  return value;
}

/**
 * When the PMH terms were accepted, by whom: the latest change to 利用する while the setting is
 * in use (changes newest first). None while 利用しない, even if it was accepted before: a facility
 * that chose 利用しない takes no PMH data until someone chooses 利用する again.
 */
export function acceptanceOf(changesNewestFirst: readonly MedicalSubsidyUseChange[]): MedicalSubsidyUseChange | undefined {
  const latest = changesNewestFirst[0];
  return latest?.inUse ? latest : undefined;
}

/** A record of a programme type the registry does not know is not shown either (nothing to tell its participation by). */
const PROGRAMME_KEYS: ReadonlySet<string> = new Set(PMH_PROGRAMMES.map((p) => p.key));

type ParticipationOn = (issuerCode: string, date: string, programme?: PmhProgrammeKey) => Participation;

/**
 * The records a card check shows, of those valid on `date` (YYYY-MM-DD) at the facility: only an
 * issuer known to take part in PMH that day (participationOn answers yes), and not for a
 * programme type the registry says it does not take part in that day (answer no). onshi's reading:
 * PMH delivers a record only while its issuer takes part, so where the registry cannot tell
 * whether the issuer takes part that day (its year's mark lost) the record is not shown rather
 * than guessed shown; where only the type is uncertain (the list counts, but does not name, who
 * takes each type), the issuer's own registration of the record stands for it.
 */
export function shownAtFacility(
  records: readonly SubsidyCertificate[],
  date: string,
  participation: ParticipationOn = participationOn,
): SubsidyCertificate[] {
  return records.filter(
    (r) =>
      PROGRAMME_KEYS.has(r.programme) &&
      participation(r.issuerCode, date).answer === "yes" &&
      participation(r.issuerCode, date, r.programme as PmhProgrammeKey).answer !== "no",
  );
}
