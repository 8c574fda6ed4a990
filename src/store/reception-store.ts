// Receptions of two-phase bulk messages (migration 003): the upload with its rows, the results
// the background worker stores chunk by chunk, and the download that reads them back in order.
import { EventEmitter } from "node:events";
import type { Db } from "../db/client.ts";
import { withAlongside, type Alongside } from "./alongside.ts";
import { isoToYyyymmdd, yyyymmddToIso } from "../domain/dates.ts";
import { drawReceptionNumber } from "../domain/reception-number.ts";
import type { XmlTree, XmlValue } from "../oqs/message-tree.ts";

export type ReceptionKind = "muquc" | "muimm" | "muonq" | "muhvq" | "mutic";

export interface Reception {
  receptionNumber: string;
  facilityCode: string;
  kind: ReceptionKind;
  /** YYYYMMDD (一括照会 only). */
  confirmationDate: string | null;
  arbitraryFileIdentifier: string | null;
  rowCount: number;
  receivedAt: Date;
  readyAt: Date;
  finishedAt: Date | null;
  expiresAt: Date;
  expired: boolean;
  /** Uploaded as a request file (folder gateway), not over the WebAPI. */
  fromFile: boolean;
}

/** The request file an upload came from, when it came from a folder (migration 008). */
export interface ReceptionSource {
  fileName: string;
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256: string;
}

export interface NewReception {
  facilityCode: string;
  kind: ReceptionKind;
  confirmationDate?: string;
  arbitraryFileIdentifier?: string;
  /** The uploaded rows (one message-tree element each), in input order. */
  rows: readonly (XmlTree | string)[];
  receivedAt: Date;
  readyAt: Date;
  expiresAt: Date;
  source?: ReceptionSource;
  /** A fixed ReceptionNumber (the demo's); drawn otherwise. */
  receptionNumber?: string;
}

export interface PendingRow {
  rowIndex: number;
  request: XmlTree | string;
}

export interface RowResult {
  rowIndex: number;
  /** ProcessingResultStatus: 1 正常, 2 エラー. */
  status: 1 | 2;
  result: XmlTree;
}

export interface StoredRow {
  request: XmlValue;
  status: 1 | 2;
  result: XmlTree;
}

/** Tells workers in this process that a reception is waiting (others find it by polling). */
export const receptionEvents = new EventEmitter();

// Rows per INSERT: keeps each statement's parameters a few MB at most. Rows travel as one JSON
// document, not a json[] array, whose per-element quoting cost more than the insert itself.
const INSERT_BATCH = 5_000;
const NUMBER_ATTEMPTS = 5;

/**
 * Stores an upload and its rows in one transaction; returns it with its new ReceptionNumber. An
 * upload from the same source (file name and content) as an unexpired reception of the facility
 * returns that reception instead: the file was read again after a crash, or sent again.
 */
export async function createReception(db: Db, r: NewReception): Promise<Reception> {
  let created = false;
  const reception = await db.transaction(async (tx) => {
    const earlier = r.source && (await findBySource(tx, r, r.source));
    if (earlier) return earlier;
    const receptionNumber = await insertReception(tx, r);
    if (receptionNumber === undefined) return (await findBySource(tx, r, r.source!))!;
    created = true;
    for (let start = 0; start < r.rows.length; start += INSERT_BATCH) {
      await tx.query(
        `insert into reception_items (reception_number, row_index, request)
         select $1, $2::int + t.i::int, t.request from json_array_elements($3::json) with ordinality as t(request, i)`,
        [receptionNumber, start, JSON.stringify(r.rows.slice(start, start + INSERT_BATCH))],
      );
    }
    return (await findReception(tx, receptionNumber))!;
  });
  if (created) receptionEvents.emit("created", reception.receptionNumber);
  return reception;
}

async function findBySource(tx: Db, r: NewReception, source: ReceptionSource): Promise<Reception | undefined> {
  const rows = await tx.query<Row>(
    `select * from receptions where medical_institution_code = $1 and kind = $2 and source_file_name = $3 and source_sha256 = $4`,
    [r.facilityCode, r.kind, source.fileName, source.sha256],
  );
  return rows[0] && toReception(rows[0]);
}

/**
 * Inserts the reception under a new ReceptionNumber (src/domain/reception-number.ts), drawn again
 * on a collision; returns the number. Undefined when a reception of the same source was committed meanwhile (by another process).
 */
async function insertReception(tx: Db, r: NewReception): Promise<string | undefined> {
  for (let attempt = 0; attempt < NUMBER_ATTEMPTS; attempt++) {
    const candidate = r.receptionNumber ?? drawReceptionNumber(r.receivedAt);
    const inserted = await tx.query(
      `insert into receptions (reception_number, medical_institution_code, kind, confirmation_date,
         arbitrary_file_identifier, row_count, received_at, ready_at, expires_at, source_file_name, source_sha256)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict do nothing returning reception_number`,
      [
        candidate,
        r.facilityCode,
        r.kind,
        r.confirmationDate ? yyyymmddToIso(r.confirmationDate) : null,
        r.arbitraryFileIdentifier ?? null,
        r.rows.length,
        r.receivedAt,
        r.readyAt,
        r.expiresAt,
        r.source?.fileName ?? null,
        r.source?.sha256 ?? null,
      ],
    );
    if (inserted.length === 1) return candidate;
    if (r.source && (await findBySource(tx, r, r.source))) return undefined;
    if (r.receptionNumber) break;
  }
  throw new Error(r.receptionNumber ? `ReceptionNumber ${r.receptionNumber} is taken` : "could not draw a free ReceptionNumber");
}

type Row = Record<string, unknown>;

function toReception(row: Row): Reception {
  return {
    receptionNumber: row.reception_number as string,
    facilityCode: row.medical_institution_code as string,
    kind: row.kind as ReceptionKind,
    confirmationDate: row.confirmation_date == null ? null : isoToYyyymmdd(row.confirmation_date as string),
    arbitraryFileIdentifier: (row.arbitrary_file_identifier as string | null) ?? null,
    rowCount: row.row_count as number,
    receivedAt: new Date(row.received_at as Date),
    readyAt: new Date(row.ready_at as Date),
    finishedAt: row.finished_at == null ? null : new Date(row.finished_at as Date),
    expiresAt: new Date(row.expires_at as Date),
    expired: row.expired as boolean,
    fromFile: row.source_file_name != null,
  };
}

export async function findReception(db: Db, receptionNumber: string): Promise<Reception | undefined> {
  const rows = await db.query<Row>("select * from receptions where reception_number = $1", [receptionNumber]);
  return rows[0] && toReception(rows[0]);
}

/** Unfinished receptions, oldest first: the worker's queue. */
export async function unfinishedReceptions(db: Db): Promise<string[]> {
  const rows = await db.query<{ reception_number: string }>(
    "select reception_number from receptions where finished_at is null and not expired order by received_at, reception_number",
  );
  return rows.map((r) => r.reception_number);
}

/**
 * Locks a reception for this transaction, or returns undefined when another worker holds it (or
 * it is finished or gone), so that two workers never process the same rows at once.
 */
export async function lockUnfinishedReception(tx: Db, receptionNumber: string): Promise<Reception | undefined> {
  const rows = await tx.query<Row>(
    `select * from receptions where reception_number = $1 and finished_at is null and not expired
     for update skip locked`,
    [receptionNumber],
  );
  return rows[0] && toReception(rows[0]);
}

/**
 * The first rows without a result, in input order. Chunks are taken and committed in input
 * order, so the stored results are always a prefix: the rows after the last stored one are the
 * pending ones (an index probe, where an anti-join would rescan the prefix on every chunk).
 */
export async function pendingRows(tx: Db, receptionNumber: string, limit: number): Promise<PendingRow[]> {
  const rows = await tx.query<{ row_index: number; request: XmlTree | string }>(
    `select i.row_index, i.request from reception_items i
     where i.reception_number = $1
       and i.row_index > coalesce((select max(r.row_index) from reception_results r where r.reception_number = $1), 0)
     order by i.row_index limit $2`,
    [receptionNumber, limit],
  );
  return rows.map((r) => ({ rowIndex: r.row_index, request: r.request }));
}

/** Stores a chunk's results; `alongside` (the chunk's usage record) is written by the same statement. */
export async function saveResults(tx: Db, receptionNumber: string, results: readonly RowResult[], alongside: readonly Alongside[] = []): Promise<void> {
  if (results.length === 0) return;
  // The results as one JSON array (json_to_recordset, or a json[] parameter, took half as long again).
  const statement = withAlongside(
    {
      sql: `insert into reception_results (reception_number, row_index, status, result)
     select $1, ($2::int[])[t.i], ($3::smallint[])[t.i], t.result
     from json_array_elements($4::json) with ordinality as t(result, i)`,
      values: [receptionNumber, results.map((r) => r.rowIndex), results.map((r) => r.status), JSON.stringify(results.map((r) => r.result))],
    },
    alongside,
  );
  await tx.query(statement.sql, statement.values);
}

export async function markFinished(tx: Db, receptionNumber: string, at: Date): Promise<void> {
  await tx.query("update receptions set finished_at = $2 where reception_number = $1", [receptionNumber, at]);
}

/** Every row with its result, in input order (call once the reception is finished). */
export async function storedRows(db: Db, receptionNumber: string): Promise<StoredRow[]> {
  const rows = await db.query<{ request: XmlValue; status: number; result: XmlTree }>(
    `select i.request, r.status, r.result from reception_items i
     join reception_results r on r.reception_number = i.reception_number and r.row_index = i.row_index
     where i.reception_number = $1 order by i.row_index`,
    [receptionNumber],
  );
  return rows.map((r) => ({ request: r.request, status: r.status as 1 | 2, result: r.result }));
}

/** Marks receptions past their retention period as expired and deletes their rows. */
export async function expireReceptions(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const expired = await tx.query<{ reception_number: string }>(
      "update receptions set expired = true, source_sha256 = null where not expired and expires_at <= $1 returning reception_number",
      [now],
    );
    const numbers = expired.map((r) => r.reception_number);
    if (numbers.length > 0) {
      await tx.query("delete from reception_results where reception_number = any($1::text[])", [numbers]);
      await tx.query("delete from reception_items where reception_number = any($1::text[])", [numbers]);
    }
    return numbers.length;
  });
}
