// Where a certificate stands on a day (spec §5): valid; expired but still answering for 資格情報
// only until 3 months after its expiry, with warning E7050; or expired beyond that (E7008).
// "3 months": the last day of grace is the expiry date's day of month, 3 months on (clamped to
// that month's end: expiry 30 November → 28 February), the first day out is the day after.
// Dates are JST calendar dates, YYYY-MM-DD.

export type Standing = { kind: "not-yet-valid" } | { kind: "valid" } | { kind: "grace"; lastDay: string } | { kind: "expired"; lastDay: string };

export const GRACE_MONTHS = 3;

export function certificateStanding(firstDay: string, expiry: string, today: string): Standing {
  if (today < firstDay) return { kind: "not-yet-valid" };
  if (today <= expiry) return { kind: "valid" };
  const lastDay = addMonthsClamped(expiry, GRACE_MONTHS);
  return today <= lastDay ? { kind: "grace", lastDay } : { kind: "expired", lastDay };
}

export function addMonthsClamped(iso: string, months: number): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const monthEnd = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(Math.min(d, monthEnd)).padStart(2, "0")}`;
}
