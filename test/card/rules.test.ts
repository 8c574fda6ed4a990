import { test } from "node:test";
import assert from "node:assert/strict";
import { attempt, isFaceLocked, isPinLocked, municipalReset, type Attempt, type LockState } from "../../src/card/locks.ts";
import { addMonthsClamped, certificateStanding } from "../../src/card/grace.ts";

const s = (pinFailures: number, faceFailures: number): LockState => ({ pinFailures, faceFailures });
const pin = (correct: boolean): Attempt => ({ method: "pin", correct });
const face = (matched: boolean): Attempt => ({ method: "face", matched });

test("lock rules: PIN at 3, face at 10, each success resets only its own count, eye check touches nothing", () => {
  const cases: [string, LockState, Attempt, boolean, string | undefined, LockState, number | undefined][] = [
    // name, before, attempt, ok, code, after, remaining
    ["first wrong PIN", s(0, 0), pin(false), false, "E7010", s(1, 0), 2],
    ["second wrong PIN", s(1, 0), pin(false), false, "E7010", s(2, 0), 1],
    ["third wrong PIN locks", s(2, 0), pin(false), false, "E7011", s(3, 0), 0],
    ["right PIN at 2 failures passes and resets", s(2, 5), pin(true), true, undefined, s(0, 5), undefined],
    ["right PIN once locked is refused", s(3, 0), pin(true), false, "E7011", s(3, 0), 0],
    ["wrong PIN once locked does not count past the limit", s(3, 0), pin(false), false, "E7011", s(3, 0), 0],
    ["ninth face mismatch", s(0, 8), face(false), false, "E7012", s(0, 9), 1],
    ["tenth face mismatch locks", s(0, 9), face(false), false, "E7013", s(0, 10), 0],
    ["face match at 9 failures passes and resets faces only", s(2, 9), face(true), true, undefined, s(2, 0), undefined],
    ["face match once locked is refused", s(0, 10), face(true), false, "E7013", s(0, 10), 0],
    ["face works while the PIN is locked", s(3, 0), face(true), true, undefined, s(3, 0), undefined],
    ["PIN works while faces are locked", s(0, 10), pin(true), true, undefined, s(0, 10), undefined],
    ["eye check passes and keeps counters", s(2, 9), { method: "visual" }, true, undefined, s(2, 9), undefined],
    ["eye check passes with both locked and unlocks nothing", s(3, 10), { method: "visual" }, true, undefined, s(3, 10), undefined],
  ];
  for (const [name, before, a, ok, code, after, remaining] of cases) {
    const out = attempt(before, a);
    assert.equal(out.ok, ok, name);
    assert.deepEqual(out.state, after, name);
    if (!out.ok) {
      assert.equal(out.code, code, name);
      assert.equal(out.remaining, remaining, name);
    }
  }
});

test("locked predicates at their boundaries, and the 市区町村 reset unlocks both", () => {
  assert.equal(isPinLocked(s(2, 0)), false);
  assert.equal(isPinLocked(s(3, 0)), true);
  assert.equal(isFaceLocked(s(0, 9)), false);
  assert.equal(isFaceLocked(s(0, 10)), true);
  assert.deepEqual(municipalReset(), s(0, 0));
  assert.equal(attempt(municipalReset(), pin(true)).ok, true);
});

test("certificate standing: valid through expiry, 3-month grace to its last day, out the day after", () => {
  const cases: [string, string, string, string][] = [
    // first day, expiry, today, kind
    ["2021-05-01", "2026-04-30", "2021-04-30", "not-yet-valid"],
    ["2021-05-01", "2026-04-30", "2021-05-01", "valid"],
    ["2021-05-01", "2026-04-30", "2026-04-30", "valid"],
    ["2021-05-01", "2026-04-30", "2026-05-01", "grace"],
    ["2021-05-01", "2026-04-30", "2026-07-30", "grace"],
    ["2021-05-01", "2026-04-30", "2026-07-31", "expired"],
    ["2021-12-01", "2026-11-30", "2027-02-28", "grace"],
    ["2021-12-01", "2026-11-30", "2027-03-01", "expired"],
  ];
  for (const [first, expiry, today, kind] of cases) assert.equal(certificateStanding(first, expiry, today).kind, kind, `${expiry} on ${today}`);
});

test("adding months clamps to the month's end and crosses years", () => {
  assert.equal(addMonthsClamped("2026-04-30", 3), "2026-07-30");
  assert.equal(addMonthsClamped("2026-11-30", 3), "2027-02-28");
  assert.equal(addMonthsClamped("2027-11-30", 3), "2028-02-29");
  assert.equal(addMonthsClamped("2026-10-31", 3), "2027-01-31");
});
