// support-2024-h1 / -h2 (2024 支援金 by the rise of the 利用率 over 2023-10): every row of seed 000's
// unit-price table for both halves, the +5 pt and +10 pt boundaries, the FAQ rulings, and the
// readings of support-2024.json (pooled average, missing month, zero receipts, open half, the
// 後半期 replaced by the 一時金). Seed 000 has no page markers: `seed 000 l.169` is line 169 of
// ../shared/seeds/000_91d88ea72779ea8f.txt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { documentName } from "../../src/subsidy/documents.ts";
import { loadPrograms } from "../../src/subsidy/program-data.ts";
import { calculate, ProgramDataError, type SubsidyResult } from "../../src/subsidy/engine.ts";
import type { FacilityProfile, MonthFacts } from "../../src/subsidy/profile.ts";
import { parseParameters } from "../../src/subsidy/parameters.ts";
import { readProgramFile } from "../../src/subsidy/program-data.ts";

const programs = loadPrograms();
const H1 = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"];
const H2 = ["2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11"];
const AFTER_H1 = "2024-06-01";
const AFTER_H2 = "2024-12-01";

function run(program: "support-2024-h1" | "support-2024-h2", profile: Partial<FacilityProfile>, at: string): SubsidyResult {
  const out = calculate({ kind: "medical_clinic", ...profile }, at, programs, program);
  assert.equal(out.results.length, 1);
  const r = out.results[0]!;
  assert.ok(r.sources.length > 0, "every result cites a source");
  return r;
}

/**
 * A facility at 10 % in 2023-10 (100 / 1,000 receipts) whose half has 1,000 outpatient receipts
 * and 200 card uses a month, and `persons` card persons in all over the half (put in its first month).
 */
function facility(months: string[], persons: number, extra: Partial<FacilityProfile> = {}): Partial<FacilityProfile> {
  const m: Record<string, MonthFacts> = { "2023-10": { cardPersons: 100, outpatientReceipts: 1000 } };
  const each = Math.floor(persons / months.length);
  months.forEach((month, i) => {
    m[month] = { cardPersons: each + (i === 0 ? persons - each * months.length : 0), outpatientReceipts: 1000, cardUses: 200 };
  });
  return { months: m, ...extra };
}
/** Card persons over the half that put its pooled average exactly `points` %pt above 10 %. */
const personsAt = (months: string[], points: number): number => (months.length * 1000 * (10 + points)) / 100;

// [row, minPoints, 前半期 unit price, 後半期 unit price (null = 「ー」), seed 000 line]
const TABLE: [string, number, number, number | null, number][] = [
  ["5%pt以上", 5, 20, null, 169],
  ["10%pt以上", 10, 40, 40, 171],
  ["20%pt以上", 20, 60, 60, 173],
  ["30%pt以上", 30, 80, 80, 175],
  ["40%pt以上", 40, 100, 100, 177],
  ["50%pt以上", 50, 120, 120, 179],
];

for (const [row, points, h1Price, , line] of TABLE) {
  test(`前半期 ${row}: exactly +${points} pt gives ${h1Price}円/件 × のべ利用件数 (seed 000 l.${line})`, () => {
    const r = run("support-2024-h1", facility(H1, personsAt(H1, points)), AFTER_H1);
    assert.equal(r.eligible, true, r.reasons.join("\n"));
    assert.equal(r.details?.unitPrice, h1Price);
    assert.equal(r.details?.cardUses, 1000);
    assert.equal(r.amount, h1Price * 1000);
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.${line} `)), r.sources.join("\n"));
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.471 `)), "paid on のべ利用件数 (FAQ Q1)");
  });
}

for (const [i, [row, points, , , line]] of TABLE.entries()) {
  const below = i === 0 ? 0 : TABLE[i - 1]![2];
  test(`前半期 ${row}: one card person short of +${points} pt gives ${below}円/件 (seed 000 l.${line})`, () => {
    const r = run("support-2024-h1", facility(H1, personsAt(H1, points) - 1), AFTER_H1);
    assert.equal(r.details?.unitPrice, below);
    if (i === 0) {
      assert.equal(r.eligible, false);
      assert.equal(r.amount, 0);
      assert.match(r.reasons.at(-1)!, /5%pt未満/);
    } else {
      assert.equal(r.eligible, true);
      assert.equal(r.amount, below * 1000);
    }
  });
}

// The 後半期 as first announced is shown in details.asAnnounced once the half is over (it was replaced).
for (const [row, points, , h2Price, line] of TABLE) {
  test(`後半期 ${row}: exactly +${points} pt, as announced ${h2Price ?? "「ー」"} (seed 000 l.${line})`, () => {
    const r = run("support-2024-h2", facility(H2, personsAt(H2, points)), AFTER_H2);
    assert.equal(r.eligible, false);
    assert.equal(r.amount, 0);
    const announced = r.details?.asAnnounced as { unitPrice: number; amount: number; final: boolean };
    assert.equal(announced.final, true);
    assert.equal(announced.unitPrice, h2Price ?? 0);
    assert.equal(announced.amount, (h2Price ?? 0) * 1200);
  });
}

test("後半期: one card person short of +10 pt gives nothing as announced (the 5%pt row is 「ー」, seed 000 l.169)", () => {
  const r = run("support-2024-h2", facility(H2, personsAt(H2, 10) - 1), AFTER_H2);
  assert.equal((r.details?.asAnnounced as { unitPrice: number }).unitPrice, 0);
});

test("+5 pt exactly with thirds: exact fractions, not floats (33.33…% → 38.33…%)", () => {
  // base 100/300; half 575/1500: the rise is exactly 5 pt, which floats may put just below.
  const months: Record<string, MonthFacts> = { "2023-10": { cardPersons: 100, outpatientReceipts: 300 } };
  for (const m of H1) months[m] = { cardPersons: 115, outpatientReceipts: 300, cardUses: 10 };
  const r = run("support-2024-h1", { months }, AFTER_H1);
  assert.equal(r.eligible, true, r.reasons.join("\n"));
  assert.equal(r.amount, 20 * 50);
});

test("the half's average is pooled (Σ persons ÷ Σ receipts), not the mean of monthly rates", () => {
  // 新設, base 0 %. Jan 10/10 = 100 %, Feb–May 0/1,000: the mean of rates is 20 %, pooled 10/4,010 = 0.25 %.
  const months: Record<string, MonthFacts> = { "2024-01": { cardPersons: 10, outpatientReceipts: 10, cardUses: 10 } };
  for (const m of H1.slice(1)) months[m] = { cardPersons: 0, outpatientReceipts: 1000, cardUses: 0 };
  const r = run("support-2024-h1", { openedOn: "2023-12-01", months }, AFTER_H1);
  assert.equal(r.eligible, false);
  assert.equal(r.details?.averageRate, "0.25%");
});

test("新設 on 2023-10-01: the 2023-10 rate is 0 % without its figures (seed 000 l.490 FAQ Q2)", () => {
  const months: Record<string, MonthFacts> = {};
  for (const m of H1) months[m] = { cardPersons: 50, outpatientReceipts: 1000, cardUses: 100 };
  const r = run("support-2024-h1", { openedOn: "2023-10-01", months }, AFTER_H1);
  assert.equal(r.eligible, true, r.reasons.join("\n"));
  assert.equal(r.amount, 20 * 500);
  assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.490 `)), "r.sources.some((s) => s.startsWith(`${documentName(\"support-measures-2024\")} l.490 `))");
  assert.match(r.reasons[0]!, /0%として計算/);
});

test("opened 2023-09-30 is not 新設: the 2023-10 figures are needed (missing, not 0)", () => {
  const months: Record<string, MonthFacts> = {};
  for (const m of H1) months[m] = { cardPersons: 500, outpatientReceipts: 1000, cardUses: 100 };
  const r = run("support-2024-h1", { openedOn: "2023-09-30", months }, AFTER_H1);
  assert.equal(r.eligible, null);
  assert.equal(r.amount, null);
  assert.deepEqual(r.missing, ["months.2023-10.cardPersons", "months.2023-10.outpatientReceipts"]);
});

test("no opening date and no 2023-10 figures: openedOn is asked for as well", () => {
  const r = run("support-2024-h1", { months: {} }, AFTER_H1);
  assert.equal(r.eligible, null);
  assert.ok(r.missing?.includes("openedOn"), "r.missing?.includes(\"openedOn\")");
  assert.ok(r.missing?.includes("months.2023-10.cardPersons"), "r.missing?.includes(\"months.2023-10.cardPersons\")");
});

test("opened during the half (2024-03-10): only March–May are needed and counted", () => {
  const months: Record<string, MonthFacts> = {};
  for (const m of H1.slice(2)) months[m] = { cardPersons: 100, outpatientReceipts: 1000, cardUses: 300 };
  const r = run("support-2024-h1", { openedOn: "2024-03-10", months }, AFTER_H1);
  assert.equal(r.eligible, true, r.reasons.join("\n"));
  assert.deepEqual(r.details?.months, ["2024-03", "2024-04", "2024-05"]);
  assert.equal(r.amount, 40 * 900);
});

test("opened after the 前半期 (2024-06-01): not eligible for it", () => {
  const r = run("support-2024-h1", { openedOn: "2024-06-01" }, AFTER_H1);
  assert.equal(r.eligible, false);
  assert.equal(r.amount, 0);
});

test("a missing month makes the answer unknown, never 0 (reading: missing month)", () => {
  const profile = facility(H1, personsAt(H1, 50));
  delete profile.months!["2024-03"]!.cardUses;
  const r = run("support-2024-h1", profile, AFTER_H1);
  assert.equal(r.eligible, null);
  assert.equal(r.amount, null);
  assert.deepEqual(r.missing, ["months.2024-03.cardUses"]);
});

test("zero outpatient receipts in 2023-10: the base rate cannot be computed (公表されていない)", () => {
  const profile = facility(H1, personsAt(H1, 10));
  profile.months!["2023-10"] = { cardPersons: 0, outpatientReceipts: 0 };
  const r = run("support-2024-h1", profile, AFTER_H1);
  assert.equal(r.eligible, null);
  assert.equal(r.amount, null);
  assert.ok(r.reasons.some((x) => x.includes("0件") && x.includes("公表されていない")), r.reasons.join("\n"));
});

test("zero outpatient receipts over the whole half: the average cannot be computed", () => {
  const months: Record<string, MonthFacts> = { "2023-10": { cardPersons: 10, outpatientReceipts: 100 } };
  for (const m of H1) months[m] = { cardPersons: 0, outpatientReceipts: 0, cardUses: 0 };
  const r = run("support-2024-h1", { months }, AFTER_H1);
  assert.equal(r.eligible, null);
  assert.equal(r.amount, null);
  assert.ok(r.reasons.some((x) => x.includes("平均利用率を算出できません")), "r.reasons.some((x) => x.includes(\"平均利用率を算出できません\"))");
});

test("zero receipts in one month only: the pooled average still holds", () => {
  const profile = facility(H1.slice(1), personsAt(H1.slice(1), 10));
  profile.months!["2024-01"] = { cardPersons: 0, outpatientReceipts: 0, cardUses: 0 };
  const r = run("support-2024-h1", profile, AFTER_H1);
  assert.equal(r.eligible, true, r.reasons.join("\n"));
  assert.equal(r.details?.unitPrice, 40);
  assert.equal(r.amount, 40 * 800);
});

test("前半期 still open on its last day (2024-05-31): eligible null and a 見込額 from the months given", () => {
  const profile = facility(H1.slice(0, 2), personsAt(H1.slice(0, 2), 20));
  const r = run("support-2024-h1", profile, "2024-05-31");
  assert.equal(r.eligible, null);
  assert.equal(r.amount, null);
  assert.equal(r.missing, undefined, "a month not yet over is not a missing fact");
  const estimate = r.details?.estimate as { months: string[]; unitPrice: number; amount: number };
  assert.deepEqual(estimate.months, ["2024-01", "2024-02"]);
  assert.equal(estimate.unitPrice, 60);
  assert.equal(estimate.amount, 60 * 400);
});

test("前半期 final the day after (2024-06-01): the same months are now missing facts", () => {
  const profile = facility(H1.slice(0, 2), personsAt(H1.slice(0, 2), 20));
  const r = run("support-2024-h1", profile, "2024-06-01");
  assert.equal(r.eligible, null);
  assert.ok(r.missing?.includes("months.2024-05.cardPersons"), "r.missing?.includes(\"months.2024-05.cardPersons\")");
  assert.equal(r.details, undefined);
});

test("後半期 before the replacement (2024-04-09): as announced, still open", () => {
  const r = run("support-2024-h2", facility(H2, personsAt(H2, 10)), "2024-04-09");
  assert.equal(r.eligible, null);
  assert.equal(r.amount, null);
  assert.ok(r.reasons.some((x) => x.includes("まだ終わっていません")), "r.reasons.some((x) => x.includes(\"まだ終わっていません\"))");
});

test("後半期 from the replacement (2024-04-10): not paid, replaced by the 一時金 (seed 001 l.53)", () => {
  const r = run("support-2024-h2", facility(H2, personsAt(H2, 10)), "2024-04-10");
  assert.equal(r.eligible, false);
  assert.equal(r.amount, 0);
  assert.match(r.reasons[0]!, /一時金 \(lump-sum-2024\) に見直された/);
  assert.ok(r.sources.some((s) => s.startsWith(`${documentName("campaign-2024")} l.53 `)), "r.sources.some((s) => s.startsWith(`${documentName(\"campaign-2024\")} l.53 `))");
  assert.ok(r.sources.some((s) => s.startsWith("https://wic-net.com/material/document/14322/5 ")), "r.sources.some((s) => s.startsWith(\"https://wic-net.com/material/document/14322/5 \"))");
  assert.equal(r.missing, undefined, "nothing the facility enters makes the replaced half payable");
  // the months are filled in, so the as-announced figure is an estimate over all six
  assert.equal((r.details?.asAnnounced as { final: boolean; amount: number }).final, false);
});

test("後半期 replaced and no figures: no missing fields asked, no asAnnounced", () => {
  const r = run("support-2024-h2", { months: {} }, AFTER_H2);
  assert.equal(r.eligible, false);
  assert.equal(r.missing, undefined);
  assert.equal(r.details, undefined);
});

test("a data file with rows out of order is refused at load (E9105 naming the file and path)", () => {
  const raw = structuredClone(readProgramFile("support-2024")) as { parameters: { unitPrice: { values: { value: { from: number }[] }[] } } };
  raw.parameters.unitPrice.values[0]!.value[1]!.from = 5;
  assert.throws(() => parseParameters(raw, "support-2024.json"), (e: unknown) => e instanceof ProgramDataError && e.code === "E9105" && /support-2024\.json parameters\.unitPrice\.values\[0\]\.value\[1\]\.from/.test(e.message));
});

test("a data file value without a source is refused at load", () => {
  const raw = structuredClone(readProgramFile("support-2024")) as { parameters: { newFacilityFrom: { values: { source?: unknown }[] } } };
  delete raw.parameters.newFacilityFrom.values[0]!.source;
  assert.throws(() => parseParameters(raw, "support-2024.json"), /support-2024\.json parameters\.newFacilityFrom\.values\[0\]\.source/);
});
