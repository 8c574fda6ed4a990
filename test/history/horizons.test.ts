// The horizons of spec §3 at their edges: 薬剤 from the 診療月 2021-09, 診療情報 from 2022-06, both
// 3 years back and a month showing from the 11th of M+2 (JST); 特定健診 5 years back, from 2020,
// showing from the 1st of the second month after.
import { test } from "node:test";
import assert from "node:assert/strict";
import { addMonths, checkupVisibleOn, horizonsAt, narrowHorizons, receiptVisibleOn } from "../../src/domain/history-horizons.ts";

/** An instant given as JST wall-clock time. */
const jst = (time: string) => new Date(`${time}+09:00`);

test("a 診療月 shows from 00:00 JST on the 11th of the month after next", () => {
  const cases: [string, string, string][] = [
    // [instant (JST), latest visible 診療月, why]
    ["2026-04-10T23:59:59", "202601", "the day before the 11th: February is not processed yet"],
    ["2026-04-11T00:00:00", "202602", "the 11th at midnight JST: February shows"],
    ["2026-04-30T23:59:59", "202602", "March waits for 11 May"],
    ["2026-01-11T00:00:00", "202511", "across the year end"],
    ["2026-01-10T12:00:00", "202510", "across the year end, before the 11th"],
  ];
  for (const [at, latest, why] of cases) assert.equal(horizonsAt(jst(at)).drugs.to, latest, why);
  assert.equal(receiptVisibleOn("202602"), "20260411");
  assert.equal(receiptVisibleOn("202511"), "20260111");
});

test("the JST date decides, not the UTC one", () => {
  // 2026-04-10T15:00Z is 2026-04-11 00:00 in Japan.
  assert.equal(horizonsAt(new Date("2026-04-10T15:00:00Z")).drugs.to, "202602");
  assert.equal(horizonsAt(new Date("2026-04-10T14:59:59Z")).drugs.to, "202601");
});

test("薬剤 covers 3 years of 診療月 and never a month before 2021-09", () => {
  assert.equal(horizonsAt(jst("2026-04-11T00:00:00")).drugs.from, "202304", "3 years: from the same month three years earlier");
  assert.equal(horizonsAt(jst("2024-08-20T00:00:00")).drugs.from, "202109", "three years back is 2021-08, but nothing before 2021-09 exists");
  assert.equal(horizonsAt(jst("2024-09-01T00:00:00")).drugs.from, "202109", "exactly three years after 2021-09");
  assert.equal(horizonsAt(jst("2024-10-01T00:00:00")).drugs.from, "202110", "2021-09 has left the 3 years");
  const first = horizonsAt(jst("2021-11-10T23:59:59")).drugs;
  assert.ok(first.from > first.to, "on 2021-11-10 nothing is visible yet (2021-09 shows on 2021-11-11)");
  assert.deepEqual(horizonsAt(jst("2021-11-11T00:00:00")).drugs, { from: "202109", to: "202109" });
});

test("診療情報 (手術 included) starts with the 診療月 2022-06 and shares the receipts' 3 years and lag", () => {
  assert.deepEqual(horizonsAt(jst("2022-08-11T00:00:00")).treatments, { from: "202206", to: "202206" });
  const before = horizonsAt(jst("2022-08-10T23:59:59")).treatments;
  assert.ok(before.from > before.to, "2022-06 shows on 2022-08-11, not before");
  assert.equal(horizonsAt(jst("2025-06-30T00:00:00")).treatments.from, "202206", "still 2022-06: three years back is 2022-06");
  assert.equal(horizonsAt(jst("2025-07-01T00:00:00")).treatments.from, "202207");
  assert.equal(horizonsAt(jst("2026-04-11T00:00:00")).treatments.to, horizonsAt(jst("2026-04-11T00:00:00")).drugs.to);
});

test("特定健診 covers 5 years back to the day, from 2020, each shown from the 1st of the second month after", () => {
  const h = horizonsAt(jst("2026-04-01T09:00:00")).checkups;
  assert.equal(h.from, "20210401", "five years before 2026-04-01, that day included");
  assert.equal(h.to, "20260228", "a check-up of February shows on 1 April; one of March on 1 May");
  assert.equal(horizonsAt(jst("2026-03-31T23:59:59")).checkups.to, "20260131");
  assert.equal(horizonsAt(jst("2024-06-15T00:00:00")).checkups.from, "20200101", "five years back is 2019, but nothing before 2020 exists");
  assert.equal(horizonsAt(jst("2025-01-01T00:00:00")).checkups.from, "20200101");
  assert.equal(horizonsAt(jst("2025-01-02T00:00:00")).checkups.from, "20200102");
  assert.equal(checkupVisibleOn("20250615"), "20250801");
  assert.equal(checkupVisibleOn("20251231"), "20260201");
});

test("StartDate / EndDate narrow every category, both months included", () => {
  const h = narrowHorizons(horizonsAt(jst("2026-04-11T00:00:00")), "202401", "202412");
  assert.deepEqual(h.drugs, { from: "202401", to: "202412" });
  assert.deepEqual(h.treatments, { from: "202401", to: "202412" });
  assert.deepEqual(h.checkups, { from: "20240101", to: "20241231" });
  const late = narrowHorizons(horizonsAt(jst("2026-04-11T00:00:00")), "202510");
  assert.equal(late.drugs.to, "202602", "a request cannot see past what is visible");
  assert.equal(addMonths("202412", 1), "202501");
  assert.equal(addMonths("202401", -1), "202312");
});
