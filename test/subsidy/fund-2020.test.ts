// fund-2020 (医療情報化支援基金): every row and cell of seed 002's 別表, the later measures of spec §2,
// the deadlines and the boundaries. Seed 002 is a text extraction without page markers (no form feeds,
// no "- n -" lines), so cases cite its line numbers: `seed 002 l.1461` is line 1461 of
// ../shared/seeds/002_a674116c6ba9167b.txt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { documentName } from "../../src/subsidy/documents.ts";
import { loadPrograms } from "../../src/subsidy/program-data.ts";
import { calculate, type SubsidyResult } from "../../src/subsidy/engine.ts";
import type { FacilityProfile, Project } from "../../src/subsidy/profile.ts";

const programs = loadPrograms();

function run(kind: FacilityProfile["kind"], project: Partial<Project>, extra: Partial<FacilityProfile> = {}, at = "2021-12-01"): SubsidyResult {
  const profile: FacilityProfile = {
    kind,
    ...extra,
    projects: [{ program: "fund-2020", readerAppliedOn: "2021-06-01", completedOn: "2021-09-01", appliedOn: "2021-10-01", ...project }],
  };
  const out = calculate(profile, at, programs, "fund-2020");
  assert.equal(out.results.length, 1);
  const r = out.results[0]!;
  assert.ok(r.sources.length > 0, "every result cites a source");
  return r;
}

// [case, kind, readers, largeChainPharmacy, cost, expected amount, readers free, table]
const TABLE: [string, FacilityProfile["kind"], number, boolean | undefined, number, number, number, string][] = [
  // seed 002 l.1459 別表1-1: リーダー1台提供; l.1461 補助率1/2; l.1463 限度額105万円; l.1465 事業額210.1万円
  ["別表1-1 rate 1/2", "hospital", 1, undefined, 1_000_000, 500_000, 1, "別表1-1"],
  ["別表1-1 1,000-yen truncation", "hospital", 1, undefined, 1_001_999, 500_000, 1, "別表1-1"],
  ["別表1-1 事業額 210.1万円 × 1/2 = 1,050,500 → cap 105万円", "hospital", 1, undefined, 2_101_000, 1_050_000, 1, "別表1-1"],
  ["別表1-1 above the cap", "hospital", 1, undefined, 3_000_000, 1_050_000, 1, "別表1-1"],
  // seed 002 l.1473 別表1-2: 2台提供; l.1475 補助率1/2; l.1477 限度額100.1万円; l.1479 事業額200.2万円
  ["別表1-2 rate 1/2", "hospital", 2, undefined, 1_000_000, 500_000, 2, "別表1-2"],
  ["別表1-2 事業額 200.2万円 × 1/2 = cap exactly", "hospital", 2, undefined, 2_002_000, 1_001_000, 2, "別表1-2"],
  ["別表1-2 above the cap", "hospital", 2, undefined, 5_000_000, 1_001_000, 2, "別表1-2"],
  // seed 002 l.1487 別表1-3: 3台提供; l.1489 補助率1/2; l.1491 限度額95.1万円; l.1493 事業額190.3万円
  ["別表1-3 rate 1/2", "hospital", 3, undefined, 1_000_000, 500_000, 3, "別表1-3"],
  ["別表1-3 事業額 190.3万円 × 1/2 = 951,500 → cap 95.1万円", "hospital", 3, undefined, 1_903_000, 951_000, 3, "別表1-3"],
  // seed 002 l.1143: 提供台数は別表1-1〜3 — a hospital claiming 4 readers is read as 別表1-3
  ["別表1-3 for 4 readers", "hospital", 4, undefined, 5_000_000, 951_000, 3, "別表1-3"],
  // seed 002 l.1501 別表2: 1台提供; l.1503 補助率1/2; l.1505 限度額21.4万円; l.1507 事業額42.9万円
  ["別表2 rate 1/2", "pharmacy", 1, true, 100_000, 50_000, 1, "別表2"],
  ["別表2 事業額 42.9万円 × 1/2 = 214,500 → cap 21.4万円", "pharmacy", 1, true, 429_000, 214_000, 1, "別表2"],
  // seed 002 l.1515 別表3: 1台提供; l.1517 補助率3/4; l.1519 限度額32.1万円; l.1521 事業額42.9万円
  ["別表3 rate 3/4 (clinic)", "medical_clinic", 1, undefined, 200_000, 150_000, 1, "別表3"],
  ["別表3 3/4 of 100,001 = 75,000.75 → 75,000", "medical_clinic", 1, undefined, 100_001, 75_000, 1, "別表3"],
  ["別表3 事業額 42.9万円 × 3/4 = 321,750 → cap 32.1万円", "medical_clinic", 1, undefined, 429_000, 321_000, 1, "別表3"],
  ["別表3 for a pharmacy that is not a 大型チェーン", "pharmacy", 1, false, 429_000, 321_000, 1, "別表3"],
  ["別表3 for a dental clinic (reading: 診療所 includes 歯科)", "dental_clinic", 1, undefined, 429_000, 321_000, 1, "別表3"],
  // seed 002 l.1515: 病院以外は1台 — a clinic claiming 2 readers still gets 1
  ["別表3 for 2 readers claimed", "medical_clinic", 2, undefined, 429_000, 321_000, 1, "別表3"],
];

for (const [name, kind, readers, chain, cost, amount, free, table] of TABLE) {
  test(`base: ${name}`, () => {
    const r = run(kind, { cost, readers }, chain === undefined ? {} : { largeChainPharmacy: chain });
    assert.equal(r.eligible, true, r.reasons.join("\n"));
    assert.equal(r.amount, amount);
    assert.equal(r.details?.readersFree, free);
    assert.equal(r.details?.readerPriceCap, 99_000); // every 別表: 1台あたり9.9万円まで
    assert.equal(r.details?.table, table);
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("online-shikaku-2020")} l.`)), "r.sources.some((s) => s.startsWith(`${documentName(\"online-shikaku-2020\")} l.`))");
    assert.ok(r.sources.some((s) => s.includes("1,000円未満切り捨て")), "seed 002 l.1187 第3の4(2)");
  });
}

// [case, kind, readers, chain, readerAppliedOn, contractedOn, cost, eligible, amount]
const MEASURES: [string, FacilityProfile["kind"], number, boolean | undefined, string, string | undefined, number, boolean | null, number | null][] = [
  // spec §2.2 [V]: 10/10 for readers applied for by 2021-03-31 (the last day of the window)
  ["10/10 clinic on 2021-03-31", "medical_clinic", 1, undefined, "2021-03-31", undefined, 429_000, true, 429_000],
  ["10/10 clinic, cost above 42.9万円", "medical_clinic", 1, undefined, "2021-03-31", undefined, 500_000, true, 429_000],
  ["10/10 first day of reader applications (seed 002 l.1443)", "medical_clinic", 1, undefined, "2020-08-01", undefined, 300_500, true, 300_000],
  ["10/10 non-chain pharmacy", "pharmacy", 1, false, "2021-01-15", undefined, 429_000, true, 429_000],
  ["10/10 over: 2021-04-01 is the 別表 again", "medical_clinic", 1, undefined, "2021-04-01", undefined, 429_000, true, 321_000],
  ["10/10 hospital 1 reader up to 210.1万円", "hospital", 1, undefined, "2021-02-01", undefined, 2_500_000, true, 2_101_000],
  // spec §2.2: 病院2・3台 [I], 大型チェーン [MISSING] → 公表されていない
  ["10/10 hospital 2 readers: not published", "hospital", 2, undefined, "2021-02-01", undefined, 2_500_000, true, null],
  ["10/10 hospital 3 readers: not published", "hospital", 3, undefined, "2021-02-01", undefined, 2_500_000, true, null],
  ["10/10 large chain: not published", "pharmacy", 1, true, "2021-02-01", undefined, 429_000, true, null],
  // spec §2.3 [V-2]: 2022 revision, readers applied 2022-06-07 ~ 2022-12-31, contract by 2023-02-28
  ["2022 clinic first day", "medical_clinic", 1, undefined, "2022-06-07", "2023-02-28", 429_000, true, 429_000],
  ["2022 clinic last day", "medical_clinic", 1, undefined, "2022-12-31", "2023-01-10", 429_000, true, 429_000],
  ["2022-06-06 is still the 別表", "medical_clinic", 1, undefined, "2022-06-06", "2022-07-01", 429_000, true, 321_000],
  ["2023-01-01 is the 別表 again", "medical_clinic", 1, undefined, "2023-01-01", "2023-01-10", 429_000, true, 321_000],
  ["2022 contract after 2023-02-28 → 別表", "medical_clinic", 1, undefined, "2022-07-01", "2023-03-01", 429_000, true, 321_000],
  ["2022 without a contract date: cannot tell", "medical_clinic", 1, undefined, "2022-07-01", undefined, 429_000, null, null],
  ["2022 hospital 1: rate not published", "hospital", 1, undefined, "2022-07-01", "2022-08-01", 4_000_000, true, null],
  ["2022 hospital 2: rate not published", "hospital", 2, undefined, "2022-07-01", "2022-08-01", 4_000_000, true, null],
  ["2022 hospital 3: rate not published", "hospital", 3, undefined, "2022-07-01", "2022-08-01", 4_000_000, true, null],
  ["2022 non-chain pharmacy: not published", "pharmacy", 1, false, "2022-07-01", "2022-08-01", 429_000, true, null],
  ["2022 large chain: not published", "pharmacy", 1, true, "2022-07-01", "2022-08-01", 429_000, true, null],
];

for (const [name, kind, readers, chain, readerAppliedOn, contractedOn, cost, eligible, amount] of MEASURES) {
  test(`measures: ${name}`, () => {
    const project: Partial<Project> = { cost, readers, readerAppliedOn, completedOn: "2023-01-20", appliedOn: "2023-02-01" };
    if (contractedOn) project.contractedOn = contractedOn;
    const r = run(kind, project, chain === undefined ? {} : { largeChainPharmacy: chain }, "2023-02-15");
    assert.equal(r.eligible, eligible, r.reasons.join("\n"));
    assert.equal(r.amount, amount, r.reasons.join("\n"));
    if (amount === null && eligible === true) assert.ok(r.reasons.some((x) => x.includes("公表されていない")), "r.reasons.some((x) => x.includes(\"公表されていない\"))");
    if (eligible === null) assert.deepEqual(r.missing, ["projects[0].contractedOn"]);
  });
}

// Deadlines: spec §2.4 [V] (the 第14 period of seed 002 l.1447, extended as l.1449 allows)
const DEADLINES: [string, Partial<Project>, string, boolean | null][] = [
  ["completed on the last day 2023-03-31", { completedOn: "2023-03-31", appliedOn: "2023-04-10" }, "2023-05-01", true],
  ["completed 2023-04-01: too late", { completedOn: "2023-04-01", appliedOn: "2023-04-10" }, "2023-05-01", false],
  ["applied on the last day 2023-09-30", { completedOn: "2023-03-01", appliedOn: "2023-09-30" }, "2023-10-15", true],
  ["applied 2023-10-01: too late", { completedOn: "2023-03-01", appliedOn: "2023-10-01" }, "2023-10-15", false],
  ["not applied yet, at the last day", { completedOn: "2023-03-01", appliedOn: undefined }, "2023-09-30", true],
  ["not applied, the day after", { completedOn: "2023-03-01", appliedOn: undefined }, "2023-10-01", false],
  ["猶予届 類型1: complete 2023-09-30, apply 2023-12-31", { completedOn: "2023-09-30", appliedOn: "2023-12-31", deferralType: 1 }, "2024-01-10", true],
  ["猶予届 類型6: apply 2024-01-01 too late", { completedOn: "2023-09-30", appliedOn: "2024-01-01", deferralType: 6 }, "2024-01-10", false],
  ["猶予届 類型2: deadlines not published", { completedOn: "2024-02-01", appliedOn: "2024-03-01", deferralType: 2 }, "2024-04-01", null],
  // seed 002 l.1343 第8の1: application only after all the work is complete
  ["applied before completion", { completedOn: "2021-09-01", appliedOn: "2021-08-31" }, "2021-12-01", false],
  // seed 002 l.1443 第14: subsidy applications from 2020-11
  ["applied 2020-10-31, before the window", { completedOn: "2020-10-01", appliedOn: "2020-10-31", readerAppliedOn: "2020-08-01" }, "2020-12-01", false],
  ["applied 2020-11-01, the first day", { completedOn: "2020-10-01", appliedOn: "2020-11-01", readerAppliedOn: "2020-08-01" }, "2020-12-01", true],
  // seed 002 l.1443 第14: reader applications from 2020-08
  ["reader applied 2020-07-31, before the window", { readerAppliedOn: "2020-07-31" }, "2021-12-01", false],
];
for (const [name, project, at, eligible] of DEADLINES) {
  test(`deadlines: ${name}`, () => {
    const r = run("medical_clinic", { cost: 429_000, ...project }, {}, at);
    assert.equal(r.eligible, eligible, r.reasons.join("\n"));
    if (eligible === false) assert.equal(r.amount, 0);
    if (eligible === null) assert.equal(r.amount, null);
    if (eligible === null) assert.equal(r.details?.amountIfEligible, 321_000);
  });
}

test("before the 実施要領 applies (seed 002 l.1053: 2020-06-12) the program is not in force", () => {
  const r = run("medical_clinic", { cost: 429_000 }, {}, "2020-06-11");
  assert.equal(r.eligible, false);
  assert.match(r.reasons[0]!, /適用期間/);
  assert.equal(run("medical_clinic", { cost: 429_000, readerAppliedOn: "2020-08-01", completedOn: undefined, appliedOn: undefined }, {}, "2020-06-12").eligible, true);
});

test("no reader provided: not eligible (seed 002 l.1135 第2の1(2))", () => {
  const r = run("medical_clinic", { cost: 429_000, readers: 0 });
  assert.equal(r.eligible, false);
  assert.equal(r.amount, 0);
});

test("missing facts: the result says which (Publicodes-style)", () => {
  const pharmacy = run("pharmacy", { cost: 429_000 });
  assert.equal(pharmacy.eligible, null);
  assert.equal(pharmacy.amount, null);
  assert.deepEqual(pharmacy.missing, ["largeChainPharmacy", "pharmacyGroup"]); // seed 002 l.1169 第3の2: stated, or determined by 第4
  const hospital = run("hospital", { cost: 429_000 });
  assert.deepEqual(hospital.missing, ["projects[0].readers"]);
  const noCost = run("medical_clinic", {});
  assert.equal(noCost.eligible, true);
  assert.equal(noCost.amount, null);
  assert.deepEqual(noCost.missing, ["projects[0].cost"]);
  // a hospital's readers fall back to the profile's readersProvided
  assert.equal(run("hospital", { cost: 3_000_000 }, { readersProvided: 2 }).amount, 1_001_000);
});

test("no fund-2020 project: one result naming what is missing", () => {
  const out = calculate({ kind: "medical_clinic" }, "2021-12-01", programs, "fund-2020");
  assert.equal(out.at, "2021-12-01");
  assert.equal(out.results.length, 1);
  const r = out.results[0]!;
  assert.equal(r.project, undefined);
  assert.equal(r.eligible, null);
  assert.deepEqual(r.missing, ["projects[].readerAppliedOn"]);
  assert.equal(r.details?.readersFree, 1);
});

test("several projects: one result each, with its index", () => {
  const profile: FacilityProfile = {
    kind: "medical_clinic",
    projects: [
      { program: "other-program" },
      { program: "fund-2020", cost: 429_000, readerAppliedOn: "2021-06-01", completedOn: "2021-09-01", appliedOn: "2021-10-01" },
    ],
  };
  const out = calculate(profile, "2021-12-01", programs, "fund-2020");
  assert.deepEqual(out.results.map((r) => [r.project, r.amount]), [[1, 321_000]]);
});

// spec §2.3 [V-2]: readers applied for by 2022-06-06, operation started 2022-06-07 ~ 2023-01-31 → the
// 2022 amounts (old amount + 差額), not for facilities already paid.
const EARLIER: [string, Partial<Project>, FacilityProfile["kind"], boolean | null, number | null][] = [
  ["clinic, operation on the first day 2022-06-07", { readerAppliedOn: "2021-06-01", operationStartedOn: "2022-06-07" }, "medical_clinic", true, 429_000],
  ["clinic, operation on the last day 2023-01-31", { readerAppliedOn: "2022-06-06", operationStartedOn: "2023-01-31" }, "medical_clinic", true, 429_000],
  ["clinic, operation 2023-02-01: the 別表", { readerAppliedOn: "2022-06-06", operationStartedOn: "2023-02-01" }, "medical_clinic", true, 321_000],
  ["clinic, operation 2022-06-06: the 別表", { readerAppliedOn: "2021-06-01", operationStartedOn: "2022-06-06" }, "medical_clinic", true, 321_000],
  ["clinic already paid: the 別表", { readerAppliedOn: "2021-06-01", operationStartedOn: "2022-07-01", paidOn: "2022-12-01" }, "medical_clinic", true, 321_000],
  ["no operation date: the 別表", { readerAppliedOn: "2021-06-01" }, "medical_clinic", true, 321_000],
  ["hospital: rate not published", { readerAppliedOn: "2021-06-01", operationStartedOn: "2022-07-01", readers: 1 }, "hospital", true, null],
];
for (const [name, project, kind, eligible, amount] of EARLIER) {
  test(`2022 revision, earlier applicants: ${name}`, () => {
    const r = run(kind, { cost: 429_000, completedOn: "2022-05-01", appliedOn: "2023-02-01", ...project }, {}, "2023-02-15");
    assert.equal(r.eligible, eligible, r.reasons.join("\n"));
    assert.equal(r.amount, amount, r.reasons.join("\n"));
  });
}

test("an unpublished cell keeps amount null but shows the floor of the measure it replaced", () => {
  // spec §2.3: 病院 2022 rate unpublished; the 別表1-1 (seed 002 l.1461) amount is the floor
  const hospital = run("hospital", { cost: 4_000_000, readers: 1, readerAppliedOn: "2022-07-01", contractedOn: "2022-08-01", completedOn: "2023-01-20", appliedOn: "2023-02-01" }, {}, "2023-02-15");
  assert.equal(hospital.amount, null);
  assert.equal(hospital.details?.amountAtLeast, 1_050_000);
  // 10/10 hospital (spec §2.2) whose operation started in the 2022 window: at least 210.1万円
  const early = run("hospital", { cost: 4_000_000, readers: 1, readerAppliedOn: "2021-02-01", operationStartedOn: "2022-07-01", completedOn: "2022-05-01", appliedOn: "2023-02-01" }, {}, "2023-02-15");
  assert.equal(early.amount, null);
  assert.equal(early.details?.amountAtLeast, 2_101_000);
  // 10/10 with 病院2台 unpublished: the 別表1-2 floor (seed 002 l.1475)
  const two = run("hospital", { cost: 4_000_000, readers: 2, readerAppliedOn: "2021-02-01" }, {}, "2021-12-01");
  assert.equal(two.details?.amountAtLeast, 1_001_000);
  // 大型チェーン in 2022: the 別表2 floor (seed 002 l.1503)
  const chain = run("pharmacy", { cost: 429_000, readerAppliedOn: "2022-07-01", contractedOn: "2022-08-01", completedOn: "2023-01-20", appliedOn: "2023-02-01" }, { largeChainPharmacy: true }, "2023-02-15");
  assert.equal(chain.details?.amountAtLeast, 214_000);
});
