// Single-use challenges of the reader protocol: the reader asks for one, the card signs it, the
// server accepts the signed answer once, only before the challenge expires, and only from the
// facility that asked for it.
//
// A challenge carries its own expiry and a MAC under a server key (kept in the database by
// src/store/card-challenge-store.ts, so every server process mints and checks the same way): issuing one costs no database work, and checking
// one costs none until the answer has passed every other check. Its single use is recorded then,
// in the verifier's one statement (a unique insert: a conflict is a replay), so an answer the
// server refuses does not spend its challenge. Spent challenges are kept until they expire.
//
// Layout, 32 bytes in hex: 10 random bytes, the expiry in milliseconds since the epoch (6 bytes,
// big-endian), then the first 16 bytes of HMAC-SHA-256 under the key over the first 16 and the
// facility code of the reader that asked. The facility is not in the nonce itself: another
// facility's challenge fails the MAC exactly as a forged one does (E7001), so the answer says
// nothing about whether the challenge exists elsewhere. The card signs the facility too
// (signedMessage), so its answer is bound to it on its own, not only through the MAC.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { OqsError } from "../errors/catalogue.ts";
import type { CheckMethod } from "./answer.ts";

export const CHALLENGE_LIFETIME_MS = 60_000;
const NONCE_PATTERN = /^[0-9a-f]{64}$/;
const BODY_BYTES = 16;
const MAC_BYTES = 16;

export interface Challenge {
  nonce: string;
  /** The facility whose reader asked for it. */
  facilityCode: string;
  expiresAt: Date;
}

export function mintChallenge(key: Buffer, facilityCode: string, now: Date, lifetimeMs = CHALLENGE_LIFETIME_MS): Challenge {
  const expiresAt = new Date(now.getTime() + lifetimeMs);
  const body = Buffer.alloc(BODY_BYTES);
  randomBytes(10).copy(body);
  body.writeUIntBE(expiresAt.getTime(), 10, 6);
  return { nonce: Buffer.concat([body, mac(key, body, facilityCode)]).toString("hex"), facilityCode, expiresAt };
}

/**
 * The challenge, if it is one of ours issued to `facilityCode` (E7001: malformed, forged or
 * another facility's, alike) and not expired (E7003).
 */
export function readChallenge(key: Buffer, nonce: unknown, facilityCode: string, now: Date): Challenge {
  if (typeof nonce !== "string" || !NONCE_PATTERN.test(nonce)) throw new OqsError("E7001");
  const bytes = Buffer.from(nonce, "hex");
  const body = bytes.subarray(0, BODY_BYTES);
  if (!timingSafeEqual(bytes.subarray(BODY_BYTES), mac(key, body, facilityCode))) throw new OqsError("E7001");
  const expiresAt = new Date(body.readUIntBE(10, 6));
  if (now.getTime() > expiresAt.getTime()) throw new OqsError("E7003");
  return { nonce, facilityCode, expiresAt };
}

function mac(key: Buffer, body: Buffer, facilityCode: string): Buffer {
  return createHmac("sha256", key).update(body).update(facilityCode, "utf8").digest().subarray(0, MAC_BYTES);
}

/**
 * What the card signs: the challenge bound to the facility whose reader asked and to the
 * identity-check method, so an answer made at one facility, or under one method, cannot be
 * passed off at another or as another.
 */
export function signedMessage(nonce: string, facilityCode: string, method: CheckMethod): Buffer {
  return Buffer.from(`onshi-card-check:v2:${nonce}:${facilityCode}:${method}`, "utf8");
}
