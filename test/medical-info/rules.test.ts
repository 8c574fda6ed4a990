// The viewing rules of 薬剤・特定健診・診療・手術 information, without a database: consent in force on
// [ConsTime, ConsTime + 24 h), a later card check replacing an earlier one, 特定健診 never at a
// pharmacy, no information for 自衛官診療証・日雇特例・医療扶助, 手術 by its own consent, and disaster
// access without a card.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ConsentCategory, ConsentRecord } from "../../src/domain/consent.ts";
import type { MedicalHistory, Treatment } from "../../src/domain/medical-history.ts";
import { decideView, excludedQualificationOf, visibleHistory, type ViewQuestion } from "../../src/domain/medical-info.ts";

const CONS_TIME = new Date("2026-04-01T00:00:00Z"); // 09:00 in Japan
const HOUR = 3600_000;
const record = (agreed: ConsentCategory[], consTime = CONS_TIME): ConsentRecord => ({ facilityCode: "1310100019", personId: 1, consTime, agreed: new Set(agreed) });
const NORMAL = { insuredCardClassification: "01", insurerNumber: "01130012" };
const ask = (over: Partial<ViewQuestion>): ViewQuestion => ({
  actor: { kind: "system" },
  facilityKind: "hospital",
  categories: ["pharmacists"],
  basis: { kind: "consent" },
  consent: record(["pharmacists", "specificHealthCheckups", "diagnosis", "operation"]),
  qualifications: [NORMAL],
  at: new Date(CONS_TIME.getTime() + HOUR),
  ...over,
});
const refused = (q: ViewQuestion) => {
  const d = decideView(q);
  return d.allowed ? "allowed" : d.code;
};

describe("the 24 hours of a consent", () => {
  test("in force from ConsTime itself", () => {
    assert.equal(refused(ask({ at: CONS_TIME })), "allowed");
  });
  test("in force at the last millisecond before AvailableTime (ConsTime + 24 h)", () => {
    assert.equal(refused(ask({ at: new Date(CONS_TIME.getTime() + 24 * HOUR - 1) })), "allowed");
  });
  test("over at AvailableTime itself: E8101, the 24 hours are [ConsTime, AvailableTime)", () => {
    assert.equal(refused(ask({ at: new Date(CONS_TIME.getTime() + 24 * HOUR) })), "E8101");
    assert.equal(refused(ask({ at: new Date(CONS_TIME.getTime() + 30 * 24 * HOUR) })), "E8101");
  });
  test("a request timed before the card check finds no consent then (E8100)", () => {
    assert.equal(refused(ask({ at: new Date(CONS_TIME.getTime() - 1000) })), "E8100");
  });
  test("no card check at this facility: E8100", () => {
    assert.equal(refused(ask({ consent: undefined })), "E8100");
  });
});

describe("a later card check replaces the earlier one", () => {
  test("a category withdrawn at the later check is refused, naming it (E8102), though the earlier check's 24 hours are not over", () => {
    const later = record(["specificHealthCheckups"], new Date(CONS_TIME.getTime() + 2 * HOUR));
    const d = decideView(ask({ consent: later, at: new Date(CONS_TIME.getTime() + 3 * HOUR) }));
    assert.deepEqual(d, { allowed: false, code: "E8102", element: "薬剤情報" });
  });
  test("the later check's own 24 hours count: in force 23 h after it, 25 h after the first", () => {
    const later = record(["pharmacists"], new Date(CONS_TIME.getTime() + 2 * HOUR));
    assert.equal(refused(ask({ consent: later, at: new Date(CONS_TIME.getTime() + 25 * HOUR) })), "allowed");
    assert.equal(refused(ask({ consent: later, at: new Date(CONS_TIME.getTime() + 26 * HOUR) })), "E8101");
  });
});

describe("who may see 特定健診", () => {
  test("a pharmacy never, even with the patient's consent (E8103)", () => {
    assert.equal(refused(ask({ facilityKind: "pharmacy", categories: ["specificHealthCheckups"] })), "E8103");
  });
  test("a pharmacy may see 薬剤情報 on consent", () => {
    assert.equal(refused(ask({ facilityKind: "pharmacy", categories: ["pharmacists"] })), "allowed");
  });
  test("hospitals, medical and dental clinics may", () => {
    for (const facilityKind of ["hospital", "medical_clinic", "dental_clinic"] as const) {
      assert.equal(refused(ask({ facilityKind, categories: ["specificHealthCheckups"] })), "allowed", facilityKind);
    }
  });
  test("not at a pharmacy in a disaster either", () => {
    assert.equal(refused(ask({ facilityKind: "pharmacy", categories: ["specificHealthCheckups"], basis: { kind: "disaster", declarationId: 1, consent: "oral" } })), "E8103");
  });
});

describe("qualifications with no information held", () => {
  const cases = [
    ["自衛官診療証 (InsuredCardClassification 07)", { insuredCardClassification: "07", insurerNumber: "07130018" }, "selfDefenseForces", "E8104"],
    ["日雇特例 一般療養 (法別番号 03)", { insuredCardClassification: "01", insurerNumber: "03130015" }, "dayLaborer", "E8105"],
    ["日雇特例 特別療養費 (法別番号 04)", { insuredCardClassification: "01", insurerNumber: "04130014" }, "dayLaborer", "E8105"],
    ["医療扶助 (InsuredCardClassification A1)", { insuredCardClassification: "A1", insurerNumber: "01130012" }, "medicalAssistance", "E8106"],
    ["医療扶助 (法別番号 12)", { insuredCardClassification: "01", insurerNumber: "12131019" }, "medicalAssistance", "E8106"],
  ] as const;
  for (const [label, q, kind, code] of cases) {
    test(`${label}: ${code}, even with consent, for every category`, () => {
      assert.equal(excludedQualificationOf(q), kind);
      for (const category of ["pharmacists", "specificHealthCheckups", "diagnosis"] as const) {
        assert.equal(refused(ask({ qualifications: [q], categories: [category] })), code, category);
      }
    });
  }
  test("a 国保 number (6 digits, no 法別番号) and the other 法別番号 are not excluded", () => {
    for (const insurerNumber of ["131037", "01130012", "06131015", "39131034"]) {
      assert.equal(excludedQualificationOf({ insuredCardClassification: "01", insurerNumber }), undefined, insurerNumber);
    }
  });
  test("a person holding a normal qualification beside an excluded one is not refused", () => {
    assert.equal(refused(ask({ qualifications: [{ insuredCardClassification: "07", insurerNumber: "07130018" }, NORMAL] })), "allowed");
  });
});

describe("手術情報 inside 診療情報", () => {
  const both = ["pharmacists", "diagnosis", "operation"] as const;
  test("asked with 診療, 手術 is shown only with its own consent", () => {
    assert.deepEqual(decideView(ask({ categories: [...both] })), { allowed: true, shown: [...both], basis: { kind: "consent", consTime: CONS_TIME } });
    const without = decideView(ask({ categories: [...both], consent: record(["pharmacists", "diagnosis"]) }));
    assert.deepEqual(without, { allowed: true, shown: ["pharmacists", "diagnosis"], basis: { kind: "consent", consTime: CONS_TIME } });
  });
  test("診療 without its consent is refused (E8102 診療情報), 手術 alone without its consent too", () => {
    assert.deepEqual(decideView(ask({ categories: [...both], consent: record(["pharmacists", "operation"]) })), { allowed: false, code: "E8102", element: "診療情報" });
    assert.deepEqual(decideView(ask({ categories: ["operation"], consent: record(["diagnosis"]) })), { allowed: false, code: "E8102", element: "手術情報" });
  });
  test("the history shown leaves out the 手術 class of 診療行為 and the operations without the 手術 consent", () => {
    const facility = { code: "1310100019", name: "オンシ総合病院" };
    const treatment = (name: string, code: string): Treatment => ({ month: "202501", date: "20250110", facility, classification: { code, name }, code: "150000000", name: `${name}の行為`, inpatient: true });
    const history: MedicalHistory = {
      drugs: [],
      checkups: [{ date: "20250401", facility, items: [] }],
      treatments: [treatment("手術", "50"), treatment("画像診断", "70")],
      operations: [{ date: "20250110", facility, code: "K000", name: "手術" }],
    };
    const noOperation = visibleHistory(history, ["pharmacists", "diagnosis"]);
    assert.deepEqual(noOperation.treatments.map((t) => t.classification.name), ["画像診断"]);
    assert.deepEqual(noOperation.operations, []);
    assert.deepEqual(noOperation.checkups, [], "特定健診 was not shown");
    const withOperation = visibleHistory(history, ["diagnosis", "operation"]);
    assert.equal(withOperation.treatments.length, 2);
    assert.equal(withOperation.operations.length, 1);
  });
});

test("a disaster declaration stands for consent: no card check needed, recorded as the basis", () => {
  const d = decideView(ask({ consent: undefined, categories: ["pharmacists", "diagnosis", "operation", "specificHealthCheckups"], basis: { kind: "disaster", declarationId: 7, consent: "none" } }));
  assert.deepEqual(d, { allowed: true, shown: ["pharmacists", "diagnosis", "operation", "specificHealthCheckups"], basis: { kind: "disaster", declarationId: 7, consent: "none" } });
});

describe("a staff account is held to its role (src/domain/staff.ts)", () => {
  const staff = (role: "doctor" | "dentist" | "pharmacist" | "nurse" | "clerk") => ({ kind: "staff" as const, account: "a", role });
  test("事務 opens nothing (E2105), before anything else is told, even of an excluded qualification", () => {
    assert.deepEqual(decideView(ask({ actor: staff("clerk") })), { allowed: false, code: "E2105", element: "薬剤情報" });
    assert.equal(refused(ask({ actor: staff("clerk"), qualifications: [{ insuredCardClassification: "07", insurerNumber: "07130018" }] })), "E2105");
  });
  test("特定健診 needs 医師 or 歯科医師; 薬剤 a 薬剤師 or 看護師 may open", () => {
    assert.equal(refused(ask({ actor: staff("pharmacist"), categories: ["specificHealthCheckups"] })), "E2105");
    assert.equal(refused(ask({ actor: staff("nurse"), categories: ["specificHealthCheckups"] })), "E2105");
    assert.equal(refused(ask({ actor: staff("dentist"), categories: ["specificHealthCheckups"] })), "allowed");
    assert.equal(refused(ask({ actor: staff("pharmacist"), categories: ["pharmacists"] })), "allowed");
    assert.equal(refused(ask({ actor: staff("nurse"), categories: ["pharmacists", "diagnosis", "operation"] })), "allowed");
  });
});
