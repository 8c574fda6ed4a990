// dx-addition (医療DX推進体制整備加算・医療情報取得加算): every cell of spec §3.1 (points), §3.2
// (利用率 thresholds) and §3.4 (医療情報取得加算), the month rules of §3.3 and the rate bases of §4.1.
// No government document of the five covers this program: cases cite the address each value
// comes from (press and consultants quoting 中医協 and 疑義解釈).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPrograms, readProgramFile } from "../../src/subsidy/program-data.ts";
import { dxAdditionProgram } from "../../src/subsidy/programs/dx-addition.ts";
import { parseParameters } from "../../src/subsidy/parameters.ts";
import { calculate, type SubsidyResult } from "../../src/subsidy/engine.ts";
import { validateProfile, ProfileError, type FacilityProfile, type MonthFacts } from "../../src/subsidy/profile.ts";
import { addMonths } from "../../src/subsidy/usage-rate.ts";

const programs = loadPrograms();

function run(profile: FacilityProfile, at: string): SubsidyResult {
  const out = calculate(profile, at, programs, "dx-addition");
  assert.equal(out.results.length, 1);
  const r = out.results[0]!;
  assert.ok(r.sources.length > 0, "every result cites a source");
  return r;
}

/**
 * Months N−5 … N−2 of 算定月 `at` at one rate: `perMille` persons per 1,000 receipts (both receipt
 * fields) and `onlinePerMille` uses per 1,000 online checks (0 unless given).
 */
function flat(at: string, perMille: number, onlinePerMille = 0): Record<string, MonthFacts> {
  const months: Record<string, MonthFacts> = {};
  for (let back = 2; back <= 5; back++) {
    months[addMonths(at.slice(0, 7), -back)] = { cardPersons: perMille, receipts: 1000, outpatientReceipts: 1000, cardUses: onlinePerMille, onlineChecks: 1000 };
  }
  return months;
}

const KINDS = { medical: "medical_clinic", dental: "dental_clinic", pharmacy: "pharmacy" } as const;
type Cls = keyof typeof KINDS;

function tierOf(cls: Cls, at: string, perMille: number, extra: Partial<FacilityProfile> = {}): SubsidyResult {
  // Facts default to the 加算1〜3 side; a case overrides one to test it.
  return run({ kind: KINDS[cls], months: flat(at, perMille), portalHealthConsultation: true, ePrescription: true, pediatricSpecialCase: false, ...extra }, at);
}

// ---- §3.1 points (spec §3.1; 1点 = 10円) ----

// [case, class, 算定日, rate ‰ reaching the tier, tier, points]
const POINTS: [string, Cls, string, number, number, number][] = [
  // spec §3.1 2024-06〜09 single 加算 [V] wic-net.com/material/document/16645/8: 医科8・歯科6・調剤4 (no rate needed: 0 ‰)
  ["2024-06〜09 医科", "medical", "2024-07-01", 0, 0, 8],
  ["2024-06〜09 歯科", "dental", "2024-09-30", 0, 0, 6],
  ["2024-06〜09 調剤", "pharmacy", "2024-06-01", 0, 0, 4],
  // spec §3.1 2024-10〜2025-03 [V] media.shaho.co.jp/n/n287305f78cab (算定 2025-02: thresholds 30/20/10, §3.2)
  ["2024-10〜 加算1 医科", "medical", "2025-02-01", 300, 1, 11],
  ["2024-10〜 加算2 医科", "medical", "2025-02-01", 200, 2, 10],
  ["2024-10〜 加算3 医科", "medical", "2025-02-01", 100, 3, 8],
  ["2024-10〜 加算1 歯科", "dental", "2025-03-31", 300, 1, 9],
  ["2024-10〜 加算2 歯科", "dental", "2025-03-31", 200, 2, 8],
  ["2024-10〜 加算3 歯科", "dental", "2025-03-31", 100, 3, 6],
  ["2024-10〜 加算1 調剤", "pharmacy", "2025-02-01", 300, 1, 7],
  ["2024-10〜 加算2 調剤", "pharmacy", "2025-02-01", 200, 2, 6],
  ["2024-10〜 加算3 調剤", "pharmacy", "2025-02-01", 100, 3, 4],
  // spec §3.1 2025-04〜 電子処方箋あり [V] wic-net.com/material/document/18499/1 (算定 2025-05: 45/30/15, §3.2)
  ["2025-04〜 加算1 医科", "medical", "2025-05-01", 450, 1, 12],
  ["2025-04〜 加算2 医科", "medical", "2025-05-01", 300, 2, 11],
  ["2025-04〜 加算3 医科", "medical", "2025-05-01", 150, 3, 10],
  ["2025-04〜 加算1 歯科", "dental", "2025-05-01", 450, 1, 11],
  ["2025-04〜 加算2 歯科", "dental", "2025-05-01", 300, 2, 10],
  ["2025-04〜 加算3 歯科", "dental", "2025-05-01", 150, 3, 8],
  ["2025-04〜 加算1 調剤", "pharmacy", "2025-05-01", 450, 1, 10],
];

for (const [name, cls, at, perMille, tier, points] of POINTS) {
  test(`§3.1 points: ${name} = ${points}点`, () => {
    const r = tierOf(cls, at, perMille);
    assert.equal(r.eligible, true, r.reasons.join("\n"));
    assert.equal(r.details?.tier, tier);
    assert.equal(r.details?.points, points);
    assert.equal(r.amount, points * 10);
    assert.ok(r.sources.some((s) => s.includes("1点 = 10円")), "the yen of a point is cited");
  });
}

test("§3.1 調剤 加算2・3 from 2025-04 (10/8/6点の 8・6): reachable only through thresholds that are [I] → eligible null, 公表されていない", () => {
  // spec §3.2: 調剤 2025-04 加算2 30% and 加算3 15% are [I]; 加算1 45% [V-2] is not reached at 30 %.
  const r = tierOf("pharmacy", "2025-05-01", 300);
  assert.equal(r.eligible, null);
  assert.equal(r.amount, null);
  assert.ok(r.reasons.some((x) => x.includes("加算2 の利用率の基準は公表されていない")), "r.reasons.some((x) => x.includes(\"加算2 の利用率の基準は公表されていない\"))");
});

// spec §3.1 2025-04〜 加算4〜6 (no 電子処方箋 system): 医科 10/9/8 is [I], 歯科 [MISSING] → tier given, amount null
for (const cls of ["medical", "dental"] as const) {
  for (const [perMille, tier] of [[450, 4], [300, 5], [150, 6]] as const) {
    test(`§3.1 加算${tier} ${cls}: eligible, points 公表されていない`, () => {
      const r = tierOf(cls, "2025-05-01", perMille, { ePrescription: false });
      assert.equal(r.eligible, true, r.reasons.join("\n"));
      assert.equal(r.details?.tier, tier);
      assert.equal(r.details?.points, null);
      assert.equal(r.amount, null);
      assert.ok(r.reasons.some((x) => x.includes("点数は公表されていない")), "r.reasons.some((x) => x.includes(\"点数は公表されていない\"))");
    });
  }
}

test("§3.1 調剤 has only 加算1〜3: a pharmacy without a 電子処方箋 system from 2025-04 gets no tier (yakuzaishi.love/entry/healthcaredx)", () => {
  const r = tierOf("pharmacy", "2025-05-01", 900, { ePrescription: false });
  assert.equal(r.eligible, false);
  assert.equal(r.amount, 0);
  // Before 2025-04 the 電子処方箋 system does not split the tiers.
  assert.equal(tierOf("pharmacy", "2025-03-01", 900, { ePrescription: false }).details?.tier, 1);
});

test("§3.1 電子処方箋 unknown from 2025-04: 医科 is 加算1 or 4 (eligible, amount null); 調剤 cannot tell", () => {
  const m = tierOf("medical", "2025-05-01", 450, { ePrescription: undefined });
  assert.equal(m.eligible, true);
  assert.equal(m.amount, null);
  assert.deepEqual(m.details?.tierCandidates, [1, 4]);
  assert.deepEqual(m.missing, ["ePrescription"]);
  const p = tierOf("pharmacy", "2025-05-01", 450, { ePrescription: undefined });
  assert.equal(p.eligible, null);
  assert.equal(p.details?.tierIfEPrescription, 1);
  assert.deepEqual(p.missing, ["ePrescription"]);
});

test("§3.1 加算1・2 need the マイナポータル 相談体制 (media.shaho.co.jp/n/n287305f78cab): without it 加算3; unknown → at least 加算3", () => {
  const no = tierOf("medical", "2025-02-01", 900, { portalHealthConsultation: false });
  assert.equal(no.details?.tier, 3);
  assert.equal(no.amount, 80);
  const open = tierOf("medical", "2025-02-01", 900, { portalHealthConsultation: undefined });
  assert.equal(open.eligible, true);
  assert.equal(open.amount, null);
  assert.equal(open.details?.tier, null);
  assert.deepEqual(open.details?.tierAtLeast, [3]);
  assert.deepEqual(open.missing, ["portalHealthConsultation"]);
  // Reading: 加算4・5 need it as 1・2 do.
  assert.equal(tierOf("medical", "2025-05-01", 900, { portalHealthConsultation: false, ePrescription: false }).details?.tier, 6);
});

// ---- §3.2 thresholds (inclusive 以上): exactly the threshold reaches the tier, 0.1 pt below does not ----

// [case, class, 算定日, group 1 / 2 / 3 thresholds in %] — spec §3.2 [V] hattaganka.com/board, yb-satellite.co.jp/mn107.html,
// jmedj id=24935 and iryoken id-3057 (2024-10 and 2025-01 columns, 調剤 too)
const THRESHOLDS: [string, Cls, string, [number, number, number]][] = [
  ["算定 2024-10〜12 医科", "medical", "2024-12-31", [15, 10, 5]],
  ["算定 2024-10〜12 歯科", "dental", "2024-10-01", [15, 10, 5]],
  ["算定 2024-10〜12 調剤", "pharmacy", "2024-11-15", [15, 10, 5]],
  ["算定 2025-01〜03 医科", "medical", "2025-01-01", [30, 20, 10]],
  ["算定 2025-01〜03 歯科", "dental", "2025-03-31", [30, 20, 10]],
  ["算定 2025-01〜03 調剤", "pharmacy", "2025-02-15", [30, 20, 10]],
  ["算定 2025-04〜09 医科", "medical", "2025-09-30", [45, 30, 15]],
  ["算定 2025-04〜09 歯科", "dental", "2025-04-01", [45, 30, 15]],
  ["算定 2025-10〜2026-02 医科", "medical", "2025-10-01", [60, 40, 25]],
  ["算定 2025-10〜2026-02 歯科", "dental", "2026-02-28", [60, 40, 25]],
  ["算定 2026-03〜05 医科", "medical", "2026-03-01", [70, 50, 30]],
  ["算定 2026-03〜05 歯科", "dental", "2026-05-31", [70, 50, 30]],
];

for (const [name, cls, at, thresholds] of THRESHOLDS) {
  thresholds.forEach((percent, i) => {
    const tier = i + 1;
    test(`§3.2 ${name}: 加算${tier} at exactly ${percent}%`, () => {
      const r = tierOf(cls, at, percent * 10);
      assert.equal(r.eligible, true, r.reasons.join("\n"));
      assert.equal(r.details?.tier, tier);
      assert.ok(r.sources.some((s) => new RegExp(`(^|[^\\d.])${percent}%`).test(s)), `the ${percent}% threshold is cited`);
    });
    test(`§3.2 ${name}: ${percent - 0.1}% is not 加算${tier}`, () => {
      const r = tierOf(cls, at, percent * 10 - 1);
      if (tier === 3) {
        assert.equal(r.eligible, false, r.reasons.join("\n"));
        assert.equal(r.amount, 0);
      } else {
        assert.equal(r.details?.tier, tier + 1);
      }
    });
  });
}

test("§3.2 exactly 15 % as 3 / 20 reaches 加算1 in 算定 2024-10〜12; 2,999 / 20,000 (14.995 %) does not", () => {
  // 算定 2024-12 (transitional): receipt-based 2024-07〜09 and online-based 2024-08〜10, online at 0 %.
  const months = (persons: number, receipts: number) => Object.fromEntries(["2024-07", "2024-08", "2024-09", "2024-10"].map((m) => [m, { cardPersons: persons, outpatientReceipts: receipts, receipts, cardUses: 0, onlineChecks: 1 }]));
  const exact = run({ kind: "medical_clinic", portalHealthConsultation: true, months: months(3, 20) }, "2024-12-01");
  assert.equal(exact.details?.tier, 1);
  const below = run({ kind: "medical_clinic", portalHealthConsultation: true, months: months(2_999, 20_000) }, "2024-12-01");
  assert.equal(below.details?.tier, 2);
});

test("§3.2 調剤 2025-04〜09: 加算1 45% [V-2] is used; 2025-10〜 thresholds are [I] → 公表されていない", () => {
  assert.equal(tierOf("pharmacy", "2025-06-01", 450).details?.tier, 1);
  for (const at of ["2025-10-01", "2026-03-01"]) {
    const r = tierOf("pharmacy", at, 1000);
    assert.equal(r.eligible, null, at);
    assert.ok(r.reasons.some((x) => x.includes("加算1 の利用率の基準は公表されていない")), at);
  }
});

test("§3.2 2024-06〜09: no 利用率 requirement (topics.smt.docomo.ne.jp jmedj 2024-02-22): no months needed", () => {
  const r = run({ kind: "medical_clinic" }, "2024-09-30");
  assert.equal(r.eligible, true);
  assert.equal(r.amount, 80);
  assert.equal(r.missing, undefined);
});

// spec §3.2 小児科特例 [V] (kyotoihou.t-reader.jp 2025-mar-1, hattaganka.com/board): 加算3・6 only, 12 / 22 / 27 %
const PEDIATRIC: [string, string, number, number][] = [
  ["算定 2025-04〜09", "2025-04-01", 12, 15],
  ["算定 2025-10〜2026-02", "2025-12-01", 22, 25],
  ["算定 2026-03〜05", "2026-05-31", 27, 30],
];
for (const [name, at, special, usual] of PEDIATRIC) {
  test(`§3.2 小児科特例 ${name}: 加算3 at exactly ${special}% with the 特例, not without, open when not stated`, () => {
    const yes = tierOf("medical", at, special * 10, { pediatricSpecialCase: true });
    assert.equal(yes.details?.tier, 3);
    assert.equal(yes.amount, 100);
    assert.ok(yes.sources.some((s) => s.includes("小児科特例")), "yes.sources.some((s) => s.includes(\"小児科特例\"))");
    assert.equal(tierOf("medical", at, special * 10 - 1, { pediatricSpecialCase: true }).eligible, false);
    assert.equal(tierOf("medical", at, special * 10, { pediatricSpecialCase: false }).eligible, false);
    const open = tierOf("medical", at, special * 10, { pediatricSpecialCase: undefined });
    assert.equal(open.eligible, null);
    assert.deepEqual(open.missing, ["pediatricSpecialCase"]);
    // At the usual threshold the 特例 does not matter.
    assert.equal(tierOf("medical", at, usual * 10).details?.tier, 3);
    // Without a 電子処方箋 system the 特例 gives 加算6.
    assert.equal(tierOf("medical", at, special * 10, { pediatricSpecialCase: true, ePrescription: false }).details?.tier, 6);
  });
}

test("§3.2 小児科特例 only for 加算3・6: 1 pt below 加算2's threshold stays 加算3 with the 特例", () => {
  assert.equal(tierOf("medical", "2025-05-01", 299, { pediatricSpecialCase: true }).details?.tier, 3);
  assert.equal(tierOf("medical", "2025-05-01", 449, { pediatricSpecialCase: true }).details?.tier, 2);
});

test("§3.2 小児科特例 only in its three periods, and only for 医科 (reading: 小児科外来診療料 is a 医科 item)", () => {
  assert.equal(tierOf("medical", "2025-03-01", 99, { pediatricSpecialCase: true }).eligible, false); // 算定 2025-01〜03: 10 %
  assert.equal(tierOf("dental", "2025-05-01", 120, { pediatricSpecialCase: true }).eligible, false);
  assert.equal(tierOf("medical", "2025-05-01", 120, { pediatricSpecialCase: true }).details?.tier, 3);
  const pharmacy = tierOf("pharmacy", "2025-05-01", 120, { pediatricSpecialCase: true });
  assert.ok(pharmacy.reasons.some((x) => x.includes("小児科特例") && x.includes("調剤には適用しません")), "pharmacy.reasons.some((x) => x.includes(\"小児科特例\") && x.includes(\"調剤には適用しません\"))");
});

// ---- §3.3 which months ----

const R = (persons: number, outpatient = 1000, receipts = outpatient): MonthFacts => ({ cardPersons: persons, outpatientReceipts: outpatient, receipts });

test("§3.3 the highest of N−3, N−4, N−5 (kyotoihou; yamamotogyosei.com/archives/165): 2025-04 uses 2024-11 … 2025-01", () => {
  const months = { "2024-10": R(900), "2024-11": R(450), "2024-12": R(100), "2025-01": R(200), "2025-02": R(900) };
  const r = run({ kind: "medical_clinic", portalHealthConsultation: true, ePrescription: true, months }, "2025-04-01");
  assert.equal(r.details?.tier, 1);
  assert.deepEqual(r.details?.rateUsed, { month: "2024-11", basis: "receipt", percent: "45.00%", numerator: 450, denominator: 1000 });
  // N−2 (2025-02) and N−6 (2024-10) are not used, however high.
  const without = run({ kind: "medical_clinic", portalHealthConsultation: true, ePrescription: true, months: { ...months, "2024-11": R(100) } }, "2025-04-01");
  assert.equal(without.details?.tier, 3);
});

test("§3.3 transitional 2024-10〜2025-01 (jmedj id=24935): the online-check basis of N−2〜N−4 when higher", () => {
  // 2024-10: receipt-based 2024-05〜07 at 4 %, online-based 2024-08 at 15 % → 加算1 on the online basis.
  const months: Record<string, MonthFacts> = {};
  for (const m of ["2024-05", "2024-06", "2024-07"]) months[m] = { ...R(40), cardUses: 50, onlineChecks: 1000 };
  months["2024-08"] = { ...R(40), cardUses: 150, onlineChecks: 1000 };
  const r = run({ kind: "medical_clinic", portalHealthConsultation: true, months }, "2024-10-01");
  assert.equal(r.details?.tier, 1);
  assert.deepEqual(r.details?.rateUsed, { month: "2024-08", basis: "online", percent: "15.00%", numerator: 150, denominator: 1000 });
  // The receipt basis wins when it is higher.
  months["2024-05"] = { ...R(200), cardUses: 0, onlineChecks: 1000 };
  assert.equal((run({ kind: "medical_clinic", portalHealthConsultation: true, months }, "2024-10-01").details?.rateUsed as { basis: string }).basis, "receipt");
});

test("§3.3 last transitional 算定月 is 2025-01; from 2025-02 the online-check basis is not used (credentials.jp 2025-03)", () => {
  const jan = run({ kind: "medical_clinic", portalHealthConsultation: true, months: flat("2025-01-01", 100, 300) }, "2025-01-31");
  assert.equal(jan.details?.tier, 1); // online 30 % ≥ 30 %
  const feb = run({ kind: "medical_clinic", portalHealthConsultation: true, months: flat("2025-02-01", 100, 300) }, "2025-02-01");
  assert.equal(feb.details?.tier, 3); // receipt 10 % only
  assert.equal((feb.details?.rateUsed as { basis: string }).basis, "receipt");
});

test("§4.1 / §3.3 denominator: outpatientReceipts up to 診療月 2025-04, receipts from 2025-05 (疑義解釈その24)", () => {
  // 算定 2025-08 uses 2025-03, -04 (outpatient) and 2025-05 (all receipts).
  const months = { "2025-03": R(100, 1000, 2000), "2025-04": R(100, 1000, 2000), "2025-05": R(450, 2000, 1000) };
  const r = run({ kind: "medical_clinic", portalHealthConsultation: true, ePrescription: true, months }, "2025-08-01");
  assert.deepEqual(r.details?.rateUsed, { month: "2025-05", basis: "receipt", percent: "45.00%", numerator: 450, denominator: 1000 });
  // 2025-04 with 450 persons over 1,000 outpatient receipts (2,000 receipts) is 45 %.
  const april = run({ kind: "medical_clinic", portalHealthConsultation: true, ePrescription: true, months: { ...months, "2025-04": R(450, 1000, 2000), "2025-05": R(0) } }, "2025-08-01");
  assert.equal(april.details?.tier, 1);
  assert.equal((april.details?.rateUsed as { month: string }).month, "2025-04");
});

test("§3.3 a missing month: a tier the known months reach stands; a better one stays open; no month at all → null", () => {
  const known = { "2025-01": R(300), "2024-12": R(300) }; // 2024-11 missing
  const floor = run({ kind: "medical_clinic", portalHealthConsultation: true, ePrescription: true, months: known }, "2025-04-01");
  assert.equal(floor.eligible, true);
  assert.equal(floor.amount, null);
  assert.deepEqual(floor.details?.tierAtLeast, [2]);
  assert.deepEqual(floor.missing, ["months.2024-11.cardPersons", "months.2024-11.outpatientReceipts"]);
  const top = run({ kind: "medical_clinic", portalHealthConsultation: true, ePrescription: true, months: { "2025-01": R(450) } }, "2025-04-01");
  assert.equal(top.details?.tier, 1);
  assert.equal(top.amount, 120);
  const none = run({ kind: "medical_clinic", portalHealthConsultation: true, ePrescription: true }, "2025-04-01");
  assert.equal(none.eligible, null);
  assert.ok(none.missing?.includes("months.2025-01.cardPersons"), "none.missing?.includes(\"months.2025-01.cardPersons\")");
  const low = run({ kind: "medical_clinic", portalHealthConsultation: true, ePrescription: true, months: { "2025-01": R(100), "2024-12": R(100) } }, "2025-04-01");
  assert.equal(low.eligible, null, "below 加算3 but the missing month could reach it");
});

test("§3.3 a month with 0 receipts has no rate and is not missing (reading)", () => {
  const r = run({ kind: "medical_clinic", portalHealthConsultation: true, ePrescription: true, months: { "2025-01": R(0, 0), "2024-12": R(100), "2024-11": R(100) } }, "2025-04-01");
  assert.equal(r.eligible, false);
  assert.equal(r.missing, undefined);
  assert.ok(r.reasons.some((x) => x.includes("分母0")), "r.reasons.some((x) => x.includes(\"分母0\"))");
});

// ---- periods ----

test("before 2024-06 there is no 医療DX推進体制整備加算; after 2026-05 it is 次回改定 (公表されていない)", () => {
  const before = run({ kind: "medical_clinic" }, "2024-05-31");
  assert.equal(before.eligible, false);
  assert.equal(before.amount, 0);
  const after = tierOf("medical", "2026-06-01", 1000);
  assert.equal(after.eligible, null);
  assert.equal(after.amount, null);
  assert.ok(after.reasons.some((x) => x.includes("次回改定") && x.includes("公表されていない")), "after.reasons.some((x) => x.includes(\"次回改定\") && x.includes(\"公表されていない\"))");
  assert.ok(after.sources.some((s) => s.includes("pharmacist.m3.com column 6374")), "after.sources.some((s) => s.includes(\"pharmacist.m3.com column 6374\"))");
});

test("hospital is 医科 (spec §3.1 columns)", () => {
  const r = run({ kind: "hospital", portalHealthConsultation: true, ePrescription: true, months: flat("2025-05-01", 450) }, "2025-05-01");
  assert.equal(r.details?.feeClass, "medical");
  assert.equal(r.amount, 120);
});

// ---- §3.4 医療情報取得加算 ----

type Item = { setting: string; item: string; points: number; frequency: string };
const ia = (kind: FacilityProfile["kind"], at: string) => run({ kind }, at).details?.informationAcquisitionPoints as Item[] | null;
const brief = (items: Item[] | null) => items?.map((i) => `${i.setting} ${i.points} ${i.frequency}`);

test("§3.4 2024-06〜11 医科: 初診 加算1 3点 / 加算2 1点 月1回 [V] pt-ot-st.net; 再診 加算3 2点 / 加算4 1点 3月に1回 [V-2] credo-m.co.jp column 15925", () => {
  for (const at of ["2024-06-01", "2024-11-30"]) {
    assert.deepEqual(brief(ia("medical_clinic", at)), ["初診 3 月1回", "初診 1 月1回", "再診 2 3月に1回", "再診 1 3月に1回"], at);
  }
  assert.deepEqual(brief(ia("hospital", "2024-08-01")), ["初診 3 月1回", "初診 1 月1回", "再診 2 3月に1回", "再診 1 3月に1回"]);
});

test("§3.4 2024-06〜11 調剤: 加算1 3点 / 加算2 1点 6月に1回 [V] ph-info.info", () => {
  assert.deepEqual(brief(ia("pharmacy", "2024-11-30")), ["調剤 (調剤管理料) 3 6月に1回", "調剤 (調剤管理料) 1 6月に1回"]);
});

test("§3.4 2024-12-01〜: 医科 初診 1点 月1回, 再診 1点 3月に1回, 調剤 1点 12月に1回 [V] pharmacist.m3.com column 6115", () => {
  assert.deepEqual(brief(ia("medical_clinic", "2024-12-01")), ["初診 1 月1回", "再診 1 3月に1回"]);
  assert.deepEqual(brief(ia("pharmacy", "2024-12-01")), ["調剤 (調剤管理料) 1 12月に1回"]);
  assert.deepEqual(brief(ia("pharmacy", "2026-06-01")), ["調剤 (調剤管理料) 1 12月に1回"]);
});

test("§3.4 歯科 is not in the table → null 公表されていない; before 2024-06 the item was 医療情報・システム基盤整備体制充実加算 → null", () => {
  assert.equal(ia("dental_clinic", "2025-01-01"), null);
  assert.ok(run({ kind: "dental_clinic" }, "2025-01-01").reasons.some((x) => x.includes("歯科の点数は公表されていない")), "run({ kind: \"dental_clinic\" }, \"2025-01-01\").reasons.some((x) => x.includes(\"歯科の点数は公表されていない\"))");
  assert.equal(ia("medical_clinic", "2024-05-31"), null);
});

// ---- the data file ----

test("a broken data file fails at load naming dx-addition.json and the entry: overlapping periods E9106, a guessed value E9105", () => {
  const raw = readProgramFile("dx-addition") as { parameters: Record<string, { values: { from: string; value: unknown }[] }> };
  const parse = (d: unknown) => dxAdditionProgram(parseParameters(d, "dx-addition.json"));
  const overlap = structuredClone(raw);
  overlap.parameters.rateRequired!.values[2]!.from = "2024-12";
  assert.throws(() => parse(overlap), (e: Error & { code?: string }) => e.code === "E9106" && e.message.includes("dx-addition: rateRequired の values[1] と values[2]"));
  const guess = structuredClone(raw);
  guess.parameters["points.medical.1"]!.values[0]!.value = 10.5;
  assert.throws(() => parse(guess), /dx-addition\.json parameters\.points\.medical\.1\.values\[0\]\.value/);
});

test("the new profile fields are optional booleans; anything else names the field (E9102)", () => {
  for (const field of ["ePrescription", "pediatricSpecialCase", "portalHealthConsultation"]) {
    assert.equal(validateProfile({ kind: "medical_clinic", [field]: false }).kind, "medical_clinic");
    assert.throws(() => validateProfile({ kind: "medical_clinic", [field]: "yes" }), (e: unknown) => e instanceof ProfileError && e.field === field && e.message.includes("true または false"));
  }
});
