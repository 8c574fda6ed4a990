// One field of PostgreSQL's COPY text format (Db.copyRows' lines): the seed loader and the stores
// that write many rows at once format their lines with it.
const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One COPY text field: \N for null, t/f for booleans, backslash escapes for text. */
export function copyField(value: string | number | boolean | null): string {
  if (value === null) return "\\N";
  if (typeof value === "boolean") return value ? "t" : "f";
  const text = String(value);
  return SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : text;
}
