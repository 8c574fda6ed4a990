// modification-2025 (令和7年度 受給者証・診察券の一体化 補助金): every cell of seed 004's 診療所 (l.160-)
// and 病院 (l.293-) leaflets, 千円未満切捨て, the window 2025-06-06〜2026-01-15 (l.248), 令和6年度 改修
// (l.250), the one combined application (l.244, l.369) and seed 003 l.38's 「令和7年度以降の取扱は未定」.
// Cases cite `seed 004 l.192` = line 192 of ../shared/seeds/004_72f0a6c76ceebc81.txt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { documentName } from "../../src/subsidy/documents.ts";
import { loadPrograms } from "../../src/subsidy/program-data.ts";
import { calculate, type SubsidyResult } from "../../src/subsidy/engine.ts";
import type { FacilityProfile, Project } from "../../src/subsidy/profile.ts";

const programs = loadPrograms();
const ID = "modification-2025";

function all(profile: FacilityProfile, at = "2025-12-01"): SubsidyResult[] {
  const out = calculate(profile, at, programs, ID);
  for (const r of out.results) assert.ok(r.sources.length > 0, "every result cites a source");
  return out.results;
}
function one(kind: FacilityProfile["kind"], project: Partial<Project>, extra: Partial<FacilityProfile> = {}, at = "2025-12-01"): SubsidyResult {
  const rs = all({ kind, ...extra, projects: [{ program: ID, completedOn: "2025-07-01", appliedOn: "2025-08-01", ...project }] }, at);
  assert.equal(rs.length, 1);
  return rs[0]!;
}

// [case, kind, extra, scope, cost, eligible, amount, cited line]
type Row = [string, FacilityProfile["kind"], Partial<FacilityProfile>, Project["scope"], number, boolean | null, number | null, number];
const CELLS: Row[] = [
  // 診療所 ①②③: 5.4万円を上限 (事業費7.3万円を上限にその3/4), 千円未満切捨て (l.190)
  ["診療所 ①受給者証 7.3万円 × 3/4 = 54,750 → 5.4万円", "medical_clinic", {}, "recipient_only", 73_000, true, 54_000, 192],
  ["診療所 ①受給者証 50,001 × 3/4 = 37,500 → 千円未満切捨て 37,000", "medical_clinic", {}, "recipient_only", 50_001, true, 37_000, 190],
  ["診療所 ②両方", "medical_clinic", {}, "recipient_and_card", 73_000, true, 54_000, 223],
  ["診療所 ③診察券 (※2 no longer needed)", "medical_clinic", {}, "card_only", 73_000, true, 54_000, 238],
  ["歯科診療所 ③診察券", "dental_clinic", {}, "card_only", 100_000, true, 54_000, 238],
  // 病院 ①受給者証: 28.3万円 (56.6万 × 1/2)
  ["病院 ①受給者証 56.6万 × 1/2", "hospital", { receptionMachine: true }, "recipient_only", 566_000, true, 283_000, 325],
  ["病院 ①受給者証 100万円 → 事業費上限 56.6万", "hospital", { receptionMachine: false }, "recipient_only", 1_000_000, true, 283_000, 325],
  // 病院 ②両方: 再来受付機等の改修を含む 60.0万円 (120万 × 1/2) / 含まない 28.3万円
  ["病院 ②両方 再来受付機あり 120万 × 1/2", "hospital", { receptionMachine: true }, "recipient_and_card", 1_200_000, true, 600_000, 351],
  ["病院 ②両方 再来受付機あり 999,999 × 1/2 → 千円未満切捨て 499,000", "hospital", { receptionMachine: true }, "recipient_and_card", 999_999, true, 499_000, 351],
  ["病院 ②両方 再来受付機なし", "hospital", { receptionMachine: false }, "recipient_and_card", 1_200_000, true, 283_000, 352],
  // 病院 ③診察券
  ["病院 ③診察券 再来受付機あり", "hospital", { receptionMachine: true }, "card_only", 2_000_000, true, 600_000, 362],
  ["病院 ③診察券 再来受付機なし", "hospital", { receptionMachine: false }, "card_only", 566_000, true, 283_000, 363],
  // Pharmacies: the 2025 leaflets are for 診療所 and 病院 only
  ["薬局: not published", "pharmacy", { largeChainPharmacy: false }, "recipient_only", 73_000, null, null, 160],
  ["大型チェーン薬局: not published", "pharmacy", { largeChainPharmacy: true }, "recipient_and_card", 73_000, null, null, 160],
];
for (const [name, kind, extra, scope, cost, eligible, amount, line] of CELLS) {
  test(`cell: ${name} (seed 004 l.${line})`, () => {
    const r = one(kind, { scope, cost }, extra);
    assert.equal(r.eligible, eligible, r.reasons.join("\n"));
    assert.equal(r.amount, amount);
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("pmh-leaflet-2025")} l.${line} `)), r.sources.join("\n"));
  });
}

test("pharmacy: the reason says the amount is not published", () => {
  assert.match(one("pharmacy", { scope: "recipient_only", cost: 73_000 }, { largeChainPharmacy: false }).reasons.join("\n"), /公表されていない/);
});

// [case, dates, at, eligible, cited line]
const WINDOW: [string, Partial<Project>, string, boolean | null, number][] = [
  ["applied on the first day 2025-06-06", { appliedOn: "2025-06-06" }, "2025-12-01", true, 248],
  ["applied the day before, 2025-06-05", { appliedOn: "2025-06-05" }, "2025-12-01", false, 248],
  ["applied on the last day 2026-01-15", { appliedOn: "2026-01-15" }, "2026-02-01", true, 248],
  ["applied the day after, 2026-01-16", { appliedOn: "2026-01-16" }, "2026-02-01", false, 248],
  ["not applied, asked on 2026-01-15", { appliedOn: undefined }, "2026-01-15", true, 248],
  ["not applied, asked on 2026-01-16", { appliedOn: undefined }, "2026-01-16", false, 248],
  ["改修 on 2024-04-01 (令和6年度 is covered)", { completedOn: "2024-04-01" }, "2025-12-01", true, 250],
  ["改修 on 2024-03-31: not stated", { completedOn: "2024-03-31" }, "2025-12-01", null, 250],
  ["applied before the 改修 was complete", { completedOn: "2025-08-02" }, "2025-12-01", false, 259],
];
for (const [name, dates, at, eligible, line] of WINDOW) {
  test(`window: ${name} (seed 004 l.${line})`, () => {
    const r = one("medical_clinic", { scope: "recipient_only", cost: 73_000, completedOn: "2025-06-01", ...dates }, {}, at);
    assert.equal(r.eligible, eligible, r.reasons.join("\n"));
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("pmh-leaflet-2025")} l.${line} `)), r.sources.join("\n"));
  });
}

test("one combined application: a clinic's 受給者証 and 診察券 projects are joined into ② (5.4万円 once) (seed 004 l.244)", () => {
  const p = (scope: Project["scope"], cost: number, completedOn: string): Project => ({ program: ID, scope, cost, completedOn, appliedOn: "2025-09-01" });
  const rs = all({ kind: "medical_clinic", projects: [p("recipient_only", 40_000, "2025-05-01"), p("card_only", 40_000, "2025-08-01")] });
  assert.deepEqual(rs.map((r) => [r.project, r.eligible, r.amount]), [[0, true, 54_000], [1, true, 0]]);
  assert.equal(rs[0]!.details?.scope, "recipient_and_card");
  assert.deepEqual(rs[0]!.details?.combinedProjects, [0, 1]);
  assert.equal(rs[1]!.details?.combinedInto, 0);
  assert.ok(rs[0]!.sources.some((s) => s.startsWith(`${documentName("pmh-leaflet-2025")} l.244 `)), "rs[0]!.sources.some((s) => s.startsWith(`${documentName(\"pmh-leaflet-2025\")} l.244 `))");
});

test("one combined application: a hospital's parts with the 再来受付機 give 60.0万円 in all (seed 004 l.369)", () => {
  const p = (scope: Project["scope"], cost: number): Project => ({ program: ID, scope, cost, completedOn: "2025-07-01", appliedOn: "2025-09-01" });
  const rs = all({ kind: "hospital", receptionMachine: true, projects: [p("recipient_only", 400_000), p("card_only", 800_000)] });
  assert.deepEqual(rs.map((r) => r.amount), [600_000, 0]);
});

test("a 2024 modification subsidy in the profile leaves 2025 undecided: 令和7年度以降の取扱は未定 (seed 003 l.38)", () => {
  const y2024: Project = { program: "modification-da-2024", scope: "recipient_only", cost: 73_000, completedOn: "2024-05-01", appliedOn: "2024-06-01" };
  const y2025: Project = { program: ID, scope: "card_only", cost: 73_000, completedOn: "2025-07-01", appliedOn: "2025-08-01" };
  const [r] = all({ kind: "medical_clinic", projects: [y2024, y2025] });
  assert.equal(r!.eligible, null);
  assert.equal(r!.details?.amountIfEligible, 54_000);
  assert.ok(r!.sources.some((s) => s.startsWith(`${documentName("pmh-leaflet-2024")} l.38 `)), "r!.sources.some((s) => s.startsWith(`${documentName(\"pmh-leaflet-2024\")} l.38 `))");
  // A 2024 project that was never eligible (applied after its deadline) does not.
  const [late] = all({ kind: "medical_clinic", projects: [{ ...y2024, appliedOn: "2025-01-16" }, y2025] });
  assert.equal(late!.eligible, true);
  assert.equal(late!.amount, 54_000);
});

test("no project: one facility result naming what is missing", () => {
  const rs = all({ kind: "hospital" });
  assert.equal(rs.length, 1);
  assert.equal(rs[0]!.eligible, null);
  assert.deepEqual(rs[0]!.missing, ["projects[].scope"]);
});
