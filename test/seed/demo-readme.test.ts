import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DEMO_DATE, DEMO_FACILITIES, DEMO_OFFICE, DEMO_PERSONS, DEMO_RECEPTIONS, DEMO_REFERENCE_NUMBERS, DEMO_STAFF } from "../../src/seed/demo.ts";
import { OFFICE_ROLES } from "../../src/domain/office.ts";
import { STAFF_ROLES } from "../../src/domain/staff.ts";
import { DEMO_CARDS, DEMO_PIN, demoCardState } from "../../src/seed/demo-cards.ts";

// The README's demo tables are what a user types in: they must list exactly what the demo holds.
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const rowsOf = (header: string) => {
  const start = readme.indexOf(header);
  assert.ok(start >= 0, `README has a table headed ${header}`);
  return readme
    .slice(start)
    .split("\n")
    .slice(2)
    .filter((line, i, lines) => line.startsWith("|") && lines.slice(0, i).every((l) => l.startsWith("|")))
    .map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim().replaceAll("`", "")));
};
const compact = (date: string) => date.replaceAll("-", "");

test("the README lists every demo lookup with its key and answer", () => {
  const expected = DEMO_PERSONS.map((p) => [
    p.label,
    p.name ?? "—",
    p.insurerNumber.padStart(8, "␣"),
    p.symbol ?? "—",
    p.number,
    p.branch ?? "—",
    compact(p.birthdate),
    compact(p.date),
    p.expected,
  ]);
  assert.deepEqual(rowsOf("| 内容 | 氏名 | InsurerNumber |"), expected);
});

test("the README lists the demo facilities and their credentials", () => {
  const expected = DEMO_FACILITIES.map((f) => [f.code, f.name, f.credential]);
  assert.deepEqual(rowsOf("| 医療機関コード | 名称 | Credential |"), expected);
});

test("the README lists the demo 照会番号", () => {
  const expected = DEMO_REFERENCE_NUMBERS.map((r) => [r.facility, r.name, r.referenceNumber]);
  assert.deepEqual(rowsOf("| 医療機関コード | 氏名 | ReferenceNumber |"), expected);
});

test("the README lists the demo cards with their state on the demo date and PIN", () => {
  const demoDay = new Date(`${DEMO_DATE}T09:00:00+09:00`);
  const expected = DEMO_CARDS.map((c) => [c.cardId, c.name, demoCardState(c, demoDay), c.certificateExpiry, DEMO_PIN]);
  assert.deepEqual(rowsOf("| カードID | 氏名 | 状態 |"), expected);
});

test("the README names each demo reception's ReceptionNumber", () => {
  for (const r of DEMO_RECEPTIONS) assert.ok(readme.includes(`\`${r.receptionNumber}\``), r.receptionNumber);
});

test("the README lists the demo staff accounts with their role and password", () => {
  const expected = DEMO_STAFF.map((s) => [s.facility, s.loginId, s.displayName, STAFF_ROLES[s.role], s.administrator ? "○" : "", s.password]);
  assert.deepEqual(rowsOf("| 医療機関コード | ログインID | 表示名 |"), expected);
});

test("the README lists the demo office accounts with their role and password", () => {
  const expected = DEMO_OFFICE.map((a) => [a.loginId, a.displayName, OFFICE_ROLES[a.role], a.password]);
  assert.deepEqual(rowsOf("| ログインID | 表示名 | 役割 | パスワード |"), expected);
});
