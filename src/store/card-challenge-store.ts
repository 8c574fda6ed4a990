// The key that challenges are minted and checked under (card_challenge_key), one per database.
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client.ts";
import { CHALLENGE_LIFETIME_MS, mintChallenge, type Challenge } from "../card/challenges.ts";

// Read (or made) once per process.
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

export async function issueChallenge(db: Db, facilityCode: string, now: Date, lifetimeMs = CHALLENGE_LIFETIME_MS): Promise<Challenge> {
  return mintChallenge(await challengeKey(db), facilityCode, now, lifetimeMs);
}
