// The clock every command and the server run on. `--now` shifts it to a fixed starting instant
// (then it runs on), so any scenario can be replayed at a chosen time.
export type Clock = () => Date;

export function clockFrom(now: string | undefined): Clock {
  if (now === undefined) return () => new Date();
  const start = parseNow(now);
  const offset = start.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

/** Accepts an ISO instant, or a date (YYYY-MM-DD or YYYYMMDD) meaning 09:00 Japan time that day. */
export function parseNow(value: string): Date {
  const dateOnly = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value);
  const instant = dateOnly ? new Date(`${dateOnly[1]}-${dateOnly[2]}-${dateOnly[3]}T09:00:00+09:00`) : new Date(value);
  if (Number.isNaN(instant.getTime())) throw new Error(`--now の日時が不正です: ${value} (例: 2026-04-01 または 2026-04-01T09:00:00+09:00)`);
  return instant;
}
