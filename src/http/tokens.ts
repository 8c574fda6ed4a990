// idTokens of the WebAPI: HS256 JWTs naming the facility they were issued to: the facility of the
// TLS client certificate (`serve --tls`, src/http/tls.ts, as the real system does) or of the
// code-and-credential login (local use; README). The signing key lives in memory unless configured, so a
// restart invalidates issued tokens, as a real expiry would. A token issued for a client certificate
// is bound to it (RFC 8705's `cnf` claim with the certificate's SHA-256 thumbprint): it is good only
// on a connection that presents the same certificate, so a token that leaks is of no use elsewhere.
// A municipality's token for the 医療費助成 upload (`aud: "municipality"`, naming its 地方公共団体コード)
// is good only there, and a facility's never there.
import { randomBytes, webcrypto } from "node:crypto";
import { SignJWT, errors, jwtVerify } from "jose";
import { OqsError } from "../errors/catalogue.ts";

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** What a refresh token stands for. */
interface Known {
  facility: string;
  exp: number;
  boundTo?: string;
  /** A refresh token (`use: "refresh"`): good only at the refresh route, once. */
  refresh?: { jti: string };
  /** A municipality's token (the subject is its 地方公共団体コード), not a facility's. */
  municipality?: true;
}

const MUNICIPALITY_AUDIENCE = "municipality";

/** A refresh token lives a day: a terminal left on overnight logs in again. */
export const REFRESH_LIFETIME_SECONDS = 24 * 60 * 60;

export class TokenService {
  // Imported once: handing jose raw bytes would re-import the key on every verify.
  private readonly key: Promise<webcrypto.CryptoKey>;

  // Every request of a session carries the same token: its signature is checked once, then only
  // its expiry. Bounded by clearing; a cleared token is simply verified again.
  private readonly verified = new Map<string, Known>();
  // Refresh tokens already redeemed, until they expire: each is single-use (rotated on every use),
  // so a stolen one that its owner uses first is worthless, and one used twice is refused.
  private readonly spent = new Map<string, number>();

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
    return this.sign(facilityCode, certificateThumbprint, this.lifetimeSeconds, {});
  }

  /** A municipality's token for the 医療費助成 upload route (see verifyMunicipality). */
  async issueMunicipality(municipalityCode: string): Promise<IssuedToken> {
    return this.sign(municipalityCode, undefined, this.lifetimeSeconds, { aud: MUNICIPALITY_AUDIENCE });
  }

  /** A refresh token for the same facility and certificate (see redeem). */
  async issueRefresh(facilityCode: string, certificateThumbprint?: string): Promise<IssuedToken> {
    return this.sign(facilityCode, certificateThumbprint, REFRESH_LIFETIME_SECONDS, { use: "refresh", jti: randomBytes(16).toString("base64url") });
  }

  /**
   * Spends a refresh token: the facility and certificate it was issued for, for a new pair. E2003
   * expired; E2004 forged, not a refresh token, already spent, or bound to another certificate
   * than `presentedThumbprint`.
   */
  async redeem(refreshToken: unknown, presentedThumbprint?: string): Promise<{ facility: string; boundTo?: string }> {
    if (typeof refreshToken !== "string" || refreshToken === "") throw new OqsError("E2002");
    const known = this.verified.get(refreshToken) ?? (await this.check(refreshToken));
    const now = Math.floor(this.now().getTime() / 1000);
    if (known.exp <= now) throw new OqsError("E2003");
    if (!known.refresh || known.municipality || this.spent.has(known.refresh.jti)) throw new OqsError("E2004");
    if (known.boundTo !== undefined && known.boundTo !== presentedThumbprint) throw new OqsError("E2004");
    for (const [jti, exp] of this.spent) if (exp <= now) this.spent.delete(jti);
    this.spent.set(known.refresh.jti, known.exp);
    return { facility: known.facility, ...(known.boundTo !== undefined ? { boundTo: known.boundTo } : {}) };
  }

  private async sign(facilityCode: string, certificateThumbprint: string | undefined, lifetime: number, claims: Record<string, string>): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAt = issuedAt + lifetime;
    const token = await new SignJWT({ ...claims, ...(certificateThumbprint ? { cnf: { "x5t#S256": certificateThumbprint } } : {}) })
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
    // A refresh token is no idToken; a municipality's token names no facility.
    if (known.refresh || known.municipality) throw new OqsError("E2004");
    return known.facility;
  }

  /** The 地方公共団体コード a municipality's token was issued to; E2002/E2003/E2004 otherwise (a facility's token too). */
  async verifyMunicipality(authorization: string | undefined): Promise<string> {
    const token = authorization?.replace(/^Bearer\s+/i, "").trim();
    if (!token) throw new OqsError("E2002");
    const known = this.verified.get(token) ?? (await this.check(token));
    if (known.exp <= Math.floor(this.now().getTime() / 1000)) throw new OqsError("E2003");
    if (!known.municipality) throw new OqsError("E2004");
    return known.facility;
  }

  private async check(token: string): Promise<Known> {
    try {
      const { payload } = await jwtVerify(token, await this.key, { algorithms: ["HS256"], currentDate: this.now() });
      if (typeof payload.sub !== "string" || typeof payload.exp !== "number") throw new OqsError("E2004");
      const bound = (payload.cnf as { "x5t#S256"?: unknown } | undefined)?.["x5t#S256"];
      const refresh = payload.use === "refresh" && typeof payload.jti === "string" ? { refresh: { jti: payload.jti } } : {};
      const municipality = payload.aud === MUNICIPALITY_AUDIENCE ? { municipality: true as const } : {};
      const known: Known = { facility: payload.sub, exp: payload.exp, ...(typeof bound === "string" ? { boundTo: bound } : {}), ...refresh, ...municipality };
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
