// Writes that ride on another statement as data-modifying CTEs: they commit with it, or not at all,
// and cost no round trip of their own (the usage records on a check's hot path, the consent record
// with its 利用者リスト entry).

/** A statement to run inside another one; its parameters are numbered from offset + 1. */
export type Alongside = (offset: number) => { sql: string; values: unknown[] };

/**
 * `statement` (parameters $1…$n, optionally beginning with its own `with`) with each of
 * `alongside` as a CTE before it, their parameters numbered after the statement's. PostgreSQL runs
 * a data-modifying CTE exactly once whether or not the statement reads it.
 */
export function withAlongside(statement: { sql: string; values: unknown[] }, alongside: readonly Alongside[]): { sql: string; values: unknown[] } {
  if (alongside.length === 0) return statement;
  const values = [...statement.values];
  const ctes = alongside.map((write, i) => {
    const fragment = write(values.length);
    values.push(...fragment.values);
    return `alongside${i + 1} as (${fragment.sql})`;
  });
  const body = statement.sql.trimStart();
  const own = /^with\s/i.exec(body);
  return { sql: own ? `with ${ctes.join(",\n")},\n${body.slice(own[0].length)}` : `with ${ctes.join(",\n")}\n${body}`, values };
}
