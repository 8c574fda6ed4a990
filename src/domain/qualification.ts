// The records a 資格確認 decides on, as the repository reads them. Dates are YYYYMMDD strings.
import type { MedicalTicket } from "./welfare.ts";

export interface PersonRecord {
  personId: number;
  name: string;
  nameKana: string;
  nameOfOther: string | null;
  nameOfOtherKana: string | null;
  sex: 1 | 2 | 3;
  birthdate: string;
  address: string | null;
  postNumber: string | null;
}

export interface PeriodRecord {
  certificateDate: string | null;
  validStart: string;
  validEnd: string;
}

export interface ElderlyCertificate extends PeriodRecord {
  contributionRatio: number;
}

export interface LimitCertificate extends PeriodRecord {
  classification: string;
  classificationFlag: string;
  longTermDate: string | null;
}

export interface SpecificDiseaseCertificate extends PeriodRecord {
  diseaseCategory: string;
  selfPay: number;
}

export interface QualificationRecord {
  qualificationId: number;
  person: PersonRecord;
  insurerNumber: string;
  insurerName: string;
  insuredCardClassification: string;
  insuredCardSymbol: string | null;
  insuredIdentificationNumber: string;
  insuredBranchNumber: string | null;
  personalFamilyClassification: 1 | 2;
  insuredName: string | null;
  qualificationDate: string;
  disqualificationDate: string | null;
  reasonOfLoss: string | null;
  cardIssuanceDate: string | null;
  cardValidDate: string | null;
  cardExpirationDate: string | null;
  partialContributionRatio: number | null;
  preschool: boolean;
  /** The same person holds a qualification acquired after this one. */
  hasNewerQualification: boolean;
  elderlyCertificates: ElderlyCertificate[];
  limitCertificates: LimitCertificate[];
  specificDiseaseCertificates: SpecificDiseaseCertificate[];
  /** 医療扶助: the asking facility's 医療券・調剤券 of this qualification to show, where they were looked up (attachMedicalTickets: those in force on the day). */
  medicalTickets?: MedicalTicket[];
}

/** 資格取得年月日 is the first day with the qualification, 資格喪失年月日 the first day without it. */
export function isQualifiedOn(q: Pick<QualificationRecord, "qualificationDate" | "disqualificationDate">, date: string): boolean {
  return q.qualificationDate <= date && (q.disqualificationDate === null || date < q.disqualificationDate);
}

/** A certificate's validity period includes both its first and its last day. */
export function isInForce(period: PeriodRecord, date: string): boolean {
  return period.validStart <= date && date <= period.validEnd;
}
