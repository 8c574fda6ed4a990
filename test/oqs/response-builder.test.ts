import { test } from "node:test";
import assert from "node:assert/strict";
import { decideValidity } from "../../src/domain/validity.ts";
import { resultOfQualification, responseHeader, searchResultBody } from "../../src/oqs/response-builder.ts";
import { person, qualification } from "../support/records.ts";

const DATE = "20260401";
const limit = {
  classification: "01",
  classificationFlag: "A03",
  certificateDate: "20260301",
  validStart: "20260301",
  validEnd: "20270228",
  longTermDate: null,
};
const disease = { diseaseCategory: "1", certificateDate: "20250101", validStart: "20250101", validEnd: "20991231", selfPay: 10000 };

test("6-digit insurer numbers are space-padded to 8 and NameKana is half-width", () => {
  const r = resultOfQualification(qualification({ insurerNumber: "138057" }), DATE, false);
  assert.equal(r.InsurerNumber, "  138057");
  assert.equal(r.NameKana, "ｼﾝﾘｮｳ ﾀﾛｳ");
  assert.equal(r.Birthdate, "19800101");
  assert.equal(r.QualificationDate, "20200401");
});

test("optional elements are omitted when empty", () => {
  const r = resultOfQualification(qualification({ insuredCardSymbol: null, insuredBranchNumber: null }), DATE, false);
  for (const name of ["InsuredCardSymbol", "InsuredBranchNumber", "DisqualificationDate", "ReasonOfLoss", "NameOfOther",
    "InsuredPartialContributionRatio", "PreschoolClassification", "ElderlyRecipientCertificateInfo",
    "LimitApplicationCertificateRelatedInfo", "SpecificDiseasesCertificateList"]) {
    assert.equal(name in r, false, name);
  }
});

test("限度額 and 特定疾病 appear only with consent, and only when in force on the date", () => {
  const q = qualification({ limitCertificates: [limit], specificDiseaseCertificates: [disease] });
  const without = resultOfQualification(q, DATE, false);
  assert.equal(without.LimitApplicationCertificateRelatedConsFlg, "0");
  assert.equal("LimitApplicationCertificateRelatedInfo" in without, false);
  assert.equal("SpecificDiseasesCertificateList" in without, false);

  const withConsent = resultOfQualification(q, DATE, true);
  assert.equal(withConsent.LimitApplicationCertificateRelatedConsFlg, "1");
  assert.deepEqual(withConsent.LimitApplicationCertificateRelatedInfo, {
    LimitApplicationCertificateClassification: "01",
    LimitApplicationCertificateClassificationFlag: "A03",
    LimitApplicationCertificateDate: "20260301",
    LimitApplicationCertificateValidStartDate: "20260301",
    LimitApplicationCertificateValidEndDate: "20270228",
  });
  assert.deepEqual(withConsent.SpecificDiseasesCertificateList, {
    SpecificDiseasesCertificateInfo: [{
      SpecificDiseasesDiseaseCategory: "1",
      SpecificDiseasesCertificateDate: "20250101",
      SpecificDiseasesValidStartDate: "20250101",
      SpecificDiseasesValidEndDate: "20991231",
      SpecificDiseasesSelfPay: "10000",
    }],
  });

  const expired = resultOfQualification(q, "20270301", true);
  assert.equal("LimitApplicationCertificateRelatedInfo" in expired, false);
  assert.equal("LimitApplicationCertificateRelatedInfo" in resultOfQualification(q, "20270228", true), true);
});

test("後期高齢 負担割合 and 高齢受給者証 ratios are 3-digit percentages", () => {
  const late = resultOfQualification(qualification({ insurerNumber: "39131156", partialContributionRatio: 10 }), DATE, false);
  assert.equal(late.InsuredPartialContributionRatio, "010");
  const elderly = resultOfQualification(
    qualification({ elderlyCertificates: [{ certificateDate: null, validStart: "20250801", validEnd: "20260731", contributionRatio: 20 }] }),
    DATE,
    false,
  );
  assert.deepEqual(elderly.ElderlyRecipientCertificateInfo, {
    ElderlyRecipientValidStartDate: "20250801",
    ElderlyRecipientValidEndDate: "20260731",
    ElderlyRecipientContributionRatio: "020",
  });
});

test("not found: no ResultList; several found: one result per person", () => {
  assert.deepEqual(searchResultBody(decideValidity([], "19800101", DATE), DATE, false), {
    ProcessingResultStatus: "1",
    QualificationValidity: "4",
  });
  const two = [qualification(), qualification({ qualificationId: 2, person: person({ personId: 2 }) })];
  const body = searchResultBody(decideValidity(two, "19800101", DATE), DATE, false);
  assert.equal(body.QualificationValidity, "5");
  assert.equal((body.ResultList as { ResultOfQualificationConfirmation: unknown[] }).ResultOfQualificationConfirmation.length, 2);
});

test("header times are Japan time and errors carry code and Japanese message", () => {
  const header = responseHeader({
    now: new Date("2026-03-31T15:30:05Z"),
    characterCode: "1",
    segment: "9",
    error: { code: "E1008", element: "QualificationConfirmationDate" },
  });
  assert.deepEqual(header, {
    ProcessExecutionTime: "20260401003005",
    SegmentOfResult: "9",
    ErrorCode: "E1008",
    ErrorMessage: "日付が不正です。(QualificationConfirmationDate)",
    CharacterCodeIdentifier: "1",
  });
});
