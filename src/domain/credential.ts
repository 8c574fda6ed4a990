// Credentials (a facility's for the WebAPI, a municipality's for PMH uploads, a 福祉事務所's for
// 医療券), stored as scrypt hashes "salt:hash" (hex).
// Verification runs scrypt in libuv's thread pool (crypto.scrypt's callback form), never on the
// event loop: a synchronous scrypt per wrong password let 16 parallel logins stall every request.
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";

/** A credential given rather than made: 12–128 characters, no spaces or control characters. */
export function isFitCredential(credential: string): boolean {
  return credential.length >= 12 && credential.length <= 128 && !/[\s\p{Cc}]/u.test(credential);
}

/** A new credential: 144 random bits, in characters a person can copy from a terminal. */
export function newCredential(): string {
  return randomBytes(18).toString("base64url");
}

/** Offline (seeding, CLI): synchronous is fine there. */
export function hashCredential(secret: string, salt: Buffer = randomBytes(16)): string {
  return `${salt.toString("hex")}:${scryptSync(secret, salt, 32).toString("hex")}`;
}

/**
 * Stands in for the hash of a facility that does not exist or has no credential, so that such a
 * login costs the same scrypt as a wrong credential and cannot tell which codes exist. No secret
 * derives to 32 zero bytes (that would take a preimage of scrypt).
 */
export const DUMMY_CREDENTIAL_HASH = `${"00".repeat(16)}:${"00".repeat(32)}`;

export async function verifyCredential(secret: string, stored: string): Promise<boolean> {
  const [saltHex = "", hashHex = ""] = stored.split(":");
  const expected = Buffer.from(hashHex, "hex");
  // A malformed stored hash still costs one scrypt, like any other refusal.
  const length = expected.length > 0 ? expected.length : 32;
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(secret, Buffer.from(saltHex, "hex"), length, (error, key) => (error ? reject(error) : resolve(key))),
  );
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
