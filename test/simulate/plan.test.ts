// The simulated nation's plan (no database): kinds in the published proportions, valid and unique
// 医療機関コード, the same nation for the same seed, and the national rate on the
// オンライン資格確認件数ベース within ±1 point of the published series in every month.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { facilityCodeProblem, FACILITY_KINDS, kindFitsCode } from "../../src/domain/facility-code.ts";
import { expectedChecks, facilitiesByKind, planFacilities, planMonths, solveShift, type NationPlanOptions } from "../../src/seed/nation-plan.ts";
import { interpolate, monthTargets, NATION_SERIES, NATIONAL_FACILITIES } from "../../src/seed/nation-series.ts";

const cardUses = (r: { cardFace: number; cardPin: number; cardVisual: number }) => r.cardFace + r.cardPin + r.cardVisual;

describe("the published series", () => {
  test("the nation is 229,717 facilities: 病院 8,192, 医科診療所 89,695, 歯科診療所 70,335, 薬局 61,495", () => {
    assert.equal(NATIONAL_FACILITIES, 229_717);
    assert.deepEqual(facilitiesByKind(229_717), { hospital: 8192, medical_clinic: 89_695, dental_clinic: 70_335, pharmacy: 61_495 });
  });

  test("every month 2023-10..2025-10 has a target; exactly 2024-08, 2025-01, 2025-07 and 2025-08 are interpolated", () => {
    const targets = monthTargets("2023-10", "2025-10");
    assert.equal(targets.length, 25);
    assert.deepEqual(targets.filter((t) => !t.published).map((t) => t.month), ["2024-08", "2025-01", "2025-07", "2025-08"]);
    const august = targets.find((t) => t.month === "2024-08")!;
    assert.deepEqual(august.interpolatedBetween, ["2024-07", "2024-09"]);
    assert.equal(august.rate.toFixed(2), ((11.13 + 13.87) / 2).toFixed(2));
    for (const t of targets.filter((t) => t.published)) assert.ok(t.published!.source.length > 0 && ["V", "V-2", "I"].includes(t.published!.status), `${t.month} names its source and status`);
  });

  test("the kind rates of a month weigh up to its national rate, and follow the published kinds where published", () => {
    for (const t of monthTargets("2023-10", "2025-10")) {
      const weighted = FACILITY_KINDS.reduce((sum, k) => sum + NATION_SERIES.checkShares[k] * t.kindRates[k], 0);
      assert.ok(Math.abs(weighted - t.rate) < 1e-9, `${t.month}: ${weighted} against ${t.rate}`);
    }
    for (const [month, row] of Object.entries(NATION_SERIES.kindRates)) {
      const t = monthTargets(month, month)[0]!;
      for (const k of FACILITY_KINDS) if (row[k] !== null) assert.ok(Math.abs(t.kindRates[k] - row[k]!) < 1.5, `${month} ${k}: ${t.kindRates[k].toFixed(2)} against the published ${row[k]}`);
    }
  });

  test("the check shares reproduce the national rate of the months published by kind within 0.05 pt (their derivation)", () => {
    for (const [month, row] of Object.entries(NATION_SERIES.kindRates)) {
      if (FACILITY_KINDS.some((k) => row[k] === null)) continue;
      const weighted = FACILITY_KINDS.reduce((sum, k) => sum + NATION_SERIES.checkShares[k] * row[k]!, 0);
      assert.ok(Math.abs(weighted - NATION_SERIES.rates[month]!.value) < 0.05, `${month}: ${weighted.toFixed(3)} against ${NATION_SERIES.rates[month]!.value}`);
    }
  });

  test("interpolation: linear between known months, the nearest known value beyond the ends", () => {
    const known = [["2024-01", 10], ["2024-04", 40]] as const;
    assert.deepEqual(interpolate(known, "2024-01"), { value: 10 });
    assert.deepEqual(interpolate(known, "2024-02"), { value: 20, between: ["2024-01", "2024-04"] });
    assert.deepEqual(interpolate(known, "2023-12"), { value: 10 });
    assert.deepEqual(interpolate(known, "2024-05"), { value: 40 });
  });
});

describe("the plan", () => {
  const small: NationPlanOptions = { facilities: 2000, from: "2023-10", to: "2024-03", seed: 7 };

  test("kinds in the published proportions, summing to the count asked", () => {
    for (const n of [1, 7, 1000, 12_345]) {
      const byKind = facilitiesByKind(n);
      assert.equal(FACILITY_KINDS.reduce((s, k) => s + byKind[k], 0), n);
      for (const k of FACILITY_KINDS) assert.ok(Math.abs(byKind[k] - (n * NATION_SERIES.facilities.counts[k]) / NATIONAL_FACILITIES) < 1, `${n}: ${k} ${byKind[k]}`);
    }
    const kinds = planFacilities(small).map((f) => f.kind);
    for (const k of FACILITY_KINDS) assert.equal(kinds.filter((x) => x === k).length, facilitiesByKind(2000)[k]);
  });

  test("every facility has a valid, unique 医療機関コード of its kind and prefecture, a name, readers and an opening date", () => {
    const facilities = planFacilities(small);
    assert.equal(new Set(facilities.map((f) => f.code)).size, facilities.length);
    for (const f of facilities) {
      assert.equal(facilityCodeProblem(f.code), undefined, f.code);
      assert.ok(kindFitsCode(f.kind, f.code), `${f.code} fits ${f.kind}`);
      assert.equal(Number(f.code.slice(0, 2)), f.prefecture);
      assert.ok(f.name.startsWith("【模擬】"), f.name);
      assert.ok(f.readersProvided >= 1 && f.readersProvided <= (f.kind === "hospital" ? 3 : 1), `${f.code} readers ${f.readersProvided}`);
      assert.match(f.openedOn, /^\d{4}-\d{2}-\d{2}$/);
    }
    assert.ok(facilities.some((f) => f.openedMonth > small.from), "some facilities open within the months (新設)");
  });

  test("the same seed gives the same nation; another seed another", () => {
    const months = (o: NationPlanOptions) => [...planMonths(planFacilities(o), o)].map((m) => m.rows);
    assert.deepEqual(planFacilities(small), planFacilities({ ...small }));
    assert.deepEqual(months(small), months({ ...small }));
    assert.notDeepEqual(planFacilities({ ...small, seed: 8 }).map((f) => f.code + f.name), planFacilities(small).map((f) => f.code + f.name));
    assert.notDeepEqual(months({ ...small, seed: 8 }), months(small));
  });

  test("a facility has no checks before the month it opened, and persons never exceed checks", () => {
    const facilities = planFacilities(small);
    for (const m of planMonths(facilities, small)) {
      for (const r of m.rows) {
        assert.ok(facilities[r.facility]!.openedMonth <= m.target.month, `${facilities[r.facility]!.code} in ${m.target.month}`);
        assert.ok(r.cardPersons <= cardUses(r) && r.otherPersons <= r.insuranceNumber, "persons ≤ checks");
        assert.ok(r.outpatientReceipts <= r.receipts, "outpatient ≤ all receipts");
      }
    }
  });

  test("the checks of a month follow the published national count, scaled to the facilities simulated", () => {
    const o: NationPlanOptions = { facilities: 5000, from: "2024-07", to: "2024-07", seed: 3 };
    const [july] = [...planMonths(planFacilities(o), o)];
    const checks = july!.rows.reduce((s, r) => s + cardUses(r) + r.insuranceNumber, 0);
    const expected = (204_975_295 * 5000) / NATIONAL_FACILITIES;
    assert.ok(Math.abs(checks - expected) <= 4, `${checks} against ${expected}`);
  });

  test("the national rate is within ±1 point of the published series in every month 2023-10..2025-10 (20,000 facilities)", () => {
    const o: NationPlanOptions = { facilities: 20_000, from: "2023-10", to: "2025-10", seed: 1 };
    let months = 0;
    for (const m of planMonths(planFacilities(o), o)) {
      const card = m.rows.reduce((s, r) => s + cardUses(r), 0);
      const all = m.rows.reduce((s, r) => s + cardUses(r) + r.insuranceNumber, 0);
      const rate = (card / all) * 100;
      assert.ok(Math.abs(rate - m.target.rate) <= 1, `${m.target.month}: ${rate.toFixed(2)} % against ${m.target.rate.toFixed(2)} %`);
      months++;
    }
    assert.equal(months, 25);
  });

  test("solveShift: the checks-weighted mean of the logistic curve hits the rate asked", () => {
    const checks = [100, 300, 0, 600];
    const propensities = [-1, 0, 5, 1.5];
    for (const rate of [0.01, 0.2, 0.5, 0.9]) {
      const shift = solveShift(checks, propensities, rate);
      const mean = checks.reduce((s, c, i) => s + c / (1 + Math.exp(-(shift + propensities[i]!))), 0) / 1000;
      assert.ok(Math.abs(mean - rate) < 1e-9, `${rate}: ${mean}`);
    }
    assert.equal(solveShift([0, 0], [1, 2], 0.3), 0);
  });
});

test("expectedChecks, from the targets alone, is the plan's number of checks", () => {
  for (const o of [{ facilities: 300, from: "2024-01", to: "2024-06", seed: 2 }, { facilities: 3, from: "2025-10", to: "2025-10", seed: 1, volume: 0.5 }]) {
    const planned = [...planMonths(planFacilities(o), o)].reduce((s, m) => s + m.rows.reduce((t, r) => t + r.cardFace + r.cardPin + r.cardVisual + r.insuranceNumber, 0), 0);
    assert.equal(expectedChecks(o), planned, JSON.stringify(o));
  }
});
