// seed 002 第4 (l.1191–1213): the 大型チェーン薬局 determination from the group's prescriptions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { documentName } from "../../src/subsidy/documents.ts";
import { determinationYear, largeChainByPrescriptions, type GroupPharmacy } from "../../src/subsidy/programs/fund-2020-large-chain.ts";
import { calculate } from "../../src/subsidy/engine.ts";
import { loadPrograms } from "../../src/subsidy/program-data.ts";
import { ProfileError, validateProfile, type FacilityProfile } from "../../src/subsidy/profile.ts";

/** Every month from..to (YYYY-MM) at `n` receptions. */
function months(from: string, to: string, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  let [y, m] = from.split("-").map(Number) as [number, number];
  const [ty, tm] = to.split("-").map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out[`${y}-${String(m).padStart(2, "0")}`] = n;
    if (++m === 13) { m = 1; y++; }
  }
  return out;
}
const year = 2024; // 当年: judged at 2024-02-29 (a leap year)
const full = (n: number, designatedOn = "2015-04-01"): GroupPharmacy => ({ designatedOn, prescriptions: months("2023-03", "2024-02", n) });

test("(1) continuing since 前年2月末日: 前年3月〜当年2月 ÷ 12 (seed 002 l.1205)", () => {
  const r = largeChainByPrescriptions(year, [full(30_000), full(10_001)]);
  assert.equal(r.largeChain, true);
  assert.deepEqual(r.pharmacies.map((p) => [p.rule, p.months, p.receptions]), [["(1)", 12, 360_000], ["(1)", 12, 120_012]]);
  // designated on 前年2月末日 itself (2023-02-28) still counts as (1)
  assert.equal(largeChainByPrescriptions(year, [full(100, "2023-02-28")]).pharmacies[0]!.rule, "(1)");
});

test("(2) newly designated 前年3月1日〜当年1月末日: from the month after ÷ months (seed 002 l.1209)", () => {
  const p: GroupPharmacy = { designatedOn: "2023-03-01", prescriptions: months("2023-04", "2024-02", 1_100) };
  const r = largeChainByPrescriptions(year, [p]);
  assert.deepEqual([r.pharmacies[0]!.rule, r.pharmacies[0]!.months, r.pharmacies[0]!.perMonth], ["(2)", 11, 1_100]);
  const jan: GroupPharmacy = { designatedOn: "2024-01-31", prescriptions: { "2024-02": 500 } };
  assert.deepEqual([largeChainByPrescriptions(year, [jan]).pharmacies[0]!.rule, largeChainByPrescriptions(year, [jan]).pharmacies[0]!.months], ["(2)", 1]);
  const dec: GroupPharmacy = { designatedOn: "2023-12-15", prescriptions: months("2024-01", "2024-02", 10) };
  assert.equal(largeChainByPrescriptions(year, [dec]).pharmacies[0]!.months, 2);
});

test("designated in 当年2月: neither (1) nor (2) — unknown, unless the others already exceed", () => {
  const feb: GroupPharmacy = { designatedOn: "2024-02-01", prescriptions: {} };
  assert.equal(largeChainByPrescriptions(year, [full(1_000), feb]).largeChain, null);
  assert.equal(largeChainByPrescriptions(year, [full(40_001), feb]).largeChain, true);
});

test("a missing month is unknown, never zero", () => {
  const p = full(1_000);
  delete p.prescriptions["2023-07"];
  const r = largeChainByPrescriptions(year, [p]);
  assert.equal(r.largeChain, null);
  assert.match(r.pharmacies[0]!.reason, /2023-07/);
});

test("the 40,000 boundary: below false, above true, exactly 40,000 null (以上 l.1169 vs 超える l.1201)", () => {
  assert.equal(largeChainByPrescriptions(year, [full(20_000), full(19_999)]).largeChain, false);
  assert.equal(largeChainByPrescriptions(year, [full(20_000), full(20_000)]).largeChain, null);
  const exact = largeChainByPrescriptions(year, [full(20_000), full(20_000)]);
  assert.match(exact.reasons.at(-1)!, /以上.*超える/);
  // exact fractions: 480,001 / 12 = 40,000.08… > 40,000
  const odd: GroupPharmacy = { designatedOn: "2015-04-01", prescriptions: { ...months("2023-03", "2024-01", 40_000), "2024-02": 40_001 } };
  assert.equal(largeChainByPrescriptions(year, [odd]).largeChain, true);
  // 11 months of (2) at 36,364 each = 36,364/月 plus 3,636/月 = 40,000 exactly
  const n2: GroupPharmacy = { designatedOn: "2023-03-15", prescriptions: months("2023-04", "2024-02", 36_364) };
  assert.equal(largeChainByPrescriptions(year, [n2, full(3_636)]).largeChain, null);
  assert.ok(largeChainByPrescriptions(year, [n2, full(3_636)]).sources.some((s) => s.startsWith(`${documentName("online-shikaku-2020")} l.1209`)), "largeChainByPrescriptions(year, [n2, full(3_636)]).sources.some((s) => s.startsWith(`${documentName(\"online…");
});

// The profile's pharmacyGroup: fund-2020 takes 別表2 or 別表3 from the 第4 determination in force when
// the reader was applied for (reading: 当年 of the 2月末日 determination holds from April to March).
const groupOf = (perMonth: number): GroupPharmacy[] => [
  { name: "本店", designatedOn: "2010-04-01", prescriptions: months("2020-03", "2021-02", perMonth / 2) },
  { name: "駅前店", designatedOn: "2012-04-01", prescriptions: months("2020-03", "2021-02", perMonth / 2) },
];
const fund = (profile: FacilityProfile) =>
  calculate(profile, "2021-12-01", loadPrograms(), "fund-2020").results[0]!;
const pharmacy = (group: GroupPharmacy[], readerAppliedOn = "2021-06-01"): FacilityProfile => ({
  kind: "pharmacy",
  pharmacyGroup: group,
  projects: [{ program: "fund-2020", cost: 429_000, readerAppliedOn, completedOn: "2021-09-01", appliedOn: "2021-10-01" }],
});

test("pharmacyGroup: above 40,000 a month → 別表2 (21.4万円), below → 別表3 (32.1万円), with the 第4 reasons", () => {
  const chain = fund(pharmacy(groupOf(40_002)));
  assert.equal(chain.details?.table, "別表2"); // seed 002 l.1501
  assert.equal(chain.amount, 214_000);
  assert.ok(chain.reasons.some((r) => r.includes("2021年2月末日時点")), chain.reasons.join("\n"));
  assert.ok(chain.sources.some((s) => s.includes("l.1199")), "chain.sources.some((s) => s.includes(\"l.1199\"))");
  const single = fund(pharmacy(groupOf(39_998)));
  assert.equal(single.details?.table, "別表3"); // seed 002 l.1515
  assert.equal(single.amount, 321_000);
});

test("pharmacyGroup: a reader applied for in January–March is judged by the previous February's determination", () => {
  // Applied 2021-03-31 → the 2020-02 determination, for which the 2019-03〜2020-02 months are missing.
  const r = fund(pharmacy(groupOf(40_002), "2021-03-31"));
  assert.equal(r.eligible, null);
  assert.ok(r.reasons.some((x) => x.includes("2020年2月末日時点")), r.reasons.join("\n"));
  assert.equal(determinationYear("2021-03-31"), 2020);
  assert.equal(determinationYear("2021-04-01"), 2021);
});

test("pharmacyGroup is refused with largeChainPharmacy, for a non-pharmacy, and with a bad month (E9102)", () => {
  const refused = (input: unknown, field: string) =>
    assert.throws(() => validateProfile(input), (e: unknown) => e instanceof ProfileError && e.field === field);
  const group = groupOf(1_000);
  refused({ kind: "pharmacy", largeChainPharmacy: true, pharmacyGroup: group }, "pharmacyGroup");
  refused({ kind: "medical_clinic", pharmacyGroup: group }, "pharmacyGroup");
  refused({ kind: "pharmacy", pharmacyGroup: [] }, "pharmacyGroup");
  refused({ kind: "pharmacy", pharmacyGroup: [{ designatedOn: "2010-04-01", prescriptions: { "2020-13": 1 } }] }, "pharmacyGroup[0].prescriptions.2020-13");
  refused({ kind: "pharmacy", pharmacyGroup: [{ designatedOn: "2010-04-31", prescriptions: {} }] }, "pharmacyGroup[0].designatedOn");
  refused({ kind: "pharmacy", pharmacyGroup: [{ designatedOn: "2010-04-01", prescriptions: {}, extra: 1 }] }, "pharmacyGroup[0].extra");
  assert.equal(validateProfile({ kind: "pharmacy", pharmacyGroup: group }).pharmacyGroup?.length, 2);
});
