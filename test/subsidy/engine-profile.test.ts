// The facility profile: its validation names the field and the rule (E9102), and the published
// JSON Schema lists exactly the fields the validator knows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { isIsoDate, validateProfile, ProfileError, PROFILE_FIELD_NAMES, PROJECT_FIELD_NAMES, MONTH_FIELDS } from "../../src/subsidy/profile.ts";

const schema = JSON.parse(readFileSync(new URL("../../src/subsidy/facility-profile.schema.json", import.meta.url), "utf8"));

test("a full profile with the names of issue 5 is accepted", () => {
  const profile = {
    kind: "medical_clinic", largeChainPharmacy: false, openedOn: "2010-04-01", readersProvided: 1, readersInUse: 1,
    receptionMachine: true, poster: true, flyers: false,
    months: { "2023-10": { cardUses: 10, cardPersons: 9, onlineChecks: 400, receipts: 380, outpatientReceipts: 370 } },
    projects: [{ program: "fund-2020", cost: 429000, readerAppliedOn: "2021-01-15", completedOn: "2021-09-01", appliedOn: "2021-10-01", readers: 1, scope: "card_only", agency: "digital" }],
  };
  assert.equal(validateProfile(profile), profile);
});

const bad: [string, unknown, string, RegExp][] = [
  ["not an object", [], "(全体)", /オブジェクト/],
  ["kind missing", {}, "kind", /必須/],
  ["kind unknown", { kind: "clinic" }, "kind", /hospital \/ medical_clinic/],
  ["unknown field", { kind: "hospital", beds: 20 }, "beds", /定義されていない/],
  ["negative readers", { kind: "hospital", readersProvided: -1 }, "readersProvided", /0以上の整数/],
  ["fractional count", { kind: "hospital", readersInUse: 1.5 }, "readersInUse", /0以上の整数/],
  ["boolean as string", { kind: "hospital", poster: "yes" }, "poster", /true または false/],
  ["chain flag on a clinic", { kind: "medical_clinic", largeChainPharmacy: true }, "largeChainPharmacy", /薬局/],
  ["not a real date", { kind: "hospital", openedOn: "2023-02-29" }, "openedOn", /YYYY-MM-DD/],
  ["month key", { kind: "hospital", months: { "2023-13": {} } }, "months.2023-13", /YYYY-MM/],
  ["month field", { kind: "hospital", months: { "2023-10": { uses: 1 } } }, "months.2023-10.uses", /定義されていない/],
  ["month count", { kind: "hospital", months: { "2023-10": { receipts: -3 } } }, "months.2023-10.receipts", /0以上/],
  ["projects not array", { kind: "hospital", projects: {} }, "projects", /配列/],
  ["project without program", { kind: "hospital", projects: [{ cost: 1 }] }, "projects[0].program", /必須/],
  ["project cost", { kind: "hospital", projects: [{ program: "fund-2020", cost: "429000" }] }, "projects[0].cost", /0以上の整数/],
  ["project date", { kind: "hospital", projects: [{ program: "fund-2020", appliedOn: "2021/10/01" }] }, "projects[0].appliedOn", /YYYY-MM-DD/],
  ["project scope", { kind: "hospital", projects: [{ program: "x", scope: "both" }] }, "projects[0].scope", /recipient_and_card/],
  ["deferral type", { kind: "hospital", projects: [{ program: "fund-2020", deferralType: 7 }] }, "projects[0].deferralType", /1 から 6/],
];
for (const [name, input, field, rule] of bad) {
  test(`refused: ${name} names ${field}`, () => {
    assert.throws(() => validateProfile(input), (e: unknown) => {
      assert.ok(e instanceof ProfileError, "e instanceof ProfileError");
      assert.equal(e.code, "E9102");
      assert.equal(e.field, field);
      assert.match(e.message, rule);
      assert.ok(e.message.includes(field), "e.message.includes(field)");
      return true;
    });
  });
}

test("the published JSON Schema has exactly the validator's fields", () => {
  assert.deepEqual(Object.keys(schema.properties).sort(), [...PROFILE_FIELD_NAMES].sort());
  assert.deepEqual(Object.keys(schema.$defs.project.properties).sort(), [...PROJECT_FIELD_NAMES].sort());
  assert.deepEqual(Object.keys(schema.$defs.month.properties).sort(), [...MONTH_FIELDS].sort());
  assert.deepEqual(schema.properties.kind.enum, ["hospital", "medical_clinic", "dental_clinic", "pharmacy"]);
});

test("dates are real calendar dates: leap years by the Gregorian rule, no 31 April, no month 13", () => {
  for (const ok of ["2024-02-29", "2000-02-29", "2023-04-30", "2023-12-31", "2023-01-31"]) assert.equal(isIsoDate(ok), true, ok);
  for (const bad of ["2023-02-29", "1900-02-29", "2023-04-31", "2023-13-01", "2023-00-10", "2023-01-00", "2023-1-01", "20230101", 20230101]) {
    assert.equal(isIsoDate(bad), false, String(bad));
  }
});
