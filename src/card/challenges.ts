// Single-use challenges of the reader protocol: the reader asks for one, the card signs it, the
// server accepts the signed answer once and only before the challenge expires.
//
// A challenge carries its own expiry and a MAC under a server key (kept in the database, so every
// server process mints and checks the same way): issuing one costs no database work, and checking
// one costs none until the answer has passed every other check. Its single use is recorded then,
// in the verifier's one statement (a unique insert: a conflict is a replay), so an answer the
// server refuses does not spend its challenge. Spent challenges are kept until they expire.
//
// Layout, 32 bytes in hex: 10 random bytes, the expiry in milliseconds since the epoch (6 bytes,
// big-endian), then the first 16 bytes of HMAC-SHA-256 over the first 16 under the key.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../db/client.ts";
import { OqsError } from "../oqs/error-codes.ts";
import type { CheckMethod } from "./chip.ts";

export const CHALLENGE_LIFETIME_MS = 60_000;
const NONCE_PATTERN = /^[0-9a-f]{64}$/;
const BODY_BYTES = 16;
const MAC_BYTES = 16;

export interface Challenge {
  nonce: string;
  expiresAt: Date;
}

// One key per database, read (or made) once per process.
const keys = new WeakMap<Db, Promise<Buffer>>();

/** The database's challenge key, made on first use; two processes racing agree on the row that wins. */
export function challengeKey(db: Db): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = (async () => {
      await db.query("insert into card_challenge_key (id, mac_key) values (1, $1) on conflict (id) do nothing", [randomBytes(32)]);
      const [row] = await db.query<{ mac_key: Uint8Array }>("select mac_key from card_challenge_key where id = 1");
      return Buffer.from(row!.mac_key);
    })();
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

export async function issueChallenge(db: Db, now: Date, lifetimeMs = CHALLENGE_LIFETIME_MS): Promise<Challenge> {
  return mintChallenge(await challengeKey(db), now, lifetimeMs);
}

export function mintChallenge(key: Buffer, now: Date, lifetimeMs = CHALLENGE_LIFETIME_MS): Challenge {
  const expiresAt = new Date(now.getTime() + lifetimeMs);
  const body = Buffer.alloc(BODY_BYTES);
  randomBytes(10).copy(body);
  body.writeUIntBE(expiresAt.getTime(), 10, 6);
  return { nonce: Buffer.concat([body, mac(key, body)]).toString("hex"), expiresAt };
}

/** The challenge's expiry, if it is one of ours (E7001: malformed or forged) and not expired (E7003). */
export function readChallenge(key: Buffer, nonce: unknown, now: Date): Challenge {
  if (typeof nonce !== "string" || !NONCE_PATTERN.test(nonce)) throw new OqsError("E7001");
  const bytes = Buffer.from(nonce, "hex");
  const body = bytes.subarray(0, BODY_BYTES);
  if (!timingSafeEqual(bytes.subarray(BODY_BYTES), mac(key, body))) throw new OqsError("E7001");
  const expiresAt = new Date(body.readUIntBE(10, 6));
  if (now.getTime() > expiresAt.getTime()) throw new OqsError("E7003");
  return { nonce, expiresAt };
}

function mac(key: Buffer, body: Buffer): Buffer {
  return createHmac("sha256", key).update(body).digest().subarray(0, MAC_BYTES);
}

/**
 * What the card signs: the challenge bound to the identity-check method, so an answer made
 * under one method cannot be passed off as another.
 */
export function signedMessage(nonce: string, method: CheckMethod): Buffer {
  return Buffer.from(`onshi-card-check:v1:${nonce}:${method}`, "utf8");
}
