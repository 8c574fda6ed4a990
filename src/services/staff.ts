// Staff accounts (created by the facility's administrator: `onshi staff add`) and their sessions on
// the terminal page. Passwords are scrypt hashes as the facility credentials are
// (src/domain/credential.ts); sessions are sessions.ts's, shared with the office accounts.
// Lockout is the HTTP route's (login-throttle).
import type { Db } from "../db/client.ts";
import { hashCredential } from "../domain/credential.ts";
import { facilityCodeProblem } from "../domain/facility-code.ts";
import { isStaffRole, LOGIN_ID_PATTERN, type StaffRole } from "../domain/staff.ts";
import { OqsError } from "../errors/catalogue.ts";
import { disableStaffAccount, findActiveAccount, insertStaffAccount, staffSessionStore, type StaffAccount } from "../store/staff-store.ts";
import { checkAccountFields, generatedPassword, Sessions, type Session } from "./sessions.ts";

export type { StaffAccount } from "../store/staff-store.ts";

export interface StaffAccountInput {
  facilityCode: string;
  loginId: string;
  /** Shown on the page; the login id when absent. */
  displayName?: string;
  role: string;
  administrator: boolean;
  /** Generated (and returned once) when absent. */
  password?: string;
}

/** The checks that need no database (the CLI makes them usage errors): E2107, E2109, E2112, E2108. */
export function checkStaffAccountInput(input: StaffAccountInput): void {
  if (!LOGIN_ID_PATTERN.test(input.loginId)) throw new OqsError("E2107", input.loginId);
  if (!isStaffRole(input.role)) throw new OqsError("E2109", input.role);
  checkAccountFields(input);
}

/** Creates an account; the password it was given, or the one generated for it, comes back once and is stored only as a hash. */
export async function addStaffAccount(db: Db, input: StaffAccountInput, now: Date): Promise<{ account: StaffAccount; password: string }> {
  checkStaffAccountInput(input);
  const role = input.role as StaffRole;
  const password = input.password ?? generatedPassword();
  const facility = facilityCodeProblem(input.facilityCode)
    ? []
    : await db.query("select 1 from facilities where medical_institution_code = $1", [input.facilityCode]);
  if (facility.length === 0) throw new OqsError("E2001", input.facilityCode);
  const account = await insertStaffAccount(db, {
    facilityCode: input.facilityCode,
    loginId: input.loginId,
    displayName: input.displayName ?? input.loginId,
    role,
    administrator: input.administrator,
    passwordHash: hashCredential(password),
    at: now,
  });
  if (!account) throw new OqsError("E2110", input.loginId);
  return { account, password };
}

export async function disableStaff(db: Db, facilityCode: string, loginId: string, now: Date): Promise<void> {
  if (!(await disableStaffAccount(db, facilityCode, loginId, now))) throw new OqsError("E2111", loginId);
}

export type StaffSession = Session<StaffAccount>;

export class StaffSessions extends Sessions<StaffAccount> {
  constructor(db: Db, now: () => Date) {
    super(db, now, staffSessionStore, "E2102");
  }

  /** A new session for a right password; undefined for anything else (an unknown facility or login id costs the same). */
  async signIn(facilityCode: string, loginId: string, password: string): Promise<{ token: string; session: StaffSession } | undefined> {
    const found = facilityCodeProblem(facilityCode) || !LOGIN_ID_PATTERN.test(loginId) ? undefined : await findActiveAccount(this.db, facilityCode, loginId);
    return this.open(found, password);
  }
}
