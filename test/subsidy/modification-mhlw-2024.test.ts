// modification-mhlw-2024 (厚生労働省 ①難病 ②小児慢性 ③自立支援医療, via the prefectures): seed 003's
// 支援の対象 rows (l.75-76), the 補助額 cells 30万円 / 100万円 ※3 (l.97-100, read as 診療所・薬局 /
// 病院), 10/10 (l.59), no 診察券 (l.165), the 内示 condition (l.163), the FY2024 completion (l.167).
// Cases cite `seed 003 l.97` = line 97 of ../shared/seeds/003_adf505141d0aa237.txt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { documentName } from "../../src/subsidy/documents.ts";
import { loadPrograms } from "../../src/subsidy/program-data.ts";
import { calculate, type SubsidyResult } from "../../src/subsidy/engine.ts";
import type { FacilityProfile, Project } from "../../src/subsidy/profile.ts";

const programs = loadPrograms();
const ID = "modification-mhlw-2024";

function one(kind: FacilityProfile["kind"], project: Partial<Project>, extra: Partial<FacilityProfile> = {}, at = "2024-12-01"): SubsidyResult {
  const profile: FacilityProfile = {
    kind,
    ...extra,
    projects: [{ program: ID, agency: "mhlw-nanbyo", prefectureAccepted: true, scope: "recipient_only", completedOn: "2024-11-01", ...project }],
  };
  const out = calculate(profile, at, programs, ID);
  assert.equal(out.results.length, 1);
  const r = out.results[0]!;
  assert.ok(r.sources.length > 0, "every result cites a source");
  return r;
}

// [case, kind, extra, cost, eligible, amount, amountAtLeast, amountAtMost, cited line]
type Row = [string, FacilityProfile["kind"], Partial<FacilityProfile>, number, boolean, number | null, number | undefined, number | undefined, number];
const CELLS: Row[] = [
  // 10/10 up to the デジタル庁 cap (※3 l.100: the cap never falls below it): the amount is certain
  ["診療所 費用 5万円 → 10/10", "medical_clinic", {}, 50_000, true, 50_000, undefined, undefined, 97],
  ["診療所 費用 5.4万円 = デジタル庁の上限ちょうど", "medical_clinic", {}, 54_000, true, 54_000, undefined, undefined, 97],
  ["診療所 費用 54,001円: 上限の按分次第", "medical_clinic", {}, 54_001, true, null, 54_000, 54_001, 100],
  ["診療所 費用 40万円: 30万円※3 が上限", "medical_clinic", {}, 400_000, true, null, 54_000, 300_000, 97],
  ["歯科診療所 費用 40万円", "dental_clinic", {}, 400_000, true, null, 54_000, 300_000, 97],
  ["薬局 費用 40万円", "pharmacy", { largeChainPharmacy: false }, 400_000, true, null, 54_000, 300_000, 97],
  ["大型チェーン薬局 費用 4万円: デジタル庁の上限 3.6万円 を超える", "pharmacy", { largeChainPharmacy: true }, 40_000, true, null, 36_000, 40_000, 100],
  ["大型チェーン薬局 費用 3.6万円", "pharmacy", { largeChainPharmacy: true }, 36_000, true, 36_000, undefined, undefined, 97],
  ["病院 費用 28.3万円 = デジタル庁 ② の上限", "hospital", {}, 283_000, true, 283_000, undefined, undefined, 98],
  ["病院 費用 150万円: 100万円※3 が上限", "hospital", { receptionMachine: true }, 1_500_000, true, null, 283_000, 1_000_000, 98],
];
for (const [name, kind, extra, cost, eligible, amount, least, most, line] of CELLS) {
  test(`cell: ${name} (seed 003 l.${line})`, () => {
    const r = one(kind, { cost }, extra);
    assert.equal(r.eligible, eligible, r.reasons.join("\n"));
    assert.equal(r.amount, amount);
    assert.equal(r.details?.amountAtLeast, least);
    assert.equal(r.details?.amountAtMost, most);
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("pmh-leaflet-2024")} l.${line} `)), r.sources.join("\n"));
  });
}

// [case, project, eligible, missing, cited line]
const RULES: [string, Partial<Project>, boolean | null, string[] | undefined, number][] = [
  ["両方対応 is — for 厚生労働省", { scope: "recipient_and_card", cost: 50_000 }, false, undefined, 75],
  ["診察券のみ is not covered", { scope: "card_only", cost: 50_000 }, false, undefined, 165],
  ["not accepted by the prefecture (or begun before the 内示)", { prefectureAccepted: false, cost: 50_000 }, false, undefined, 163],
  ["prefecture acceptance unknown", { prefectureAccepted: undefined, cost: 50_000 }, null, ["projects[0].prefectureAccepted"], 163],
  ["completed on 2025-03-31, the last day of 令和6年度", { completedOn: "2025-03-31", cost: 50_000 }, true, undefined, 167],
  ["completed on 2025-04-01", { completedOn: "2025-04-01", cost: 50_000 }, false, undefined, 167],
];
for (const [name, project, eligible, missing, line] of RULES) {
  test(`rule: ${name} (seed 003 l.${line})`, () => {
    const r = one("medical_clinic", project, {}, "2025-05-01");
    assert.equal(r.eligible, eligible, r.reasons.join("\n"));
    assert.deepEqual(r.missing, missing);
    assert.ok(r.sources.some((s) => s.startsWith(`${documentName("pmh-leaflet-2024")} l.${line} `)), r.sources.join("\n"));
  });
}

test("agency: each of ①②③ is accepted; missing, digital or unknown are not (seed 003 l.53-55)", () => {
  for (const agency of ["mhlw-nanbyo", "mhlw-shoman", "mhlw-jiritsu"]) assert.equal(one("medical_clinic", { agency, cost: 50_000 }).amount, 50_000, agency);
  const none = one("medical_clinic", { agency: undefined, cost: 50_000 });
  assert.equal(none.eligible, null);
  assert.deepEqual(none.missing, ["projects[0].agency"]);
  const digital = one("medical_clinic", { agency: "digital", cost: 50_000 });
  assert.equal(digital.eligible, false);
  assert.match(digital.reasons.join("\n"), /modification-da-2024/);
  assert.equal(one("medical_clinic", { agency: "nanbyo", cost: 50_000 }).eligible, false);
});

test("one-time rule: two 厚生労働省 projects (①難病 and ②小児慢性): only the first applied (seed 003 l.38)", () => {
  const base: Project = { program: ID, prefectureAccepted: true, scope: "recipient_only", cost: 50_000, completedOn: "2024-11-01" };
  const out = calculate(
    { kind: "medical_clinic", projects: [{ ...base, agency: "mhlw-shoman", appliedOn: "2024-11-20" }, { ...base, agency: "mhlw-nanbyo", appliedOn: "2024-11-10" }] },
    "2024-12-01",
    programs,
    ID,
  );
  assert.deepEqual(out.results.map((r) => [r.project, r.eligible, r.amount]), [[0, false, 0], [1, true, 50_000]]);
  assert.ok(out.results[0]!.sources.some((s) => s.startsWith(`${documentName("pmh-leaflet-2024")} l.38 `)), "out.results[0]!.sources.some((s) => s.startsWith(`${documentName(\"pmh-leaflet-2024\")} l.38 `))");
});
