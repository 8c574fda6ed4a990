// オンライン診療・訪問診療 with the card at the patient's home (居宅同意取得型, spec §5.1): the
// consent a patient gives for one facility and one kind of care, how long it holds, and the search
// keys of the bulk kinds that list such consents (OQSmuonq01 by consent or examination day,
// OQSmuhvq01 by consent day; spec §2). Pure rules; days are YYYYMMDD in Japan time.
import type { ConsentCategory } from "./consent.ts";
import { isValidYyyymmdd } from "./dates.ts";
import type { ErrorCode } from "../errors/catalogue.ts";

/** MedicalTreatmentFlag as the bulk requests carry it: 2 訪問診療, 3 オンライン診療. */
export const Treatment = { Visit: "2", Online: "3" } as const;
export type Treatment = (typeof Treatment)[keyof typeof Treatment];
export const TREATMENTS: readonly Treatment[] = [Treatment.Visit, Treatment.Online];
export const TREATMENT_LABELS: Readonly<Record<Treatment, string>> = { "2": "訪問診療", "3": "オンライン診療" };

/**
 * The information a home consent may open, in the order the consent page asks, with the element
 * prefix the bulk results spell them with (`<prefix>ConsFlg`, `<prefix>ConsTime`; the spelling
 * differs from the reader's face results: OQSDrug2's mapping PICF → PharmaceuticalInfoConsFlg).
 */
export const REMOTE_CATEGORIES = {
  pharmacists: "PharmaceuticalInfo",
  specificHealthCheckups: "SpecificHealthCheckupsInfo",
  diagnosis: "DiagnosisInfo",
  operation: "OperationInfo",
} as const satisfies Partial<Record<ConsentCategory, string>>;
export type RemoteCategory = keyof typeof REMOTE_CATEGORIES;
export const REMOTE_CATEGORY_NAMES = Object.keys(REMOTE_CATEGORIES) as RemoteCategory[];

/**
 * 訪問診療: the real consent holds "while the visits go on", until the patient withdraws it
 * (2回目以降は再照会、薬剤情報等は初回時の同意に基づき取得可能). onshi cannot see the visits go
 * on, so it bounds the consent at one year from its day (365 days, both ends in); the patient
 * consents again at a later visit. Onshi's reading, not a published figure.
 */
export const VISIT_CONSENT_DAYS = 365;
/**
 * オンライン診療: consent is per use, given for a booked examination; onshi's reading is that it
 * holds from its day to the booked day, which is at most 30 days ahead.
 */
export const ONLINE_BOOKING_DAYS = 30;
/** The longest span one bulk search may cover (a year and a day: a leap year's whole year). */
export const MAX_SEARCH_DAYS = 366;

export interface ConsentPeriod {
  validFrom: string;
  validTo: string;
}

/** A day `n` days after `day` (YYYYMMDD). */
export function addDays(day: string, n: number): string {
  const at = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)) + n));
  return at.toISOString().slice(0, 10).replaceAll("-", "");
}

/** Days from `from` to `to` (YYYYMMDD); 0 for the same day. */
export function daysBetween(from: string, to: string): number {
  const utc = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

export type PeriodReading = { ok: true; period: ConsentPeriod } | { ok: false; code: ErrorCode };

/**
 * The period of a consent given on `consentDate`: 訪問診療 takes no examination day (E8808) and
 * holds VISIT_CONSENT_DAYS; オンライン診療 needs a real booked day (E8806) from the consent day to
 * ONLINE_BOOKING_DAYS after it (E8807), and holds until that day.
 */
export function consentPeriod(treatment: Treatment, consentDate: string, examinationDate: string | undefined): PeriodReading {
  if (treatment === Treatment.Visit) {
    if (examinationDate !== undefined) return { ok: false, code: "E8808" };
    return { ok: true, period: { validFrom: consentDate, validTo: addDays(consentDate, VISIT_CONSENT_DAYS - 1) } };
  }
  if (examinationDate === undefined || !isValidYyyymmdd(examinationDate)) return { ok: false, code: "E8806" };
  const ahead = daysBetween(consentDate, examinationDate);
  if (ahead < 0 || ahead > ONLINE_BOOKING_DAYS) return { ok: false, code: "E8807" };
  return { ok: true, period: { validFrom: consentDate, validTo: examinationDate } };
}

/** Whether a consent holds on `day`: inside its period and not withdrawn by then. */
export function isRemoteConsentInForce(consent: ConsentPeriod & { withdrawnOn: string | null }, day: string): boolean {
  return consent.validFrom <= day && day <= consent.validTo && (consent.withdrawnOn === null || day < consent.withdrawnOn);
}

/** What one bulk search asks: a facility's consents of one kind whose consent or examination day is in [from, to]. */
export interface RemoteSearch {
  treatment: Treatment;
  by: "consent" | "examination";
  from: string;
  to: string;
}

/** The search keys a row may carry (its schema has checked each is a real date and the flag a code). */
export interface RemoteSearchInfo {
  ConsentDateFrom?: string;
  ConsentDateTo?: string;
  ExaminationDateFrom?: string;
  ExaminationDateTo?: string;
  MedicalTreatmentFlag?: string;
}

export type SearchReading = { ok: true; search: RemoteSearch } | { ok: false; code: ErrorCode; element: string };

/**
 * A row's search for the kind that carries `treatment`: the flag must be the kind's (E8810); one
 * pair of days, consent or examination, the latter for オンライン診療 only (E8811), both ends
 * given (E8812), in order (E8813) and at most MAX_SEARCH_DAYS long (E8814).
 */
export function readRemoteSearch(treatment: Treatment, info: RemoteSearchInfo): SearchReading {
  if (info.MedicalTreatmentFlag !== treatment) return { ok: false, code: "E8810", element: "MedicalTreatmentFlag" };
  const present = (v: string | undefined) => v !== undefined && v !== "";
  const consent = present(info.ConsentDateFrom) || present(info.ConsentDateTo);
  const examination = present(info.ExaminationDateFrom) || present(info.ExaminationDateTo);
  if (consent === examination || (examination && treatment === Treatment.Visit)) {
    return { ok: false, code: "E8811", element: examination && !consent ? "ExaminationDateFrom" : "ConsentDateFrom" };
  }
  const by = consent ? "consent" : "examination";
  const [fromName, toName] = consent ? ["ConsentDateFrom", "ConsentDateTo"] : ["ExaminationDateFrom", "ExaminationDateTo"];
  const from = info[fromName as keyof RemoteSearchInfo];
  const to = info[toName as keyof RemoteSearchInfo];
  if (!present(from)) return { ok: false, code: "E8812", element: fromName };
  if (!present(to)) return { ok: false, code: "E8812", element: toName };
  if (from! > to!) return { ok: false, code: "E8813", element: toName };
  if (daysBetween(from!, to!) + 1 > MAX_SEARCH_DAYS) return { ok: false, code: "E8814", element: toName };
  return { ok: true, search: { treatment, by, from: from!, to: to! } };
}
