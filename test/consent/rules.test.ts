// The consent window (spec §5.1): in force from ConsTime for exactly 24 hours, table-driven at
// its edges; the reader's factory settings; choices the facility does not offer.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  availableTimeOf,
  consentFlagAt,
  consentTimeOf,
  DEFAULT_CONSENT_SETTINGS,
  isConsentInForce,
  unofferedChoices,
  type ConsentRecord,
} from "../../src/domain/consent.ts";

const CONS = new Date("2026-04-01T00:30:15Z");
const record: ConsentRecord = { facilityCode: "0110113719", personId: 1, consTime: CONS, agreed: new Set(["pharmacists"]) };
const at = (ms: number) => new Date(CONS.getTime() + ms);
const DAY = 24 * 60 * 60 * 1000;

const WINDOW: [string, Date, "0" | "1" | "2"][] = [
  ["1 ms before ConsTime", at(-1), "0"],
  ["at ConsTime", at(0), "1"],
  ["12 h later", at(DAY / 2), "1"],
  ["the last second before AvailableTime", at(DAY - 1000), "1"],
  ["1 ms before AvailableTime", at(DAY - 1), "1"],
  ["at AvailableTime (ConsTime + 24 h)", at(DAY), "2"],
  ["a week later", at(7 * DAY), "2"],
];

for (const [name, when, flag] of WINDOW) {
  test(`薬剤情報 consent ${name}: ConsFlg ${flag}`, () => {
    assert.equal(consentFlagAt(record, "pharmacists", when), flag);
    assert.equal(isConsentInForce(record, "pharmacists", when), flag === "1");
  });
}

test("a category the patient did not agree to is 0 (同意なし) at any time, never 2", () => {
  for (const [, when] of WINDOW) assert.equal(consentFlagAt(record, "diagnosis", when), "0");
});

test("AvailableTime is ConsTime + 24 h, and ConsTime drops the fraction of a second as the wire does", () => {
  assert.equal(availableTimeOf(CONS).toISOString(), "2026-04-02T00:30:15.000Z");
  assert.equal(consentTimeOf(new Date("2026-04-01T00:30:15.999Z")).toISOString(), "2026-04-01T00:30:15.000Z");
});

test("factory settings: 薬剤情報 and 特定健診情報 shown, 診療情報 and 手術情報 not; 限度額 and 特定疾病 asked; 医療費助成 off", () => {
  assert.deepEqual(DEFAULT_CONSENT_SETTINGS, {
    pharmacists: true,
    specificHealthCheckups: true,
    diagnosis: false,
    operation: false,
    limitCertificate: true,
    specificDiseases: true,
    medicalSubsidy: false,
  });
});

test("choices for categories the reader does not offer are named", () => {
  const choices = { agreed: new Set(["pharmacists", "diagnosis", "medicalSubsidy"] as const) };
  assert.deepEqual(unofferedChoices(DEFAULT_CONSENT_SETTINGS, choices), ["diagnosis", "medicalSubsidy"]);
  assert.deepEqual(unofferedChoices({ ...DEFAULT_CONSENT_SETTINGS, diagnosis: true, medicalSubsidy: true }, choices), []);
});
