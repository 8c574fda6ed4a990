// The 加算 thresholds a chart draws, by data month: the threshold of 算定月 N is drawn at data month
// N − 3 (the rate rule's nearest receipt-basis month), steps change where the periods change, and
// 調剤's 公表されていない cells stay unknown.
import assert from "node:assert/strict";
import { test } from "node:test";
import { thresholdSteps, thresholdText, type ThresholdStep } from "../../src/subsidy/dx-threshold-bands.ts";
import { parseParameters, valueAt } from "../../src/subsidy/parameters.ts";
import { readProgramFile } from "../../src/subsidy/program-data.ts";
import { addMonths } from "../../src/subsidy/usage-rate.ts";

const at = (steps: ThresholdStep[], group: number, month: string) => steps.find((s) => s.group === group && s.from <= month && month <= s.to);
const brief = (s: ThresholdStep | undefined) => s && { label: s.label, percent: s.percent, from: s.from, to: s.to, calculationFrom: s.calculationFrom };

test("data month m shows the thresholds of 算定月 m + 3, period by period (医科・歯科)", () => {
  const steps = thresholdSteps("medical_clinic", "2024-01", "2026-06");
  // 算定 2024-10〜12 looks at data 2024-07〜09: the first months with a requirement.
  assert.equal(at(steps, 1, "2024-06"), undefined, "no band before the first requirement (算定 2024-06〜09 has none)");
  assert.deepEqual(brief(at(steps, 1, "2024-07")), { label: "加算1", percent: 15, from: "2024-07", to: "2024-09", calculationFrom: "2024-10" });
  assert.deepEqual(brief(at(steps, 3, "2024-09")), { label: "加算3", percent: 5, from: "2024-07", to: "2024-09", calculationFrom: "2024-10" });
  assert.deepEqual(brief(at(steps, 2, "2024-10")), { label: "加算2", percent: 20, from: "2024-10", to: "2024-12", calculationFrom: "2025-01" });
  // From 算定 2025-04 the 電子処方箋 split names each group twice (加算1・4).
  assert.deepEqual(brief(at(steps, 1, "2025-01")), { label: "加算1・4", percent: 45, from: "2025-01", to: "2025-06", calculationFrom: "2025-04" });
  assert.deepEqual(brief(at(steps, 1, "2025-07")), { label: "加算1・4", percent: 60, from: "2025-07", to: "2025-11", calculationFrom: "2025-10" });
  assert.deepEqual(brief(at(steps, 3, "2026-02")), { label: "加算3・6", percent: 30, from: "2025-12", to: "2026-02", calculationFrom: "2026-03" });
  // 算定 2026-06 on is the next revision's: nothing is drawn for data 2026-03 on.
  assert.equal(at(steps, 1, "2026-03"), undefined, "no band past the last published period");
  for (const s of steps) assert.ok(s.source.ref !== "", `${s.label} ${s.from} has its source`);
});

test("every step's percent is the data file's value at its 算定月, with that value's source", () => {
  const p = parseParameters(readProgramFile("dx-addition"), "dx-addition.json");
  for (const kind of ["hospital", "dental_clinic", "pharmacy"] as const) {
    for (const s of thresholdSteps(kind, "2024-01", "2026-06")) {
      const column = kind === "pharmacy" ? "pharmacy" : "medicalDental";
      for (let m = s.from, n = s.calculationFrom; m <= s.to; m = addMonths(m, 1), n = addMonths(n, 1)) {
        const answer = valueAt<number>(p.get(`threshold.${s.group}.${column}`), n);
        assert.equal(answer.kind === "value" ? answer.value : null, s.percent, `${kind} 加算${s.group} data ${m} (算定 ${n})`);
        assert.deepEqual(answer.kind === "not-in-force" ? undefined : answer.source, s.source, `${kind} 加算${s.group} data ${m}: the value's own source`);
      }
    }
  }
});

test("調剤: 加算1 45% is known for data 2025-01〜06, 加算2・3 and everything from data 2025-07 are 公表されていない", () => {
  const steps = thresholdSteps("pharmacy", "2024-07", "2026-02");
  assert.deepEqual(brief(at(steps, 1, "2025-03")), { label: "加算1", percent: 45, from: "2025-01", to: "2025-06", calculationFrom: "2025-04" });
  assert.equal(at(steps, 2, "2025-03")!.percent, null, "加算2 2025-04〜09 is not published for 調剤");
  assert.equal(at(steps, 3, "2025-03")!.percent, null, "加算3 likewise");
  for (const g of [1, 2, 3]) assert.equal(at(steps, g, "2025-12")!.percent, null, `調剤 加算${g} from 算定 2025-10`);
  assert.equal(thresholdText(at(steps, 2, "2025-03")!), "公表されていない");
  assert.equal(thresholdText(at(steps, 1, "2025-03")!), "45%以上");
  // 調剤 has no 加算4〜6: no split name.
  assert.ok(steps.every((s) => !s.label.includes("・")), "調剤's labels are 加算1〜3");
});

test("a range inside a period starts its steps at the range's first month", () => {
  const steps = thresholdSteps("hospital", "2025-03", "2025-08");
  assert.deepEqual(
    steps.filter((s) => s.group === 1).map((s) => [s.from, s.to, s.percent]),
    [["2025-03", "2025-06", 45], ["2025-07", "2025-08", 60]],
  );
});
