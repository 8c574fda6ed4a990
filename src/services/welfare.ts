// 医療扶助 (生活保護): a 福祉事務所 records a 医療券 (調剤券 at a pharmacy) for its recipient and a
// facility, 3 to 30 days before the visit; the route (http/routes/welfare) and `onshi welfare
// issue` both come here. Every refusal is a coded OqsError and records nothing.
import type { Db } from "../db/client.ts";
import { DUMMY_CREDENTIAL_HASH, hashCredential, isFitCredential, newCredential, verifyCredential } from "../domain/credential.ts";
import { isValidYyyymmdd, jstDate, yyyymmddToIso } from "../domain/dates.ts";
import { facilityCodeProblem } from "../domain/facility-code.ts";
import { excludedQualificationOf } from "../domain/medical-info.ts";
import type { QualificationRecord } from "../domain/qualification.ts";
import { parsePublicExpenseInsurerNumber, parseRecipientNumber } from "../domain/public-expense-number.ts";
import {
  issueWindowProblem,
  MEDICAL_ASSISTANCE_LAW_NUMBER,
  ticketPeriod,
  ticketTypeFor,
  treatmentTypeFor,
  TICKET_TYPE_LABELS,
  TREATMENT_TYPE_LABELS,
  type TreatmentType,
} from "../domain/welfare.ts";
import { OqsError } from "../errors/catalogue.ts";
import { findFacilityKind } from "../store/facility-store.ts";
import { findRecipient, insertMedicalTicket, medicalTicketsOfPerson, setWelfareOfficeCredential, welfareOfficeAccount } from "../store/welfare-store.ts";
import { CODE_PROBLEMS } from "./facility-registration.ts";

/** What the office sends (JSON body or the command's flags); checked field by field. */
export interface TicketRequest {
  recipientNumber: string;
  facilityCode: string;
  /** YYYY-MM-DD (or YYYYMMDD). */
  visitDate: string;
  treatmentType?: TreatmentType;
  injuryNames?: string[];
  selfPayAmount?: number;
}

export interface IssuedTicket {
  /** 交付番号. */
  issueNumber: string;
  recipientNumber: string;
  facilityCode: string;
  ticketType: string;
  treatmentType: string;
  treatmentMonth: string;
  validFrom: string;
  validTo: string;
  selfPayAmount: number;
  injuryNames: string[];
}

const FIELDS = ["recipientNumber", "facilityCode", "visitDate", "treatmentType", "injuryNames", "selfPayAmount"] as const;
const REQUIRED = ["recipientNumber", "facilityCode", "visitDate"] as const;
const MAX_INJURY_NAMES = 3;
const MAX_INJURY_NAME_LENGTH = 100;
const MAX_FIELD_LENGTH = 40;

/** The body as a TicketRequest: an object of the known fields, each of its type (E8714 naming the field). */
export function readTicketRequest(body: unknown): TicketRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new OqsError("E8714");
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown !== undefined) throw new OqsError("E8714", unknown.slice(0, MAX_FIELD_LENGTH));
  for (const name of REQUIRED) if (typeof fields[name] !== "string") throw new OqsError("E8714", name);
  if (fields.treatmentType !== undefined && typeof fields.treatmentType !== "string") throw new OqsError("E8711");
  if (fields.injuryNames !== undefined && !(Array.isArray(fields.injuryNames) && fields.injuryNames.every((n) => typeof n === "string"))) throw new OqsError("E8712");
  if (fields.selfPayAmount !== undefined && typeof fields.selfPayAmount !== "number") throw new OqsError("E8713");
  return fields as unknown as TicketRequest;
}

/** A 福祉事務所's 公費負担者番号: 8 digits, 法別番号 12, a valid 検証番号 (E8702). */
export function checkOfficeNumber(value: string): string {
  const parsed = parsePublicExpenseInsurerNumber(value);
  if (!parsed.ok || parsed.value.lawNumber !== MEDICAL_ASSISTANCE_LAW_NUMBER) throw new OqsError("E8702");
  return value;
}

/** The checks that need no database (E8703, E8705, E8707, E8711–E8713): the request's values, normalised. */
export function checkTicketRequest(request: TicketRequest): TicketRequest & { visitDate: string } {
  // A 医療扶助 受給者番号 is a national programme's: 7 digits with its 検証番号.
  if (!parseRecipientNumber(request.recipientNumber, "national").ok) throw new OqsError("E8703");
  const problem = facilityCodeProblem(request.facilityCode);
  if (problem) throw new OqsError("E8705", CODE_PROBLEMS[problem]);
  const visitDate = request.visitDate.length === 10 && /^\d{4}-\d{2}-\d{2}$/.test(request.visitDate) ? request.visitDate.replaceAll("-", "") : request.visitDate;
  if (!isValidYyyymmdd(visitDate)) throw new OqsError("E8707");
  if (request.treatmentType !== undefined && !(request.treatmentType in TREATMENT_TYPE_LABELS)) throw new OqsError("E8711");
  const injuryNames = request.injuryNames ?? [];
  if (injuryNames.length > MAX_INJURY_NAMES || injuryNames.some((n) => n.trim() === "" || [...n].length > MAX_INJURY_NAME_LENGTH || /\p{Cc}/u.test(n))) {
    throw new OqsError("E8712");
  }
  const amount = request.selfPayAmount ?? 0;
  if (!Number.isInteger(amount) || amount < 0 || amount > 9_999_999) throw new OqsError("E8713");
  return { ...request, visitDate, injuryNames: injuryNames.map((n) => n.trim()), selfPayAmount: amount };
}

const iso = (yyyymmdd: string) => yyyymmddToIso(yyyymmdd);

/**
 * Records the ticket the office asks for: its recipient qualified on the visit's day (E8704, also
 * for another office's recipient), a registered facility (E8706) whose kind fits the 診療別
 * (E8711), the visit 3–30 days after today in Japan (E8708, E8709), none yet for the facility and
 * month (E8710 with its 交付番号).
 */
export async function issueMedicalTicket(db: Db, office: string, request: TicketRequest, now: Date): Promise<IssuedTicket> {
  const checked = checkTicketRequest(request);
  const window = issueWindowProblem(jstDate(now), checked.visitDate);
  if (window) throw new OqsError(window);
  const kind = await findFacilityKind(db, checked.facilityCode);
  if (kind === undefined) throw new OqsError("E8706");
  const treatmentType = treatmentTypeFor(kind, checked.treatmentType);
  if (treatmentType === undefined) throw new OqsError("E8711");
  const recipient = await findRecipient(db, office, checked.recipientNumber, checked.visitDate);
  if (!recipient) throw new OqsError("E8704");
  const period = ticketPeriod(checked.visitDate);
  const ticketType = ticketTypeFor(kind);
  const stored = await insertMedicalTicket(db, {
    ...recipient,
    publicExpenseNumber: office,
    facilityCode: checked.facilityCode,
    ticketType,
    treatmentType,
    ...period,
    visitDate: checked.visitDate,
    selfPayAmount: checked.selfPayAmount!,
    injuryNames: checked.injuryNames!,
    issuedAt: now,
  });
  if ("existing" in stored) throw new OqsError("E8710", `交付番号 ${stored.existing}`);
  return {
    issueNumber: String(stored.ticketId),
    recipientNumber: checked.recipientNumber,
    facilityCode: checked.facilityCode,
    ticketType: TICKET_TYPE_LABELS[ticketType],
    treatmentType: TREATMENT_TYPE_LABELS[treatmentType],
    treatmentMonth: period.treatmentMonth,
    validFrom: iso(period.validFrom),
    validTo: iso(period.validTo),
    selfPayAmount: checked.selfPayAmount!,
    injuryNames: checked.injuryNames!,
  };
}

/**
 * `onshi welfare credential`: the office's credential for the 医療券 route, the one given (E8716
 * when unfit) or 144 random bits shown once; only its hash is kept. E8715 no such office.
 */
export async function issueWelfareCredential(db: Db, office: string, given?: string): Promise<{ office: string; credential?: string }> {
  checkOfficeNumber(office);
  if (given !== undefined && !isFitCredential(given)) throw new OqsError("E8716");
  const credential = given ?? newCredential();
  if (!(await setWelfareOfficeCredential(db, office, hashCredential(credential)))) throw new OqsError("E8715");
  return { office, ...(given === undefined ? { credential } : {}) };
}

/**
 * Whether the credential is the office's. An office that does not exist or has no credential costs
 * the same scrypt as a wrong credential (DUMMY_CREDENTIAL_HASH), so the answer tells no numbers apart.
 */
export async function authenticateWelfareOffice(db: Db, office: string, credential: string): Promise<boolean> {
  const number = parsePublicExpenseInsurerNumber(office);
  const account = number.ok && number.value.lawNumber === MEDICAL_ASSISTANCE_LAW_NUMBER ? await welfareOfficeAccount(db, office) : undefined;
  const matches = await verifyCredential(credential, account?.credentialHash ?? DUMMY_CREDENTIAL_HASH);
  return matches && Boolean(account?.credentialHash);
}

/**
 * The qualifications, each 医療扶助 one with the facility's tickets in force on the day (YYYYMMDD):
 * what a card check or a 個別照会 at that facility shows. One lookup per recipient, none for anyone else.
 */
export async function attachMedicalTickets(db: Db, records: QualificationRecord[], facilityCode: string, date: string): Promise<QualificationRecord[]> {
  const persons = new Set(records.filter((q) => excludedQualificationOf(q) === "medicalAssistance").map((q) => q.person.personId));
  if (persons.size === 0) return records;
  const tickets = (await Promise.all([...persons].map((personId) => medicalTicketsOfPerson(db, personId, facilityCode, date)))).flat();
  return records.map((q) => {
    const own = tickets.filter((t) => t.qualificationId === q.qualificationId);
    return own.length > 0 ? { ...q, medicalTickets: own } : q;
  });
}
