// Staff accounts and their sessions (013_staff.sql; the session queries are session-store.ts's). Every account query names the facility:
// one facility's accounts are never found from another's sign-in.
import type { Db } from "../db/client.ts";
import type { StaffRole } from "../domain/staff.ts";
import { sessionStore } from "./session-store.ts";

export interface StaffAccount {
  accountId: number;
  facilityCode: string;
  loginId: string;
  displayName: string;
  role: StaffRole;
  administrator: boolean;
  createdAt: Date;
  disabledAt?: Date;
}

export interface NewStaffAccount {
  facilityCode: string;
  loginId: string;
  displayName: string;
  role: StaffRole;
  administrator: boolean;
  passwordHash: string;
  at: Date;
}

type Row = Record<string, unknown>;

const ACCOUNT_COLUMNS = "a.account_id, a.medical_institution_code, a.login_id, a.display_name, a.role, a.administrator, a.created_at, a.disabled_at";

function accountOf(row: Row): StaffAccount {
  return {
    accountId: Number(row.account_id),
    facilityCode: row.medical_institution_code as string,
    loginId: row.login_id as string,
    displayName: row.display_name as string,
    role: row.role as StaffRole,
    administrator: row.administrator === true,
    createdAt: new Date(row.created_at as string | Date),
    ...(row.disabled_at ? { disabledAt: new Date(row.disabled_at as string | Date) } : {}),
  };
}

/** The new account, or undefined when the facility already has this login id. */
export async function insertStaffAccount(db: Db, a: NewStaffAccount): Promise<StaffAccount | undefined> {
  const rows = await db.query<Row>(
    `insert into staff_accounts as a (medical_institution_code, login_id, display_name, role, administrator, password_hash, created_at)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict (medical_institution_code, login_id) do nothing
     returning ${ACCOUNT_COLUMNS}`,
    [a.facilityCode, a.loginId, a.displayName, a.role, a.administrator, a.passwordHash, a.at.toISOString()],
  );
  return rows[0] && accountOf(rows[0]);
}

/** An account that may sign in (not disabled), with its password hash. */
export async function findActiveAccount(db: Db, facilityCode: string, loginId: string): Promise<{ account: StaffAccount; passwordHash: string } | undefined> {
  const rows = await db.query<Row>(
    `select ${ACCOUNT_COLUMNS}, a.password_hash from staff_accounts a
     where a.medical_institution_code = $1 and a.login_id = $2 and a.disabled_at is null`,
    [facilityCode, loginId],
  );
  const row = rows[0];
  return row && { account: accountOf(row), passwordHash: row.password_hash as string };
}

export async function listStaffAccounts(db: Db, facilityCode: string): Promise<StaffAccount[]> {
  const rows = await db.query<Row>(`select ${ACCOUNT_COLUMNS} from staff_accounts a where a.medical_institution_code = $1 order by a.login_id`, [facilityCode]);
  return rows.map(accountOf);
}

/** Disables the account and ends its sessions in one transaction; false when the facility has no such active account. */
export async function disableStaffAccount(db: Db, facilityCode: string, loginId: string, at: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ account_id: number }>(
      `update staff_accounts set disabled_at = $3 where medical_institution_code = $1 and login_id = $2 and disabled_at is null returning account_id`,
      [facilityCode, loginId, at.toISOString()],
    );
    if (rows.length === 0) return false;
    await tx.query("delete from staff_sessions where account_id = $1", [rows[0]!.account_id]);
    return true;
  });
}

/** staff_sessions (013_staff.sql), each with its account. */
export const staffSessionStore = sessionStore<StaffAccount>({ sessions: "staff_sessions", accounts: "staff_accounts", columns: ACCOUNT_COLUMNS, accountOf });
