// The date arithmetic and the PRNG every generated row depends on.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  addDays,
  addYears,
  ageOn,
  benefitYear,
  dayNumber,
  elderlyStart,
  firstOfNextMonth,
  isIsoDate,
  isoOf,
  isPreschool,
  schoolEntryDate,
} from "../../src/seed/calendar.ts";
import { Random } from "../../src/seed/random.ts";

test("day numbers agree with Date for every day from 1900 to 2100", () => {
  const start = Date.UTC(1900, 0, 1) / 86_400_000;
  const end = Date.UTC(2100, 11, 31) / 86_400_000;
  for (let day = start; day <= end; day++) {
    const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
    assert.equal(isoOf(day), iso);
    assert.equal(dayNumber(iso), day);
  }
});

test("date steps", () => {
  assert.equal(addDays("2024-02-28", 1), "2024-02-29");
  assert.equal(addDays("2026-01-01", -1), "2025-12-31");
  assert.equal(addYears("1951-04-01", 75), "2026-04-01");
  assert.equal(addYears("1952-02-29", 75), "2027-03-01", "29 February becomes 1 March in a common year");
  assert.equal(addYears("1952-02-29", 72), "2024-02-29");
  assert.equal(firstOfNextMonth("2025-12-15"), "2026-01-01");
  assert.equal(firstOfNextMonth("2026-03-01"), "2026-04-01");
  assert.ok(isIsoDate("2024-02-29"), "isIsoDate(\"2024-02-29\")");
  assert.ok(!isIsoDate("2026-02-29"), "!isIsoDate(\"2026-02-29\")");
  assert.ok(!isIsoDate("2026-4-1"), "!isIsoDate(\"2026-4-1\")");
});

test("age goes up on the birthday itself", () => {
  assert.equal(ageOn("1951-04-01", "2026-03-31"), 74);
  assert.equal(ageOn("1951-04-01", "2026-04-01"), 75);
});

test("未就学 ends on the 31 March after the child legally turns 6", () => {
  // Born 1 April: turns 6 (legally) on 31 March and enters school that April (早生まれ).
  assert.equal(schoolEntryDate("2019-04-01"), "2025-04-01");
  assert.equal(schoolEntryDate("2019-04-02"), "2026-04-01");
  assert.equal(schoolEntryDate("2020-01-15"), "2026-04-01");
  assert.ok(isPreschool("2020-01-15", "2026-03-31"), "isPreschool(\"2020-01-15\", \"2026-03-31\")");
  assert.ok(!isPreschool("2020-01-15", "2026-04-01"), "!isPreschool(\"2020-01-15\", \"2026-04-01\")");
  assert.ok(isPreschool("2020-04-02", "2026-04-01"), "isPreschool(\"2020-04-02\", \"2026-04-01\")");
});

test("高齢受給者証 starts the month after the 70th birthday (the birthday itself when it is the 1st)", () => {
  assert.equal(elderlyStart("1955-06-15"), "2025-07-01");
  assert.equal(elderlyStart("1955-06-01"), "2025-06-01");
  assert.deepEqual(benefitYear("2026-04-01"), { start: "2025-08-01", end: "2026-07-31" });
  assert.deepEqual(benefitYear("2026-08-01"), { start: "2026-08-01", end: "2027-07-31" });
});

test("Random repeats for a seed, differs between seeds, and uses the seed's high bits", () => {
  const draw = (seed: number) => {
    const r = new Random(seed);
    return Array.from({ length: 20 }, () => r.next());
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
  assert.notDeepEqual(draw(1), draw(2 ** 32 + 1));
  const r = new Random(7);
  for (let i = 0; i < 10_000; i++) {
    const x = r.next();
    assert.ok(x >= 0 && x < 1, "x >= 0 && x < 1");
    const d = r.day("2026-03-30", "2026-04-01");
    assert.ok(d >= "2026-03-30" && d <= "2026-04-01", "d >= \"2026-03-30\" && d <= \"2026-04-01\"");
  }
});
