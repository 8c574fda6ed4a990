// The pure derivation over a generated population (no database): the same inputs give the same
// history, a month's events do not depend on which months are asked for, everything happens while
// the person is insured and at a facility of a fitting kind, 特定健診 only at 40–74 and never for
// 後期高齢, and the correlations a clinician expects hold over the sample.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ageOn, deriveHistory, type HistorySubject } from "../../src/domain/history-derivation.ts";
import { horizonsAt, narrowHorizons } from "../../src/domain/history-horizons.ts";
import type { MedicalHistory } from "../../src/domain/medical-history.ts";
import { directoryFacilitiesNear } from "../../src/seed/facility-directory.ts";
import { INSURERS } from "../../src/seed/insurers.ts";
import { generatePopulation } from "../../src/seed/population.ts";

const H = horizonsAt(new Date("2026-04-11T00:00:00+09:00"));
const ymd = (iso: string) => iso.replaceAll("-", "");
const KINDS = new Map(INSURERS.map((i) => [i.number, i.kind]));

function subjects(persons: number, seed: number): HistorySubject[] {
  const out: HistorySubject[] = [];
  for (const rows of generatePopulation({ persons, seed })) {
    for (const p of rows.persons) {
      const near = directoryFacilitiesNear(p.address);
      const of = (kind: string) => near.filter((f) => f.kind === kind).map((f) => ({ code: f.code, name: f.name }));
      out.push({
        personId: p.person_id,
        seed,
        sex: p.sex,
        birthdate: ymd(p.birthdate),
        coverage: rows.qualifications
          .filter((q) => q.person_id === p.person_id)
          .map((q) => ({ from: ymd(q.qualification_date), until: q.disqualification_date && ymd(q.disqualification_date), kind: KINDS.get(q.insurer_number)! })),
        dialysisFrom: null,
        facilities: { hospitals: of("hospital"), clinics: of("medical_clinic"), pharmacies: of("pharmacy") },
      });
    }
  }
  return out;
}

const SAMPLE = subjects(2000, 42);
const HISTORIES = SAMPLE.map((s) => deriveHistory(s, H));

const covered = (s: HistorySubject, day: string) => s.coverage.some((c) => c.from <= day && (c.until === null || day < c.until));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test("the same subject and horizons give the same history; another seed another one", () => {
  const again = SAMPLE.slice(0, 300).map((s) => deriveHistory(s, H));
  assert.deepEqual(again, HISTORIES.slice(0, 300));
  const reseeded = SAMPLE.slice(0, 300).map((s) => deriveHistory({ ...s, seed: 43 }, H));
  const differ = reseeded.filter((h, i) => JSON.stringify(h) !== JSON.stringify(HISTORIES[i])).length;
  assert.ok(differ > 150, `another seed changes most histories: ${differ} of 300`);
});

test("a month's events are the same whichever months are asked for", () => {
  for (const [i, s] of SAMPLE.slice(0, 200).entries()) {
    const month = "202408";
    const alone = deriveHistory(s, narrowHorizons(H, month, month));
    const full = HISTORIES[i]!;
    assert.deepEqual(alone.drugs, full.drugs.filter((r) => r.month === month), `person ${s.personId}: drugs of ${month}`);
    assert.deepEqual(alone.treatments, full.treatments.filter((t) => t.month === month), `person ${s.personId}: treatments of ${month}`);
  }
});

test("everything falls within the horizons and while the person is insured", () => {
  for (const [i, s] of SAMPLE.entries()) {
    const h = HISTORIES[i]!;
    for (const r of h.drugs) {
      assert.ok(r.month >= H.drugs.from && r.month <= H.drugs.to, `drug month ${r.month} within ${H.drugs.from}–${H.drugs.to}`);
      for (const d of r.dates) assert.ok(d.dispensed.startsWith(r.month) && covered(s, d.dispensed), `person ${s.personId} insured on ${d.dispensed}`);
    }
    for (const t of h.treatments) assert.ok(t.month >= H.treatments.from && t.date.startsWith(t.month) && covered(s, t.date), `person ${s.personId}: treatment ${t.date}`);
    for (const c of h.checkups) assert.ok(c.date >= H.checkups.from && c.date <= H.checkups.to && covered(s, c.date), `person ${s.personId}: check-up ${c.date}`);
    for (const o of h.operations) {
      assert.ok(h.treatments.some((t) => t.date === o.date && t.code === o.code && t.classification.code === "K"), `person ${s.personId}: an operation is also a 手術 treatment`);
    }
  }
});

test("facilities fit: dispensing at a pharmacy on a clinic's prescription, inpatients and operations at a hospital", () => {
  const sample = SAMPLE[0]!.facilities;
  const kindOf = new Map<string, string>();
  for (const s of SAMPLE) {
    for (const f of s.facilities.hospitals) kindOf.set(f.code, "hospital");
    for (const f of s.facilities.clinics) kindOf.set(f.code, "clinic");
    for (const f of s.facilities.pharmacies) kindOf.set(f.code, "pharmacy");
  }
  assert.ok(sample.pharmacies.length > 0, "the sample has pharmacies");
  for (const h of HISTORIES) {
    for (const r of h.drugs) {
      if (r.prescriber) {
        assert.equal(kindOf.get(r.facility.code), "pharmacy", `${r.facility.name} dispenses`);
        assert.equal(kindOf.get(r.prescriber.code), "clinic", `${r.prescriber.name} prescribes`);
      } else assert.equal(kindOf.get(r.facility.code), "hospital", `${r.facility.name} gives drugs itself`);
    }
    for (const o of h.operations) assert.equal(kindOf.get(o.facility.code), "hospital", `${o.name} at a hospital`);
    for (const c of h.checkups) assert.notEqual(kindOf.get(c.facility.code), "pharmacy", "no check-up at a pharmacy");
  }
});

test("特定健診 only for ages 40–74 at the fiscal year's end, never under 後期高齢", () => {
  let count = 0;
  for (const [i, s] of SAMPLE.entries()) {
    for (const c of HISTORIES[i]!.checkups) {
      count++;
      const fiscalYear = Number(c.date.slice(0, 4)) - (c.date.slice(4, 6) < "04" ? 1 : 0);
      const age = ageOn(s.birthdate, `${fiscalYear + 1}0331`);
      assert.ok(age >= 40 && age <= 74, `person ${s.personId} aged ${age} at the end of FY${fiscalYear}`);
      const coverage = s.coverage.find((q) => q.from <= c.date && (q.until === null || c.date < q.until));
      assert.notEqual(coverage?.kind, "kouki", `person ${s.personId}: no 特定健診 under 後期高齢`);
      assert.equal(c.items.length, 16, "every standard item");
    }
  }
  assert.ok(count > 300, `check-ups in the sample: ${count}`);
});

/** Mean check-up value of an item for persons on / not on any of the drugs in the year before. */
function valuesBy(ingredients: string[], itemCode: string): { on: number[]; off: number[] } {
  const on: number[] = [];
  const off: number[] = [];
  for (const h of HISTORIES) {
    for (const c of h.checkups) {
      const yearBefore = `${Number(c.date.slice(0, 4)) - 1}${c.date.slice(4)}`;
      const taking = h.drugs.some((r) => r.dates[0]!.dispensed <= c.date && r.dates[0]!.dispensed >= yearBefore && r.drugs.some((d) => ingredients.includes(d.ingredient)));
      const value = Number(c.items.find((i) => i.code === itemCode)!.value);
      (taking ? on : off).push(value);
    }
  }
  return { on, off };
}

test("correlations: diabetes drugs with raised HbA1c, antihypertensives with raised pressure, statins with raised LDL", () => {
  const hba1c = valuesBy(["メトホルミン塩酸塩", "シタグリプチンリン酸塩水和物"], "3D046000001906202");
  assert.ok(hba1c.on.length >= 10, `persons on metformin or a DPP-4 inhibitor with a check-up: ${hba1c.on.length}`);
  assert.ok(mean(hba1c.on) >= 6.5 && mean(hba1c.off) < 5.9, `HbA1c ${mean(hba1c.on).toFixed(2)} on vs ${mean(hba1c.off).toFixed(2)} off`);
  const sbp = valuesBy(["アムロジピンベシル酸塩", "カンデサルタン　シレキセチル"], "9A751000000000001");
  assert.ok(mean(sbp.on) >= 135 && mean(sbp.off) < 130, `収縮期血圧 ${mean(sbp.on).toFixed(0)} on vs ${mean(sbp.off).toFixed(0)} off`);
  const ldl = valuesBy(["ロスバスタチンカルシウム", "アトルバスタチンカルシウム水和物"], "3F077000002327101");
  assert.ok(mean(ldl.on) >= 140 && mean(ldl.off) < 125, `LDL ${mean(ldl.on).toFixed(0)} on vs ${mean(ldl.off).toFixed(0)} off`);
});

test("older persons take more medicines", () => {
  const byBand = new Map<string, number[]>();
  for (const [i, s] of SAMPLE.entries()) {
    const age = ageOn(s.birthdate, "20260401");
    const band = age < 40 ? "under 40" : age < 65 ? "40–64" : "65+";
    const h: MedicalHistory = HISTORIES[i]!;
    const distinct = new Set(h.drugs.flatMap((r) => r.drugs.map((d) => d.code))).size;
    byBand.set(band, [...(byBand.get(band) ?? []), distinct]);
  }
  const [young, middle, old] = ["under 40", "40–64", "65+"].map((b) => mean(byBand.get(b)!));
  assert.ok(young! < middle! && middle! < old!, `distinct drugs in 3 years by age: ${young!.toFixed(2)}, ${middle!.toFixed(2)}, ${old!.toFixed(2)}`);
});

test("人工腎臓 three times a week from the certificate on, at most 14 a month", () => {
  const s = { ...SAMPLE.find((x) => ageOn(x.birthdate, "20260401") > 50 && x.coverage.some((c) => c.until === null))!, dialysisFrom: "20241001" };
  const h = deriveHistory(s, H);
  const dialysis = h.treatments.filter((t) => t.code === "J038");
  assert.ok(dialysis.length > 0 && dialysis.every((t) => t.date >= "20241001"), "dialysis from the certificate's start");
  const perMonth = new Map<string, number>();
  for (const t of dialysis) perMonth.set(t.month, (perMonth.get(t.month) ?? 0) + 1);
  assert.ok([...perMonth.values()].every((n) => n >= 12 && n <= 14), `per month: ${[...perMonth.values()].join(", ")}`);
});
