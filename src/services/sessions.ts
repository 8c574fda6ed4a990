// What staff accounts (/terminal) and office accounts (/office) share: the checks of a login id,
// display name and password, and server-side sessions — a random token in an HttpOnly cookie whose
// SHA-256 is the row's key, a CSRF token the page repeats, expiring by src/domain/staff.ts's rule.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client.ts";
import { DUMMY_CREDENTIAL_HASH, verifyCredential } from "../domain/credential.ts";
import { LOGIN_ID_PATTERN, passwordProblem, sessionInForce, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "../domain/staff.ts";
import { OqsError, type ErrorCode } from "../errors/catalogue.ts";
import type { SessionStore } from "../store/session-store.ts";

const DISPLAY_NAME_MAX = 50;

/** E2107 login id, E2112 display name, E2108 password (when given). */
export function checkAccountFields(input: { loginId: string; displayName?: string; password?: string }): void {
  if (!LOGIN_ID_PATTERN.test(input.loginId)) throw new OqsError("E2107", input.loginId);
  const displayName = input.displayName ?? input.loginId;
  if (displayName.trim() === "" || [...displayName].length > DISPLAY_NAME_MAX || /\p{Cc}/u.test(displayName)) throw new OqsError("E2112");
  if (input.password !== undefined && passwordProblem(input.password)) throw new OqsError("E2108");
}

/** A password for a new account when none was given: shown once, stored only as a hash. */
export const generatedPassword = () => randomBytes(12).toString("base64url");

/** A signed-in session: whose, and the token state-changing requests must repeat (CSRF). */
export interface Session<A> {
  account: A;
  csrfToken: string;
  createdAt: Date;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

export class Sessions<A extends { accountId: number }> {
  constructor(
    protected readonly db: Db,
    protected readonly now: () => Date,
    private readonly store: SessionStore<A>,
    /** The refusal of a request without a session (each kind of account names its own sign-in). */
    private readonly noSession: ErrorCode,
  ) {}

  /**
   * A new session when the password matches the account found; undefined for anything else. No
   * account found is checked against a dummy hash: the same scrypt, time and answer as a wrong password.
   */
  protected async open(found: { account: A; passwordHash: string } | undefined, password: string): Promise<{ token: string; session: Session<A> } | undefined> {
    const matches = await verifyCredential(password, found?.passwordHash ?? DUMMY_CREDENTIAL_HASH);
    if (!found || !matches) return undefined;
    const at = this.now();
    await this.store.deleteBefore(this.db, new Date(at.getTime() - SESSION_ABSOLUTE_MS), new Date(at.getTime() - SESSION_IDLE_MS));
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(24).toString("base64url");
    await this.store.insert(this.db, hashToken(token), found.account.accountId, csrfToken, at);
    return { token, session: { account: found.account, csrfToken, createdAt: at } };
  }

  /** The session of a cookie's token, its idle clock restarted; the no-session code, or E2103 expired (and deleted). */
  async resume(token: string | undefined): Promise<Session<A>> {
    if (!token) throw new OqsError(this.noSession);
    const key = hashToken(token);
    const stored = await this.store.find(this.db, key);
    if (!stored) throw new OqsError(this.noSession);
    const at = this.now();
    if (!sessionInForce(stored, at)) {
      await this.store.delete(this.db, key);
      throw new OqsError("E2103");
    }
    await this.store.touch(this.db, key, at);
    return { account: stored.account, csrfToken: stored.csrfToken, createdAt: stored.createdAt };
  }

  async signOut(token: string | undefined): Promise<void> {
    if (token) await this.store.delete(this.db, hashToken(token));
  }
}
