// Lockout and back-off for the auth route's credential check, per facility code and per client
// address, so that neither one code's credential nor the list of codes can be guessed at speed.
// Every attempt counts as a failure from the moment it starts (parallel guesses cannot slip past
// the limit while their scrypt runs); a success takes its own count back.
export interface ThrottleLimits {
  /** Failures allowed before a lock. */
  freeFailures: number;
  /** The first lock; each further failure doubles it, up to maxLockSeconds. */
  firstLockSeconds: number;
  maxLockSeconds: number;
  /** Failures are forgotten this long after the last one. */
  forgetAfterSeconds: number;
}

/** A facility's staff mistyping a few times is not locked; a guesser is slowed to a crawl. */
export const FACILITY_CODE_LIMITS: ThrottleLimits = { freeFailures: 5, firstLockSeconds: 30, maxLockSeconds: 15 * 60, forgetAfterSeconds: 60 * 60 };
/** One address may serve several terminals of a facility, so it gets more room before a lock. */
export const CLIENT_ADDRESS_LIMITS: ThrottleLimits = { freeFailures: 20, firstLockSeconds: 30, maxLockSeconds: 15 * 60, forgetAfterSeconds: 60 * 60 };

// Bounds the memory a flood of distinct codes or addresses can take; the oldest entry goes first.
const MAX_ENTRIES = 10_000;

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

class FailureCounter {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly limits: ThrottleLimits) {}

  /** Milliseconds until the key may try again, 0 when it may now. */
  waitMs(key: string, now: number): number {
    return Math.max(0, (this.current(key, now)?.lockedUntil ?? 0) - now);
  }

  fail(key: string, now: number): void {
    const entry = this.current(key, now) ?? { failures: 0, lockedUntil: 0, lastFailure: now };
    entry.failures += 1;
    entry.lastFailure = now;
    const { freeFailures, firstLockSeconds, maxLockSeconds } = this.limits;
    if (entry.failures >= freeFailures) {
      entry.lockedUntil = now + Math.min(firstLockSeconds * 2 ** (entry.failures - freeFailures), maxLockSeconds) * 1000;
    }
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, entry);
  }

  /** Takes back one failure (an attempt that succeeded or was not judged), lifting a lock it alone caused. */
  undo(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.failures -= 1;
    if (entry.failures < this.limits.freeFailures) entry.lockedUntil = 0;
    if (entry.failures <= 0) this.entries.delete(key);
  }

  clear(key: string): void {
    this.entries.delete(key);
  }

  private current(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.lockedUntil <= now && now - entry.lastFailure > this.limits.forgetAfterSeconds * 1000) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

export class LoginThrottle {
  private readonly codes: FailureCounter;
  private readonly addresses: FailureCounter;

  constructor(
    private readonly now: () => Date,
    limits: { facilityCode: ThrottleLimits; clientAddress: ThrottleLimits } = { facilityCode: FACILITY_CODE_LIMITS, clientAddress: CLIENT_ADDRESS_LIMITS },
  ) {
    this.codes = new FailureCounter(limits.facilityCode);
    this.addresses = new FailureCounter(limits.clientAddress);
  }

  /**
   * Seconds to wait (Retry-After) when the code or the address is locked; otherwise undefined,
   * and the attempt counts as a failure until succeeded() is called for it.
   */
  attempt(facilityCode: string, address: string): number | undefined {
    const now = this.now().getTime();
    const wait = Math.max(this.codes.waitMs(facilityCode, now), this.addresses.waitMs(address, now));
    if (wait > 0) return Math.ceil(wait / 1000);
    this.codes.fail(facilityCode, now);
    this.addresses.fail(address, now);
    return undefined;
  }

  /** The attempt could not be judged (the database was unreachable): it counts against neither. */
  withdrawn(facilityCode: string, address: string): void {
    this.codes.undo(facilityCode);
    this.addresses.undo(address);
  }

  /** The credential was right: the code starts afresh; the address only takes this attempt back. */
  succeeded(facilityCode: string, address: string): void {
    this.codes.clear(facilityCode);
    this.addresses.undo(address);
  }
}
