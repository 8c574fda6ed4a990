// The demo's staff accounts, on each database: each signs in with the password the README lists,
// with its role, and loading the demo again adds none twice.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { DEMO_STAFF, loadDemo } from "../../src/seed/demo.ts";
import { StaffSessions } from "../../src/services/staff.ts";
import { listStaffAccounts } from "../../src/store/staff-store.ts";
import { testDatabases } from "../support/databases.ts";

for (const database of testDatabases()) {
  describe(`demo staff accounts on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadDemo(db);
      await loadDemo(db);
    });
    after(async () => db.close());

    test("every demo account signs in with its listed password and has its role, once", async () => {
      const sessions = new StaffSessions(db, () => new Date("2026-04-01T00:30:00Z"));
      for (const s of DEMO_STAFF) {
        const signedIn = await sessions.signIn(s.facility, s.loginId, s.password);
        assert.equal(signedIn?.session.account.role, s.role, `${s.facility} ${s.loginId}`);
        assert.equal(signedIn?.session.account.administrator, s.administrator, `${s.facility} ${s.loginId} administrator`);
      }
      const facilities = [...new Set(DEMO_STAFF.map((s) => s.facility))];
      const accounts = (await Promise.all(facilities.map((f) => listStaffAccounts(db, f)))).flat();
      assert.equal(accounts.length, DEMO_STAFF.length);
    });
  });
}
