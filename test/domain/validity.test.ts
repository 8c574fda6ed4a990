import { test } from "node:test";
import assert from "node:assert/strict";
import { decideValidity, Validity } from "../../src/domain/validity.ts";
import { person, qualification } from "../support/records.ts";

const BIRTH = "19800101";

// Each case: the qualifications sharing the key, the confirmation date, the expected
// QualificationValidity (OQSCD006) and which qualification ids are shown.
const cases = [
  { name: "valid qualification", rows: [qualification()], date: "20260401", expect: Validity.Valid, shown: [1] },
  {
    name: "qualification starting on the confirmation date is valid that day",
    rows: [qualification({ qualificationDate: "20260401" })],
    date: "20260401",
    expect: Validity.Valid,
    shown: [1],
  },
  {
    name: "qualification starting the day after: exists but does not cover the date",
    rows: [qualification({ qualificationDate: "20260402" })],
    date: "20260401",
    expect: Validity.Lost,
    shown: [1],
  },
  {
    name: "the day before the loss date is still valid",
    rows: [qualification({ disqualificationDate: "20260401", reasonOfLoss: "99" })],
    date: "20260331",
    expect: Validity.Valid,
    shown: [1],
  },
  {
    name: "loss date equal to the confirmation date is lost",
    rows: [qualification({ disqualificationDate: "20260401", reasonOfLoss: "99" })],
    date: "20260401",
    expect: Validity.Lost,
    shown: [1],
  },
  {
    name: "lost with a newer qualification (job change)",
    rows: [qualification({ disqualificationDate: "20260401", reasonOfLoss: "03", hasNewerQualification: true })],
    date: "20260401",
    expect: Validity.LostWithNewer,
    shown: [1],
  },
  {
    name: "後期高齢 turnover: the old card the day before the 75th birthday is valid",
    rows: [qualification({ person: person({ birthdate: "19510402" }), disqualificationDate: "20260402", reasonOfLoss: "03", hasNewerQualification: true })],
    birthdate: "19510402",
    date: "20260401",
    expect: Validity.Valid,
    shown: [1],
  },
  {
    name: "後期高齢 turnover: the old card on the 75th birthday is lost with a newer one",
    rows: [qualification({ person: person({ birthdate: "19510402" }), disqualificationDate: "20260402", reasonOfLoss: "03", hasNewerQualification: true })],
    birthdate: "19510402",
    date: "20260402",
    expect: Validity.LostWithNewer,
    shown: [1],
  },
  { name: "no qualification with the key", rows: [], date: "20260401", expect: Validity.NotFound, shown: [] },
  {
    name: "a birth date that does not match counts as not found",
    rows: [qualification({ person: person({ birthdate: "19800102" }) })],
    date: "20260401",
    expect: Validity.NotFound,
    shown: [],
  },
  {
    name: "two persons with the same key and birth date: several found",
    rows: [qualification(), qualification({ qualificationId: 2, person: person({ personId: 2, name: "診療　次郎" }) })],
    date: "20260401",
    expect: Validity.Multiple,
    shown: [1, 2],
  },
  {
    name: "family members share the number but birth dates tell them apart",
    rows: [qualification(), qualification({ qualificationId: 2, insuredBranchNumber: "01", person: person({ personId: 2, birthdate: "20100505" }) })],
    date: "20260401",
    expect: Validity.Valid,
    shown: [1],
  },
  {
    name: "one person re-acquired the same number: the covering qualification is shown",
    rows: [
      qualification({ qualificationDate: "20180401", disqualificationDate: "20190401", hasNewerQualification: true }),
      qualification({ qualificationId: 2, qualificationDate: "20200401" }),
    ],
    date: "20260401",
    expect: Validity.Valid,
    shown: [2],
  },
  {
    name: "one person, all lost: the latest acquired is shown",
    rows: [
      qualification({ qualificationDate: "20180401", disqualificationDate: "20190401", hasNewerQualification: true }),
      qualification({ qualificationId: 2, qualificationDate: "20200401", disqualificationDate: "20250401" }),
    ],
    date: "20260401",
    expect: Validity.Lost,
    shown: [2],
  },
];

for (const c of cases) {
  test(`validity: ${c.name}`, () => {
    const decision = decideValidity(c.rows, c.birthdate ?? BIRTH, c.date);
    assert.equal(decision.validity, c.expect);
    assert.deepEqual(decision.results.map((q) => q.qualificationId), c.shown);
  });
}
