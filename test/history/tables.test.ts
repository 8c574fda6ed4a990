// The curated tables behind histories: each names its source and says how its codes were
// checked, every row says whether its code is verified, and codes have the form of their system.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CHECKUP_ITEM_TABLE, DRUG_TABLE, PROCEDURE_TABLE } from "../../src/domain/medical-tables.ts";

const TABLES = { drugs: DRUG_TABLE, checkupItems: CHECKUP_ITEM_TABLE, procedures: PROCEDURE_TABLE };

test("every table has a source and a word on how its codes were checked", () => {
  for (const [name, table] of Object.entries(TABLES)) {
    assert.ok(table.source.length > 20, `${name} names its source`);
    assert.ok(table.codeCheck.includes("verified"), `${name} says what verified means`);
    const rows = Object.values(table.rows);
    assert.ok(rows.length > 0, `${name} has rows`);
    for (const row of rows) assert.equal(typeof row.verified, "boolean", `${name}.${row.key} says whether its code is verified`);
    assert.equal(new Set(rows.map((r) => r.code)).size, rows.length, `${name} has no code twice`);
  }
});

test("codes have the form of their code system", () => {
  for (const d of Object.values(DRUG_TABLE.rows)) {
    assert.match(d.code, /^[0-9]{7}[A-Z][0-9]ZZZ$/, `${d.key}: a 一般名コード is 9 characters of the YJ code and ZZZ`);
    assert.ok(d.name.startsWith("【般】"), `${d.key}: the 一般名処方 name`);
  }
  for (const i of Object.values(CHECKUP_ITEM_TABLE.rows)) assert.match(i.code, /^[0-9][A-Z][0-9A-Z]{15}$/, `${i.key}: a 17-character JLAC10 item code`);
  for (const p of Object.values(PROCEDURE_TABLE.rows)) {
    assert.match(p.code, /^[A-N][0-9]{3}(-[0-9])?$/, `${p.key}: a 区分番号`);
    assert.equal(p.code[0], p.class, `${p.key}: the 区分番号's letter is its 部`);
    assert.ok(PROCEDURE_TABLE.classes[p.class], `${p.key}: its class is listed`);
    assert.equal(p.operation === true, p.class === "K", `${p.key}: operations are exactly the 手術 (K) rows`);
  }
});

test("the standard 特定健診 items are there with their units and 判定値", () => {
  const byKey = CHECKUP_ITEM_TABLE.rows;
  for (const key of ["bmi", "waist", "systolic", "diastolic", "hba1c", "fastingGlucose", "ldl", "hdl", "triglyceride", "ast", "alt", "ggt", "egfr", "urineGlucose", "urineProtein"]) {
    assert.ok(byKey[key], `${key} is an item`);
  }
  for (const item of Object.values(byKey)) {
    if (item.dataType === "PQ") assert.ok(item.unit, `${item.key} has a unit`);
  }
  assert.equal(byKey.hba1c!.high, 5.6);
  assert.equal(byKey.ldl!.high, 120);
  assert.equal(byKey.hdl!.low, 40);
  assert.deepEqual([byKey.waist!.highMale, byKey.waist!.highFemale], [85, 90]);
});
