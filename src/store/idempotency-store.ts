// The office's Idempotency-Keys (office_idempotency): per actor, the hash of the first request
// under a key and the answer it got. The key is claimed by inserting its row at the start of the
// write's own transaction, so a second request under the same key waits for the first to commit
// (the primary key's lock) and then finds its answer; a write that fails rolls the claim back.
import type { Db } from "../db/client.ts";

export interface StoredAnswer {
  requestHash: string;
  status: number;
  answer: unknown;
}

export interface IdempotencyOwner {
  role: string;
  accountId: number;
}

/** Claims the key for this request: true when this transaction holds it now, false when it was used before. */
export async function claimKey(tx: Db, owner: IdempotencyOwner, key: string, requestHash: string, at: Date): Promise<boolean> {
  const rows = await tx.query(
    `insert into office_idempotency (actor_role, actor_account, idempotency_key, request_hash, status, answer, created_at)
     values ($1, $2, $3, $4, 0, 'null', $5) on conflict do nothing returning 1`,
    [owner.role, owner.accountId, key, requestHash, at.toISOString()],
  );
  return rows.length > 0;
}

/** The answer first given under the key. */
export async function findAnswer(db: Db, owner: IdempotencyOwner, key: string): Promise<StoredAnswer | undefined> {
  const rows = await db.query<{ request_hash: string; status: number; answer: unknown }>(
    "select request_hash, status, answer from office_idempotency where actor_role = $1 and actor_account = $2 and idempotency_key = $3",
    [owner.role, owner.accountId, key],
  );
  const row = rows[0];
  return row && { requestHash: row.request_hash, status: Number(row.status), answer: row.answer };
}

/** Keeps the answer of the request that claimed the key. */
export async function storeAnswer(tx: Db, owner: IdempotencyOwner, key: string, status: number, answer: unknown): Promise<void> {
  await tx.query("update office_idempotency set status = $4, answer = $5 where actor_role = $1 and actor_account = $2 and idempotency_key = $3", [
    owner.role,
    owner.accountId,
    key,
    status,
    JSON.stringify(answer ?? null),
  ]);
}
