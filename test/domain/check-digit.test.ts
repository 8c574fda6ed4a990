import { test } from "node:test";
import assert from "node:assert/strict";
import { checkDigit, hasValidCheckDigit } from "../../src/domain/check-digit.ts";
import { facilityCodeProblem } from "../../src/domain/facility-code.ts";
import { formatInsurerNumber, parseInsurerNumber } from "../../src/domain/insurer-number.ts";

// Worked examples: 保険者番号設定要領 (千葉県警 33120015); 医療機関コード 0110113719 (a prescription
// sample) and 徳島大学病院 36 1 80 1001 5.
test("check digits of published numbers", () => {
  for (const [payload, digit] of [
    ["3312001", 5],
    ["0113001", 2], // 協会けんぽ東京 01130012
    ["011011371", 9],
    ["361801001", 5],
    ["13805", 7], // a 6-digit 国保 number
  ] as const) {
    assert.equal(checkDigit(payload), digit, payload);
  }
});

test("a sum ending in 0 gives check digit 0", () => {
  // 0000000 → sum 0 → 0; 5 → 5*2=10 → 1+0=1 → 9; "19" → 9*2=18→9, +1 = 10 → 0
  assert.equal(checkDigit("0000000"), 0);
  assert.equal(checkDigit("19"), 0);
});

test("insurer numbers: 8 digits, 6 digits, padding and each problem", () => {
  assert.deepEqual(parseInsurerNumber("01130012"), { ok: true, value: "01130012" });
  assert.deepEqual(parseInsurerNumber("  138057"), { ok: true, value: "138057" });
  assert.deepEqual(parseInsurerNumber("00138057"), { ok: true, value: "138057" });
  assert.deepEqual(parseInsurerNumber("138057"), { ok: true, value: "138057" });
  assert.deepEqual(parseInsurerNumber("0113001"), { ok: false, problem: "length" });
  assert.deepEqual(parseInsurerNumber("011300123"), { ok: false, problem: "length" });
  assert.deepEqual(parseInsurerNumber("0113001A"), { ok: false, problem: "digits" });
  assert.deepEqual(parseInsurerNumber("01130013"), { ok: false, problem: "checkDigit" });
  assert.equal(formatInsurerNumber("138057"), "  138057");
  assert.equal(formatInsurerNumber("01130012"), "01130012");
});

test("facility codes: each problem", () => {
  assert.equal(facilityCodeProblem("0110113719"), undefined);
  assert.equal(facilityCodeProblem("3618010015"), undefined);
  assert.equal(facilityCodeProblem("011011371"), "length");
  assert.equal(facilityCodeProblem("01101137x9"), "digits");
  assert.equal(facilityCodeProblem("4810113719"), "prefecture");
  assert.equal(facilityCodeProblem("0110113718"), "checkDigit");
  assert.equal(hasValidCheckDigit("0110113718"), false);
});
