// One record of a municipality's 医療費助成 upload, checked field by field before anything is
// looked up. The fields are those of the 自治体→PMH registration API (OpenAPI 0.1.1, デジタル庁):
// myNumber, basicFiveInfo, isNotDisclosed, medicalSubsidyInsurerNumber, certificationName,
// medicalSubsidyRecipientNumber, certificationSubKey, segment, incomeSegment, additionalConditions,
// designatedMedicalInstitutions, isAlwaysReimbursement, maxCopaymentAmount, validFrom/validTo,
// historyKey, isDeleted, certificationDetail, orgSpecificCertificateTypeId; programmeType is onshi's
// own (docs/pmh.md: the real API names the type by the issuer's own id, whose meaning PMH's
// configuration holds). A record with isDeleted "1" needs only its historyKey.
//
// A bad field gives the record's code and the field's name, never its value: a 個人番号 is named
// only as "myNumber". The 個人番号 leaves this check as it came, for the caller to hash at once.
import { isoToYyyymmdd, isValidYyyymmdd } from "./dates.ts";
import { facilityCodeProblem } from "./facility-code.ts";
import type { CertificationDetailItem, MaxCopayment, SubsidyCertificate } from "./medical-subsidy.ts";
import { myNumberProblem } from "./my-number.ts";
import { pmhProgramme, type PmhProgramme } from "./pmh-participation.ts";
import { parsePublicExpenseInsurerNumber, parseRecipientNumber } from "./public-expense-number.ts";
import type { ErrorCode } from "../errors/catalogue.ts";

/** The limits of one record's fields (onshi's where the API's were not found: docs/pmh.md). */
export const RECORD_LIMITS = {
  historyKey: 100,
  certificationName: 100,
  text: 100,
  orgSpecificCertificateTypeId: 100,
  additionalConditions: 1000,
  designatedMedicalInstitutions: 100,
  certificationDetail: 50,
  detailLabel: 100,
  detailValue: 200,
  address: 200,
  maxCopaymentYen: 10_000_000,
} as const;

export interface RecordRefusal {
  code: ErrorCode;
  /** The field at fault, by name (never its value). */
  field: string;
}

/** A record to register or update: the certificate's fields, and the 個人番号 to find its person by. */
export interface CheckedRegistration extends Omit<SubsidyCertificate, "issuerCode" | "personId" | "programme" | "isDeleted"> {
  kind: "register";
  myNumber: string;
  programme: PmhProgramme;
}

export interface CheckedDeletion {
  kind: "delete";
  historyKey: string;
}

export type CheckedRecord = CheckedRegistration | CheckedDeletion;

const FIELDS = new Set([
  "orgSpecificCertificateTypeId", "myNumber", "basicFiveInfo", "isNotDisclosed", "medicalSubsidyInsurerNumber",
  "certificationName", "medicalSubsidyRecipientNumber", "certificationSubKey", "segment", "incomeSegment",
  "additionalConditions", "designatedMedicalInstitutions", "isAlwaysReimbursement", "maxCopaymentAmount",
  "validFrom", "validTo", "historyKey", "isDeleted", "certificationDetail", "programmeType",
]);
const BASIC_FIELDS = new Set(["name", "nameKana", "address", "dateOfBirth", "sex"]);

// C0 and C1 controls, and the characters no text should carry (lone surrogates are refused by the JSON reader).
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const CONDITIONS = /^[0-9A-Za-z]+-[0-9A-Za-z]+(;[0-9A-Za-z]+-[0-9A-Za-z]+)*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

class Refused extends Error {
  constructor(readonly refusal: RecordRefusal) {
    super(refusal.code);
  }
}
const refuse = (code: ErrorCode, field: string): never => {
  throw new Refused({ code, field });
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isDate = (v: string) => ISO_DATE.test(v) && isValidYyyymmdd(isoToYyyymmdd(v));

/** Text of 1 … max characters without controls; E8555 when not text. */
function text(record: Record<string, unknown>, field: string, max: number, required: true): string;
function text(record: Record<string, unknown>, field: string, max: number, required: false): string | null;
function text(record: Record<string, unknown>, field: string, max: number, required: boolean): string | null {
  const value = record[field];
  if (value === undefined || value === null) return required ? refuse("E8555", field) : null;
  if (typeof value !== "string") return refuse("E8555", field);
  if (value.length === 0 || [...value].length > max || CONTROL.test(value)) return refuse("E8566", field);
  return value;
}

/** "0" or "1" (the API's flags are text); absent is "0". */
function flag(record: Record<string, unknown>, field: string): boolean {
  const value = record[field];
  if (value === undefined || value === null) return false;
  if (value !== "0" && value !== "1") return refuse("E8564", field);
  return value === "1";
}

function historyKeyOf(record: Record<string, unknown>): string {
  const value = record.historyKey;
  if (value === undefined || value === null || typeof value !== "string") return refuse("E8555", "historyKey");
  if (value.length === 0 || [...value].length > RECORD_LIMITS.historyKey || CONTROL.test(value)) return refuse("E8565", "historyKey");
  return value;
}

/** The historyKey of a record, when it has a usable one (to answer a refused record by it and to find duplicates). */
export function recordHistoryKey(raw: unknown): string | undefined {
  if (!isObject(raw)) return undefined;
  try {
    return historyKeyOf(raw);
  } catch (error) {
    if (error instanceof Refused) return undefined;
    throw error;
  }
}

function checkBasicInfo(value: unknown): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) return refuse("E8570", "basicFiveInfo");
  for (const key of Object.keys(value)) if (!BASIC_FIELDS.has(key)) refuse("E8570", `basicFiveInfo.${key}`);
  for (const [key, max] of [["name", RECORD_LIMITS.text], ["nameKana", RECORD_LIMITS.text], ["address", RECORD_LIMITS.address]] as const) {
    const v = value[key];
    if (v !== undefined && (typeof v !== "string" || v.length === 0 || [...v].length > max || CONTROL.test(v))) refuse("E8570", `basicFiveInfo.${key}`);
  }
  const birth = value.dateOfBirth;
  if (birth !== undefined && (typeof birth !== "string" || !isDate(birth))) refuse("E8570", "basicFiveInfo.dateOfBirth");
  const sex = value.sex;
  if (sex !== undefined && sex !== "1" && sex !== "2" && sex !== "3") refuse("E8570", "basicFiveInfo.sex");
}

function maxCopaymentOf(value: unknown): MaxCopayment {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) return refuse("E8562", "maxCopaymentAmount");
  const cap: MaxCopayment = {};
  for (const key of Object.keys(value)) {
    if (key !== "monthly" && key !== "perVisit") refuse("E8562", `maxCopaymentAmount.${key}`);
    const yen = value[key];
    if (!Number.isSafeInteger(yen) || (yen as number) < 0 || (yen as number) > RECORD_LIMITS.maxCopaymentYen) refuse("E8562", `maxCopaymentAmount.${key}`);
    cap[key as keyof MaxCopayment] = yen as number;
  }
  return cap;
}

function designatedOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > RECORD_LIMITS.designatedMedicalInstitutions) return refuse("E8563", "designatedMedicalInstitutions");
  value.forEach((code, i) => {
    if (typeof code !== "string" || facilityCodeProblem(code) !== undefined) refuse("E8563", `designatedMedicalInstitutions[${i}]`);
  });
  return [...new Set(value as string[])];
}

function detailOf(value: unknown): CertificationDetailItem[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > RECORD_LIMITS.certificationDetail) return refuse("E8571", "certificationDetail");
  return value.map((item, i) => {
    const ok =
      isObject(item) &&
      Object.keys(item).every((k) => k === "label" || k === "value") &&
      typeof item.label === "string" && item.label.length > 0 && [...item.label].length <= RECORD_LIMITS.detailLabel && !CONTROL.test(item.label) &&
      typeof item.value === "string" && [...item.value].length <= RECORD_LIMITS.detailValue && !CONTROL.test(item.value);
    if (!ok) refuse("E8571", `certificationDetail[${i}]`);
    return { label: (item as { label: string }).label, value: (item as { value: string }).value };
  });
}

function dateOf(record: Record<string, unknown>, field: "validFrom" | "validTo", required: boolean): string | null {
  const value = record[field];
  if (value === undefined || value === null) return required ? refuse("E8555", field) : null;
  if (typeof value !== "string") return refuse("E8555", field);
  if (!isDate(value)) return refuse("E8561", field);
  return value;
}

/**
 * Checks one record of an upload by the 地方公共団体 whose code is `issuerCode`: the record to
 * store, or the first refusal (code and field). No database is asked.
 */
export function checkUploadRecord(raw: unknown, issuerCode: string): { ok: true; record: CheckedRecord } | { ok: false; refusal: RecordRefusal } {
  try {
    return { ok: true, record: check(raw, issuerCode) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refusal: error.refusal };
    throw error;
  }
}

function check(raw: unknown, issuerCode: string): CheckedRecord {
  if (!isObject(raw)) return refuse("E8555", "record");
  for (const key of Object.keys(raw)) if (!FIELDS.has(key)) refuse("E8555", key);
  const historyKey = historyKeyOf(raw);
  if (flag(raw, "isDeleted")) return { kind: "delete", historyKey };
  flag(raw, "isNotDisclosed");

  const myNumber = raw.myNumber;
  if (myNumber === undefined || myNumber === null) refuse("E8555", "myNumber");
  if (typeof myNumber !== "string") refuse("E8555", "myNumber");
  if (myNumberProblem(myNumber) !== undefined) refuse("E8556", "myNumber");
  checkBasicInfo(raw.basicFiveInfo);

  const programmeName = text(raw, "programmeType", 40, true);
  let programme: PmhProgramme;
  try {
    programme = pmhProgramme(programmeName);
  } catch {
    return refuse("E8572", "programmeType");
  }

  const insurerRaw = raw.medicalSubsidyInsurerNumber;
  if (insurerRaw === undefined || insurerRaw === null || typeof insurerRaw !== "string") return refuse("E8555", "medicalSubsidyInsurerNumber");
  const insurer = parsePublicExpenseInsurerNumber(insurerRaw);
  if (!insurer.ok) return refuse("E8558", `medicalSubsidyInsurerNumber: ${insurer.problem}`);
  if (insurer.value.prefecture !== Number(issuerCode.slice(0, 2))) refuse("E8559", "medicalSubsidyInsurerNumber");

  const recipientRaw = raw.medicalSubsidyRecipientNumber;
  let recipientNumber: string | null = null;
  if (recipientRaw !== undefined && recipientRaw !== null) {
    if (typeof recipientRaw !== "string") return refuse("E8555", "medicalSubsidyRecipientNumber");
    const recipient = parseRecipientNumber(recipientRaw, programme.kind === "公費負担医療" ? "national" : "local");
    if (!recipient.ok) return refuse("E8560", `medicalSubsidyRecipientNumber: ${recipient.problem}`);
    recipientNumber = recipient.value;
  }

  const additionalConditions = text(raw, "additionalConditions", RECORD_LIMITS.additionalConditions, false);
  if (additionalConditions !== null && !CONDITIONS.test(additionalConditions)) refuse("E8567", "additionalConditions");

  const validFrom = dateOf(raw, "validFrom", true)!;
  const validTo = dateOf(raw, "validTo", false);
  if (validTo !== null && validTo < validFrom) refuse("E8561", "validTo");

  return {
    kind: "register",
    historyKey,
    myNumber: myNumber as string,
    programme,
    orgCertificateTypeId: text(raw, "orgSpecificCertificateTypeId", RECORD_LIMITS.orgSpecificCertificateTypeId, false),
    insurerNumber: insurer.value.value,
    recipientNumber,
    certificationName: text(raw, "certificationName", RECORD_LIMITS.certificationName, true),
    certificationSubKey: text(raw, "certificationSubKey", RECORD_LIMITS.text, false),
    segment: text(raw, "segment", RECORD_LIMITS.text, false),
    incomeSegment: text(raw, "incomeSegment", RECORD_LIMITS.text, false),
    additionalConditions,
    designatedMedicalInstitutions: designatedOf(raw.designatedMedicalInstitutions),
    alwaysReimbursement: flag(raw, "isAlwaysReimbursement"),
    maxCopayment: maxCopaymentOf(raw.maxCopaymentAmount),
    validFrom,
    validTo,
    certificationDetail: detailOf(raw.certificationDetail),
  };
}
