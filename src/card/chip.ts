// The card's IC chip, simulated: it checks the PIN (or accepts the reader's face result or a
// staff check by eye), keeps its failure counters, and only after a successful check signs the
// reader's challenge with its private key. Face and eye checks stand for JPKI's 特定機関認証,
// where the reader, not the PIN, unlocks the key (docs/card-model.md).
// Its key, PIN hash and counters are kept by src/store/card-chip-store.ts.
import { createPrivateKey, sign } from "node:crypto";
import { OqsError } from "../errors/catalogue.ts";
import { CHECK_METHODS, type CardAnswer, type CheckMethod, type IdentityCheck } from "./answer.ts";
import { signedMessage } from "./challenges.ts";
import { attempt, type AttemptOutcome, type LockState } from "./locks.ts";
import { PIN_PATTERN, pinMatches } from "./pin.ts";
import { x509 } from "./x509.ts";

/** A refused check; remaining is the tries left before that method locks. */
export class CardCheckRefused extends OqsError {
  constructor(
    code: "E7010" | "E7011" | "E7012" | "E7013",
    readonly remaining: number,
  ) {
    super(code);
  }
}

/** Refuses a check the chip cannot even try: an unknown method (E7015), a malformed PIN (E7016). */
export function checkRequest(check: IdentityCheck): void {
  if (!CHECK_METHODS.includes(check.method)) throw new OqsError("E7015");
  if (check.method === "pin" && !PIN_PATTERN.test(check.pin)) throw new OqsError("E7016");
}

/** The chip's counters after the check, against its PIN hash. */
export function tryCheck(state: LockState, check: IdentityCheck, pinHash: string): AttemptOutcome {
  switch (check.method) {
    case "pin":
      return attempt(state, { method: "pin", correct: pinMatches(check.pin, pinHash) });
    case "face":
      return attempt(state, { method: "face", matched: check.matched });
    case "visual":
      return attempt(state, { method: "visual" });
  }
}

/** After a successful check the chip signs the challenge of `facilityCode`'s reader: the facility is part of what it signs. */
export function signChallenge(chip: { privateKeyPem: string; certificatePem: string }, nonce: string, facilityCode: string, method: CheckMethod): CardAnswer {
  return {
    nonce,
    method,
    certificate: Buffer.from(new x509.X509Certificate(chip.certificatePem).rawData).toString("base64"),
    signature: sign("sha256", signedMessage(nonce, facilityCode, method), createPrivateKey(chip.privateKeyPem)).toString("base64"),
  };
}
