// Whether a facility may see a patient's 薬剤・特定健診・診療・手術 information, and what of it
// (spec §3, §5.1; seed 002 l.362): pure rules, the one decision every route (req folder, WebAPI,
// terminal page, disaster access) goes through.
import type { AuditActor, AuditBasis } from "./audit.ts";
import { CONSENT_CATEGORIES, consentFlagAt, ConsentFlag, type ConsentRecord } from "./consent.ts";
import type { FacilityKind } from "./facility-code.ts";
import type { MedicalHistory, MedicalInfoCategory, Treatment } from "./medical-history.ts";
import type { QualificationRecord } from "./qualification.ts";
import { mayView } from "./staff.ts";
import type { ErrorCode } from "../errors/catalogue.ts";

/**
 * The qualifications for which the system holds no 薬剤・特定健診 information (spec §3, MHLW
 * portal FAQ Q1), and how onshi tells each apart in its qualification data:
 * - 自衛官診療証: InsuredCardClassification 07 (the card classification's code table);
 * - 日雇特例 (受給資格者票・特別療養費受給票): the insurer number's 法別番号 03 (一般療養) or 04
 *   (特別療養費); no InsuredCardClassification code for them is public, so onshi reads the 法別番号;
 * - 医療扶助 (医療券・調剤券): InsuredCardClassification A1 as a public client reads it, or 法別番号 12
 *   (生活保護) of the number in the insurer's place.
 */
export type ExcludedQualification = "selfDefenseForces" | "dayLaborer" | "medicalAssistance";

export const EXCLUSION_CODES: Record<ExcludedQualification, ErrorCode> = {
  selfDefenseForces: "E8104",
  dayLaborer: "E8105",
  medicalAssistance: "E8106",
};

export function excludedQualificationOf(q: Pick<QualificationRecord, "insuredCardClassification" | "insurerNumber">): ExcludedQualification | undefined {
  const lawNumber = q.insurerNumber.length === 8 ? q.insurerNumber.slice(0, 2) : undefined;
  if (q.insuredCardClassification === "07") return "selfDefenseForces";
  if (lawNumber === "03" || lawNumber === "04") return "dayLaborer";
  if (q.insuredCardClassification === "A1" || lawNumber === "12") return "medicalAssistance";
  return undefined;
}

/** What a view rests on: the patient's consent from a card check, or a disaster declaration the caller found in force. */
export type ViewBasis = { kind: "consent" } | { kind: "disaster"; declarationId: number; consent: "oral" | "none" };

export interface ViewQuestion {
  /** A staff account (terminal page) is held to its role's categories; the facility's system is not. */
  actor: AuditActor;
  facilityKind: FacilityKind;
  /** The categories asked for; 手術 asked with 診療 is shown or left out by its own consent. */
  categories: readonly MedicalInfoCategory[];
  basis: ViewBasis;
  /** The facility's record of the patient's last card check, if any. */
  consent?: ConsentRecord;
  /** The qualifications the view is under (the one the request names, or those in force). */
  qualifications: readonly Pick<QualificationRecord, "insuredCardClassification" | "insurerNumber">[];
  at: Date;
}

export type ViewDecision =
  | { allowed: true; shown: MedicalInfoCategory[]; basis: AuditBasis }
  | { allowed: false; code: ErrorCode; element?: string };

/**
 * The decision, refusals in this order: a staff role that may not open a category asked (E2105,
 * naming it; 手術 asked with 診療 too), a qualification with no information held (E8104–E8106),
 * 特定健診 at a pharmacy (E8103), then, on consent: no record of a card check (E8100), a category
 * asked for that the last check did not agree to (E8102, naming it; a later check replaces an
 * earlier one, so a category withdrawn there is refused), one agreed to whose 24 hours are over
 * (E8101: in force on [ConsTime, AvailableTime), see consentFlagAt).
 */
export function decideView(q: ViewQuestion): ViewDecision {
  const actor = q.actor;
  const barred = actor.kind === "staff" ? q.categories.find((c) => !mayView(actor.role, c)) : undefined;
  if (barred) return { allowed: false, code: "E2105", element: CONSENT_CATEGORIES[barred].label };
  const excluded = q.qualifications.map(excludedQualificationOf);
  if (excluded.length > 0 && excluded.every((e) => e !== undefined)) return { allowed: false, code: EXCLUSION_CODES[excluded[0]!] };
  if (q.facilityKind === "pharmacy" && q.categories.includes("specificHealthCheckups")) {
    return { allowed: false, code: "E8103", element: CONSENT_CATEGORIES.specificHealthCheckups.label };
  }
  if (q.basis.kind === "disaster") {
    return { allowed: true, shown: [...q.categories], basis: { kind: "disaster", declarationId: q.basis.declarationId, consent: q.basis.consent } };
  }
  const record = q.consent;
  if (!record) return { allowed: false, code: "E8100" };
  const optional = (c: MedicalInfoCategory) => c === "operation" && q.categories.includes("diagnosis");
  const shown: MedicalInfoCategory[] = [];
  for (const category of q.categories) {
    const flag = consentFlagAt(record, category, q.at);
    if (flag === ConsentFlag.Given) shown.push(category);
    else if (optional(category)) continue;
    else if (flag === ConsentFlag.Expired) return { allowed: false, code: "E8101" };
    // Not agreed, or agreed at a check later than the request (a replay at an earlier time).
    else return { allowed: false, code: record.agreed.has(category) ? "E8100" : "E8102", element: CONSENT_CATEGORIES[category].label };
  }
  return { allowed: true, shown, basis: { kind: "consent", consTime: record.consTime } };
}

/** A 診療行為 of the 手術 class: 手術情報, which has a consent of its own. */
export function isOperationTreatment(t: Treatment): boolean {
  return t.classification.name === "手術";
}

/** The part of a history a view shows: the categories shown, the rest empty. */
export function visibleHistory(history: MedicalHistory, shown: readonly MedicalInfoCategory[]): MedicalHistory {
  const has = (c: MedicalInfoCategory) => shown.includes(c);
  return {
    drugs: has("pharmacists") ? history.drugs : [],
    checkups: has("specificHealthCheckups") ? history.checkups : [],
    treatments: has("diagnosis") ? history.treatments.filter((t) => has("operation") || !isOperationTreatment(t)) : [],
    operations: has("operation") ? history.operations : [],
  };
}
