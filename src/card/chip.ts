// The card's IC chip, simulated: it checks the PIN (or accepts the reader's face result or a
// staff check by eye), keeps its failure counters, and only after a successful check signs the
// reader's challenge with its private key. Face and eye checks stand for JPKI's 特定機関認証,
// where the reader, not the PIN, unlocks the key (docs/card-model.md).
import { createPrivateKey, sign } from "node:crypto";
import type { Db } from "../db/client.ts";
import { OqsError } from "../errors/catalogue.ts";
import { signedMessage } from "./challenges.ts";
import { attempt, municipalReset, type Attempt, type LockState } from "./locks.ts";
import { PIN_PATTERN, pinMatches } from "./pin.ts";
import type { ReaderVouching } from "./reader.ts";
import { x509 } from "./x509.ts";

export type CheckMethod = "pin" | "face" | "visual";
export const CHECK_METHODS: readonly CheckMethod[] = ["pin", "face", "visual"];

/** What the reader does with the card: a PIN typed, a face matched or not, or staff looking. */
export type IdentityCheck = { method: "pin"; pin: string } | { method: "face"; matched: boolean } | { method: "visual" };

/** What the card hands back to the reader, and the reader passes to the server. */
export interface CardAnswer {
  nonce: string;
  method: CheckMethod;
  /** The 利用者証明用電子証明書, DER in base64. */
  certificate: string;
  /** RSASSA-PKCS1-v1_5 SHA-256 over signedMessage(nonce, facility, method), base64. */
  signature: string;
  /** The facility's reader vouching for a face or eye check (src/card/reader.ts). */
  reader?: ReaderVouching;
}

/** A refused check; remaining is the tries left before that method locks. */
export class CardCheckRefused extends OqsError {
  constructor(
    code: "E7010" | "E7011" | "E7012" | "E7013",
    readonly remaining: number,
  ) {
    super(code);
  }
}

interface ChipRow {
  private_key_pem: string;
  pin_hash: string;
  pin_failures: number;
  face_failures: number;
  certificate_pem: string;
}

/** The card answers the challenge of `facilityCode`'s reader: the facility is part of what it signs. */
export async function answerChallenge(db: Db, cardId: string, check: IdentityCheck, nonce: string, facilityCode: string): Promise<CardAnswer> {
  if (!CHECK_METHODS.includes(check.method)) throw new OqsError("E7015");
  if (check.method === "pin" && !PIN_PATTERN.test(check.pin)) throw new OqsError("E7016");
  const outcome = await db.transaction(async (tx) => {
    const [chip] = await tx.query<ChipRow>(
      `select c.private_key_pem, c.pin_hash, c.pin_failures, c.face_failures, k.certificate_pem
       from card_chips c join cards k using (card_id) where c.card_id = $1 for update of c`,
      [cardId],
    );
    if (!chip) throw new OqsError("E7014");
    const state: LockState = { pinFailures: chip.pin_failures, faceFailures: chip.face_failures };
    const result = attempt(state, toAttempt(check, chip.pin_hash));
    if (result.state.pinFailures !== state.pinFailures || result.state.faceFailures !== state.faceFailures) {
      await tx.query("update card_chips set pin_failures = $2, face_failures = $3 where card_id = $1", [cardId, result.state.pinFailures, result.state.faceFailures]);
    }
    return { result, chip };
  });
  // Thrown after the transaction so the failure count it recorded is kept.
  if (!outcome.result.ok) throw new CardCheckRefused(outcome.result.code, outcome.result.remaining);
  const key = createPrivateKey(outcome.chip.private_key_pem);
  return {
    nonce,
    method: check.method,
    certificate: Buffer.from(new x509.X509Certificate(outcome.chip.certificate_pem).rawData).toString("base64"),
    signature: sign("sha256", signedMessage(nonce, facilityCode, check.method), key).toString("base64"),
  };
}

function toAttempt(check: IdentityCheck, pinHash: string): Attempt {
  switch (check.method) {
    case "pin":
      return { method: "pin", correct: pinMatches(check.pin, pinHash) };
    case "face":
      return { method: "face", matched: check.matched };
    case "visual":
      return { method: "visual" };
  }
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
