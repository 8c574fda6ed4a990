// 第5 1(5) retention of the books (seed 002 lines 1263–1279) and 第5 1(2) disposal within a reader's
// life (lines 1243–1251, the life of 第5 1(6) l.1281–1285): a table at each boundary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { disposalNeedsApproval, facilityRetention, fiscalYearOf, lifeEndOf, projectRetention, type ProjectRecords } from "../../src/subsidy/retention.ts";
import { inputErrorOf } from "../support/subsidy-input.ts";

// [day, 年度]: April–March (seed 002 l.1269 「年度」).
const years: [string, number][] = [
  ["2021-03-31", 2020],
  ["2021-04-01", 2021],
  ["2022-01-01", 2021],
  ["2022-12-31", 2022],
];
for (const [day, fy] of years) test(`${day} is in 年度 ${fy}`, () => assert.equal(fiscalYearOf(day), fy));

// [provided, life ends]: 60 months later, the month's end when it has no such day (l.1283 「減価償却（５年）」).
const lives: [string, string][] = [
  ["2021-04-15", "2026-04-15"],
  ["2020-02-29", "2025-02-28"],
  ["2021-03-31", "2026-03-31"],
];
for (const [provided, end] of lives) test(`a reader provided ${provided} ends its life ${end}`, () => assert.equal(lifeEndOf(provided), end));

// [disposal day, needs approval]: within the life up to and including its last day (l.1243–1251).
const disposals: [string, boolean][] = [
  ["2021-04-15", true],
  ["2026-04-15", true],
  ["2026-04-16", false],
];
for (const [on, needs] of disposals) {
  test(`disposing on ${on} of a reader provided 2021-04-15 ${needs ? "needs" : "needs no"} approval`, () => assert.equal(disposalNeedsApproval("2021-04-15", on), needs));
}

const project = (over: Partial<ProjectRecords>): ProjectRecords => ({ caseId: 1, program: "fund-2020", completedOn: "2021-03-20", readers: [], disposalsApprovedOn: [], ...over });

// [completed, readers provided, disposals approved, keep until]: l.1263–1279.
const retention: [string, string[], string[], string][] = [
  ["2021-03-31", [], [], "2026-03-31"], // last day of 年度 2020: 5 years after 2021-03-31
  ["2021-04-01", [], [], "2027-03-31"], // first day of 年度 2021
  ["2021-03-20", ["2021-03-01"], [], "2026-03-31"], // the reader's life (2026-03-01) ends first
  ["2021-03-20", ["2021-03-31"], [], "2026-03-31"], // life ends the same day: no later
  ["2021-03-20", ["2021-04-01"], [], "2026-04-01"], // provided in the next 年度: its life ends later
  ["2021-03-20", ["2021-03-01", "2021-06-10"], [], "2026-06-10"], // the latest reader counts
  ["2021-03-20", ["2021-03-01"], ["2026-05-01"], "2026-05-01"], // an approval after the other dates
];
for (const [completedOn, provided, approvals, keepUntil] of retention) {
  test(`completed ${completedOn}, readers ${provided.join("/") || "none"}, disposals ${approvals.join("/") || "none"}: keep until ${keepUntil}`, () => {
    const r = projectRetention(project({ completedOn, readers: provided.map((providedOn) => ({ readers: 1, providedOn })), disposalsApprovedOn: approvals }));
    assert.equal(r.keepUntil, keepUntil);
    assert.ok(r.reasons.every((reason) => /第5 1\(5\)/.test(reason)), `every reason cites 第5 1(5): ${r.reasons.join(" / ")}`);
  });
}

test("the facility keeps its books until its latest project's date, discardable the day after", () => {
  const r = facilityRetention([project({ caseId: 1, completedOn: "2021-03-20" }), project({ caseId: 2, program: "reader-expansion-2024", completedOn: "2024-10-01" })]);
  assert.equal(r.keepUntil, "2030-03-31");
  assert.equal(r.discardableFrom, "2030-04-01");
  assert.deepEqual(r.projects.map((p) => p.keepUntil), ["2026-03-31", "2030-03-31"]);
  assert.ok(r.sources.some((s) => /l\.1263–1271 第5 1\(5\)/.test(s)), `cites 第5 1(5): ${r.sources.join(" / ")}`);
  assert.ok(r.readings.length > 0, "states its readings");
});

test("an unknown completion day makes the facility's date unknown, never a guess", () => {
  const r = facilityRetention([project({ caseId: 1 }), project({ caseId: 2, completedOn: null })]);
  assert.equal(r.keepUntil, null);
  assert.equal(r.discardableFrom, null);
  assert.equal(r.projects[0]!.keepUntil, "2026-03-31");
  assert.match(r.projects[1]!.reasons[0]!, /不明/);
});

test("a facility with no funded project has nothing to keep", () => {
  const r = facilityRetention([]);
  assert.equal(r.keepUntil, null);
  assert.match(r.reasons[0]!, /ありません/);
});

test("bad dates name the field", () => {
  assert.deepEqual(inputErrorOf(() => projectRetention(project({ completedOn: "2021/03/20" }))), ["E9131", "completedOn"]);
  assert.deepEqual(inputErrorOf(() => lifeEndOf("2021-02-30")), ["E9131", "providedOn"]);
  assert.deepEqual(inputErrorOf(() => disposalNeedsApproval("2021-04-15", "2021-04-14")), ["E9133", "on"]);
});
