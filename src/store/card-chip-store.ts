// The simulated chips (card_chips): each card's key, PIN hash and failure counters. A check is
// tried and its counters kept in one transaction (src/card/chip.ts decides; this stores).
import type { Db } from "../db/client.ts";
import type { CardAnswer, IdentityCheck } from "../card/answer.ts";
import { CardCheckRefused, checkRequest, signChallenge, tryCheck } from "../card/chip.ts";
import { municipalReset, type LockState } from "../card/locks.ts";
import { OqsError } from "../errors/catalogue.ts";

interface ChipRow {
  private_key_pem: string;
  pin_hash: string;
  pin_failures: number;
  face_failures: number;
  certificate_pem: string;
}

/** The card answers the challenge of `facilityCode`'s reader: the facility is part of what it signs. */
export async function answerChallenge(db: Db, cardId: string, check: IdentityCheck, nonce: string, facilityCode: string): Promise<CardAnswer> {
  checkRequest(check);
  const outcome = await db.transaction(async (tx) => {
    const [chip] = await tx.query<ChipRow>(
      `select c.private_key_pem, c.pin_hash, c.pin_failures, c.face_failures, k.certificate_pem
       from card_chips c join cards k using (card_id) where c.card_id = $1 for update of c`,
      [cardId],
    );
    if (!chip) throw new OqsError("E7014");
    const state: LockState = { pinFailures: chip.pin_failures, faceFailures: chip.face_failures };
    const result = tryCheck(state, check, chip.pin_hash);
    if (result.state.pinFailures !== state.pinFailures || result.state.faceFailures !== state.faceFailures) {
      await tx.query("update card_chips set pin_failures = $2, face_failures = $3 where card_id = $1", [cardId, result.state.pinFailures, result.state.faceFailures]);
    }
    return { result, chip };
  });
  // Thrown after the transaction so the failure count it recorded is kept.
  if (!outcome.result.ok) throw new CardCheckRefused(outcome.result.code, outcome.result.remaining);
  return signChallenge({ privateKeyPem: outcome.chip.private_key_pem, certificatePem: outcome.chip.certificate_pem }, nonce, facilityCode, check.method);
}

/** The 市区町村 reset (an admin operation): unlocks both the PIN and the face check. */
export async function resetCardLocks(db: Db, cardId: string): Promise<void> {
  const reset = municipalReset();
  const rows = await db.query("update card_chips set pin_failures = $2, face_failures = $3 where card_id = $1 returning card_id", [cardId, reset.pinFailures, reset.faceFailures]);
  if (rows.length === 0) throw new OqsError("E7014");
}

export async function cardLocks(db: Db, cardId: string): Promise<LockState> {
  const [row] = await db.query<{ pin_failures: number; face_failures: number }>("select pin_failures, face_failures from card_chips where card_id = $1", [cardId]);
  if (!row) throw new OqsError("E7014");
  return { pinFailures: row.pin_failures, faceFailures: row.face_failures };
}
