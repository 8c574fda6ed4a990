// Date arithmetic for the generators on 'YYYY-MM-DD' strings. It works on day numbers with plain
// integer arithmetic (Hinnant's civil-from-days), because Date objects made formatting the
// dominant cost of generating a million persons.
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date. */
export function dayNumber(iso: string): number {
  return daysFromCivil(digits(iso, 0, 4), digits(iso, 5, 7), digits(iso, 8, 10));
}

function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

/** The 'YYYY-MM-DD' date of a day number. */
export function isoOf(day: number): string {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${PAD2[m]}-${PAD2[d]}`;
}

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** A real calendar date written YYYY-MM-DD (not 2026-02-30). */
export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && isoOf(dayNumber(value)) === value;
}

export function addDays(iso: string, days: number): string {
  return isoOf(dayNumber(iso) + days);
}

/** The same day n years later; 29 February becomes 1 March in a common year. */
export function addYears(iso: string, years: number): string {
  const year = Number(iso.slice(0, 4)) + years;
  if (iso.endsWith("-02-29") && !isLeapYear(year)) return `${year}-03-01`;
  return `${year}${iso.slice(4)}`;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The first day of the month after the one containing the date. */
export function firstOfNextMonth(iso: string): string {
  const month = Number(iso.slice(5, 7));
  return month === 12 ? `${Number(iso.slice(0, 4)) + 1}-01-01` : `${iso.slice(0, 4)}-${PAD2[month + 1]}-01`;
}

/** Completed years of age on a date (the age goes up on the birthday itself). */
export function ageOn(birthdate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthdate.slice(0, 4));
  return date.slice(5) >= birthdate.slice(5) ? years : years - 1;
}

/**
 * 未就学: until the 31 March after the day the child legally turns 6 (the day before the 6th
 * birthday), i.e. before the 1 April of the year the child enters elementary school. A child born
 * on 1 April enters a year earlier than one born on 2 April.
 */
export function schoolEntryDate(birthdate: string): string {
  const year = Number(birthdate.slice(0, 4));
  return `${birthdate.slice(5) <= "04-01" ? year + 6 : year + 7}-04-01`;
}

export function isPreschool(birthdate: string, date: string): boolean {
  return date < schoolEntryDate(birthdate);
}

/** 70歳到達: certificates start on the first of the next month, or on the birthday when it is the 1st. */
export function elderlyStart(birthdate: string): string {
  const birthday70 = addYears(birthdate, 70);
  return birthday70.endsWith("-01") ? birthday70 : firstOfNextMonth(birthday70);
}

/** The 1 August–31 July year of 高齢受給者証, 限度額 and 後期高齢 cards that contains a date. */
export function benefitYear(date: string): { start: string; end: string } {
  const year = Number(date.slice(0, 4));
  const startYear = date.slice(5) >= "08-01" ? year : year - 1;
  return { start: `${startYear}-08-01`, end: `${startYear + 1}-07-31` };
}

export const later = (a: string, b: string): string => (a > b ? a : b);
export const earlier = (a: string, b: string): string => (a < b ? a : b);
