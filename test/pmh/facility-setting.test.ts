// The facility's 医療費助成情報 setting on each database: 利用する turns the reader's 医療費助成
// consent screen on and records who accepted the PMH terms when; 利用しない turns it off and keeps
// the record; asking for the state in force records nothing; bad names and unknown facilities are
// refused with their codes and change nothing; one facility's setting never moves another's.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { acceptanceOf, readChangedBy } from "../../src/domain/medical-subsidy-use.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { medicalSubsidyUseOf, setMedicalSubsidyUse } from "../../src/services/medical-subsidy-use.ts";
import { loadConsentSettings } from "../../src/store/consent-store.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const T1 = new Date("2026-03-31T23:00:00Z");
const T2 = new Date("2026-04-01T02:00:00Z");
const T3 = new Date("2026-04-02T02:00:00Z");
const refusal = (code: string) => (error: unknown) => error instanceof OqsError && error.code === code;

test("the name of who changes the setting: trimmed NFKC, 1–100 characters, no control characters (E8600)", () => {
  assert.equal(readChangedBy("  大橋　誠一 "), "大橋 誠一");
  assert.equal(readChangedBy("ａ".repeat(100)), "a".repeat(100));
  for (const bad of ["", "   ", "a".repeat(101), "大橋\n誠一", "\u0000", undefined, 42]) {
    assert.throws(() => readChangedBy(bad), refusal("E8600"), JSON.stringify(bad));
  }
});

test("the acceptance in force is the latest change when it is 利用する, none after 利用しない", () => {
  const on = { inUse: true, changedAt: T2, changedBy: "B" };
  const off = { inUse: false, changedAt: T1, changedBy: "A" };
  assert.equal(acceptanceOf([]), undefined);
  assert.deepEqual(acceptanceOf([on, off]), on);
  assert.equal(acceptanceOf([off, on]), undefined);
});

for (const database of testDatabases()) {
  describe(`the 医療費助成情報 setting on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
    });
    after(async () => db.close());

    test("a facility starts with 利用しない and no record", async () => {
      const view = await medicalSubsidyUseOf(db, FACILITY.code);
      assert.deepEqual(view, { facilityCode: FACILITY.code, inUse: false, label: "利用しない", changes: [] });
    });

    test("利用する offers the consent screen and records the acceptance; the same again records nothing", async () => {
      const set = await setMedicalSubsidyUse(db, { facilityCode: FACILITY.code, inUse: true, by: " 大橋　誠一" }, T1);
      assert.equal(set.changed, true);
      assert.equal(set.inUse, true);
      assert.equal(set.acceptedAt, T1.toISOString());
      assert.equal(set.acceptedBy, "大橋 誠一");
      assert.equal((await loadConsentSettings(db, FACILITY.code)).medicalSubsidy, true);
      const again = await setMedicalSubsidyUse(db, { facilityCode: FACILITY.code, inUse: true, by: "別の人" }, T2);
      assert.equal(again.changed, false);
      assert.equal(again.acceptedBy, "大橋 誠一", "the first acceptance stands");
      assert.equal(again.changes.length, 1);
      assert.equal((await loadConsentSettings(db, OTHER_FACILITY.code)).medicalSubsidy, false, "the other facility is untouched");
    });

    test("利用しない turns the screen off and keeps the acceptance in the record, newest first", async () => {
      const off = await setMedicalSubsidyUse(db, { facilityCode: FACILITY.code, inUse: false, by: "北村" }, T3);
      assert.equal(off.changed, true);
      assert.equal(off.acceptedAt, undefined);
      assert.equal((await loadConsentSettings(db, FACILITY.code)).medicalSubsidy, false);
      assert.deepEqual(
        off.changes.map((c) => [c.label, c.changedBy, c.changedAt]),
        [
          ["利用しない", "北村", T3.toISOString()],
          ["利用する", "大橋 誠一", T1.toISOString()],
        ],
      );
      // The other settings of the reader are left as they were.
      const { medicalSubsidy, ...others } = await loadConsentSettings(db, FACILITY.code);
      assert.equal(medicalSubsidy, false);
      assert.equal(others.pharmacists, true);
    });

    test("refusals change nothing: a bad name (E8600), a facility not registered (E2001)", async () => {
      const before = await medicalSubsidyUseOf(db, FACILITY.code);
      await assert.rejects(setMedicalSubsidyUse(db, { facilityCode: FACILITY.code, inUse: true, by: "" }, T3), refusal("E8600"));
      await assert.rejects(setMedicalSubsidyUse(db, { facilityCode: FACILITY.code, inUse: true, by: "x".repeat(101) }, T3), refusal("E8600"));
      await assert.rejects(setMedicalSubsidyUse(db, { facilityCode: "1310100019", inUse: true, by: "大橋" }, T3), refusal("E2001"));
      await assert.rejects(medicalSubsidyUseOf(db, "1310100019"), refusal("E2001"));
      assert.deepEqual(await medicalSubsidyUseOf(db, FACILITY.code), before);
    });
  });
}
