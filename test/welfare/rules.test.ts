// The 医療券 rules at each boundary: the 3–30 days window, the month a ticket serves, its kind and
// 診療別 by facility kind (the days it is in force: test/welfare/card-check.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { FACILITY_KINDS } from "../../src/domain/facility-code.ts";
import { daysBetween, issueWindowProblem, ticketPeriod, ticketTypeFor, treatmentTypeFor } from "../../src/domain/welfare.ts";

test("the visit must be 3 to 30 days after the day of recording, both ends included", () => {
  const cases: [string, string, string | undefined][] = [
    ["20261201", "20261130", "E8708"], // past
    ["20261201", "20261201", "E8708"], // the same day
    ["20261201", "20261203", "E8708"], // 2 days
    ["20261201", "20261204", undefined], // 3 days
    ["20261201", "20261231", undefined], // 30 days
    ["20261201", "20270101", "E8709"], // 31 days
    ["20270220", "20270223", undefined], // across a month end (28 days in February)
    ["20280227", "20280229", "E8708"], // 2 days, in a leap February
    ["20280227", "20280301", undefined], // 3 days across 29 February
  ];
  for (const [today, visit, expected] of cases) assert.equal(issueWindowProblem(today, visit), expected, `${today} → ${visit}`);
  assert.equal(daysBetween("20261231", "20270101"), 1);
});

test("a ticket serves its visit's month, from the visit's day to the month's last day", () => {
  assert.deepEqual(ticketPeriod("20261215"), { treatmentMonth: "202612", validFrom: "20261215", validTo: "20261231" });
  assert.deepEqual(ticketPeriod("20280203"), { treatmentMonth: "202802", validFrom: "20280203", validTo: "20280229" });
  assert.deepEqual(ticketPeriod("20270430"), { treatmentMonth: "202704", validFrom: "20270430", validTo: "20270430" });
});

test("a pharmacy gets a 調剤券, others a 医療券; the 診療別 must fit the facility", () => {
  assert.deepEqual(FACILITY_KINDS.map(ticketTypeFor), ["medical", "medical", "medical", "dispensing"]);
  assert.equal(treatmentTypeFor("pharmacy", undefined), "dispensing");
  assert.equal(treatmentTypeFor("dental_clinic", undefined), "dental");
  assert.equal(treatmentTypeFor("medical_clinic", undefined), "outpatient");
  assert.equal(treatmentTypeFor("hospital", "inpatient"), "inpatient");
  assert.equal(treatmentTypeFor("hospital", "dental"), "dental");
  assert.equal(treatmentTypeFor("hospital", "dispensing"), undefined);
  assert.equal(treatmentTypeFor("pharmacy", "outpatient"), undefined);
  assert.equal(treatmentTypeFor("medical_clinic", "dental"), undefined);
});
