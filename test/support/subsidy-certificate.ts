// A 受給者証 for the PMH tests: 八王子市's マル乳 (its published 公費負担者番号 88138243) held by person 1,
// any field replaced by `over`.
import type { SubsidyCertificate } from "../../src/domain/medical-subsidy.ts";

/** 八王子市's 全国地方公共団体コード; it takes part from 2026-04-01 (its published start). */
export const HACHIOJI = "132012";

export const maruNyu = (over: Partial<SubsidyCertificate> = {}): SubsidyCertificate => ({
  issuerCode: HACHIOJI,
  historyKey: "H-0001",
  personId: 1,
  programme: "children",
  orgCertificateTypeId: "maru-nyu",
  insurerNumber: "88138243",
  recipientNumber: "1234566",
  certificationName: "乳幼児医療証（マル乳）",
  certificationSubKey: null,
  segment: null,
  incomeSegment: null,
  additionalConditions: null,
  designatedMedicalInstitutions: [],
  alwaysReimbursement: false,
  maxCopayment: { monthly: 0 },
  validFrom: "2026-04-01",
  validTo: "2027-03-31",
  isDeleted: false,
  certificationDetail: [{ label: "保護者氏名", value: "診療　太郎" }],
  ...over,
});
