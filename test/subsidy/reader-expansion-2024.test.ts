// reader-expansion-2024 (顔認証付きカードリーダー増設支援): every cell of seed 000's hospital lookup
// table, each cap, the 500-per-reader boundary, the cost date of the FAQ and the extended period of
// spec §1.4. Seed 000 has no page markers: `seed 000 l.288` is line 288 of
// ../shared/seeds/000_91d88ea72779ea8f.txt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { documentName } from "../../src/subsidy/documents.ts";
import { PROGRAM_IDS, loadPrograms, readProgramFile } from "../../src/subsidy/program-data.ts";
import { ProgramDataError, calculate, type SubsidyResult } from "../../src/subsidy/engine.ts";
import type { FacilityProfile, MonthFacts, Project } from "../../src/subsidy/profile.ts";
import { readerExpansionProgram } from "../../src/subsidy/programs/reader-expansion-2024.ts";
import { parseParameters } from "../../src/subsidy/parameters.ts";
import { addMonths } from "../../src/subsidy/usage-rate.ts";

const ID = "reader-expansion-2024";
const raw = readProgramFile(ID);
const parseReaderExpansion = (d: unknown) => readerExpansionProgram(parseParameters(d, `${ID}.json`));
const program = parseReaderExpansion(raw);
const AT = "2025-01-15";

/** Every month of the extended period 2023-10〜2024-11 given with 0 uses, then `uses` laid over. */
function months(uses: Record<string, number>): Record<string, MonthFacts> {
  const all: Record<string, MonthFacts> = {};
  for (let m = "2023-10"; m <= "2024-11"; m = addMonths(m, 1)) all[m] = { cardUses: 0 };
  for (const [m, n] of Object.entries(uses)) all[m] = { cardUses: n };
  return all;
}

function evaluate(profile: FacilityProfile, at = AT): SubsidyResult[] {
  const out = calculate(profile, at, [program], ID);
  for (const r of out.results) assert.ok(r.sources.length > 0, "every result cites a source");
  return out.results;
}

/** One project (purchased 2024-02-01) for a facility whose best month is 2024-01. */
function run(kind: FacilityProfile["kind"], readersInUse: number | undefined, uses: number, project: Partial<Project> = {}, extra: Partial<FacilityProfile> = {}): SubsidyResult {
  const profile: FacilityProfile = {
    kind,
    ...(readersInUse === undefined ? {} : { readersInUse }),
    months: months({ "2024-01": uses }),
    ...extra,
    projects: [{ program: ID, cost: 2_000_000, readers: 3, purchasedOn: "2024-02-01", completedOn: "2024-02-20", appliedOn: "2024-03-01", ...project }],
  };
  const results = evaluate(profile);
  assert.equal(results.length, 1);
  return results[0]!;
}

const why = (r: SubsidyResult) => r.reasons.join("\n");

test("registered in the issue's order", () => {
  assert.ok(PROGRAM_IDS.includes(ID), "PROGRAM_IDS.includes(ID)");
  assert.ok(loadPrograms().some((p) => p.id === ID), "loadPrograms().some((p) => p.id === ID)");
  const order = ["fund-2020", "support-2024-h1", "support-2024-h2", "lump-sum-2024", ID, "modification-da-2024", "modification-mhlw-2024", "modification-2025", "dx-addition"];
  const ids = PROGRAM_IDS.filter((id) => order.includes(id));
  assert.deepEqual(ids, [...ids].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
});

// Hospital lookup table, seed 000 l.272–292: [readers in use, uses in the best month, readers
// supported or null (not eligible: the seed's 「ー」 left of the row's first number)]. The hospital
// adds 3 readers for 2,000,000円, so the amount is the cap of the readers supported (l.304).
const CAPS: Record<number, number> = { 1: 275_000, 2: 450_000, 3: 625_000 };
const TABLE: [string, number, number, number | null][] = [
  // l.288 1台の無償提供等を受けた病院: 1台 2台 3台 ー ー
  ["row 1 under 500 (l.249)", 1, 499, null],
  ["row 1 500〜999 → 1台", 1, 500, 1],
  ["row 1 500〜999 → 1台 (top)", 1, 999, 1],
  ["row 1 1,000〜1,499 → 2台", 1, 1_000, 2],
  ["row 1 1,000〜1,499 → 2台 (top)", 1, 1_499, 2],
  ["row 1 1,500〜1,999 → 3台", 1, 1_500, 3],
  ["row 1 1,500〜1,999 → 3台 (top)", 1, 1_999, 3],
  ["row 1 2,000〜2,499 ー: 1台運用は1,500件以上に読み替え (l.275) → 3台", 1, 2_000, 3],
  ["row 1 2,500以上 ー: 読み替え (l.275) → 3台", 1, 2_500, 3],
  // l.290 2台の無償提供等を受けた病院: ー 1台 2台 3台 ー
  ["row 2 500〜999 ー (under 500 per reader)", 2, 500, null],
  ["row 2 500〜999 ー (top)", 2, 999, null],
  ["row 2 1,000〜1,499 → 1台", 2, 1_000, 1],
  ["row 2 1,000〜1,499 → 1台 (top)", 2, 1_499, 1],
  ["row 2 1,500〜1,999 → 2台", 2, 1_500, 2],
  ["row 2 1,500〜1,999 → 2台 (top)", 2, 1_999, 2],
  ["row 2 2,000〜2,499 → 3台", 2, 2_000, 3],
  ["row 2 2,000〜2,499 → 3台 (top)", 2, 2_499, 3],
  ["row 2 2,500以上 ー: 2台運用は2,000件以上に読み替え (l.281) → 3台", 2, 2_500, 3],
  // l.292 3台の無償提供等を受けた病院: ー ー 1台 2台 3台
  ["row 3 500〜999 ー", 3, 999, null],
  ["row 3 1,000〜1,499 ー", 3, 1_000, null],
  ["row 3 1,000〜1,499 ー (top)", 3, 1_499, null],
  ["row 3 1,500〜1,999 → 1台", 3, 1_500, 1],
  ["row 3 1,500〜1,999 → 1台 (top)", 3, 1_999, 1],
  ["row 3 2,000〜2,499 → 2台", 3, 2_000, 2],
  ["row 3 2,000〜2,499 → 2台 (top)", 3, 2_499, 2],
  ["row 3 2,500以上 → 3台", 3, 2_500, 3],
  ["row 3 2,500以上 → 3台 (far above)", 3, 10_000, 3],
];

for (const [name, inUse, uses, supported] of TABLE) {
  test(`hospital table: ${name}`, () => {
    const r = run("hospital", inUse, uses);
    if (supported === null) {
      assert.equal(r.eligible, false, why(r));
      assert.equal(r.amount, 0);
      assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.249`)), "r.sources.some((s) => s.startsWith(`${documentName(\"support-measures-2024\")} l.249`))");
      return;
    }
    assert.equal(r.eligible, true, why(r));
    assert.equal(r.details?.readersSupported, supported);
    assert.equal(r.amount, CAPS[supported]);
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.${[288, 290, 292][inUse - 1]}`)), "cites the row");
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.304`)), "cites the cap");
  });
}

// Caps and the 1/2 of seed 000 l.296 (費用総額の1/2) with the 補助上限額 of l.300–311:
// [case, kind, readers in use, uses, readers added, cost, amount, cap]
const AMOUNTS: [string, FacilityProfile["kind"], number, number, number, number, number, number][] = [
  ["病院 1台: 1/2 under the cap", "hospital", 1, 600, 1, 400_000, 200_000, 275_000],
  ["病院 1台: 1/2 exactly the cap 275,000円", "hospital", 1, 600, 1, 550_000, 275_000, 275_000],
  ["病院 1台: above the cap", "hospital", 1, 600, 1, 550_002, 275_000, 275_000],
  ["病院 2台: 1/2 under the cap", "hospital", 1, 1_200, 2, 800_000, 400_000, 450_000],
  ["病院 2台: 1/2 exactly the cap 450,000円", "hospital", 1, 1_200, 2, 900_000, 450_000, 450_000],
  ["病院 2台: above the cap", "hospital", 1, 1_200, 2, 901_000, 450_000, 450_000],
  ["病院 3台: 1/2 exactly the cap 625,000円", "hospital", 1, 1_600, 3, 1_250_000, 625_000, 625_000],
  ["病院 3台: above the cap", "hospital", 3, 2_600, 3, 3_000_000, 625_000, 625_000],
  ["病院 3台 supported, 2 added: the 2台 cap", "hospital", 3, 2_600, 2, 3_000_000, 450_000, 450_000],
  ["病院 3台 supported, 1 added: the 1台 cap", "hospital", 2, 2_000, 1, 3_000_000, 275_000, 275_000],
  ["診療所 1台: 1/2 exactly the cap 275,000円", "medical_clinic", 1, 500, 1, 550_000, 275_000, 275_000],
  ["診療所 1台: above the cap", "medical_clinic", 1, 500, 1, 700_000, 275_000, 275_000],
  ["診療所: 1/2 of an odd cost floored to the yen (no 1,000円 truncation)", "medical_clinic", 1, 500, 1, 100_001, 50_000, 275_000],
  ["診療所: 1/2 not truncated to 1,000円", "medical_clinic", 1, 500, 1, 301_998, 150_999, 275_000],
  ["薬局 1台: the 診療所・薬局 cap", "pharmacy", 1, 500, 1, 700_000, 275_000, 275_000],
  ["歯科診療所 1台: the 診療所・薬局 cap (spec §5)", "dental_clinic", 1, 500, 1, 700_000, 275_000, 275_000],
];

for (const [name, kind, inUse, uses, readers, cost, amount, cap] of AMOUNTS) {
  test(`amount: ${name}`, () => {
    const r = run(kind, inUse, uses, { readers, cost });
    assert.equal(r.eligible, true, why(r));
    assert.equal(r.amount, amount);
    assert.equal(r.details?.cap, cap);
    assert.equal(r.details?.rate, "1/2");
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.296`)), "r.sources.some((s) => s.startsWith(`${documentName(\"support-measures-2024\")} l.296`))");
    assert.ok(r.sources.some((s) => s.startsWith(kind === "hospital" ? `${documentName("support-measures-2024")} l.304` : `${documentName("support-measures-2024")} l.311`)), "r.sources.some((s) => s.startsWith(kind === \"hospital\" ? `${documentName(\"support-measures-2024\")} l.304` :…");
  });
}

// The 500-per-reader rule (seed 000 l.249; FAQ 4-2 Q2 l.511–518 いずれかひと月でも) for any facility:
// [case, kind, readers in use, uses, eligible]
const PER_READER: [string, FacilityProfile["kind"], number, number, boolean][] = [
  ["診療所 1台: exactly 500", "medical_clinic", 1, 500, true],
  ["診療所 1台: 499", "medical_clinic", 1, 499, false],
  ["診療所 2台: exactly 1,000 (500 per reader)", "medical_clinic", 2, 1_000, true],
  ["診療所 2台: 999", "medical_clinic", 2, 999, false],
  ["薬局 1台: exactly 500", "pharmacy", 1, 500, true],
  ["病院 4台 (no row in the table): 499 per reader", "hospital", 4, 1_999, false],
];

for (const [name, kind, inUse, uses, eligible] of PER_READER) {
  test(`500 per reader: ${name}`, () => {
    const r = run(kind, inUse, uses, { readers: 1, cost: 700_000 });
    assert.equal(r.eligible, eligible, why(r));
    assert.equal(r.amount, eligible ? 275_000 : 0);
    assert.equal(r.details?.threshold, 500 * inUse);
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.249`)), "r.sources.some((s) => s.startsWith(`${documentName(\"support-measures-2024\")} l.249`))");
  });
}

test("a hospital with 4 readers in use and 2,000 uses is eligible; its readers supported are not published", () => {
  const r = run("hospital", 4, 2_000);
  assert.equal(r.eligible, true, why(r));
  assert.equal(r.amount, null);
  assert.ok(r.reasons.some((x) => x.includes("公表されていない")), "r.reasons.some((x) => x.includes(\"公表されていない\"))");
});

test("more readers bought than supported: 病院 supported 1 of 3, the 1台 cap on the whole cost", () => {
  const r = run("hospital", 1, 700, { readers: 3, cost: 2_000_000 });
  assert.equal(r.eligible, true);
  assert.equal(r.details?.readersSupported, 1);
  assert.equal(r.details?.readersCounted, 1);
  assert.equal(r.amount, 275_000);
  assert.ok(r.reasons.some((x) => x.includes("増設 3台のうち支援の対象は1台まで")), "r.reasons.some((x) => x.includes(\"増設 3台のうち支援の対象は1台まで\"))");
});

test("non-hospital: 1 reader supported however many are bought (seed 000 l.253)", () => {
  const r = run("medical_clinic", 1, 3_000, { readers: 2, cost: 2_000_000 });
  assert.equal(r.eligible, true);
  assert.equal(r.details?.readersSupported, 1);
  assert.equal(r.amount, 275_000);
  assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.253`)), "r.sources.some((s) => s.startsWith(`${documentName(\"support-measures-2024\")} l.253`))");
});

// Costs from 2023-11-11 (seed 000 l.256; FAQ 4-2 Q1 l.498–507): [case, purchasedOn, completedOn, eligible]
const DATES: [string, string, string | undefined, boolean][] = [
  ["purchased 2023-11-10: before the day after the 閣議決定", "2023-11-10", "2023-12-01", false],
  ["purchased 2023-11-11: the first day", "2023-11-11", "2023-12-01", true],
  ["completed in 2023-12 and asked for afterwards (FAQ Q1: 可能です)", "2023-11-20", "2023-12-15", true],
  ["completed 2023-11-10: costs before 2023-11-11", "2023-11-11", "2023-11-10", false],
  ["not completed yet", "2024-06-01", undefined, true],
];

for (const [name, purchasedOn, completedOn, eligible] of DATES) {
  test(`cost dates: ${name}`, () => {
    const r = run("medical_clinic", 1, 500, { purchasedOn, completedOn, readers: 1, cost: 400_000 });
    assert.equal(r.eligible, eligible, why(r));
    assert.equal(r.amount, eligible ? 200_000 : 0);
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.505`)), "r.sources.some((s) => s.startsWith(`${documentName(\"support-measures-2024\")} l.505`))");
  });
}

// The period: any one month 2023-10〜2024-11 (spec §1.4 [V], extending seed 000 l.248's 2024-03).
const PERIOD: [string, string, boolean][] = [
  ["2023-09 is before the period", "2023-09", false],
  ["2023-10: the first month", "2023-10", true],
  ["2024-03: the seed's last month", "2024-03", true],
  ["2024-04: counts only by the extension", "2024-04", true],
  ["2024-11: the last month of the extended period", "2024-11", true],
  ["2024-12 is after the period", "2024-12", false],
];

for (const [name, month, eligible] of PERIOD) {
  test(`period: ${name}`, () => {
    const profile: FacilityProfile = {
      kind: "medical_clinic",
      readersInUse: 1,
      months: { ...months({}), [month]: { cardUses: 800 } },
      projects: [{ program: ID, cost: 400_000, readers: 1, purchasedOn: "2024-02-01" }],
    };
    const r = evaluate(profile)[0]!;
    assert.equal(r.eligible, eligible, why(r));
    if (eligible) assert.equal(r.details?.bestMonth, month);
    assert.ok(r.sources.some((s) => s.includes("KB0011206")) || !eligible, "r.sources.some((s) => s.includes(\"KB0011206\")) || !eligible");
  });
}

test("months not given: no qualifying month known → null, naming each missing month", () => {
  const profile: FacilityProfile = {
    kind: "medical_clinic",
    readersInUse: 1,
    months: { "2023-10": { cardUses: 300 } },
    projects: [{ program: ID, cost: 400_000, readers: 1, purchasedOn: "2024-02-01" }],
  };
  const r = evaluate(profile)[0]!;
  assert.equal(r.eligible, null);
  assert.equal(r.amount, null);
  assert.equal(r.missing?.length, 13);
  assert.equal(r.missing?.[0], "months.2023-11.cardUses");
  assert.equal(r.missing?.[12], "months.2024-11.cardUses");
});

test("months not given but one month qualifies → decided", () => {
  const profile: FacilityProfile = {
    kind: "medical_clinic",
    readersInUse: 1,
    months: { "2024-05": { cardUses: 500 } },
    projects: [{ program: ID, cost: 400_000, readers: 1, purchasedOn: "2024-02-01" }],
  };
  const r = evaluate(profile)[0]!;
  assert.equal(r.eligible, true);
  assert.equal(r.amount, 200_000);
  assert.equal(r.missing, undefined);
});

test("hospital: a missing month could raise the readers supported → amount null with the floor", () => {
  const profile: FacilityProfile = {
    kind: "hospital",
    readersInUse: 1,
    months: { "2024-01": { cardUses: 700 } },
    projects: [{ program: ID, cost: 2_000_000, readers: 3, purchasedOn: "2024-02-01" }],
  };
  const r = evaluate(profile)[0]!;
  assert.equal(r.eligible, true);
  assert.equal(r.amount, null);
  assert.equal(r.details?.amountAtLeast, 275_000);
  assert.ok(r.missing?.includes("months.2024-11.cardUses"), "r.missing?.includes(\"months.2024-11.cardUses\")");
});

test("hospital: missing months do not matter when the readers added are all supported", () => {
  const profile: FacilityProfile = {
    kind: "hospital",
    readersInUse: 1,
    months: { "2024-01": { cardUses: 700 } },
    projects: [{ program: ID, cost: 2_000_000, readers: 1, purchasedOn: "2024-02-01" }],
  };
  const r = evaluate(profile)[0]!;
  assert.equal(r.amount, 275_000);
});

test("opened from 2023-04 (seed 000 l.313): the readers at opening are the base, no month before opening is asked for", () => {
  const profile: FacilityProfile = {
    kind: "medical_clinic",
    openedOn: "2024-02-15",
    readersInUse: 1,
    months: { "2024-02": { cardUses: 100 } },
    projects: [{ program: ID, cost: 400_000, readers: 1, purchasedOn: "2024-03-01" }],
  };
  const r = evaluate(profile)[0]!;
  assert.equal(r.eligible, null);
  assert.equal(r.missing?.[0], "months.2024-03.cardUses");
  assert.ok(!r.missing?.includes("months.2024-01.cardUses"), "!r.missing?.includes(\"months.2024-01.cardUses\")");
  assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.313`)), "r.sources.some((s) => s.startsWith(`${documentName(\"support-measures-2024\")} l.313`))");
  assert.ok(r.reasons.some((x) => x.includes("開設時に導入したリーダーの台数")), "r.reasons.some((x) => x.includes(\"開設時に導入したリーダーの台数\"))");
});

test("opened after the period: not eligible", () => {
  const r = run("medical_clinic", 1, 0, { readers: 1 }, { openedOn: "2024-12-01", months: { "2024-12": { cardUses: 900 } } });
  assert.equal(r.eligible, false);
});

test("readers in use not given → null, missing readersInUse", () => {
  const r = run("medical_clinic", undefined, 800, { readers: 1, cost: 400_000 });
  assert.equal(r.eligible, null);
  assert.deepEqual(r.missing, ["readersInUse"]);
});

test("no reader in use: an 増設 needs one in operation", () => {
  const r = run("medical_clinic", 0, 800, { readers: 1 });
  assert.equal(r.eligible, false);
});

test("no reader added: not eligible", () => {
  const r = run("medical_clinic", 1, 800, { readers: 0 });
  assert.equal(r.eligible, false);
});

test("purchase date not given → null, the figure as amountIfEligible", () => {
  const r = run("medical_clinic", 1, 800, { readers: 1, cost: 400_000, purchasedOn: undefined });
  assert.equal(r.eligible, null);
  assert.equal(r.amount, null);
  assert.deepEqual(r.missing, ["projects[0].purchasedOn"]);
  assert.equal(r.details?.amountIfEligible, 200_000);
});

test("cost not given → eligible, amount null, missing cost", () => {
  const r = run("medical_clinic", 1, 800, { readers: 1, cost: undefined });
  assert.equal(r.eligible, true);
  assert.equal(r.amount, null);
  assert.deepEqual(r.missing, ["projects[0].cost"]);
});

test("hospital supported 2 with no reader count: the cap needs readers", () => {
  const r = run("hospital", 1, 1_200, { readers: undefined });
  assert.equal(r.eligible, true);
  assert.equal(r.amount, null);
  assert.deepEqual(r.missing, ["projects[0].readers"]);
});

test("hospital supported 1 with no reader count: the 1台 cap", () => {
  const r = run("hospital", 1, 600, { readers: undefined });
  assert.equal(r.amount, 275_000);
});

test("no project: one facility result saying what is missing", () => {
  const results = evaluate({ kind: "pharmacy", readersInUse: 1, months: months({ "2023-12": 650 }) });
  assert.equal(results.length, 1);
  const r = results[0]!;
  assert.equal(r.project, undefined);
  assert.equal(r.eligible, null);
  assert.deepEqual(r.missing, ["projects[].purchasedOn", "projects[].cost"]);
});

test("one result per project of the program, indexed into projects", () => {
  const profile: FacilityProfile = {
    kind: "medical_clinic",
    readersInUse: 1,
    months: months({ "2024-01": 600 }),
    projects: [
      { program: "fund-2020", cost: 1 },
      { program: ID, cost: 100_000, readers: 1, purchasedOn: "2024-02-01" },
      { program: ID, cost: 900_000, readers: 1, purchasedOn: "2023-11-01" },
    ],
  };
  const results = evaluate(profile);
  assert.deepEqual(results.map((r) => [r.project, r.eligible, r.amount]), [[1, true, 50_000], [2, false, 0]]);
});

test("the application deadline is said to be unpublished, not guessed", () => {
  const r = run("medical_clinic", 1, 800, { readers: 1 });
  assert.ok(r.reasons.some((x) => x.startsWith("申請期限は公表されていない")), "r.reasons.some((x) => x.startsWith(\"申請期限は公表されていない\"))");
});

test("a published deadline would be checked against appliedOn, or the date when not applied", () => {
  const d = structuredClone(raw) as any;
  d.parameters.applicationDeadline.values[0].value = "2025-03-31";
  const p = parseReaderExpansion(d);
  const profile = (appliedOn?: string): FacilityProfile => ({
    kind: "medical_clinic",
    readersInUse: 1,
    months: months({ "2024-01": 600 }),
    projects: [{ program: ID, cost: 100_000, readers: 1, purchasedOn: "2024-02-01", ...(appliedOn ? { appliedOn } : {}) }],
  });
  assert.equal(p.evaluate(profile("2025-03-31"), "2025-04-10")[0]!.eligible, true);
  assert.equal(p.evaluate(profile("2025-04-01"), "2025-04-10")[0]!.eligible, false);
  assert.equal(p.evaluate(profile(), "2025-03-31")[0]!.eligible, true);
  assert.equal(p.evaluate(profile(), "2025-04-01")[0]!.eligible, false);
});

// The data file is checked at load (E9105 naming the file and the path).
const BROKEN: [string, (d: any) => void, string][] = [
  ["a table row that disagrees with 500 per reader", (d) => (d.parameters["hospitalReaders.2"].values[0].value[0].from = 500), "parameters.hospitalReaders.2"],
  ["a row's bands out of order", (d) => (d.parameters["hospitalReaders.3"].values[0].value[1].from = 1500), "parameters.hospitalReaders.3.values[0].value[1].from"],
  ["a cap missing for 3 readers", (d) => d.parameters["caps.hospital"].values[0].value.pop(), "parameters.caps.hospital"],
  ["a value without a source", (d) => delete d.parameters.costsFrom.values[0].source, "parameters.costsFrom.values[0].source"],
  ["a period month that is not YYYY-MM", (d) => (d.parameters.usageMonths.values[0].value.to = "2024-13"), "parameters.usageMonths.values[0].value"],
];

for (const [name, breakIt, path] of BROKEN) {
  test(`data file: ${name} → E9105`, () => {
    const d = structuredClone(raw) as any;
    breakIt(d);
    assert.throws(() => parseReaderExpansion(d), (e: unknown) => {
      assert.ok(e instanceof ProgramDataError, "e instanceof ProgramDataError");
      assert.equal(e.code, "E9105");
      assert.ok(e.message.includes(`reader-expansion-2024.json ${path}`), e.message);
      return true;
    });
  });
}

test("every reading of the data file says what was chosen and why", () => {
  const readings = (raw as { readings: { topic: string; reading: string; why: string }[] }).readings;
  assert.ok(readings.length >= 5, "readings.length >= 5");
  for (const r of readings) assert.ok(r.topic && r.reading && r.why, "r.topic && r.reading && r.why");
});
