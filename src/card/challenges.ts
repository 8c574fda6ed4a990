// Single-use challenges of the reader protocol: the reader asks for one, the card signs it, the
// server accepts the signed answer once and only before the challenge expires.
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client.ts";
import { OqsError } from "../oqs/error-codes.ts";
import type { CheckMethod } from "./chip.ts";

export const CHALLENGE_LIFETIME_MS = 60_000;
const NONCE_PATTERN = /^[0-9a-f]{64}$/;

export interface Challenge {
  nonce: string;
  expiresAt: Date;
}

export async function issueChallenge(db: Db, now: Date, lifetimeMs = CHALLENGE_LIFETIME_MS): Promise<Challenge> {
  const challenge = { nonce: randomBytes(32).toString("hex"), expiresAt: new Date(now.getTime() + lifetimeMs) };
  await db.query("insert into card_challenges (nonce, issued_at, expires_at) values ($1, $2, $3)", [challenge.nonce, now, challenge.expiresAt]);
  return challenge;
}

/**
 * What the card signs: the challenge bound to the identity-check method, so an answer made
 * under one method cannot be passed off as another.
 */
export function signedMessage(nonce: string, method: CheckMethod): Buffer {
  return Buffer.from(`onshi-card-check:v1:${nonce}:${method}`, "utf8");
}

/**
 * Marks the challenge used, whatever follows (a refused answer spends it too), and returns the
 * authority's current CRL number in the same round trip. E7001 unknown, E7002 replay, E7003 expired.
 */
export async function consumeChallenge(db: Db, nonce: unknown, now: Date): Promise<{ crlNumber: number }> {
  if (typeof nonce !== "string" || !NONCE_PATTERN.test(nonce)) throw new OqsError("E7001");
  const [row] = await db.query<{ expires_at: Date | null; known: boolean; crl_number: number }>(
    `with spent as (update card_challenges set used_at = $2 where nonce = $1 and used_at is null returning expires_at)
     select (select expires_at from spent) as expires_at,
            exists (select 1 from card_challenges where nonce = $1) as known,
            (select crl_number from card_authority where id = 1) as crl_number`,
    [nonce, now],
  );
  if (!row?.known) throw new OqsError("E7001");
  if (row.expires_at === null) throw new OqsError("E7002");
  if (now.getTime() > new Date(row.expires_at).getTime()) throw new OqsError("E7003");
  return { crlNumber: row.crl_number };
}
