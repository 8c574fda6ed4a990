// The terminal page's permission rule, cell by cell (issue 13 item 5): 事務 opens nothing, 特定健診
// only 医師・歯科医師, 薬剤・診療・手術 the licensed roles; and the session's two clocks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MEDICAL_INFO_CATEGORIES, type MedicalInfoCategory } from "../../src/domain/medical-history.ts";
import { mayCheckQualification, mayView, sessionInForce, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, STAFF_ROLE_NAMES, type StaffRole } from "../../src/domain/staff.ts";

const EXPECTED: Record<StaffRole, Record<MedicalInfoCategory, boolean>> = {
  doctor: { pharmacists: true, specificHealthCheckups: true, diagnosis: true, operation: true },
  dentist: { pharmacists: true, specificHealthCheckups: true, diagnosis: true, operation: true },
  pharmacist: { pharmacists: true, specificHealthCheckups: false, diagnosis: true, operation: true },
  nurse: { pharmacists: true, specificHealthCheckups: false, diagnosis: true, operation: true },
  clerk: { pharmacists: false, specificHealthCheckups: false, diagnosis: false, operation: false },
};

test("mayView answers each role × category cell of the table", () => {
  assert.deepEqual([...STAFF_ROLE_NAMES].sort(), Object.keys(EXPECTED).sort());
  for (const role of STAFF_ROLE_NAMES) {
    for (const category of MEDICAL_INFO_CATEGORIES) {
      assert.equal(mayView(role, category), EXPECTED[role][category], `${role} × ${category}`);
    }
  }
});

test("every role, 事務 included, may run a qualification check", () => {
  for (const role of STAFF_ROLE_NAMES) assert.equal(mayCheckQualification(role), true, role);
});

test("a session is in force until 15 minutes idle or 8 hours after sign-in, whichever is first", () => {
  const createdAt = new Date("2026-04-01T00:00:00Z");
  const at = (ms: number) => new Date(createdAt.getTime() + ms);
  assert.equal(sessionInForce({ createdAt, lastSeenAt: createdAt }, at(SESSION_IDLE_MS - 1)), true, "just inside idle");
  assert.equal(sessionInForce({ createdAt, lastSeenAt: createdAt }, at(SESSION_IDLE_MS)), false, "idle limit reached");
  const busy = { createdAt, lastSeenAt: at(SESSION_ABSOLUTE_MS - 60_000) };
  assert.equal(sessionInForce(busy, at(SESSION_ABSOLUTE_MS - 1)), true, "just inside the absolute limit");
  assert.equal(sessionInForce(busy, at(SESSION_ABSOLUTE_MS)), false, "the absolute limit ends even a busy session");
});
