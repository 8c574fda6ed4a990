// Facility credentials for the WebAPI's auth call, stored as scrypt hashes "salt:hash" (hex).
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

export function hashCredential(secret: string, salt: Buffer = randomBytes(16)): string {
  return `${salt.toString("hex")}:${scryptSync(secret, salt, 32).toString("hex")}`;
}

export function verifyCredential(secret: string, stored: string): boolean {
  const [saltHex, hashHex] = stored.split(":");
  if (!saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, "hex");
  const actual = scryptSync(secret, Buffer.from(saltHex, "hex"), expected.length);
  return timingSafeEqual(expected, actual);
}
