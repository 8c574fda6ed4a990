// idTokens of the WebAPI: HS256 JWTs naming the facility they were issued to: the facility of the
// TLS client certificate (`serve --tls`, src/http/tls.ts, as the real system does) or of the
// code-and-credential login (local use; README). The signing key lives in memory unless configured, so a
// restart invalidates issued tokens, as a real expiry would.
import { randomBytes, webcrypto } from "node:crypto";
import { SignJWT, errors, jwtVerify } from "jose";
import { OqsError } from "../oqs/error-codes.ts";

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export class TokenService {
  // Imported once: handing jose raw bytes would re-import the key on every verify.
  private readonly key: Promise<webcrypto.CryptoKey>;

  // Every request of a session carries the same token: its signature is checked once, then only
  // its expiry. Bounded by clearing; a cleared token is simply verified again.
  private readonly verified = new Map<string, { facility: string; exp: number }>();

  constructor(
    private readonly now: () => Date,
    private readonly lifetimeSeconds = 3600,
    secret?: string,
  ) {
    const raw = secret ? new TextEncoder().encode(secret) : randomBytes(32);
    this.key = webcrypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  }

  async issue(facilityCode: string): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAt = issuedAt + this.lifetimeSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(facilityCode)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(await this.key);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** The facility code a token was issued to; OqsError E2002/E2003/E2004 otherwise. */
  async verify(authorization: string | undefined): Promise<string> {
    const token = authorization?.replace(/^Bearer\s+/i, "").trim();
    if (!token) throw new OqsError("E2002");
    const known = this.verified.get(token);
    if (known) {
      if (known.exp <= Math.floor(this.now().getTime() / 1000)) throw new OqsError("E2003");
      return known.facility;
    }
    try {
      const { payload } = await jwtVerify(token, await this.key, { algorithms: ["HS256"], currentDate: this.now() });
      if (typeof payload.sub !== "string" || typeof payload.exp !== "number") throw new OqsError("E2004");
      if (this.verified.size >= 10_000) this.verified.clear();
      this.verified.set(token, { facility: payload.sub, exp: payload.exp });
      return payload.sub;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new OqsError("E2003");
      if (error instanceof OqsError) throw error;
      throw new OqsError("E2004");
    }
  }
}
