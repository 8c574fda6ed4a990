// The live 利用者リスト: follows a facility's entries of the day as they are appended. A check
// completed in this process wakes its followers at once; one completed by another process sharing
// the database is found by a short poll of card_users by sequence (one indexed query a second per
// open stream). Polling rather than LISTEN/NOTIFY: PGlite's notifications do not leave its one
// process, and on PostgreSQL LISTEN needs a connection held outside the pool; the poll is the
// same SQL on both and cannot miss an entry, since sequences become visible in order.
import type { Db } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { jstDate, yyyymmddToIso } from "../domain/dates.ts";
import { listCardUsers, type CardUserEntry } from "../store/card-user-store.ts";

export const FEED_POLL_MS = 1000;

export class CardUserFeed {
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly pollMs = FEED_POLL_MS,
  ) {}

  /** A check was completed in this process: followers look now instead of at their next poll. */
  notify(): void {
    for (const wake of this.wakers) wake();
  }

  /**
   * The facility's entries of the current JST day after `afterSequence`, then each new one, until
   * `signal` aborts or, by the clock, `until` comes (the token's expiry: checked at each poll, so
   * a stream ends within a poll of it). Sequences count up across days, so following goes on past midnight.
   */
  async *follow(facilityCode: string, afterSequence: number, signal: AbortSignal, until?: Date): AsyncGenerator<CardUserEntry> {
    let last = afterSequence;
    while (!signal.aborted && !(until && this.now() >= until)) {
      for (const entry of await this.since(facilityCode, last)) {
        last = entry.sequence;
        yield entry;
      }
      await this.pause(signal);
    }
  }

  /** New entries; none while the database cannot be reached, so an open stream outlasts an outage. */
  private async since(facilityCode: string, sequence: number): Promise<CardUserEntry[]> {
    try {
      return await listCardUsers(this.db, facilityCode, yyyymmddToIso(jstDate(this.now())), sequence);
    } catch (error) {
      if (isDatabaseUnavailable(error)) return [];
      throw error;
    }
  }

  private pause(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      this.wakers.add(done);
      signal.addEventListener("abort", done);
    });
  }
}
