// lump-sum-2024 (集中取組月間 一時金): every cell the sources give, the boundaries (exactly 3 % and 40 %,
// exactly a threshold increase, exactly 150 receipts), the poster and flyer conditions and both
// versions by `at`. Seed 001 has no page markers: `seed 001 l.62` is line 62 of
// ../shared/seeds/001_81a1e4779da5d91d.txt. The tier table itself is spec §1.2 (toushin-1.jp for the
// 病院 20万円 thresholds [V-2], jmedj.co.jp id=24098 for 診療所・薬局 3%未満 [V-2]).
import { test } from "node:test";
import assert from "node:assert/strict";
import { documentName } from "../../src/subsidy/documents.ts";
import { readProgramFile } from "../../src/subsidy/program-data.ts";
import { calculate, ProgramDataError, type SubsidyResult } from "../../src/subsidy/engine.ts";
import { lumpSum2024Program } from "../../src/subsidy/programs/lump-sum-2024.ts";
import { parseParameters } from "../../src/subsidy/parameters.ts";

const parseLumpSum2024 = (raw: unknown) => lumpSum2024Program(parseParameters(raw, "lump-sum-2024.json"));
import type { FacilityProfile, MonthFacts } from "../../src/subsidy/profile.ts";

// Only this program (its registration is checked by engine.test.ts): other programs' data is not loaded.
const programs = [parseLumpSum2024(readProgramFile("lump-sum-2024"))];
const ORIGINAL = "2024-06-01"; // before the 2024-06-21 revision
const REVISED = "2024-09-01";

interface Case {
  kind?: FacilityProfile["kind"];
  /** 2023-10 利用人数 and 外来レセプト件数 (the rate), all receipts (小規模施設). */
  base?: number;
  outpatient?: number;
  receipts?: number;
  /** 利用人数 of 2024-05, 06, 07, 08 (undefined: not given). */
  period?: (number | undefined)[];
  extra?: Partial<FacilityProfile>;
}

function run({ kind = "medical_clinic", base = 20, outpatient = 1000, receipts = 1000, period = [0, 0, 0, 0], extra = {} }: Case, at = ORIGINAL): SubsidyResult {
  const months: Record<string, MonthFacts> = { "2023-10": { cardPersons: base, outpatientReceipts: outpatient, receipts } };
  ["2024-05", "2024-06", "2024-07", "2024-08"].forEach((m, i) => {
    const persons = period[i];
    if (persons !== undefined) months[m] = { cardPersons: persons };
  });
  const profile: FacilityProfile = { kind, poster: true, flyers: true, months, ...extra };
  const out = calculate(profile, at, programs, "lump-sum-2024");
  assert.equal(out.results.length, 1);
  const r = out.results[0]!;
  assert.equal(r.project, undefined, "not project-based: one result for the facility");
  assert.ok(r.sources.length > 0, "every result cites a source");
  return r;
}
/** The best month is 2024-05 with `increase` persons more than 2023-10. */
const rise = (base: number, increase: number): Pick<Case, "base" | "period"> => ({ base, period: [base + increase, base, base, base] });
const why = (r: SubsidyResult) => r.reasons.join("\n");

// The 2023-10 rate of each band (spec §1.2 [V]: <3, 3–5, 5–10, 10–20, 20–30, 30–40, ≥40 %), as
// 利用人数 over 1,000 外来レセプト (spec §4.1 [V]).
const BANDS: [string, number][] = [["lt3", 20], ["3-5", 40], ["5-10", 70], ["10-20", 150], ["20-30", 250], ["30-40", 350], ["ge40", 450]];
// spec §1.2 [V-2] toushin-1.jp: 病院 20万円 (the original cap) from these increases.
const HOSPITAL = [450, 350, 250, 150, 80, 40, 10];

BANDS.forEach(([band, persons], i) => {
  const threshold = HOSPITAL[i]!;
  test(`病院 ${band}: +${threshold} (exactly the threshold) → 200,000円, the cap`, () => {
    const r = run({ kind: "hospital", ...rise(persons, threshold) });
    assert.equal(r.eligible, true, why(r));
    assert.equal(r.amount, 200_000);
    assert.equal(r.details?.band, band);
    assert.equal(r.details?.increase, threshold);
    assert.ok(r.sources.some((s) => s.includes("toushin-1.jp")), "r.sources.some((s) => s.includes(\"toushin-1.jp\"))");
  });
  test(`病院 ${band}: +${threshold + 500} → still 200,000円 (最大20万円, seed 001 l.21)`, () => {
    assert.equal(run({ kind: "hospital", ...rise(persons, threshold + 500) }).amount, 200_000);
  });
  test(`病院 ${band}: +${threshold - 1} → lower tiers not published`, () => {
    const r = run({ kind: "hospital", ...rise(persons, threshold - 1) });
    assert.equal(r.eligible, null, why(r));
    assert.equal(r.amount, null);
    assert.match(why(r), /公表されていない/);
    assert.equal(r.details?.amountAtLeast, undefined);
  });
});

// [case, kind, increase, eligible, amount, amountAtLeast]
const CLINIC: [string, FacilityProfile["kind"], number, boolean | null, number | null, number | undefined][] = [
  // spec §1.2 [V-2] jmedj id=24098: 3%未満 +30人 → 3万円, +80人 → 10万円 (the cap, seed 001 l.21)
  ["+30 exactly → 30,000円", "medical_clinic", 30, true, 30_000, undefined],
  ["+29 → below the lowest known tier", "medical_clinic", 29, null, null, undefined],
  ["+31 → an intermediate tier may start above 30", "medical_clinic", 31, true, null, 30_000],
  ["+79 → at least 30,000円", "medical_clinic", 79, true, null, 30_000],
  ["+80 exactly → 100,000円", "medical_clinic", 80, true, 100_000, undefined],
  ["+500 → the cap 100,000円", "medical_clinic", 500, true, 100_000, undefined],
  ["pharmacy +80 → 100,000円", "pharmacy", 80, true, 100_000, undefined],
  ["pharmacy +30 → 30,000円", "pharmacy", 30, true, 30_000, undefined],
  // reading: 歯科診療所 is a 診療所 (the sources list 病院 and 診療所・薬局 only)
  ["dental clinic +30 → 30,000円", "dental_clinic", 30, true, 30_000, undefined],
  ["dental clinic +80 → 100,000円", "dental_clinic", 80, true, 100_000, undefined],
];
for (const [name, kind, increase, eligible, amount, atLeast] of CLINIC) {
  test(`診療所・薬局 3%未満: ${name}`, () => {
    const r = run({ kind, ...rise(20, increase) });
    assert.equal(r.eligible, eligible, why(r));
    assert.equal(r.amount, amount);
    assert.equal(r.details?.amountAtLeast, atLeast);
    if (amount === null) assert.match(why(r), /公表されていない/);
    assert.ok(r.sources.some((s) => s.includes("jmedj.co.jp")) || increase < 30, "r.sources.some((s) => s.includes(\"jmedj.co.jp\")) || increase < 30");
  });
}

// spec §1.2 [MISSING]: 診療所・薬局 thresholds of the other six bands.
for (const [band, persons] of BANDS.slice(1)) {
  test(`診療所 ${band}: no published tier → 公表されていない`, () => {
    const r = run(rise(persons, 300));
    assert.equal(r.details?.band, band);
    assert.equal(r.eligible, null, why(r));
    assert.equal(r.amount, null);
    assert.match(why(r), /公表されていない/);
  });
}

// Band boundaries: each band includes its lower bound (reading; exact fractions, never floats).
const BOUNDARIES: [string, number, number, string, number | null][] = [
  ["exactly 3% (30/1000) is 3–5%: +350 reaches 20万円", 30, 350, "3-5", 200_000],
  ["29/1000 is <3%: +350 is below 450", 29, 350, "lt3", null],
  ["exactly 40% (400/1000) is ≥40%: +10 reaches 20万円", 400, 10, "ge40", 200_000],
  ["399/1000 is 30–40%: +10 is below 40", 399, 10, "30-40", null],
  ["exactly 5% (50/1000) is 5–10%: +250", 50, 250, "5-10", 200_000],
  ["exactly 10% (100/1000) is 10–20%: +150", 100, 150, "10-20", 200_000],
];
for (const [name, base, increase, band, amount] of BOUNDARIES) {
  test(`band boundary (spec §1.2, toushin-1.jp): ${name}`, () => {
    const r = run({ kind: "hospital", ...rise(base, increase) });
    assert.equal(r.details?.band, band);
    assert.equal(r.amount, amount, why(r));
  });
}
test("exactly 3% with a rate that is not a round fraction: 3/100 vs 2,999/100,000", () => {
  assert.equal(run({ kind: "hospital", base: 3, outpatient: 100, period: [353, 0, 0] }).details?.band, "3-5");
  assert.equal(run({ kind: "hospital", base: 2999, outpatient: 100_000, receipts: 100_000, period: [3349, 0, 0] }).details?.band, "lt3");
});

// 小規模施設: seed 001 l.62 (2023-10 診療分 レセプト件数 ≤ 150); its own tiers are [MISSING] (spec §1.2);
// the normal rules remain open to it (l.71), so their cap is still the answer.
const SMALL: [string, Case, boolean | null, number | null, number | undefined, string[] | undefined][] = [
  ["exactly 150 receipts, +30: the 小規模 tier may pay more", { receipts: 150, outpatient: 120, base: 2, period: [32, 0, 0] }, true, null, 30_000, undefined],
  ["151 receipts, +30: the normal 30,000円", { receipts: 151, outpatient: 120, base: 2, period: [32, 0, 0] }, false, 30_000, undefined, undefined],
  ["exactly 150 receipts, +80: the cap 100,000円 either way", { receipts: 150, outpatient: 120, base: 2, period: [82, 0, 0] }, true, 100_000, undefined, undefined],
  ["receipts not given, 120 外来: cannot tell if small", { receipts: undefined, outpatient: 120, base: 2, period: [32, 0, 0] }, null, null, 30_000, ["months.2023-10.receipts"]],
  ["receipts not given, 151 外来 already settles not small", { receipts: undefined, outpatient: 151, base: 3, period: [33, 0, 0] }, false, 30_000, undefined, undefined],
];
for (const [name, c, small, amount, atLeast, missing] of SMALL) {
  test(`小規模施設: ${name}`, () => {
    const months: Record<string, MonthFacts> = {
      "2023-10": { cardPersons: c.base!, outpatientReceipts: c.outpatient!, ...(c.receipts === undefined ? {} : { receipts: c.receipts }) },
      "2024-05": { cardPersons: c.period![0]! }, "2024-06": { cardPersons: 0 }, "2024-07": { cardPersons: 0 },
    };
    const r = calculate({ kind: "medical_clinic", poster: true, flyers: true, months }, ORIGINAL, programs, "lump-sum-2024").results[0]!;
    assert.equal(r.details?.small, small);
    assert.equal(r.eligible, true, why(r));
    assert.equal(r.amount, amount, why(r));
    assert.equal(r.details?.amountAtLeast, atLeast);
    assert.deepEqual(r.missing, missing);
    if (small === true) assert.ok(r.sources.some((s) => s.startsWith(`${documentName("campaign-2024")} l.62`)), "r.sources.some((s) => s.startsWith(`${documentName(\"campaign-2024\")} l.62`))");
  });
}
test("小規模施設 at 10% or more follows the normal rules (seed 001 l.67)", () => {
  const r = run({ kind: "hospital", base: 10, outpatient: 100, receipts: 150, period: [160, 0, 0] });
  assert.equal(r.details?.small, true);
  assert.equal(r.amount, 200_000);
  assert.match(why(r), /通常の基準が適用されます/);
  assert.ok(r.sources.some((s) => s.startsWith(`${documentName("campaign-2024")} l.67`)), "r.sources.some((s) => s.startsWith(`${documentName(\"campaign-2024\")} l.67`))");
  // 5–10% with an increase of 10 or more: also the normal rules; below 10 the 小規模 table (unpublished) is open
  assert.match(why(run({ base: 6, outpatient: 100, receipts: 150, period: [16, 0, 0] })), /通常の基準が適用されます/);
  const under = run({ base: 6, outpatient: 100, receipts: 150, period: [15, 0, 0] });
  assert.doesNotMatch(why(under), /通常の基準が適用されます/);
  assert.match(why(under), /小規模施設の区分は公表されていない/);
});

// Conditions: seed 001 l.60, ① poster AND ② flyers.
const CONDITIONS: [string, Partial<FacilityProfile>, boolean | null, number | null, string[] | undefined][] = [
  ["poster and flyers", { poster: true, flyers: true }, true, 30_000, undefined],
  ["poster without flyers", { poster: true, flyers: false }, false, 0, undefined],
  ["flyers without a poster", { poster: false, flyers: true }, false, 0, undefined],
  ["flyers not given", { poster: true, flyers: undefined }, null, null, ["flyers"]],
  ["neither given", { poster: undefined, flyers: undefined }, null, null, ["poster", "flyers"]],
  ["poster not given, flyers false: not eligible", { poster: undefined, flyers: false }, false, 0, ["poster"]],
];
for (const [name, extra, eligible, amount, missing] of CONDITIONS) {
  test(`conditions: ${name}`, () => {
    const r = run({ ...rise(20, 30), extra });
    assert.equal(r.eligible, eligible, why(r));
    assert.equal(r.amount, amount);
    assert.deepEqual(r.missing, missing);
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("campaign-2024")} l.60`)), "r.sources.some((s) => s.startsWith(`${documentName(\"campaign-2024\")} l.60`))");
    if (eligible === null) assert.equal(r.details?.amountIfEligible, 30_000);
  });
}

// Versions by `at`: original from 2024-04-10 (spec §1.1, 第177回部会), revised from 2024-06-21 (第179回).
const VERSIONS: [string, string, Case, string | null, boolean | null, number | null, number | undefined][] = [
  ["2024-04-09: not yet announced", "2024-04-09", rise(20, 80), null, false, 0, undefined],
  ["2024-04-10: the original", "2024-04-10", rise(20, 80), "original", true, 100_000, undefined],
  ["2024-06-20: still the original", "2024-06-20", rise(20, 80), "original", true, 100_000, undefined],
  ["2024-06-21: the revision, cap 20万円, tiers unpublished", "2024-06-21", rise(20, 80), "revised-2024-06-21", true, null, 100_000],
  ["revision, clinic +30: at least 30,000円", REVISED, rise(20, 30), "revised-2024-06-21", true, null, 30_000],
  ["revision, hospital +450: at least 200,000円 (cap now 40万円)", REVISED, { kind: "hospital", ...rise(20, 450) }, "revised-2024-06-21", true, null, 200_000],
  ["revision, hospital +449: not published", REVISED, { kind: "hospital", ...rise(20, 449) }, "revised-2024-06-21", null, null, undefined],
  ["revision counts 2024-08", REVISED, { base: 20, period: [20, 20, 20, 100] }, "revised-2024-06-21", true, null, 100_000],
  ["the original ignores 2024-08 (no increase in 05–07)", ORIGINAL, { base: 20, period: [20, 20, 20, 100] }, "original", false, 0, undefined],
];
for (const [name, at, c, version, eligible, amount, atLeast] of VERSIONS) {
  test(`versions: ${name}`, () => {
    const r = run(c, at);
    assert.equal(r.details?.version, version ?? undefined);
    assert.equal(r.eligible, eligible, why(r));
    assert.equal(r.amount, amount);
    assert.equal(r.details?.amountAtLeast, atLeast);
  });
}
test("the revision cites its own cap and period (spec §1.1, media.shaho.co.jp)", () => {
  const r = run({ kind: "hospital", ...rise(20, 450) }, REVISED);
  assert.match(r.reasons[0]!, /2024-05〜2024-08.*400,000円/);
  assert.match(why(r), /公表されていない/);
});

// The increase: best month of the period − 2023-10 (seed 001 l.57 いずれかの月).
const INCREASE: [string, Case, boolean | null, number | null, number | undefined, string[] | undefined][] = [
  ["the best of three months counts", { base: 20, period: [30, 100, 50] }, true, 100_000, undefined, undefined],
  ["no increase: not paid (seed 001 l.23 増加に応じ)", { base: 20, period: [20, 10, 0] }, false, 0, undefined, undefined],
  ["a month missing, +30 known: at least 30,000円", { base: 20, period: [50, 0, undefined] }, true, null, 30_000, ["months.2024-07.cardPersons"]],
  ["a month missing, the cap already reached", { base: 20, period: [100, undefined, 0] }, true, 100_000, undefined, undefined],
  ["a month missing, no increase known: cannot tell", { base: 20, period: [20, undefined, 0] }, null, null, undefined, ["months.2024-06.cardPersons"]],
  ["no month of the period", { base: 20, period: [] }, null, null, undefined, ["months.2024-05.cardPersons", "months.2024-06.cardPersons", "months.2024-07.cardPersons"]],
];
for (const [name, c, eligible, amount, atLeast, missing] of INCREASE) {
  test(`increase: ${name}`, () => {
    const r = run(c);
    assert.equal(r.eligible, eligible, why(r));
    assert.equal(r.amount, amount);
    assert.equal(r.details?.amountAtLeast, atLeast);
    assert.deepEqual(r.missing, missing);
  });
}

test("2023-10 facts missing: the result names them", () => {
  const r = calculate({ kind: "medical_clinic", poster: true, flyers: true }, ORIGINAL, programs, "lump-sum-2024").results[0]!;
  assert.equal(r.eligible, null);
  assert.deepEqual(r.missing, ["months.2023-10.cardPersons", "months.2023-10.outpatientReceipts"]);
  const zero = run({ base: 0, outpatient: 0, receipts: 0 });
  assert.equal(zero.eligible, null);
  assert.match(why(zero), /外来レセプト件数が0/);
});

test("opened from 2023-10 (spec §1.3 [I]): the base is not published; opened 2023-09-30 is computed", () => {
  const r = run({ ...rise(20, 30), extra: { openedOn: "2023-10-01" } });
  assert.equal(r.eligible, null);
  assert.match(why(r), /公表されていない/);
  assert.equal(run({ ...rise(20, 30), extra: { openedOn: "2023-09-30" } }).amount, 30_000);
});

test("no application: paid by 支払基金 (spec §1.1)", () => {
  assert.match(why(run(rise(20, 30))), /申請は不要です/);
});

const fresh = (): any => structuredClone(readProgramFile("lump-sum-2024"));
const refused = (data: unknown, text: RegExp) =>
  assert.throws(() => parseLumpSum2024(data), (e: unknown) => e instanceof ProgramDataError && e.code === "E9105" && /lump-sum-2024\.json/.test(e.message) && text.test(e.message));

test("the data file is checked at load (E9105 naming the file and the entry)", () => {
  const noSource = fresh();
  noSource.parameters["tiers.hospital.lt3"].values[0].value[0].source = "nowhere";
  refused(noSource, /parameters\.tiers\.hospital\.lt3\.values\[0\]\.value\[0\]\.source/);
  const unordered = fresh();
  unordered.parameters["tiers.clinic-or-pharmacy.lt3"].values[0].value.reverse();
  refused(unordered, /parameters\.tiers\.clinic-or-pharmacy\.lt3\.values\[0\]\.value\[1\]/);
  const aboveCap = fresh();
  aboveCap.parameters["tiers.hospital.ge40"].values[0].value[0].value = 200_001;
  refused(aboveCap, /tiers\.hospital\.ge40\.values\[0\]\.value\[0\]\.value/);
  const missingBand = fresh();
  delete missingBand.sources[missingBand.parameters["tiers.hospital.30-40"].values[0].value[0].source]; // used by that band only
  delete missingBand.parameters["tiers.hospital.30-40"];
  refused(missingBand, /tiers\.hospital\.30-40/);
  const noFloors = fresh();
  noFloors.parameters.version.values[1].value.floorsFrom = "nothing";
  refused(noFloors, /parameters\.version\.values\[1\]\.value\.floorsFrom/);
  const noLabel = fresh();
  delete noLabel.labels["band.ge40"];
  refused(noLabel, /labels\.band\.ge40/);
});
