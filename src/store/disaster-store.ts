// Disaster declarations (災害時医療情報閲覧) as migration 014 keeps them: the declaration, the
// municipalities it names, and every change of its end (extension or early end).
import type { Db } from "../db/client.ts";

export interface NewDeclaration {
  name: string;
  municipalityCodes: string[];
  startsAt: Date;
  endsAt: Date;
  declaredBy: string;
  declaredAt: Date;
}

export interface PeriodChange {
  kind: "extend" | "end";
  changedAt: Date;
  changedBy: string;
  previousEnd: Date;
  newEnd: Date;
}

export interface Declaration {
  id: number;
  name: string;
  municipalityCodes: string[];
  startsAt: Date;
  /** The end in force (exclusive): the declared one, extended, or ended early. */
  endsAt: Date;
  declaredBy: string;
  declaredAt: Date;
  /** Oldest first. */
  changes: PeriodChange[];
}

const date = (value: unknown) => new Date(value as Date | string);

export async function insertDeclaration(tx: Db, d: NewDeclaration): Promise<number> {
  const [row] = await tx.query<{ declaration_id: number }>(
    `insert into disaster_declarations (name, declared_by, declared_at, starts_at, ends_at)
     values ($1, $2, $3, $4, $5) returning declaration_id`,
    [d.name, d.declaredBy, d.declaredAt.toISOString(), d.startsAt.toISOString(), d.endsAt.toISOString()],
  );
  const id = Number(row!.declaration_id);
  await tx.query(
    "insert into disaster_municipalities (declaration_id, municipality_code) select $1, unnest($2::text[])",
    [id, d.municipalityCodes],
  );
  return id;
}

/** Moves the declaration's end, keeping the change; the row is locked by the caller's findDeclaration(…, true). */
export async function changeEnd(tx: Db, id: number, change: PeriodChange): Promise<void> {
  await tx.query("update disaster_declarations set ends_at = $2 where declaration_id = $1", [id, change.newEnd.toISOString()]);
  await tx.query(
    `insert into disaster_period_changes (declaration_id, changed_at, changed_by, kind, previous_end, new_end)
     values ($1, $2, $3, $4, $5, $6)`,
    [id, change.changedAt.toISOString(), change.changedBy, change.kind, change.previousEnd.toISOString(), change.newEnd.toISOString()],
  );
}

interface DeclarationRow {
  declaration_id: number;
  name: string;
  declared_by: string;
  declared_at: Date | string;
  starts_at: Date | string;
  ends_at: Date | string;
}

async function complete(db: Db, rows: DeclarationRow[]): Promise<Declaration[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => Number(r.declaration_id));
  const codes = await db.query<{ declaration_id: number; municipality_code: string }>(
    "select declaration_id, municipality_code from disaster_municipalities where declaration_id = any($1::bigint[]) order by municipality_code",
    [ids],
  );
  const changes = await db.query<{ declaration_id: number; changed_at: Date | string; changed_by: string; kind: "extend" | "end"; previous_end: Date | string; new_end: Date | string }>(
    `select declaration_id, changed_at, changed_by, kind, previous_end, new_end from disaster_period_changes
     where declaration_id = any($1::bigint[]) order by changed_at, new_end`,
    [ids],
  );
  return rows.map((r) => {
    const id = Number(r.declaration_id);
    return {
      id,
      name: r.name,
      municipalityCodes: codes.filter((c) => Number(c.declaration_id) === id).map((c) => c.municipality_code),
      startsAt: date(r.starts_at),
      endsAt: date(r.ends_at),
      declaredBy: r.declared_by,
      declaredAt: date(r.declared_at),
      changes: changes
        .filter((c) => Number(c.declaration_id) === id)
        .map((c) => ({ kind: c.kind, changedAt: date(c.changed_at), changedBy: c.changed_by, previousEnd: date(c.previous_end), newEnd: date(c.new_end) })),
    };
  });
}

const SELECT = "select declaration_id, name, declared_by, declared_at, starts_at, ends_at from disaster_declarations";

/** One declaration; `lock` holds its row until the transaction ends (two changes of one end do not interleave). */
export async function findDeclaration(db: Db, id: number, lock = false): Promise<Declaration | undefined> {
  const rows = await db.query<DeclarationRow>(`${SELECT} where declaration_id = $1${lock ? " for update" : ""}`, [id]);
  return (await complete(db, rows))[0];
}

/** Declarations whose period has not ended at `at` (all of them without it), newest start first, at most `limit`. */
export async function listDeclarations(db: Db, options: { notEndedAt?: Date; limit: number }): Promise<Declaration[]> {
  const rows = options.notEndedAt
    ? await db.query<DeclarationRow>(`${SELECT} where ends_at > $1 order by starts_at desc, declaration_id desc limit $2`, [options.notEndedAt.toISOString(), options.limit])
    : await db.query<DeclarationRow>(`${SELECT} order by starts_at desc, declaration_id desc limit $1`, [options.limit]);
  return complete(db, rows);
}

/**
 * The declaration in force at `at` naming one of `codes` (the facility's municipality and its
 * city): of several, the one that ends last (then the first declared), so a view is recorded under
 * the declaration that keeps it open longest.
 */
export async function declarationInForce(db: Db, codes: string[], at: Date): Promise<Declaration | undefined> {
  const rows = await db.query<DeclarationRow>(
    `${SELECT} d where d.starts_at <= $2 and $2 < d.ends_at
       and exists (select 1 from disaster_municipalities m where m.declaration_id = d.declaration_id and m.municipality_code = any($1::text[]))
     order by d.ends_at desc, d.declaration_id limit 1`,
    [codes, at.toISOString()],
  );
  return (await complete(db, rows))[0];
}

/** The facility's 全国地方公共団体コード, null when it has none, undefined when there is no such facility. */
export async function facilityMunicipality(db: Db, facilityCode: string): Promise<string | null | undefined> {
  const [row] = await db.query<{ municipality_code: string | null }>("select municipality_code from facilities where medical_institution_code = $1", [facilityCode]);
  return row ? row.municipality_code : undefined;
}
