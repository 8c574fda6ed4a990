// Dates on the wire are YYYYMMDD strings and compare correctly as strings; timestamps are
// YYYYMMDDHHmmss in Japan time (UTC+9, no daylight saving).

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

export function isValidYyyymmdd(value: string): boolean {
  if (!/^[0-9]{8}$/.test(value)) return false;
  const y = Number(value.slice(0, 4));
  const m = Number(value.slice(4, 6));
  const d = Number(value.slice(6, 8));
  if (y < 1868 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** 'YYYY-MM-DD' (SQL) → 'YYYYMMDD' (wire). */
export function isoToYyyymmdd(iso: string): string {
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

/** 'YYYYMMDD' (wire) → 'YYYY-MM-DD' (SQL). */
export function yyyymmddToIso(value: string): string {
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
}

/** The calendar date in Japan at an instant, as YYYYMMDD. */
export function jstDate(instant: Date): string {
  return jstTimestamp(instant).slice(0, 8);
}

/** YYYYMMDDHHmmss in Japan time. */
export function jstTimestamp(instant: Date): string {
  return new Date(instant.getTime() + JST_OFFSET_MS).toISOString().replace(/[-:T]/g, "").slice(0, 14);
}
