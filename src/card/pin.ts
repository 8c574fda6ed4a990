// The card's 4-digit PIN, kept as "salt:HMAC-SHA256" (hex). A slow hash would buy nothing here:
// 10,000 PINs are searched in a moment whatever the hash, so, as on the real card, what protects
// the PIN is the lock after 3 failures (src/card/locks.ts), not the hash.
import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

export const PIN_PATTERN = /^[0-9]{4}$/;

export function randomPin(): string {
  return String(randomInt(10_000)).padStart(4, "0");
}

export function hashPin(pin: string, salt: Buffer = randomBytes(16)): string {
  return `${salt.toString("hex")}:${createHmac("sha256", salt).update(pin).digest("hex")}`;
}

export function pinMatches(pin: string, stored: string): boolean {
  const [salt, expected] = stored.split(":") as [string, string];
  return timingSafeEqual(Buffer.from(hashPin(pin, Buffer.from(salt, "hex")).split(":")[1]!, "hex"), Buffer.from(expected, "hex"));
}
