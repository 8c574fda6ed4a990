// Office accounts (取りまとめ者, 支払基金 審査担当) created by the operator (`onshi office account add`),
// and their sessions on /office: the staff accounts' rules (sessions.ts), one login id per office.
import type { Db } from "../db/client.ts";
import { hashCredential } from "../domain/credential.ts";
import { LOGIN_ID_PATTERN } from "../domain/staff.ts";
import { isOfficeRole, type OfficeRole } from "../domain/office.ts";
import { OqsError } from "../errors/catalogue.ts";
import { disableOfficeAccount, findActiveOfficeAccount, insertOfficeAccount, officeSessionStore, type OfficeAccount } from "../store/office-account-store.ts";
import { checkAccountFields, generatedPassword, Sessions, type Session } from "./sessions.ts";

export type { OfficeAccount } from "../store/office-account-store.ts";

export interface OfficeAccountInput {
  loginId: string;
  /** Shown on the page; the login id when absent. */
  displayName?: string;
  role: string;
  /** Generated (and returned once) when absent. */
  password?: string;
}

/** The checks that need no database (the CLI makes them usage errors): E2107, E9652, E2112, E2108. */
export function checkOfficeAccountInput(input: OfficeAccountInput): void {
  if (!LOGIN_ID_PATTERN.test(input.loginId)) throw new OqsError("E2107", input.loginId);
  if (!isOfficeRole(input.role)) throw new OqsError("E9652", input.role);
  checkAccountFields(input);
}

/** Creates an account; its password (given or generated) comes back once and is stored only as a hash. E9653 login id taken. */
export async function addOfficeAccount(db: Db, input: OfficeAccountInput, now: Date): Promise<{ account: OfficeAccount; password: string }> {
  checkOfficeAccountInput(input);
  const password = input.password ?? generatedPassword();
  const account = await insertOfficeAccount(db, {
    loginId: input.loginId,
    displayName: input.displayName ?? input.loginId,
    role: input.role as OfficeRole,
    passwordHash: hashCredential(password),
    at: now,
  });
  if (!account) throw new OqsError("E9653", input.loginId);
  return { account, password };
}

/** E9654 when there is no such active account. */
export async function disableOffice(db: Db, loginId: string, now: Date): Promise<void> {
  if (!(await disableOfficeAccount(db, loginId, now))) throw new OqsError("E9654", loginId);
}

export type OfficeSession = Session<OfficeAccount>;

export class OfficeSessions extends Sessions<OfficeAccount> {
  constructor(db: Db, now: () => Date) {
    super(db, now, officeSessionStore, "E9650");
  }

  /** A new session for a right password; undefined for anything else (an unknown login id costs the same). */
  async signIn(loginId: string, password: string): Promise<{ token: string; session: OfficeSession } | undefined> {
    return this.open(LOGIN_ID_PATTERN.test(loginId) ? await findActiveOfficeAccount(this.db, loginId) : undefined, password);
  }
}
