// The usage records' writes (migration 020): each answered check adds to its facility × day ×
// method × transport counter, and a card check adds its person to the facility's month (名寄せ).
// They are statements to run alongside the check's own (alongside.ts), never on their own, so
// recording costs the hot path no round trip and commits or rolls back with the answer.
import { usageMonth, type UsageEvent } from "../domain/usage.ts";
import type { Alongside } from "./alongside.ts";

const placeholders = (offset: number) => (n: number) => `$${n + offset}`;

/**
 * The day's counter, on the shard of the connection's backend (pg_backend_pid() % 8; PGlite has
 * one backend): concurrent checks of one facility's day update up to 8 rows instead of queueing
 * on one row's lock. A count of 0 (a 一括照会 chunk of refused rows) writes nothing.
 */
function dayCounter(event: UsageEvent, asynchronousCommit: boolean): Alongside {
  // set_config(…, true) lasts for the statement's own transaction and is read when it commits.
  const commit = asynchronousCommit ? ` and set_config('synchronous_commit', 'off', true) is not null` : "";
  return (offset) => {
    const $ = placeholders(offset);
    return {
      sql: `insert into usage_days (medical_institution_code, day, method, transport, shard, count)
  select ${$(1)}::text, ${$(2)}::date, ${$(3)}::text, ${$(4)}::text, pg_backend_pid() % 8, ${$(5)}::bigint where ${$(5)}::bigint > 0${commit}
  on conflict (medical_institution_code, day, method, transport, shard) do update set count = usage_days.count + excluded.count`,
      values: [event.facilityCode, event.day, event.method, event.transport, event.count],
    };
  };
}

/** The card check's person in the facility's month, once however many checks (名寄せ). */
function cardPerson(facilityCode: string, day: string, personId: number): Alongside {
  return (offset) => {
    const $ = placeholders(offset);
    return {
      sql: `insert into usage_card_persons (medical_institution_code, month, person_id) values (${$(1)}::text, ${$(2)}::date, ${$(3)}::bigint) on conflict do nothing`,
      values: [facilityCode, usageMonth(day), personId],
    };
  };
}

/**
 * The writes that record `event`: its day's counter and, for a card check, its person of the month.
 * `asynchronousCommit` is for a statement that writes nothing else (a 個別照会's lookup): its commit
 * then does not wait for the WAL to reach the disk, which a read-only answer never did before.
 * A crash may lose the last moment's counts (at most about 3 × wal_writer_delay, 0.6 s by
 * default), never the database's consistency; nothing else is written with them.
 */
export function usageRecord(event: UsageEvent, asynchronousCommit = false): Alongside[] {
  return [dayCounter(event, asynchronousCommit), ...(event.cardPerson === undefined ? [] : [cardPerson(event.facilityCode, event.day, event.cardPerson)])];
}
