// Writing usage records straight into the tables of migration 020, as the recording (usage_days,
// usage_card_persons), the national simulation (usage_month_totals) and the receipts upload
// (usage_receipts) leave them: the profile and engine tests set a facility's months exactly.
import type { Db } from "../../src/db/client.ts";

export async function addFacility(db: Db, code: string, kind: string, extra: { openedOn?: string; readersProvided?: number; readersInUse?: number; largeChain?: boolean } = {}): Promise<void> {
  await db.query(
    `insert into facilities (medical_institution_code, name, kind, prefecture, large_chain_pharmacy, opened_on, readers_provided, readers_in_use)
     values ($1, $2, $3, 13, $4, $5, $6, $7)`,
    [code, `施設${code}`, kind, extra.largeChain ?? false, extra.openedOn ?? null, extra.readersProvided ?? null, extra.readersInUse ?? null],
  );
}

export async function addDay(db: Db, code: string, day: string, method: string, count: number, transport = "webapi", shard = 0): Promise<void> {
  await db.query("insert into usage_days (medical_institution_code, day, method, transport, shard, count) values ($1, $2, $3, $4, $5, $6)", [code, day, method, transport, shard, count]);
}

/** 名寄せ persons of a month (YYYY-MM), by person id. */
export async function addPersons(db: Db, code: string, month: string, ids: number[]): Promise<void> {
  await db.query("insert into usage_card_persons (medical_institution_code, month, person_id) select $1, $2::date, unnest($3::bigint[])", [code, `${month}-01`, ids]);
}

export interface Totals {
  face?: number;
  pin?: number;
  visual?: number;
  number?: number;
  reference?: number;
  bulk?: number;
  persons?: number;
}
export async function addTotals(db: Db, code: string, month: string, t: Totals): Promise<void> {
  await db.query(
    `insert into usage_month_totals (medical_institution_code, month, card_face, card_pin, card_visual, insurance_number, reference_number, bulk_row, card_persons)
     values ($1, $2::date, $3, $4, $5, $6, $7, $8, $9)`,
    [code, `${month}-01`, t.face ?? 0, t.pin ?? 0, t.visual ?? 0, t.number ?? 0, t.reference ?? 0, t.bulk ?? 0, t.persons ?? 0],
  );
}

export async function addReceipts(db: Db, code: string, month: string, all: number, outpatient: number): Promise<void> {
  await db.query("insert into usage_receipts (medical_institution_code, month, receipts, outpatient_receipts, updated_at) values ($1, $2::date, $3, $4, now())", [code, `${month}-01`, all, outpatient]);
}
