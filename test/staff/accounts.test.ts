// Creating and disabling staff accounts on each database: each bad input its own coded refusal,
// a generated password that signs in, only a scrypt hash stored, a login id unique per facility only.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { addStaffAccount, disableStaff, StaffSessions } from "../../src/services/staff.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const AT = new Date("2026-04-01T00:00:00Z");
const refusal = (code: string) => (error: unknown) => error instanceof OqsError && error.code === code && /[ぁ-んァ-ン一-龥]/.test(error.message);

for (const database of testDatabases()) {
  describe(`staff accounts on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
    });
    after(async () => db.close());

    test("a generated password is 16 characters, shown once, stored only as a salted scrypt hash, and signs in", async () => {
      const { account, password } = await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "gen", role: "nurse", administrator: false }, AT);
      assert.match(password, /^[A-Za-z0-9_-]{16}$/);
      assert.equal(account.displayName, "gen", "the login id stands in for a missing display name");
      const [row] = await db.query<{ password_hash: string }>("select password_hash from staff_accounts where login_id = 'gen'");
      assert.match(row!.password_hash, /^[0-9a-f]{32}:[0-9a-f]{64}$/);
      assert.ok(!row!.password_hash.includes(password), "no plain password stored");
      assert.ok(await new StaffSessions(db, () => AT).signIn(FACILITY.code, "gen", password), "the generated password signs in");
    });

    test("the same login id may exist at two facilities, but not twice at one (E2110)", async () => {
      const input = { loginId: "tanaka", role: "doctor", administrator: true, password: "long-enough-1" };
      await addStaffAccount(db, { ...input, facilityCode: FACILITY.code }, AT);
      await addStaffAccount(db, { ...input, facilityCode: OTHER_FACILITY.code }, AT);
      await assert.rejects(addStaffAccount(db, { ...input, facilityCode: FACILITY.code }, AT), refusal("E2110"));
    });

    test("each bad input is its own coded refusal and stores nothing", async () => {
      const good = { facilityCode: FACILITY.code, loginId: "newbie", role: "clerk", administrator: false, password: "long-enough-1" };
      const cases: [Partial<typeof good> & { displayName?: string }, string][] = [
        [{ loginId: "ab" }, "E2107"],
        [{ loginId: "Upper" }, "E2107"],
        [{ loginId: "a".repeat(33) }, "E2107"],
        [{ password: "short" }, "E2108"],
        [{ password: "x".repeat(129) }, "E2108"],
        [{ role: "janitor" }, "E2109"],
        [{ displayName: " " }, "E2112"],
        [{ displayName: "改\n行" }, "E2112"],
        [{ displayName: "長".repeat(51) }, "E2112"],
        [{ facilityCode: "1310100019" }, "E2001"],
        [{ facilityCode: "abc" }, "E2001"],
      ];
      for (const [change, code] of cases) await assert.rejects(addStaffAccount(db, { ...good, ...change }, AT), refusal(code), `${JSON.stringify(change)} → ${code}`);
      const rows = await db.query("select 1 from staff_accounts where login_id = 'newbie'");
      assert.equal(rows.length, 0);
    });

    test("disabling an unknown or already disabled account is E2111", async () => {
      await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "leaver", role: "clerk", administrator: false, password: "long-enough-1" }, AT);
      await assert.rejects(disableStaff(db, OTHER_FACILITY.code, "leaver", AT), refusal("E2111"), "another facility's account");
      await disableStaff(db, FACILITY.code, "leaver", AT);
      await assert.rejects(disableStaff(db, FACILITY.code, "leaver", AT), refusal("E2111"), "disabled already");
    });
  });
}
