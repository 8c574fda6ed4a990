// Consent settings and records on each database: defaults without a settings row, a facility's
// own settings, replacement by a new card check, isolation between facilities, and the refusals
// that store nothing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { DEFAULT_CONSENT_SETTINGS, type ConsentCategory, type ConsentChoices, type PrescriptionIssueSelect } from "../../src/domain/consent.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { recordConsent } from "../../src/services/consent.ts";
import { findConsent, loadConsentSettings, saveConsentSettings } from "../../src/store/consent-store.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const T1 = new Date("2026-04-01T00:30:00.250Z");
const T2 = new Date("2026-04-01T05:00:00Z");
const choices = (agreed: ConsentCategory[], prescriptionIssue?: string): ConsentChoices => ({
  agreed: new Set(agreed),
  prescriptionIssue: prescriptionIssue as PrescriptionIssueSelect | undefined,
});

const refusal = (code: string) => (error: unknown) => error instanceof OqsError && error.code === code;

for (const database of testDatabases()) {
  describe(`consent records on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
    });
    after(async () => db.close());

    test("a facility without settings offers the reader's factory defaults", async () => {
      assert.deepEqual(await loadConsentSettings(db, FACILITY.code), DEFAULT_CONSENT_SETTINGS);
    });

    test("a facility's own settings are its own", async () => {
      const all = { ...DEFAULT_CONSENT_SETTINGS, diagnosis: true, operation: true, medicalSubsidy: true };
      await saveConsentSettings(db, OTHER_FACILITY.code, all, T1);
      assert.deepEqual(await loadConsentSettings(db, OTHER_FACILITY.code), all);
      assert.deepEqual(await loadConsentSettings(db, FACILITY.code), DEFAULT_CONSENT_SETTINGS);
    });

    test("a card check stores every choice with ConsTime to the second and AvailableTime 24 h later", async () => {
      await recordConsent(db, FACILITY.code, 1, choices(["pharmacists", "limitCertificate"], "1"), T1);
      const saved = await findConsent(db, FACILITY.code, 1);
      assert.equal(saved?.consTime.toISOString(), "2026-04-01T00:30:00.000Z");
      assert.deepEqual([...saved!.agreed].sort(), ["limitCertificate", "pharmacists"]);
      assert.equal(saved?.prescriptionIssue, "1");
      const [row] = await db.query<{ hours: number }>(
        "select extract(epoch from available_time - cons_time) / 3600 as hours from consents where medical_institution_code = $1 and person_id = 1",
        [FACILITY.code],
      );
      assert.equal(Number(row!.hours), 24);
    });

    test("a new card check replaces the facility's record, withdrawn choices included", async () => {
      await recordConsent(db, FACILITY.code, 1, choices(["specificHealthCheckups"], "2"), T2);
      const saved = await findConsent(db, FACILITY.code, 1);
      assert.equal(saved?.consTime.toISOString(), T2.toISOString());
      assert.deepEqual([...saved!.agreed], ["specificHealthCheckups"]);
      assert.equal(saved?.prescriptionIssue, "2");
      const [count] = await db.query<{ n: number }>("select count(*)::int as n from consents where person_id = 1 and medical_institution_code = $1", [FACILITY.code]);
      assert.equal(count!.n, 1);
    });

    test("another facility's check leaves this facility's record alone, and neither sees the other's", async () => {
      await recordConsent(db, OTHER_FACILITY.code, 1, choices(["diagnosis", "operation", "medicalSubsidy"]), T1);
      assert.deepEqual([...(await findConsent(db, FACILITY.code, 1))!.agreed], ["specificHealthCheckups"]);
      assert.deepEqual([...(await findConsent(db, OTHER_FACILITY.code, 1))!.agreed].sort(), ["diagnosis", "medicalSubsidy", "operation"]);
      assert.equal(await findConsent(db, FACILITY.code, 999), undefined);
    });

    test("E8001: a choice the facility's reader does not offer is refused and nothing changes", async () => {
      await assert.rejects(recordConsent(db, FACILITY.code, 1, choices(["pharmacists", "diagnosis"]), T2), (error: unknown) => {
        assert.ok(refusal("E8001")(error), "refusal(\"E8001\")(error)");
        assert.match((error as Error).message, /診療情報/);
        return true;
      });
      assert.deepEqual([...(await findConsent(db, FACILITY.code, 1))!.agreed], ["specificHealthCheckups"]);
    });

    test("E8004: a PrescriptionIssueSelect other than 1 or 2 is refused and nothing changes", async () => {
      for (const bad of ["0", "3", "", "電子"]) {
        await assert.rejects(recordConsent(db, FACILITY.code, 1, choices(["pharmacists"], bad), T1), refusal("E8004"));
      }
      assert.equal((await findConsent(db, FACILITY.code, 1))?.consTime.toISOString(), T2.toISOString());
    });
  });
}
