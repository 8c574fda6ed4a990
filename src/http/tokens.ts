// idTokens of the WebAPI: HS256 JWTs naming the facility they were issued to: the facility of the
// TLS client certificate (`serve --tls`, src/http/tls.ts, as the real system does) or of the
// code-and-credential login (local use; README). The signing key lives in memory unless configured, so a
// restart invalidates issued tokens, as a real expiry would. A token issued for a client certificate
// is bound to it (RFC 8705's `cnf` claim with the certificate's SHA-256 thumbprint): it is good only
// on a connection that presents the same certificate, so a token that leaks is of no use elsewhere.
import { randomBytes, webcrypto } from "node:crypto";
import { SignJWT, errors, jwtVerify } from "jose";
import { OqsError } from "../errors/catalogue.ts";

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export class TokenService {
  // Imported once: handing jose raw bytes would re-import the key on every verify.
  private readonly key: Promise<webcrypto.CryptoKey>;

  // Every request of a session carries the same token: its signature is checked once, then only
  // its expiry. Bounded by clearing; a cleared token is simply verified again.
  private readonly verified = new Map<string, { facility: string; exp: number; boundTo?: string }>();

  constructor(
    private readonly now: () => Date,
    private readonly lifetimeSeconds = 3600,
    secret?: string,
  ) {
    const raw = secret ? new TextEncoder().encode(secret) : randomBytes(32);
    this.key = webcrypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  }

  /** `certificateThumbprint`: the base64url SHA-256 of the client certificate the token is bound to. */
  async issue(facilityCode: string, certificateThumbprint?: string): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAt = issuedAt + this.lifetimeSeconds;
    const token = await new SignJWT(certificateThumbprint ? { cnf: { "x5t#S256": certificateThumbprint } } : {})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(facilityCode)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(await this.key);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /**
   * The facility code a token was issued to; OqsError E2002/E2003/E2004 otherwise. A token bound
   * to a certificate is E2004 unless `presentedThumbprint` (the connection's certificate) is its.
   */
  async verify(authorization: string | undefined, presentedThumbprint?: string): Promise<string> {
    const token = authorization?.replace(/^Bearer\s+/i, "").trim();
    if (!token) throw new OqsError("E2002");
    const known = this.verified.get(token) ?? (await this.check(token));
    if (known.exp <= Math.floor(this.now().getTime() / 1000)) throw new OqsError("E2003");
    if (known.boundTo !== undefined && known.boundTo !== presentedThumbprint) throw new OqsError("E2004");
    return known.facility;
  }

  private async check(token: string): Promise<{ facility: string; exp: number; boundTo?: string }> {
    try {
      const { payload } = await jwtVerify(token, await this.key, { algorithms: ["HS256"], currentDate: this.now() });
      if (typeof payload.sub !== "string" || typeof payload.exp !== "number") throw new OqsError("E2004");
      const bound = (payload.cnf as { "x5t#S256"?: unknown } | undefined)?.["x5t#S256"];
      const known = { facility: payload.sub, exp: payload.exp, ...(typeof bound === "string" ? { boundTo: bound } : {}) };
      if (this.verified.size >= 10_000) this.verified.clear();
      this.verified.set(token, known);
      return known;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new OqsError("E2003");
      if (error instanceof OqsError) throw error;
      throw new OqsError("E2004");
    }
  }
}
