// The rules of consents given at home (居宅同意取得型) and of the bulk searches over them, at each
// boundary: the periods of 訪問診療 (365 days) and オンライン診療 (to the booked day, 0–30 days
// ahead), withdrawal, and the search keys (flag, one pair of days, both ends, order, 366 days).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  addDays,
  consentPeriod,
  daysBetween,
  isRemoteConsentInForce,
  MAX_SEARCH_DAYS,
  ONLINE_BOOKING_DAYS,
  readRemoteSearch,
  Treatment,
  VISIT_CONSENT_DAYS,
} from "../../src/domain/remote-consent.ts";

test("days are counted across month, year and leap-day ends", () => {
  assert.equal(addDays("20280228", 1), "20280229");
  assert.equal(addDays("20261231", 1), "20270101");
  assert.equal(addDays("20260301", -1), "20260228");
  assert.equal(daysBetween("20260101", "20270101"), 365);
  assert.equal(daysBetween("20280101", "20290101"), 366);
});

test("a 訪問診療 consent holds 365 days, both ends in, and takes no examination day", () => {
  const read = consentPeriod(Treatment.Visit, "20260401", undefined);
  assert.deepEqual(read, { ok: true, period: { validFrom: "20260401", validTo: "20270331" } });
  assert.equal(daysBetween("20260401", "20270331") + 1, VISIT_CONSENT_DAYS);
  assert.deepEqual(consentPeriod(Treatment.Visit, "20260401", "20260402"), { ok: false, code: "E8808" });
});

test("an オンライン診療 consent holds to its booked day, 0 to 30 days ahead", () => {
  assert.deepEqual(consentPeriod(Treatment.Online, "20260401", "20260401"), { ok: true, period: { validFrom: "20260401", validTo: "20260401" } });
  const last = addDays("20260401", ONLINE_BOOKING_DAYS);
  assert.deepEqual(consentPeriod(Treatment.Online, "20260401", last), { ok: true, period: { validFrom: "20260401", validTo: last } });
  assert.deepEqual(consentPeriod(Treatment.Online, "20260401", addDays(last, 1)), { ok: false, code: "E8807" });
  assert.deepEqual(consentPeriod(Treatment.Online, "20260401", "20260331"), { ok: false, code: "E8807" });
  for (const bad of [undefined, "20260431", "2026041", "abcdefgh"]) {
    assert.deepEqual(consentPeriod(Treatment.Online, "20260401", bad), { ok: false, code: "E8806" }, String(bad));
  }
});

test("a consent is in force inside its period until the day it is withdrawn", () => {
  const period = { validFrom: "20260401", validTo: "20260410", withdrawnOn: null };
  assert.equal(isRemoteConsentInForce(period, "20260331"), false);
  assert.equal(isRemoteConsentInForce(period, "20260401"), true);
  assert.equal(isRemoteConsentInForce(period, "20260410"), true);
  assert.equal(isRemoteConsentInForce(period, "20260411"), false);
  const withdrawn = { ...period, withdrawnOn: "20260405" };
  assert.equal(isRemoteConsentInForce(withdrawn, "20260404"), true);
  assert.equal(isRemoteConsentInForce(withdrawn, "20260405"), false);
});

test("a search reads one pair of days for the kind's own flag", () => {
  assert.deepEqual(readRemoteSearch(Treatment.Visit, { ConsentDateFrom: "20260401", ConsentDateTo: "20260430", MedicalTreatmentFlag: "2" }), {
    ok: true,
    search: { treatment: "2", by: "consent", from: "20260401", to: "20260430" },
  });
  assert.deepEqual(readRemoteSearch(Treatment.Online, { ExaminationDateFrom: "20260401", ExaminationDateTo: "20260401", MedicalTreatmentFlag: "3" }), {
    ok: true,
    search: { treatment: "3", by: "examination", from: "20260401", to: "20260401" },
  });
});

test("a search is refused with its code at each rule", () => {
  const cases: [Treatment, Record<string, string>, string, string][] = [
    [Treatment.Online, { ConsentDateFrom: "20260401", ConsentDateTo: "20260401", MedicalTreatmentFlag: "2" }, "E8810", "MedicalTreatmentFlag"],
    [Treatment.Visit, { ConsentDateFrom: "20260401", ConsentDateTo: "20260401" }, "E8810", "MedicalTreatmentFlag"],
    [Treatment.Online, { MedicalTreatmentFlag: "3" }, "E8811", "ConsentDateFrom"],
    [Treatment.Online, { ConsentDateFrom: "20260401", ExaminationDateTo: "20260401", MedicalTreatmentFlag: "3" }, "E8811", "ConsentDateFrom"],
    [Treatment.Visit, { ExaminationDateFrom: "20260401", ExaminationDateTo: "20260401", MedicalTreatmentFlag: "2" }, "E8811", "ExaminationDateFrom"],
    [Treatment.Online, { ConsentDateTo: "20260401", MedicalTreatmentFlag: "3" }, "E8812", "ConsentDateFrom"],
    [Treatment.Online, { ExaminationDateFrom: "20260401", ExaminationDateTo: "", MedicalTreatmentFlag: "3" }, "E8812", "ExaminationDateTo"],
    [Treatment.Visit, { ConsentDateFrom: "20260402", ConsentDateTo: "20260401", MedicalTreatmentFlag: "2" }, "E8813", "ConsentDateTo"],
  ];
  for (const [treatment, info, code, element] of cases) {
    assert.deepEqual(readRemoteSearch(treatment, info), { ok: false, code, element }, JSON.stringify(info));
  }
});

test("a search spans at most 366 days", () => {
  const to = addDays("20260101", MAX_SEARCH_DAYS - 1);
  assert.equal(readRemoteSearch(Treatment.Visit, { ConsentDateFrom: "20260101", ConsentDateTo: to, MedicalTreatmentFlag: "2" }).ok, true);
  assert.deepEqual(readRemoteSearch(Treatment.Visit, { ConsentDateFrom: "20260101", ConsentDateTo: addDays(to, 1), MedicalTreatmentFlag: "2" }), {
    ok: false,
    code: "E8814",
    element: "ConsentDateTo",
  });
});
