// Server-side sessions of signed-in accounts (staff_sessions, office_sessions): one set of queries
// over either table pair. A row holds only the token's SHA-256; the account comes with the session.
import type { Db } from "../db/client.ts";

type Row = Record<string, unknown>;

export interface StoredSession<A> {
  account: A;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
}

export interface SessionTables<A> {
  /** The sessions table: token_hash, account_id, csrf_token, created_at, last_seen_at. */
  sessions: string;
  /** The accounts table, joined on account_id and aliased `a`. */
  accounts: string;
  /** The account's columns as `a.…`, read by accountOf. */
  columns: string;
  accountOf(row: Row): A;
}

export interface SessionStore<A> {
  insert(db: Db, tokenHash: string, accountId: number, csrfToken: string, at: Date): Promise<void>;
  /** The session and its account (a disabled account has no sessions left). */
  find(db: Db, tokenHash: string): Promise<StoredSession<A> | undefined>;
  touch(db: Db, tokenHash: string, at: Date): Promise<void>;
  delete(db: Db, tokenHash: string): Promise<void>;
  /** Sessions that can no longer be in force (idle or absolute limit passed), swept at sign-in. */
  deleteBefore(db: Db, createdBefore: Date, seenBefore: Date): Promise<void>;
}

export function sessionStore<A>(t: SessionTables<A>): SessionStore<A> {
  return {
    async insert(db, tokenHash, accountId, csrfToken, at) {
      await db.query(`insert into ${t.sessions} (token_hash, account_id, csrf_token, created_at, last_seen_at) values ($1, $2, $3, $4, $4)`, [
        tokenHash,
        accountId,
        csrfToken,
        at.toISOString(),
      ]);
    },
    async find(db, tokenHash) {
      const rows = await db.query<Row>(
        `select ${t.columns}, s.csrf_token, s.created_at as session_created_at, s.last_seen_at
         from ${t.sessions} s join ${t.accounts} a using (account_id) where s.token_hash = $1`,
        [tokenHash],
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        account: t.accountOf(row),
        csrfToken: row.csrf_token as string,
        createdAt: new Date(row.session_created_at as string | Date),
        lastSeenAt: new Date(row.last_seen_at as string | Date),
      };
    },
    async touch(db, tokenHash, at) {
      await db.query(`update ${t.sessions} set last_seen_at = $2 where token_hash = $1`, [tokenHash, at.toISOString()]);
    },
    async delete(db, tokenHash) {
      await db.query(`delete from ${t.sessions} where token_hash = $1`, [tokenHash]);
    },
    async deleteBefore(db, createdBefore, seenBefore) {
      await db.query(`delete from ${t.sessions} where created_at <= $1 or last_seen_at <= $2`, [createdBefore.toISOString(), seenBefore.toISOString()]);
    },
  };
}
