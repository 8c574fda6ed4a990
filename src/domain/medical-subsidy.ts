// 受給者証 of 医療費助成 (公費負担医療 and 地方単独医療費助成) as the Public Medical Hub holds them:
// the fields of the 自治体→PMH registration API (medicalSubsidyInsurerNumber …), the programme
// type, the issuing entity and the person. Where the API's shape of a field was not found, the
// type says onshi's reading (docs/pmh.md).

/** 自己負担上限額 (maxCopaymentAmount). onshi's reading of the object: yen per month and/or per visit; absent = no such cap. */
export interface MaxCopayment {
  monthly?: number;
  perVisit?: number;
}

/** One 券面項目 of certificationDetail (onshi's reading: a label and its printed value). */
export interface CertificationDetailItem {
  label: string;
  value: string;
}

export interface SubsidyCertificate {
  /** 全国地方公共団体コード (6 digits) of the 実施主体 that issued it: a municipality or a prefecture. */
  issuerCode: string;
  /** The issuer's key of this 受給者証 across its updates (historyKey): same key, same record. */
  historyKey: string;
  personId: number;
  /** The programme type, as the participation registry keys it (children, intractableDisease, … docs/pmh.md). */
  programme: string;
  /** The issuer's own certificate type (orgSpecificCertificateTypeId), when given. */
  orgCertificateTypeId: string | null;
  /** 公費負担者番号, 8 digits (medicalSubsidyInsurerNumber). */
  insurerNumber: string;
  /** 受給者番号 (medicalSubsidyRecipientNumber): 7 digits for national programmes, ≤ 30 characters for local ones. */
  recipientNumber: string | null;
  /** The 受給者証's name (certificationName, ≤ 100). */
  certificationName: string;
  certificationSubKey: string | null;
  segment: string | null;
  incomeSegment: string | null;
  /** `code-code;…` as the API carries it. */
  additionalConditions: string | null;
  /** 医療機関コード of the designated facilities; empty = any facility. */
  designatedMedicalInstitutions: string[];
  /** isAlwaysReimbursement "1": always 償還払い (paid back later, not at the window). */
  alwaysReimbursement: boolean;
  maxCopayment: MaxCopayment;
  /** First valid day, YYYY-MM-DD. */
  validFrom: string;
  /** Last valid day, YYYY-MM-DD; null = no end given. */
  validTo: string | null;
  isDeleted: boolean;
  certificationDetail: CertificationDetailItem[];
}
