// Home consents on each database: stored with their period and categories, searched by consent or
// examination day within one facility and kind, one (the newest) per person, only while in force,
// and withdrawn from the day of withdrawal on.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { Treatment, type RemoteCategory, type Treatment as TreatmentFlag } from "../../src/domain/remote-consent.ts";
import { consentsInForce, saveRemoteConsent, searchRemoteConsents, withdrawRemoteConsents } from "../../src/store/remote-consent-store.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const consent = (over: { treatment?: TreatmentFlag; person?: number; facility?: string; day: string; exam?: string; to?: string; agreed?: RemoteCategory[]; at?: string }) => ({
  facilityCode: over.facility ?? FACILITY.code,
  personId: over.person ?? 1,
  treatment: over.treatment ?? Treatment.Visit,
  consentedAt: new Date(over.at ?? `${over.day.slice(0, 4)}-${over.day.slice(4, 6)}-${over.day.slice(6, 8)}T01:00:00Z`),
  consentDate: over.day,
  examinationDate: over.exam ?? null,
  validFrom: over.day,
  validTo: over.to ?? over.exam ?? "20270331",
  agreed: new Set<RemoteCategory>(over.agreed ?? ["pharmacists"]),
});
const persons = (list: { personId: number }[]) => list.map((c) => c.personId);

for (const database of testDatabases()) {
  describe(`home consents on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
      await db.query(
        `insert into persons (person_id, name, name_kana, sex, birthdate) values
         (2, '訪問　花子', 'ホウモン　ハナコ', 2, '1940-02-02'), (3, '遠隔　次郎', 'エンカク　ジロウ', 1, '1990-03-03')`,
      );
    });
    after(async () => db.close());

    test("a consent is stored with its kind, days and categories", async () => {
      const saved = await saveRemoteConsent(db, consent({ person: 2, day: "20260401", agreed: ["pharmacists", "diagnosis"] }));
      assert.equal(saved.treatment, "2");
      assert.equal(saved.consentDate, "20260401");
      assert.equal(saved.validTo, "20270331");
      assert.equal(saved.examinationDate, null);
      assert.deepEqual([...saved.agreed].sort(), ["diagnosis", "pharmacists"]);
      assert.equal(saved.withdrawnAt, null);
    });

    test("the database refuses an オンライン診療 consent without its booked day", async () => {
      await assert.rejects(saveRemoteConsent(db, consent({ treatment: Treatment.Online, day: "20260401", to: "20260402" })), "check (treatment = '3') = (examination_date is not null)");
    });

    test("a search lists one facility's consents of one kind in the range, in force on the day", async () => {
      await saveRemoteConsent(db, consent({ person: 3, day: "20260405" }));
      await saveRemoteConsent(db, consent({ person: 1, day: "20260410", facility: OTHER_FACILITY.code }));
      await saveRemoteConsent(db, consent({ person: 1, day: "20260402", treatment: Treatment.Online, exam: "20260420" }));
      const visits = await searchRemoteConsents(db, FACILITY.code, { treatment: "2", by: "consent", from: "20260401", to: "20260430" }, "20260410");
      assert.deepEqual(persons(visits), [2, 3], "by consent day, then person; not the other facility's, not オンライン診療");
      assert.deepEqual(persons(await searchRemoteConsents(db, FACILITY.code, { treatment: "2", by: "consent", from: "20260402", to: "20260430" }, "20260410")), [3], "the range's ends hold");
      const online = await searchRemoteConsents(db, FACILITY.code, { treatment: "3", by: "examination", from: "20260420", to: "20260420" }, "20260410");
      assert.deepEqual(persons(online), [1]);
      assert.equal(online[0]!.examinationDate, "20260420");
      assert.deepEqual(persons(await searchRemoteConsents(db, FACILITY.code, { treatment: "3", by: "examination", from: "20260420", to: "20260420" }, "20260421")), [], "not after the booked day");
    });

    test("a person with several consents is listed once, with the newest", async () => {
      await saveRemoteConsent(db, consent({ person: 3, day: "20260406", agreed: ["operation"] }));
      const found = await searchRemoteConsents(db, FACILITY.code, { treatment: "2", by: "consent", from: "20260401", to: "20260430" }, "20260410");
      assert.deepEqual(persons(found), [2, 3]);
      assert.deepEqual([...found[1]!.agreed], ["operation"]);
    });

    test("a withdrawn consent is in force up to the day before its withdrawal", async () => {
      const withdrawn = await withdrawRemoteConsents(db, FACILITY.code, 2, Treatment.Visit, new Date("2026-04-12T00:00:00Z"), "20260412");
      assert.equal(withdrawn, 1);
      assert.equal((await consentsInForce(db, FACILITY.code, 2, Treatment.Visit, "20260411")).length, 1);
      assert.equal((await consentsInForce(db, FACILITY.code, 2, Treatment.Visit, "20260412")).length, 0);
      assert.deepEqual(persons(await searchRemoteConsents(db, FACILITY.code, { treatment: "2", by: "consent", from: "20260401", to: "20260430" }, "20260412")), [3]);
      assert.equal(await withdrawRemoteConsents(db, FACILITY.code, 2, Treatment.Visit, new Date("2026-04-13T00:00:00Z"), "20260413"), 0, "nothing left to withdraw");
    });
  });
}
