// The programme tables of 受給者証: one rule per programme type of the registry, every source an
// address, unknown kept unknown, and the caps at each band and kind as the sources print them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { capOf, CERTIFICATE_RULES, KNOWN_CERTIFICATES } from "../../src/domain/medical-subsidy-rules.ts";
import { PMH_PROGRAMMES, pmhEntity } from "../../src/domain/pmh-participation.ts";
import { parsePublicExpenseInsurerNumber } from "../../src/domain/public-expense-number.ts";

test("one rule per programme type of the registry; national ones national, 地方単独 local", () => {
  assert.deepEqual(Object.keys(CERTIFICATE_RULES).sort(), PMH_PROGRAMMES.map((p) => p.key).sort());
  for (const p of PMH_PROGRAMMES) {
    const rule = CERTIFICATE_RULES[p.key];
    assert.equal(rule.scope, p.kind === "公費負担医療" ? "national" : "local", p.key);
    assert.equal(rule.lawNumbers === null, rule.lawNumberSource === null, `${p.key}: a 法別番号 has a source, an unknown one none`);
    if (rule.lawNumberSource) assert.match(rule.lawNumberSource, /^https?:\/\//, p.key);
    if (rule.caps) assert.match(rule.caps.source, /^https?:\/\//, p.key);
    if (rule.scope === "local") assert.equal(rule.lawNumbers, null, `${p.key}: set by each prefecture`);
  }
});

test("caps at every band: general, severe and ventilator as printed; unknown and not covered said so", () => {
  const table: [Parameters<typeof capOf>, ReturnType<typeof capOf>][] = [
    [["intractableDisease", "生活保護"], { monthly: 0 }],
    [["intractableDisease", "低所得Ⅰ"], { monthly: 2500 }],
    [["intractableDisease", "低所得Ⅱ"], { monthly: 5000 }],
    [["intractableDisease", "一般所得Ⅰ"], { monthly: 10000 }],
    [["intractableDisease", "一般所得Ⅱ"], { monthly: 20000 }],
    [["intractableDisease", "上位所得"], { monthly: 30000 }],
    [["intractableDisease", "上位所得", "severe"], { monthly: 20000 }],
    [["intractableDisease", "一般所得Ⅰ", "ventilator"], { monthly: 1000 }],
    [["pediatricChronic", "低所得Ⅰ"], { monthly: 1250 }],
    [["pediatricChronic", "上位所得"], { monthly: 15000 }],
    [["pediatricChronic", "上位所得", "severe"], { monthly: 10000 }],
    [["pediatricChronic", "一般所得Ⅱ", "ventilator"], { monthly: 500 }],
    [["mentalOutpatient", "低所得1"], { monthly: 2500 }],
    [["mentalOutpatient", "中間所得層1"], {}],
    [["mentalOutpatient", "中間所得層1", "severe"], { monthly: 5000 }],
    [["mentalOutpatient", "一定所得以上"], "not covered"],
    [["mentalOutpatient", "一定所得以上", "severe"], { monthly: 20000 }],
    [["mentalOutpatient", "低所得1", "ventilator"], "unknown"],
    [["childRehabilitation", "中間所得層2"], { monthly: 10000 }],
    [["rehabilitation", "中間所得層2"], {}],
    [["intractableDisease", "一般"], "unknown"],
    [["hepatitis", "一般所得Ⅰ"], "unknown"],
    [["children", "生活保護"], "unknown"],
  ];
  for (const [args, expected] of table) assert.deepEqual(capOf(...args), expected, args.join(" "));
});

test("八王子市's published certificates: valid numbers, its own code, a source", () => {
  assert.equal(pmhEntity("132012")?.name, "八王子市");
  for (const c of KNOWN_CERTIFICATES) {
    assert.equal(c.issuerCode, "132012", c.certificationName);
    for (const n of c.insurerNumbers) assert.ok(parsePublicExpenseInsurerNumber(n).ok, n);
    assert.match(c.source, /^https:\/\//, c.certificationName);
  }
  assert.deepEqual(KNOWN_CERTIFICATES.flatMap((c) => c.insurerNumbers).sort(), ["81136244", "81137242", "88131248", "88138243", "89131247"]);
});
