// Reader sessions: a verified card at one facility's reader, for registration and completion.
import type { Db } from "../db/client.ts";
import type { CheckMethod } from "../card/chip.ts";

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

export async function saveSession(db: Db, s: Omit<ReaderSession, "usedAt">, createdAt: Date): Promise<void> {
  await db.query(
    `insert into reader_sessions (session, medical_institution_code, certificate_serial, method, scope, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [s.session, s.facilityCode, s.certificateSerial, s.method, s.scope, createdAt, s.expiresAt],
  );
}

/** The session, locked until the transaction ends when `forUpdate` (completion spends it once). */
export async function findSession(db: Db, session: string, forUpdate = false): Promise<ReaderSession | undefined> {
  const [row] = await db.query<Row>(
    `select session, medical_institution_code, certificate_serial, method, scope, expires_at, used_at
     from reader_sessions where session = $1 ${forUpdate ? "for update" : ""}`,
    [session],
  );
  return (
    row && {
      session: row.session,
      facilityCode: row.medical_institution_code,
      certificateSerial: row.certificate_serial,
      method: row.method,
      scope: row.scope,
      expiresAt: new Date(row.expires_at),
      usedAt: row.used_at === null ? null : new Date(row.used_at),
    }
  );
}

export async function spendSession(db: Db, session: string, at: Date): Promise<void> {
  await db.query("update reader_sessions set used_at = $2 where session = $1", [session, at]);
}
