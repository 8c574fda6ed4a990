// modification-da-2024 (デジタル庁 レセコン・再来受付機 改修): every cell of seed 000's table (l.389-445),
// the conditions ※1 and ※2 (l.447-453) with their boundaries, FAQ 4-1 (the 利用率 and new facilities),
// seed 003's deadlines (l.126-130) and the one-time rule (l.38). Seeds have no page markers: cases cite
// `seed 000 l.404` = line 404 of ../shared/seeds/000_91d88ea72779ea8f.txt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { documentName } from "../../src/subsidy/documents.ts";
import { loadPrograms } from "../../src/subsidy/program-data.ts";
import { calculate, type SubsidyResult } from "../../src/subsidy/engine.ts";
import type { FacilityProfile, MonthFacts, Project } from "../../src/subsidy/profile.ts";

const programs = loadPrograms();
const ID = "modification-da-2024";

export function results(profile: FacilityProfile, at: string, program: string): SubsidyResult[] {
  const out = calculate(profile, at, programs, program);
  for (const r of out.results) assert.ok(r.sources.length > 0, "every result cites a source");
  return out.results;
}

const months = (from: string, to: string, facts: MonthFacts): Record<string, MonthFacts> => {
  const out: Record<string, MonthFacts> = {};
  for (let [y, m] = from.split("-").map(Number) as [number, number]; `${y}-${String(m).padStart(2, "0")}` <= to; m === 12 ? ((y += 1), (m = 1)) : (m += 1)) {
    out[`${y}-${String(m).padStart(2, "0")}`] = { ...facts };
  }
  return out;
};
// ※1: cardUses per month 2023-10〜2024-03; the best month given last.
const s1 = (best: number) => ({ ...months("2023-10", "2024-03", { cardUses: 100 }), "2024-03": { cardUses: best } });
// ※2: 2023-10 rate 10 % (100 / 1,000); 2024-01〜05 at 14.9 %, the best month 2024-05 given.
const s2 = (best: number) => ({ "2023-10": { cardPersons: 100, outpatientReceipts: 1000 }, ...months("2024-01", "2024-05", { cardPersons: 149, outpatientReceipts: 1000 }), "2024-05": { cardPersons: best, outpatientReceipts: 1000 } });
/** Month facts meeting ※1 and/or ※2 (each month object merged field by field). */
function usage(opts: { s1?: number; s2?: number }): Record<string, MonthFacts> {
  const out: Record<string, MonthFacts> = {};
  const parts: Record<string, MonthFacts>[] = [opts.s1 !== undefined ? s1(opts.s1) : {}, opts.s2 !== undefined ? s2(opts.s2) : {}];
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) out[k] = { ...out[k], ...v };
  }
  return out;
}
const MET = { s1: 500, s2: 150 };
const S2_ONLY = { s1: 499, s2: 150 };
const NONE = { s1: 499, s2: 149 };

const DATES = { completedOn: "2024-05-01", appliedOn: "2024-06-01" };
function one(kind: FacilityProfile["kind"], project: Partial<Project>, extra: Partial<FacilityProfile> = {}, at = "2024-08-01"): SubsidyResult {
  const rs = results({ kind, ...extra, projects: [{ program: ID, ...DATES, ...project }] }, at, ID);
  assert.equal(rs.length, 1);
  return rs[0]!;
}

// [case (seed 000 line), kind, extra profile facts, scope, cost, usage, eligible, amount, cited line]
type Row = [string, FacilityProfile["kind"], Partial<FacilityProfile>, Project["scope"], number, { s1?: number; s2?: number }, boolean, number, number];
const CELLS: Row[] = [
  // l.404 診療所 両方: 5.4万円を上限 (事業費7.3万円を上限にその3/4)
  ["診療所 両方 7.3万円 × 3/4 = 54,750 → 上限 5.4万円", "medical_clinic", {}, "recipient_and_card", 73_000, NONE, true, 54_000, 404],
  ["診療所 両方 7.2万円 × 3/4 = 54,000 exactly", "medical_clinic", {}, "recipient_and_card", 72_000, NONE, true, 54_000, 404],
  ["診療所 両方 50,001 × 3/4 = 37,500.75 → 37,500 (no 1,000-yen truncation in 2024)", "medical_clinic", {}, "recipient_and_card", 50_001, NONE, true, 37_500, 404],
  ["診療所 両方 費用 20万円 → 事業費上限 7.3万円", "medical_clinic", {}, "recipient_and_card", 200_000, NONE, true, 54_000, 404],
  // l.404 (merged cell; seed 003 l.71 ○) 診療所 受給者証のみ: no condition
  ["診療所 受給者証のみ", "medical_clinic", {}, "recipient_only", 60_000, NONE, true, 45_000, 404],
  ["歯科診療所 受給者証のみ (診療所の行)", "dental_clinic", {}, "recipient_only", 73_000, NONE, true, 54_000, 404],
  // l.407 診療所 診察券のみ: 5.4万円※2
  ["診療所 診察券のみ with ※2", "medical_clinic", {}, "card_only", 73_000, S2_ONLY, true, 54_000, 407],
  ["診療所 診察券のみ without ※2", "medical_clinic", {}, "card_only", 73_000, NONE, false, 0, 407],
  // l.404 / l.398 薬局 (大型チェーン以外)
  ["薬局 両方", "pharmacy", { largeChainPharmacy: false }, "recipient_and_card", 73_000, NONE, true, 54_000, 404],
  ["薬局 受給者証のみ", "pharmacy", { largeChainPharmacy: false }, "recipient_only", 10_000, NONE, true, 7_500, 404],
  ["薬局 診察券のみ: the column is （診療所・病院）", "pharmacy", { largeChainPharmacy: false }, "card_only", 73_000, MET, false, 0, 398],
  // l.410 大型チェーン薬局 3.6万円 (7.3万円 × 1/2); l.413 診察券のみ ー
  ["大型チェーン 両方 7.3万円 × 1/2 = 36,500 → 上限 3.6万円", "pharmacy", { largeChainPharmacy: true }, "recipient_and_card", 73_000, NONE, true, 36_000, 410],
  ["大型チェーン 受給者証のみ 6万円 × 1/2", "pharmacy", { largeChainPharmacy: true }, "recipient_only", 60_000, NONE, true, 30_000, 410],
  ["大型チェーン 診察券のみ: ー", "pharmacy", { largeChainPharmacy: true }, "card_only", 73_000, MET, false, 0, 413],
  // l.422 / l.425 病院① 両方: ※1 60.0万円 (120万 × 1/2), else ※2 40.0万円 (120万 × 1/3)
  ["病院① 両方 ※1: 150万円 → 事業費上限120万 × 1/2", "hospital", { receptionMachine: true }, "recipient_and_card", 1_500_000, MET, true, 600_000, 422],
  ["病院① 両方 ※1: 1,000,001 × 1/2 → 500,000", "hospital", { receptionMachine: true }, "recipient_and_card", 1_000_001, MET, true, 500_000, 422],
  ["病院① 両方 ※2 only: 120万 × 1/3", "hospital", { receptionMachine: true }, "recipient_and_card", 1_200_000, S2_ONLY, true, 400_000, 425],
  ["病院① 両方 ※2 only: 100万 × 1/3 = 333,333.3 → 333,333", "hospital", { receptionMachine: true }, "recipient_and_card", 1_000_000, S2_ONLY, true, 333_333, 425],
  ["病院① 両方 neither ※1 nor ※2", "hospital", { receptionMachine: true }, "recipient_and_card", 1_200_000, NONE, false, 0, 422],
  // l.430 / l.433 病院① 診察券のみ
  ["病院① 診察券のみ ※1", "hospital", { receptionMachine: true }, "card_only", 1_200_000, MET, true, 600_000, 430],
  ["病院① 診察券のみ ※2 only", "hospital", { receptionMachine: true }, "card_only", 1_200_000, S2_ONLY, true, 400_000, 433],
  ["病院① 診察券のみ neither", "hospital", { receptionMachine: true }, "card_only", 1_200_000, NONE, false, 0, 430],
  // l.428 病院① 受給者証のみ ー: a 受給者証-only 改修 is row ② (reading)
  ["病院 with 再来受付機, 受給者証のみ → ② 28.3万円", "hospital", { receptionMachine: true }, "recipient_only", 566_000, NONE, true, 283_000, 441],
  // l.441 / l.444 病院② 28.3万円 (56.6万 × 1/2); 診察券のみ ※2
  ["病院② 両方 56.6万 × 1/2", "hospital", { receptionMachine: false }, "recipient_and_card", 566_000, NONE, true, 283_000, 441],
  ["病院② 両方 100万円 → 事業費上限 56.6万", "hospital", { receptionMachine: false }, "recipient_and_card", 1_000_000, NONE, true, 283_000, 441],
  ["病院② 受給者証のみ 300,001 × 1/2 → 150,000", "hospital", { receptionMachine: false }, "recipient_only", 300_001, NONE, true, 150_000, 441],
  ["病院② 診察券のみ ※2", "hospital", { receptionMachine: false }, "card_only", 566_000, S2_ONLY, true, 283_000, 444],
  ["病院② 診察券のみ without ※2", "hospital", { receptionMachine: false }, "card_only", 566_000, NONE, false, 0, 444],
];

for (const [name, kind, extra, scope, cost, use, eligible, amount, line] of CELLS) {
  test(`cell: ${name} (seed 000 l.${line})`, () => {
    const r = one(kind, { scope, cost }, { ...extra, months: usage(use) });
    assert.equal(r.eligible, eligible, r.reasons.join("\n"));
    assert.equal(r.amount, amount);
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.${line} `)), r.sources.join("\n"));
  });
}

test("※1 boundary: exactly 500 uses in one month gives 60.0万円, 499 falls to ※2's 40.0万円 (seed 000 l.447)", () => {
  const at500 = one("hospital", { scope: "card_only", cost: 1_200_000 }, { receptionMachine: true, months: usage({ s1: 500, s2: 150 }) });
  const at499 = one("hospital", { scope: "card_only", cost: 1_200_000 }, { receptionMachine: true, months: usage({ s1: 499, s2: 150 }) });
  assert.equal(at500.amount, 600_000);
  assert.equal(at499.amount, 400_000);
});

test("※1 is the month's total, not per reader (reading of 「月利用件数の総数」, seed 000 l.447)", () => {
  const r = one("hospital", { scope: "card_only", cost: 1_200_000 }, { receptionMachine: true, readersInUse: 3, months: usage({ s1: 500, s2: 100 }) });
  assert.equal(r.amount, 600_000);
});

test("※1 unknown for some months, ※2 met: eligible with at least 40.0万円 (seed 000 l.447, l.425)", () => {
  const m = usage({ s2: 150 });
  m["2023-10"] = { ...m["2023-10"], cardUses: 10 };
  const r = one("hospital", { scope: "card_only", cost: 1_200_000 }, { receptionMachine: true, months: m });
  assert.equal(r.eligible, true);
  assert.equal(r.amount, null);
  assert.equal(r.details?.amountAtLeast, 400_000);
  assert.ok(r.missing?.includes("months.2024-03.cardUses"), String(r.missing));
});

test("※2 boundary: exactly +5 %pt qualifies, +4.9 %pt does not (seed 000 l.450 「5%以上」)", () => {
  assert.equal(one("medical_clinic", { scope: "card_only", cost: 73_000 }, { months: usage({ s2: 150 }) }).eligible, true);
  assert.equal(one("medical_clinic", { scope: "card_only", cost: 73_000 }, { months: usage({ s2: 149 }) }).eligible, false);
});

test("※2 rate is cardPersons ÷ outpatientReceipts, not cardUses (seed 000 l.476)", () => {
  const m = usage({ s2: 149 });
  for (const k of Object.keys(m)) m[k] = { ...m[k], cardUses: 900 };
  assert.equal(one("medical_clinic", { scope: "card_only", cost: 73_000 }, { months: m }).eligible, false);
});

test("※2 counts only months before the application's month (seed 000 l.453 申請条件を満たした時点)", () => {
  // The best month 2024-05 is the application's own month: not yet known when applying.
  const r = one("medical_clinic", { scope: "card_only", cost: 73_000, appliedOn: "2024-05-31" }, { months: usage({ s2: 150 }) });
  assert.equal(r.eligible, false);
});

test("※2 looks no further than the month before the application deadline 2025-01-15 (seed 003 l.130)", () => {
  const r = one("medical_clinic", { scope: "card_only", cost: 73_000, appliedOn: undefined, completedOn: "2024-06-01" }, { months: { "2023-10": { cardPersons: 100, outpatientReceipts: 1000 } } }, "2026-06-01");
  assert.equal(r.eligible, false);
  assert.ok(r.missing?.includes("months.2024-12.cardPersons"), String(r.missing));
  assert.ok(!r.missing?.some((f) => f.startsWith("months.2025-")), String(r.missing));
});

test("※2 before any month from 2024-01 is over: undecided, not refused (seed 000 l.450)", () => {
  const r = one("medical_clinic", { scope: "card_only", cost: 73_000, appliedOn: undefined, completedOn: undefined }, { months: usage({ s2: 150 }) }, "2024-01-20");
  assert.equal(r.eligible, null);
});

test("※2 for a facility opened on or after 2023-10-01: the 2023-10 rate is 0 % (seed 000 l.492)", () => {
  const months = { "2024-01": { cardPersons: 5, outpatientReceipts: 100 } };
  const r = one("medical_clinic", { scope: "card_only", cost: 73_000, appliedOn: "2024-04-10", completedOn: "2024-03-20" }, { openedOn: "2023-10-01", months });
  assert.equal(r.eligible, true, r.reasons.join("\n"));
  assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.492 `)), "r.sources.some((s) => s.startsWith(`${documentName(\"support-measures-2024\")} l.492 `))");
  const older = one("medical_clinic", { scope: "card_only", cost: 73_000, appliedOn: "2024-04-10", completedOn: "2024-03-20" }, { openedOn: "2023-09-30", months });
  assert.equal(older.eligible, null);
  assert.deepEqual(older.missing, ["months.2023-10.cardPersons", "months.2023-10.outpatientReceipts"]);
});

// [case, project dates, at, eligible, cited line of seed 003 (or of seed 000 when given as "000:line")]
const DEADLINES: [string, Partial<Project>, string, boolean, number | string][] = [
  ["applied on the last day 2025-01-15", { completedOn: "2024-12-31", appliedOn: "2025-01-15" }, "2025-02-01", true, 130],
  ["applied the day after, 2025-01-16", { completedOn: "2024-12-31", appliedOn: "2025-01-16" }, "2025-02-01", false, 130],
  ["not applied, asked on 2025-01-15", { completedOn: "2024-12-31", appliedOn: undefined }, "2025-01-15", true, 130],
  ["not applied, asked on 2025-01-16", { completedOn: "2024-12-31", appliedOn: undefined }, "2025-01-16", false, 130],
  ["applied on the first day 2024-04-01", { completedOn: "2024-03-01", appliedOn: "2024-04-01" }, "2024-08-01", true, 128],
  ["applied before the start, 2024-03-31", { completedOn: "2024-03-01", appliedOn: "2024-03-31" }, "2024-08-01", false, 128],
  ["completed after 2024-12-31", { completedOn: "2025-01-01", appliedOn: "2025-01-10" }, "2025-02-01", false, 130],
  ["completed on 2023-11-11, the first day costs count", { completedOn: "2023-11-11", appliedOn: "2024-04-01" }, "2024-08-01", true, "000:336"],
  ["completed on 2024-12-31, the last day", { completedOn: "2024-12-31", appliedOn: "2025-01-02" }, "2025-02-01", true, 130],
  ["applied before the 改修 was complete", { completedOn: "2024-06-02", appliedOn: "2024-06-01" }, "2024-08-01", false, 48],
];
for (const [name, dates, at, eligible, line] of DEADLINES) {
  const cited = typeof line === "string" ? `${documentName("support-measures-2024")} l.${line.split(":")[1]}` : `${documentName("pmh-leaflet-2024")} l.${line}`;
  test(`deadline: ${name} (l.${typeof line === "string" ? line.split(":")[1] : line})`, () => {
    const r = one("medical_clinic", { scope: "recipient_only", cost: 73_000, ...dates }, {}, at);
    assert.equal(r.eligible, eligible, r.reasons.join("\n"));
    assert.ok(r.sources.some((s) => s.startsWith(`${cited} `)), r.sources.join("\n"));
  });
}

test("a 改修 before 2023-11-11 is not covered (seed 000 l.336)", () => {
  const r = one("medical_clinic", { scope: "recipient_only", cost: 73_000, completedOn: "2023-11-10" });
  assert.equal(r.eligible, false);
  assert.ok(r.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.336 `)), "r.sources.some((s) => s.startsWith(`${documentName(\"support-measures-2024\")} l.336 `))");
});

test("each scope changes the answer for one facility (seed 000 l.393-398)", () => {
  const got = (["recipient_and_card", "recipient_only", "card_only"] as const).map((scope) => one("medical_clinic", { scope, cost: 73_000 }, { months: usage(NONE) }).eligible);
  assert.deepEqual(got, [true, true, false]);
});

test("agency: absent or digital; a 厚生労働省 or unknown value is refused with its reason", () => {
  assert.equal(one("medical_clinic", { scope: "recipient_only", cost: 73_000, agency: "digital" }).amount, 54_000);
  const mhlw = one("medical_clinic", { scope: "recipient_only", cost: 73_000, agency: "mhlw-nanbyo" });
  assert.equal(mhlw.eligible, false);
  assert.match(mhlw.reasons.join("\n"), /modification-mhlw-2024/);
  const bad = one("medical_clinic", { scope: "recipient_only", cost: 73_000, agency: "dijital" });
  assert.equal(bad.eligible, false);
  assert.match(bad.reasons.join("\n"), /不明な値/);
});

test("missing facts are named: scope, largeChainPharmacy, receptionMachine, cost", () => {
  assert.deepEqual(one("medical_clinic", { cost: 73_000 }).missing, ["projects[0].scope"]);
  const pharmacy = one("pharmacy", { scope: "recipient_only", cost: 73_000 });
  assert.equal(pharmacy.eligible, null);
  // Either field answers it: the stated flag, or the group's prescriptions (seed 002 第4).
  assert.deepEqual(pharmacy.missing, ["largeChainPharmacy", "pharmacyGroup"]);
  const hospital = one("hospital", { scope: "card_only", cost: 73_000 }, { months: usage(MET) });
  assert.equal(hospital.eligible, null);
  assert.deepEqual(hospital.missing, ["receptionMachine"]);
  const noCost = one("medical_clinic", { scope: "recipient_only" });
  assert.equal(noCost.eligible, true);
  assert.equal(noCost.amount, null);
  assert.deepEqual(noCost.missing, ["projects[0].cost"]);
});

test("pharmacyGroup: seed 002 第4 on the application date picks the 大型チェーン row (3.6万円 cap) or the other 薬局 row", () => {
  // appliedOn 2024-06-01 → the determination as at 2024-02-29: 2023-03〜2024-02 ÷ 12 (第4(1)).
  const group = (perMonth: number) => [{ name: "本店", designatedOn: "2020-04-01", prescriptions: Object.fromEntries(Object.keys(months("2023-03", "2024-02", {})).map((m) => [m, perMonth])) }];
  const above = one("pharmacy", { scope: "recipient_and_card", cost: 73_000 }, { months: usage(NONE), pharmacyGroup: group(40_001) });
  assert.deepEqual([above.eligible, above.amount, above.details?.row, above.details?.cap], [true, 36_000, "大型チェーン薬局", 36_000]);
  assert.ok(above.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.410 `)), "above.sources.some((s) => s.startsWith(`${documentName(\"support-measures-2024\")} l.410 `))");
  assert.ok(above.reasons.some((r) => r.includes("2024年2月末日時点") && r.includes("該当")), "above.reasons.some((r) => r.includes(\"2024年2月末日時点\") && r.includes(\"該当\"))");
  const below = one("pharmacy", { scope: "recipient_and_card", cost: 73_000 }, { months: usage(NONE), pharmacyGroup: group(39_999) });
  assert.deepEqual([below.eligible, below.amount, below.details?.cap], [true, 54_000, 54_000]);
  assert.notEqual(below.details?.row, "大型チェーン薬局");
  assert.ok(below.sources.some((s) => s.startsWith(`${documentName("support-measures-2024")} l.404 `)), "below.sources.some((s) => s.startsWith(`${documentName(\"support-measures-2024\")} l.404 `))");
  assert.equal(below.missing, undefined);
});

test("no project: one facility result saying what is missing", () => {
  const rs = results({ kind: "medical_clinic" }, "2024-08-01", ID);
  assert.equal(rs.length, 1);
  assert.equal(rs[0]!.project, undefined);
  assert.equal(rs[0]!.eligible, null);
  assert.ok(rs[0]!.missing?.includes("projects[].scope"), "rs[0]!.missing?.includes(\"projects[].scope\")");
});

// Seed 003 l.38: デジタル庁、厚生労働省①②③のいずれか一つのみ、一回限り.
const clinicProject = (appliedOn: string, extra: Partial<Project> = {}): Project => ({ program: ID, scope: "recipient_only", cost: 73_000, completedOn: "2024-05-01", appliedOn, ...extra });

test("one-time rule: of two デジタル庁 projects the first applied is received, the other is not (seed 003 l.38)", () => {
  const rs = results({ kind: "medical_clinic", projects: [clinicProject("2024-07-01"), clinicProject("2024-06-01")] }, "2024-08-01", ID);
  assert.deepEqual(rs.map((r) => [r.project, r.eligible, r.amount]), [[0, false, 0], [1, true, 54_000]]);
  assert.ok(rs[0]!.sources.some((s) => s.startsWith(`${documentName("pmh-leaflet-2024")} l.38 `)), "rs[0]!.sources.some((s) => s.startsWith(`${documentName(\"pmh-leaflet-2024\")} l.38 `))");
  assert.match(rs[0]!.reasons.at(-1)!, /projects\[1\]/);
});

test("one-time rule: an ineligible project does not use up the one subsidy", () => {
  const late = clinicProject("2025-01-16", { completedOn: "2024-12-01" });
  const rs = results({ kind: "medical_clinic", projects: [late, clinicProject("2024-07-01")] }, "2025-02-01", ID);
  assert.deepEqual(rs.map((r) => r.eligible), [false, true]);
});

test("one-time rule: while the first is undecided, the next one is undecided too", () => {
  const rs = results({ kind: "medical_clinic", projects: [clinicProject("2024-06-01", { scope: undefined }), clinicProject("2024-07-01")] }, "2024-08-01", ID);
  assert.deepEqual(rs.map((r) => r.eligible), [null, null]);
  assert.equal(rs[1]!.details?.amountIfEligible, 54_000);
});

test("one-time rule across programs: a 厚生労働省 project applied first excludes the デジタル庁 one (seed 003 l.38)", () => {
  const mhlw: Project = { program: "modification-mhlw-2024", agency: "mhlw-shoman", prefectureAccepted: true, scope: "recipient_only", cost: 50_000, completedOn: "2024-05-01", appliedOn: "2024-05-15" };
  const profile: FacilityProfile = { kind: "medical_clinic", projects: [clinicProject("2024-06-01"), mhlw] };
  const da = results(profile, "2024-08-01", ID);
  const other = results(profile, "2024-08-01", "modification-mhlw-2024");
  assert.deepEqual(da.map((r) => [r.project, r.eligible]), [[0, false]]);
  assert.deepEqual(other.map((r) => [r.project, r.eligible, r.amount]), [[1, true, 50_000]]);
});
