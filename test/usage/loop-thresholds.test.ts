// The loop closed: records written one count below and at a threshold move the facility across it in
// the engine's answer, the profile made by usageProfile from the records (both databases).
// Thresholds: support-2024.json unitPrice (seed 000 l.169–179: 5%pt 20円/件, 10%pt 40円/件 of the rise
// over 2023-10, paid on the half's card uses); dx-addition.json threshold.1/2.medicalDental for 算定月
// 2025-10 (60 % / 40 %, hattaganka.com#5), rateRule N−3〜N−5 on the receipt basis (credentials.jp#3),
// receiptDenominator receipts from 2025-05 (wic-net.com#6), points.medical.1/2 12 / 11 (wic-net.com#5).
import { test } from "node:test";
import assert from "node:assert/strict";
import { usageProfile } from "../../src/services/usage-profile.ts";
import { calculate, type SubsidyResult } from "../../src/subsidy/engine.ts";
import { loadPrograms } from "../../src/subsidy/program-data.ts";
import { testDatabases } from "../support/databases.ts";
import { addDay, addFacility, addPersons, addReceipts, addTotals } from "./usage-records.ts";

const programs = loadPrograms();
const only = (profile: Parameters<typeof calculate>[0], at: string, program: string): SubsidyResult => calculate(profile, at, programs, program).results[0]!;
const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

for (const database of testDatabases()) {
  test(`${database.name}: the 2024 支援金 前半期 moves across its bands as the records of 2024-05 add one person`, async () => {
    const db = await database.open();
    try {
      // 2023-10: 50 persons of 1,000 outpatient receipts (5 %). 2024-01〜04: 100 persons a month of
      // 1,000; 2024-05: the persons recorded one by one (名寄せ) make the half's total. Card uses
      // 300 a month (totals, and for 2024-05 recorded by day): 1,500 in the half.
      const cases = [
        { code: "1310000101", persons: 499, eligible: false, unitPrice: 0, amount: 0 }, // 9.98 % − 5 % = 4.98 %pt
        { code: "1310000102", persons: 500, eligible: true, unitPrice: 20, amount: 30_000 }, // 5.00 %pt
        { code: "1310000103", persons: 749, eligible: true, unitPrice: 20, amount: 30_000 }, // 9.98 %pt
        { code: "1310000104", persons: 750, eligible: true, unitPrice: 40, amount: 60_000 }, // 10.00 %pt
      ];
      for (const c of cases) {
        await addFacility(db, c.code, "medical_clinic", { openedOn: "2001-04-01" });
        await addTotals(db, c.code, "2023-10", { face: 80, number: 900, persons: 50 });
        await addReceipts(db, c.code, "2023-10", 1_200, 1_000);
        for (const month of ["2024-01", "2024-02", "2024-03", "2024-04"]) {
          await addTotals(db, c.code, month, { face: 250, pin: 50, number: 700, persons: 100 });
          await addReceipts(db, c.code, month, 1_200, 1_000);
        }
        await addDay(db, c.code, "2024-05-10", "card_face", 200);
        await addDay(db, c.code, "2024-05-20", "card_pin", 100, "reader");
        await addPersons(db, c.code, "2024-05", ids(c.persons - 400));
        await addReceipts(db, c.code, "2024-05", 1_200, 1_000);
      }
      for (const c of cases) {
        const r = only(await usageProfile(db, c.code, "2024-06-15"), "2024-06-15", "support-2024-h1");
        assert.equal(r.eligible, c.eligible, `${c.persons} persons: ${r.reasons.join(" / ")}`);
        assert.equal(r.amount, c.amount, `${c.persons} persons`);
        assert.equal(r.details?.unitPrice, c.unitPrice, `${c.persons} persons`);
        assert.equal(r.details?.cardUses, 1_500);
      }
    } finally {
      await db.close();
    }
  });

  test(`${database.name}: 医療DX推進体制整備加算 of 算定月 2025-10 moves from 加算2 to 加算1 as 2025-07's persons reach 60 % of its receipts`, async () => {
    const db = await database.open();
    try {
      // The highest of 2025-05〜07 on the receipt basis counts: 45 %, 45 %, and 2025-07's 599 or 600
      // persons (599 simulated + 0 or 1 recorded) of 1,000 receipts.
      const facts = { portalHealthConsultation: true, ePrescription: true }; // declared by the facility, not in the records
      const cases = [
        { code: "1310000201", recorded: 0, tier: 2, points: 11, percent: "59.90%" },
        { code: "1310000202", recorded: 1, tier: 1, points: 12, percent: "60.00%" },
      ];
      for (const c of cases) {
        await addFacility(db, c.code, "medical_clinic");
        for (const month of ["2025-05", "2025-06"]) {
          await addTotals(db, c.code, month, { face: 500, number: 700, persons: 450 });
          await addReceipts(db, c.code, month, 1_000, 900);
        }
        await addTotals(db, c.code, "2025-07", { face: 700, number: 500, persons: 599 });
        await addPersons(db, c.code, "2025-07", ids(c.recorded));
        await addReceipts(db, c.code, "2025-07", 1_000, 900);
      }
      for (const c of cases) {
        const profile = { ...(await usageProfile(db, c.code, "2025-10-01")), ...facts };
        const r = only(profile, "2025-10-01", "dx-addition");
        assert.equal(r.eligible, true, r.reasons.join(" / "));
        assert.equal(r.details?.tier, c.tier, r.reasons.join(" / "));
        assert.equal(r.amount, c.points * 10, "points × 10円");
        assert.deepEqual(r.details?.rateUsed, { month: "2025-07", basis: "receipt", percent: c.percent, numerator: 599 + c.recorded, denominator: 1_000 });
      }
      // Without 2025-07's upload the month's rate is unknown, and 2025-07 could be the highest (§3.3):
      // the engine cannot tell 加算1 and names the receipts it misses.
      await addFacility(db, "1310000203", "medical_clinic");
      for (const month of ["2025-05", "2025-06"]) {
        await addTotals(db, "1310000203", month, { face: 500, number: 700, persons: 450 });
        await addReceipts(db, "1310000203", month, 1_000, 900);
      }
      await addTotals(db, "1310000203", "2025-07", { face: 900, number: 300, persons: 800 });
      const r = only({ ...(await usageProfile(db, "1310000203", "2025-10-01")), ...facts }, "2025-10-01", "dx-addition");
      assert.deepEqual(r.missing, ["months.2025-07.receipts"]);
      assert.equal(r.details?.tier, null, r.reasons.join(" / "));
      assert.deepEqual(r.details?.tierAtLeast, [2], "加算2 at least: 2025-05's 45 % (the 40 % of 加算2), 加算1 open");
    } finally {
      await db.close();
    }
  });
}
