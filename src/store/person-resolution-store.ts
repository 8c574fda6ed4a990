// How an upload's 個人番号 finds its person: the database's HMAC key (person_resolution_key) and the
// digest of each person's number (person_resolution_digests). Only digests reach this store; the
// numbers themselves never do.
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client.ts";

// Read (or made) once per process and database.
const keys = new WeakMap<Db, Promise<Buffer>>();

/** The database's resolution key, made on first use; two processes racing agree on the row that wins. */
export function resolutionKey(db: Db): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = (async () => {
      await db.query("insert into person_resolution_key (id, hmac_key) values (1, $1) on conflict (id) do nothing", [randomBytes(32)]);
      const [row] = await db.query<{ hmac_key: Uint8Array }>("select hmac_key from person_resolution_key where id = 1");
      return Buffer.from(row!.hmac_key);
    })();
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

export interface ResolutionDigest {
  digest: Buffer;
  personId: number;
}

/** Adds digests with COPY (a population's persons, loaded once; a person or digest already there fails the load). */
export async function copyResolutionDigests(db: Db, rows: Iterable<ResolutionDigest>): Promise<void> {
  // COPY text format: bytea as \x<hex>, its backslash escaped.
  await db.copyRows("person_resolution_digests", ["digest", "person_id"], (function* () {
    for (const row of rows) yield `\\\\x${row.digest.toString("hex")}\t${row.personId}\n`;
  })());
}

/** The person of each digest that is known, keyed by the digest's hex. One query for the lot. */
export async function personsByDigest(db: Db, digests: readonly Buffer[]): Promise<Map<string, number>> {
  if (digests.length === 0) return new Map();
  const rows = await db.query<{ digest: string; person_id: string | number }>(
    "select encode(digest, 'hex') as digest, person_id from person_resolution_digests where digest = any($1::bytea[])",
    [digests],
  );
  return new Map(rows.map((r) => [r.digest, Number(r.person_id)]));
}

/** Adds the digests of persons that have none (idempotent: a person or digest already there is left as it is). */
export async function insertResolutionDigests(db: Db, rows: readonly ResolutionDigest[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `insert into person_resolution_digests (digest, person_id)
     select * from unnest($1::bytea[], $2::bigint[]) on conflict do nothing`,
    [rows.map((r) => r.digest), rows.map((r) => r.personId)],
  );
}

/** The persons of the populations of a kind that have no digest yet (loaded before digests existed). */
export async function personsWithoutDigest(db: Db, kind: "seeded" | "demo"): Promise<number[]> {
  const rows = await db.query<{ person_id: string | number }>(
    `select p.person_id from populations pop
     join persons p on p.person_id between pop.first_person_id and pop.last_person_id
     where pop.kind = $1 and not exists (select 1 from person_resolution_digests d where d.person_id = p.person_id)
     order by p.person_id`,
    [kind],
  );
  return rows.map((r) => Number(r.person_id));
}
