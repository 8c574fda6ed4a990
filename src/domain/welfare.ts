// 医療扶助 (生活保護): the rules of a 医療券・調剤券 as onshi records and shows it (docs/welfare.md).
// Pure: the window in which a 福祉事務所 may record one, its period, its kind, and what a result
// element says of it.
import type { FacilityKind } from "./facility-code.ts";
import type { ErrorCode } from "../errors/catalogue.ts";

/**
 * The recipient applies at the 福祉事務所 3 to 30 days before the visit, and the 医療券 is then seen
 * through オンライン資格確認 (相模原市「医療扶助のオンライン資格確認」制度について, 令和6年3月1日開始:
 * http://www-host.city.sagamihara.kanagawa.jp/kosodate/fukushi/1026642/1006556/1030120.html,
 * 「事前(3~30日前)に福祉事務所へ受診の申請」). onshi enforces it on the day the office records the
 * ticket (Japan time), both ends included.
 */
export const ISSUE_WINDOW = { minDaysBefore: 3, maxDaysBefore: 30 } as const;

/** 公費負担者番号 of 医療扶助: 法別番号 12 (生活保護法). */
export const MEDICAL_ASSISTANCE_LAW_NUMBER = "12";

/**
 * InsuredCardClassification of a 医療扶助 qualification, as a public client reads it (the code
 * table naming it was not found; excludedQualificationOf also knows it by 法別番号 12).
 */
export const MEDICAL_ASSISTANCE_CARD_CLASSIFICATION = "A1";

export type TicketType = "medical" | "dispensing";
export type TreatmentType = "inpatient" | "outpatient" | "dental" | "dispensing";

/**
 * What onshi writes in TicketType and MedicalTreatmentType: the words printed on the paper 医療券
 * (券種, 診療別), because the code tables of these elements were not found.
 */
export const TICKET_TYPE_LABELS: Record<TicketType, string> = { medical: "医療券", dispensing: "調剤券" };
export const TREATMENT_TYPE_LABELS: Record<TreatmentType, string> = { inpatient: "入院", outpatient: "入院外", dental: "歯科", dispensing: "調剤" };

/** A recorded ticket; dates YYYYMMDD, month YYYYMM. */
export interface MedicalTicket {
  ticketId: number;
  personId: number;
  qualificationId: number;
  publicExpenseNumber: string;
  facilityCode: string;
  facilityName: string;
  ticketType: TicketType;
  treatmentType: TreatmentType;
  treatmentMonth: string;
  visitDate: string;
  validFrom: string;
  validTo: string;
  selfPayAmount: number;
  injuryNames: string[];
}

const dayNumber = (yyyymmdd: string) =>
  Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))) / 86_400_000;

/** Whole days from `from` to `to` (YYYYMMDD each). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** E8708 the visit is fewer than 3 days away (or past), E8709 more than 30; undefined inside the window. */
export function issueWindowProblem(today: string, visitDate: string): ErrorCode | undefined {
  const days = daysBetween(today, visitDate);
  if (days < ISSUE_WINDOW.minDaysBefore) return "E8708";
  if (days > ISSUE_WINDOW.maxDaysBefore) return "E8709";
  return undefined;
}

/**
 * A ticket serves the 診療年月 of the visit: valid from the visit's day to the month's last day
 * (later visits of the month need no new one; onshi's reading of the monthly paper 医療券).
 */
export function ticketPeriod(visitDate: string): { treatmentMonth: string; validFrom: string; validTo: string } {
  const year = Number(visitDate.slice(0, 4));
  const month = Number(visitDate.slice(4, 6));
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { treatmentMonth: visitDate.slice(0, 6), validFrom: visitDate, validTo: `${visitDate.slice(0, 6)}${String(last).padStart(2, "0")}` };
}

/** A pharmacy gets a 調剤券, every other facility a 医療券. */
export function ticketTypeFor(kind: FacilityKind): TicketType {
  return kind === "pharmacy" ? "dispensing" : "medical";
}

/**
 * The 診療別 a facility's ticket may carry: 調剤 at a pharmacy, 歯科 at a dental clinic, 入院 or
 * 入院外 at a medical clinic, any but 調剤 at a hospital (which may have a dental department).
 */
export const TREATMENT_TYPES_BY_KIND: Record<FacilityKind, readonly TreatmentType[]> = {
  hospital: ["outpatient", "inpatient", "dental"],
  medical_clinic: ["outpatient", "inpatient"],
  dental_clinic: ["dental"],
  pharmacy: ["dispensing"],
};

/** A generated ticket for a visit (the seed's and the demo's): the facility's kind decides 券 and 診療別, nothing to pay. */
export function generatedTicketTerms(kind: FacilityKind, visitDate: string) {
  return { ticketType: ticketTypeFor(kind), treatmentType: treatmentTypeFor(kind, undefined)!, ...ticketPeriod(visitDate), visitDate, selfPayAmount: 0 };
}

/** The 診療別 asked, or the facility's first when none is; undefined when it does not fit the facility. */
export function treatmentTypeFor(kind: FacilityKind, asked: TreatmentType | undefined): TreatmentType | undefined {
  const allowed = TREATMENT_TYPES_BY_KIND[kind];
  if (asked === undefined) return allowed[0];
  return allowed.includes(asked) ? asked : undefined;
}
