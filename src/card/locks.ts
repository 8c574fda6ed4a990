// The card's failure counters (spec §5): the PIN of the 利用者証明用電子証明書 locks after 3
// consecutive failures, the face check after 10. A success resets only its own method's count
// (a good PIN does not forgive failed face matches: they are separate locks on the real card).
// A staff check by eye (目視確認) always passes and touches neither counter; only the 市区町村
// reset unlocks. Pure rules; src/card/chip.ts keeps the counters.

export const PIN_LIMIT = 3;
export const FACE_LIMIT = 10;

export interface LockState {
  pinFailures: number;
  faceFailures: number;
}

export type Attempt = { method: "pin"; correct: boolean } | { method: "face"; matched: boolean } | { method: "visual" };

export type AttemptOutcome =
  | { ok: true; state: LockState }
  /** E7010 wrong PIN, E7011 PIN locked, E7012 face mismatch, E7013 face locked; remaining tries before the lock. */
  | { ok: false; code: "E7010" | "E7011" | "E7012" | "E7013"; state: LockState; remaining: number };

export function attempt(state: LockState, a: Attempt): AttemptOutcome {
  switch (a.method) {
    case "visual":
      return { ok: true, state };
    case "pin":
      return judge(state.pinFailures, PIN_LIMIT, a.correct, "E7010", "E7011", (pinFailures) => ({ ...state, pinFailures }));
    case "face":
      return judge(state.faceFailures, FACE_LIMIT, a.matched, "E7012", "E7013", (faceFailures) => ({ ...state, faceFailures }));
  }
}

/** The failing attempt that reaches the limit answers "locked", so the patient learns it at once. */
function judge<F extends "E7010" | "E7012", L extends "E7011" | "E7013">(
  failures: number,
  limit: number,
  success: boolean,
  failed: F,
  locked: L,
  withFailures: (n: number) => LockState,
): AttemptOutcome {
  if (failures >= limit) return { ok: false, code: locked, state: withFailures(failures), remaining: 0 };
  if (success) return { ok: true, state: withFailures(0) };
  const next = failures + 1;
  return { ok: false, code: next >= limit ? locked : failed, state: withFailures(next), remaining: limit - next };
}

export function isPinLocked(state: LockState): boolean {
  return state.pinFailures >= PIN_LIMIT;
}

export function isFaceLocked(state: LockState): boolean {
  return state.faceFailures >= FACE_LIMIT;
}

/** The 市区町村 counter's reset (an admin operation): both methods unlocked. */
export function municipalReset(): LockState {
  return { pinFailures: 0, faceFailures: 0 };
}
