// Reader sessions: a verified card at one facility's reader, for registration and completion.
import type { Db } from "../db/client.ts";
import type { CheckMethod } from "../card/answer.ts";
import { SPEND_CHALLENGE, spendValues } from "./card-verifier-store.ts";
import { type Inspected, type SpendRow } from "../card/verifier.ts";
import type { ConsentSettings } from "../domain/consent.ts";
import type { Holder } from "./card-store.ts";
import { consentSettingsColumn, consentSettingsOf } from "./consent-store.ts";

export type Scope = "full" | "qualification-only";

export interface ReaderSession {
  session: string;
  facilityCode: string;
  certificateSerial: string;
  method: CheckMethod;
  scope: Scope;
  expiresAt: Date;
  usedAt: Date | null;
}

type Row = {
  session: string;
  medical_institution_code: string;
  certificate_serial: string;
  method: CheckMethod;
  scope: Scope;
  expires_at: Date | string;
  used_at: Date | string | null;
};

/**
 * The verifier's statement (SPEND_CHALLENGE and what settle needs) that also opens the session,
 * if the challenge was fresh and the card is ours, and reads what the reader shows next: the
 * card's holder (the registered person, or else the name and birth date printed on the card),
 * the facility's consent settings and its kind. One round trip for the whole verification.
 */
export async function openSession(
  db: Db,
  inspected: Inspected,
  s: Omit<ReaderSession, "usedAt" | "certificateSerial" | "method" | "scope">,
): Promise<SpendRow & { opened: boolean; holder: Holder; settings: ConsentSettings; facilityKind: string | undefined }> {
  const [row] = await db.query<SpendRow & { opened: boolean; name: string; birthdate: string; settings: Record<string, unknown> | null; kind: string | null }>(
    `with ${SPEND_CHALLENGE},
     opened as (
       insert into reader_sessions (session, medical_institution_code, certificate_serial, method, scope, created_at, expires_at)
       select $4, $5, $6, $7, $8, $2, $9
       where exists (select 1 from spent) and exists (select 1 from cards where certificate_serial = $6)
       returning session)
     select exists (select 1 from spent) as fresh, (select crl_number from card_authority where id = 1) as crl_number,
       k.certificate_serial is not null as card, k.person_id, exists (select 1 from opened) as opened,
       coalesce(p.name, c.face_name) as name, coalesce(p.birthdate, c.face_birthdate) as birthdate,
       ${consentSettingsColumn("$5")} as settings,
       (select kind from facilities where medical_institution_code = $5) as kind
     from (select 1) one left join cards k on k.certificate_serial = $6
       left join card_chips c on c.card_id = k.card_id left join persons p on p.person_id = k.person_id`,
    [...spendValues(inspected), s.session, s.facilityCode, inspected.serial, inspected.method, inspected.scope, s.expiresAt],
  );
  return {
    ...row!,
    holder: { name: row!.name, birthdate: row!.birthdate },
    settings: consentSettingsOf(parsed(row!.settings)),
    facilityKind: row!.kind ?? undefined,
  };
}

/** Closes a session opened for an answer refused after all. */
export async function dropSession(db: Db, session: string): Promise<void> {
  await db.query("delete from reader_sessions where session = $1", [session]);
}

/**
 * The session with the person its card is registered to and the facility's consent settings, in
 * one round trip, for a completion; nothing is changed (spendSession does that in the
 * completion's transaction).
 */
export async function sessionForCompletion(
  db: Db,
  session: string,
): Promise<{ session: ReaderSession; personId: number | null; settings: ConsentSettings } | undefined> {
  const [row] = await db.query<Row & { person_id: number | null; settings: Record<string, unknown> | null }>(
    `select r.session, r.medical_institution_code, r.certificate_serial, r.method, r.scope, r.expires_at, r.used_at,
       (select person_id from cards k where k.certificate_serial = r.certificate_serial) as person_id,
       ${consentSettingsColumn("r.medical_institution_code")} as settings
     from reader_sessions r where r.session = $1`,
    [session],
  );
  return row && { session: sessionOf(row), personId: row.person_id, settings: consentSettingsOf(parsed(row.settings)) };
}

/**
 * Spends the session at `at` if it is the facility's, unspent and unexpired; false when it is
 * not (another completion won the race). Run inside the completion's transaction: the row lock
 * makes a racing completion wait for this one's commit, and a rollback leaves the session usable.
 */
export async function spendSession(db: Db, session: string, facilityCode: string, at: Date): Promise<boolean> {
  const rows = await db.query(
    `update reader_sessions set used_at = $3
     where session = $1 and medical_institution_code = $2 and used_at is null and expires_at >= $3
     returning session`,
    [session, facilityCode, at],
  );
  return rows.length === 1;
}

export async function findSession(db: Db, session: string): Promise<ReaderSession | undefined> {
  const [row] = await db.query<Row>(
    `select session, medical_institution_code, certificate_serial, method, scope, expires_at, used_at
     from reader_sessions where session = $1`,
    [session],
  );
  return row && sessionOf(row);
}

function sessionOf(row: Row): ReaderSession {
  return {
    session: row.session,
    facilityCode: row.medical_institution_code,
    certificateSerial: row.certificate_serial,
    method: row.method,
    scope: row.scope,
    expiresAt: new Date(row.expires_at),
    usedAt: row.used_at === null ? null : new Date(row.used_at),
  };
}

/** A json column, parsed by pg and PGlite alike (text from a driver that leaves it). */
function parsed(value: Record<string, unknown> | string | null): Record<string, unknown> | null {
  return typeof value === "string" ? JSON.parse(value) : value;
}
