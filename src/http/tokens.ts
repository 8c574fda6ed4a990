// idTokens of the WebAPI: HS256 JWTs naming the facility they were issued to. The real system
// authenticates the facility by its TLS client certificate; we take the facility's credential
// instead (documented in the README). The signing key lives in memory unless configured, so a
// restart invalidates issued tokens, as a real expiry would.
import { randomBytes } from "node:crypto";
import { SignJWT, errors, jwtVerify } from "jose";
import { OqsError } from "../oqs/error-codes.ts";

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    private readonly now: () => Date,
    private readonly lifetimeSeconds = 3600,
    secret?: string,
  ) {
    this.key = secret ? new TextEncoder().encode(secret) : randomBytes(32);
  }

  async issue(facilityCode: string): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAt = issuedAt + this.lifetimeSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(facilityCode)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.key);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** The facility code a token was issued to; OqsError E2002/E2003/E2004 otherwise. */
  async verify(authorization: string | undefined): Promise<string> {
    const token = authorization?.replace(/^Bearer\s+/i, "").trim();
    if (!token) throw new OqsError("E2002");
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ["HS256"], currentDate: this.now() });
      if (typeof payload.sub !== "string") throw new OqsError("E2004");
      return payload.sub;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new OqsError("E2003");
      if (error instanceof OqsError) throw error;
      throw new OqsError("E2004");
    }
  }
}
