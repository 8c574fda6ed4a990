// Builds QualificationRecord values for pure tests, with only the fields a case cares about.
import type { PersonRecord, QualificationRecord } from "../../src/domain/qualification.ts";

export function person(overrides: Partial<PersonRecord> = {}): PersonRecord {
  return {
    personId: 1,
    name: "診療　太郎",
    nameKana: "シンリョウ　タロウ",
    nameOfOther: null,
    nameOfOtherKana: null,
    sex: 1,
    birthdate: "19800101",
    address: "東京都千代田区",
    postNumber: "100-0001",
    ...overrides,
  };
}

export function qualification(overrides: Partial<QualificationRecord> = {}): QualificationRecord {
  return {
    qualificationId: 1,
    person: person(),
    insurerNumber: "01130012",
    insurerName: "全国健康保険協会東京支部",
    insuredCardClassification: "01",
    insuredCardSymbol: "1234",
    insuredIdentificationNumber: "5678",
    insuredBranchNumber: "00",
    personalFamilyClassification: 1,
    insuredName: "診療　太郎",
    qualificationDate: "20200401",
    disqualificationDate: null,
    reasonOfLoss: null,
    cardIssuanceDate: "20200401",
    cardValidDate: "20200401",
    cardExpirationDate: null,
    partialContributionRatio: null,
    preschool: false,
    hasNewerQualification: false,
    elderlyCertificates: [],
    limitCertificates: [],
    specificDiseaseCertificates: [],
    ...overrides,
  };
}
