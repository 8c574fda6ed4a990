// The 医療DX推進体制整備加算's 利用率 thresholds as a chart draws them under a facility's monthly
// rates: by data month (the 診療月 the rate is of), not by 算定月. A 算定月 N looks at the data month
// N − 3 in principle (the rate rule's nearest receipt-basis month, read from dx-addition.json), so
// the band drawn at data month m is the threshold of 算定月 m + 3. Every number comes from
// dx-addition.json with its source; a 公表されていない cell (調剤 from 2025-04) is kept as unknown
// and drawn by nobody, and months whose 算定月 has no 利用率 requirement have no band.
import type { FacilityKind } from "./profile.ts";
import { NOT_PUBLISHED, type Source } from "./engine.ts";
import { parseParameters, valueAt, type ProgramParameters } from "./parameters.ts";
import { readProgramFile } from "./program-data.ts";
import { feeClassOf, groupLabel } from "./programs/dx-addition.ts";
import { addMonths } from "./usage-rate.ts";

export type ThresholdGroup = 1 | 2 | 3;
export const THRESHOLD_GROUPS: readonly ThresholdGroup[] = [1, 2, 3];

/** One group's threshold over a run of data months with the same value and source. */
export interface ThresholdStep {
  group: ThresholdGroup;
  /** 加算1, or 加算1・4 for 医科・歯科 once the 電子処方箋 split doubles the tiers. */
  label: string;
  /** First and last data month (YYYY-MM, inclusive). */
  from: string;
  to: string;
  /** The 算定月s these data months are looked at for (N = data month + monthsBack). */
  calculationFrom: string;
  calculationTo: string;
  /** At least this percent; null: 公表されていない (not drawn). */
  percent: number | null;
  source: Source;
}

interface RateMonth {
  basis: "receipt" | "online";
  monthsBack: number;
}

let parsed: ProgramParameters | undefined;
const params = () => (parsed ??= parseParameters(readProgramFile("dx-addition"), "dx-addition.json"));

/** How far back 算定月 N looks in principle: the rate rule's nearest receipt-basis data month; undefined without a rule. */
function monthsBackOf(p: ProgramParameters, calculationMonth: string): number | undefined {
  const rule = valueAt<RateMonth[]>(p.get("rateRule"), calculationMonth);
  if (rule.kind !== "value") return undefined;
  const backs = rule.value.filter((r) => r.basis === "receipt").map((r) => r.monthsBack);
  return backs.length === 0 ? undefined : Math.min(...backs);
}

/** The 算定月 whose principal data month is `dataMonth` and which has a 利用率 requirement, if any. */
function calculationMonthOf(p: ProgramParameters, dataMonth: string): string | undefined {
  // The rule looks back months, never a year: try the twelve months after the data month.
  for (let by = 1; by <= 12; by++) {
    const n = addMonths(dataMonth, by);
    if (monthsBackOf(p, n) !== by) continue;
    const required = valueAt<boolean>(p.get("rateRequired"), n);
    return required.kind === "value" && required.value === true ? n : undefined;
  }
  return undefined;
}

/**
 * The thresholds of `kind` for the data months from `from` to `to` (YYYY-MM, inclusive), each
 * group's consecutive months of one value and source merged into one step. Known and unknown
 * steps alike: a chart draws the known ones only, a table may say 公表されていない.
 */
export function thresholdSteps(kind: FacilityKind, from: string, to: string): ThresholdStep[] {
  const p = params();
  const cls = feeClassOf(kind);
  const column = cls === "pharmacy" ? "pharmacy" : "medicalDental";
  const steps: ThresholdStep[] = [];
  const open = new Map<ThresholdGroup, ThresholdStep>();
  for (let m = from; m <= to; m = addMonths(m, 1)) {
    const n = calculationMonthOf(p, m);
    for (const group of THRESHOLD_GROUPS) {
      const answer = n === undefined ? undefined : valueAt<number>(p.get(`threshold.${group}.${column}`), n);
      if (n === undefined || answer === undefined || answer.kind === "not-in-force") {
        open.delete(group);
        continue;
      }
      const split = valueAt<boolean>(p.get("ePrescriptionSplit"), n);
      const label = groupLabel(group, split.kind === "value" && split.value, cls);
      const percent = answer.kind === "value" ? answer.value : null;
      const last = open.get(group);
      if (last && last.percent === percent && last.source === answer.source && last.label === label && addMonths(last.to, 1) === m) {
        last.to = m;
        last.calculationTo = n;
        continue;
      }
      const step: ThresholdStep = { group, label, from: m, to: m, calculationFrom: n, calculationTo: n, percent, source: answer.source };
      steps.push(step);
      open.set(group, step);
    }
  }
  return steps;
}

/** A step's value as a table shows it: 「45%以上」 or 公表されていない. */
export function thresholdText(step: ThresholdStep): string {
  return step.percent === null ? NOT_PUBLISHED : `${step.percent}%以上`;
}
