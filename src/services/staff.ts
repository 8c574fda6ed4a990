// Staff accounts (created by the facility's administrator: `onshi staff add`) and their sessions on
// the terminal page. Passwords are scrypt hashes as the facility credentials are
// (src/domain/credential.ts); a session is a random token in an HttpOnly cookie whose SHA-256 is
// the row's key, expiring by src/domain/staff.ts's rule. Lockout is the HTTP route's (login-throttle).
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client.ts";
import { DUMMY_CREDENTIAL_HASH, hashCredential, verifyCredential } from "../domain/credential.ts";
import { facilityCodeProblem } from "../domain/facility-code.ts";
import { isStaffRole, LOGIN_ID_PATTERN, passwordProblem, sessionInForce, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, type StaffRole } from "../domain/staff.ts";
import { OqsError } from "../errors/catalogue.ts";
import {
  deleteSession,
  deleteSessionsBefore,
  disableStaffAccount,
  findActiveAccount,
  findSession,
  insertSession,
  insertStaffAccount,
  touchSession,
  type StaffAccount,
} from "../store/staff-store.ts";

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

const DISPLAY_NAME_MAX = 50;

/** The checks that need no database (the CLI makes them usage errors): E2107, E2109, E2112, E2108. */
export function checkStaffAccountInput(input: StaffAccountInput): void {
  if (!LOGIN_ID_PATTERN.test(input.loginId)) throw new OqsError("E2107", input.loginId);
  if (!isStaffRole(input.role)) throw new OqsError("E2109", input.role);
  const displayName = input.displayName ?? input.loginId;
  if (displayName.trim() === "" || [...displayName].length > DISPLAY_NAME_MAX || /\p{Cc}/u.test(displayName)) throw new OqsError("E2112");
  if (input.password !== undefined && passwordProblem(input.password)) throw new OqsError("E2108");
}

/** Creates an account; the password it was given, or the one generated for it, comes back once and is stored only as a hash. */
export async function addStaffAccount(db: Db, input: StaffAccountInput, now: Date): Promise<{ account: StaffAccount; password: string }> {
  checkStaffAccountInput(input);
  const role = input.role as StaffRole;
  const password = input.password ?? randomBytes(12).toString("base64url");
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

/** A signed-in session: whose, and the token state-changing requests must repeat (CSRF). */
export interface StaffSession {
  account: StaffAccount;
  csrfToken: string;
  createdAt: Date;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

export class StaffSessions {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /**
   * A new session for a right password; undefined for anything else. An unknown facility or login
   * id is checked against a dummy hash: the same scrypt, time and answer as a wrong password.
   */
  async signIn(facilityCode: string, loginId: string, password: string): Promise<{ token: string; session: StaffSession } | undefined> {
    const found = facilityCodeProblem(facilityCode) || !LOGIN_ID_PATTERN.test(loginId) ? undefined : await findActiveAccount(this.db, facilityCode, loginId);
    const matches = await verifyCredential(password, found?.passwordHash ?? DUMMY_CREDENTIAL_HASH);
    if (!found || !matches) return undefined;
    const at = this.now();
    await deleteSessionsBefore(this.db, new Date(at.getTime() - SESSION_ABSOLUTE_MS), new Date(at.getTime() - SESSION_IDLE_MS));
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(24).toString("base64url");
    await insertSession(this.db, hashToken(token), found.account.accountId, csrfToken, at);
    return { token, session: { account: found.account, csrfToken, createdAt: at } };
  }

  /** The session of a cookie's token, its idle clock restarted; E2102 none, E2103 expired (and deleted). */
  async resume(token: string | undefined): Promise<StaffSession> {
    if (!token) throw new OqsError("E2102");
    const key = hashToken(token);
    const stored = await findSession(this.db, key);
    if (!stored) throw new OqsError("E2102");
    const at = this.now();
    if (!sessionInForce(stored, at)) {
      await deleteSession(this.db, key);
      throw new OqsError("E2103");
    }
    await touchSession(this.db, key, at);
    return { account: stored.account, csrfToken: stored.csrfToken, createdAt: stored.createdAt };
  }

  async signOut(token: string | undefined): Promise<void> {
    if (token) await deleteSession(this.db, hashToken(token));
  }
}
