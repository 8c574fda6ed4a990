// Office accounts (取りまとめ者, 支払基金) and their sessions (022_subsidy_office.sql). A login id is
// unique across the office: one sign-in form serves both roles.
import type { Db } from "../db/client.ts";
import type { OfficeRole } from "../domain/office.ts";
import { sessionStore } from "./session-store.ts";

export interface OfficeAccount {
  accountId: number;
  loginId: string;
  displayName: string;
  role: OfficeRole;
  createdAt: Date;
  disabledAt?: Date;
}

type Row = Record<string, unknown>;

const ACCOUNT_COLUMNS = "a.account_id, a.login_id, a.display_name, a.role, a.created_at, a.disabled_at";

function accountOf(row: Row): OfficeAccount {
  return {
    accountId: Number(row.account_id),
    loginId: row.login_id as string,
    displayName: row.display_name as string,
    role: row.role as OfficeRole,
    createdAt: new Date(row.created_at as string | Date),
    ...(row.disabled_at ? { disabledAt: new Date(row.disabled_at as string | Date) } : {}),
  };
}

/** The new account, or undefined when the login id is taken. */
export async function insertOfficeAccount(
  db: Db,
  a: { loginId: string; displayName: string; role: OfficeRole; passwordHash: string; at: Date },
): Promise<OfficeAccount | undefined> {
  const rows = await db.query<Row>(
    `insert into office_accounts as a (login_id, display_name, role, password_hash, created_at) values ($1, $2, $3, $4, $5)
     on conflict (login_id) do nothing returning ${ACCOUNT_COLUMNS}`,
    [a.loginId, a.displayName, a.role, a.passwordHash, a.at.toISOString()],
  );
  return rows[0] && accountOf(rows[0]);
}

/** An account that may sign in (not disabled), with its password hash. */
export async function findActiveOfficeAccount(db: Db, loginId: string): Promise<{ account: OfficeAccount; passwordHash: string } | undefined> {
  const rows = await db.query<Row>(`select ${ACCOUNT_COLUMNS}, a.password_hash from office_accounts a where a.login_id = $1 and a.disabled_at is null`, [loginId]);
  const row = rows[0];
  return row && { account: accountOf(row), passwordHash: row.password_hash as string };
}

export async function listOfficeAccounts(db: Db): Promise<OfficeAccount[]> {
  const rows = await db.query<Row>(`select ${ACCOUNT_COLUMNS} from office_accounts a order by a.role, a.login_id`);
  return rows.map(accountOf);
}

/** Disables the account and ends its sessions in one transaction; false when there is no such active account. */
export async function disableOfficeAccount(db: Db, loginId: string, at: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ account_id: number }>(
      "update office_accounts set disabled_at = $2 where login_id = $1 and disabled_at is null returning account_id",
      [loginId, at.toISOString()],
    );
    if (rows.length === 0) return false;
    await tx.query("delete from office_sessions where account_id = $1", [rows[0]!.account_id]);
    return true;
  });
}

export const officeSessionStore = sessionStore<OfficeAccount>({ sessions: "office_sessions", accounts: "office_accounts", columns: ACCOUNT_COLUMNS, accountOf });
