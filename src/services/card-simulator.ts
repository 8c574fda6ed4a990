// The card and reader simulator behind /onshi-api/simulator: it stands for the physical cards
// (their chips answer a challenge after a PIN, a face match or a staff check by eye) and for the
// facility's reader device, which vouches for face and eye checks with its 特定機関 key. A
// development tool: it answers for any card with no patient present, so the server offers it only
// when started with --demo or --simulator.
import { X509Certificate } from "node:crypto";
import type { Authority } from "../card/authority.ts";
import { answerChallenge } from "../store/card-chip-store.ts";
import { CHECK_METHODS, type CardAnswer, type CheckMethod, type IdentityCheck } from "../card/answer.ts";
import { openReader } from "../store/reader-device-store.ts";
import { vouch } from "../card/reader-device.ts";
import { VOUCHED_METHODS } from "../card/answer.ts";
import type { Db } from "../db/client.ts";
import { jstDate, yyyymmddToIso } from "../domain/dates.ts";
import { OqsError } from "../errors/catalogue.ts";
import { isTree } from "../oqs/message-tree.ts";

/**
 * A card as the simulator lists it: what the reader page needs to place it (its name and birth
 * date to tell it apart, its state), nothing more. No address, no security code, no PIN: the
 * listing answers any facility, and a test or the demo needs none of them.
 */
export interface SimulatedCard {
  cardId: string;
  face: { name: string; birthdate: string };
  certificateExpiry: string;
  registered: boolean;
  revoked: boolean;
  locks: { pinFailures: number; faceFailures: number };
  /** One of the demo cards (src/seed/demo-cards.ts), whose PIN the README gives. */
  demo: boolean;
}

type Row = {
  card_id: string;
  face_name: string;
  face_birthdate: string;
  not_after: Date | string;
  registered: boolean;
  revoked: boolean;
  pin_failures: number;
  face_failures: number;
};

/** Every card, in issue order; `demoCards` (card ids) marks the demo cards. */
export async function listSimulatedCards(db: Db, demoCards: ReadonlySet<string>): Promise<SimulatedCard[]> {
  const rows = await db.query<Row>(
    `select k.card_id, c.face_name, c.face_birthdate, k.not_after,
            k.person_id is not null as registered,
            exists (select 1 from card_revocations v where v.certificate_serial = k.certificate_serial) as revoked,
            c.pin_failures, c.face_failures
     from cards k join card_chips c using (card_id) order by k.issued_at, k.card_id`,
  );
  return rows.map((r) => ({
    cardId: r.card_id,
    face: { name: r.face_name, birthdate: r.face_birthdate },
    certificateExpiry: yyyymmddToIso(jstDate(new Date(r.not_after))),
    registered: r.registered,
    revoked: r.revoked,
    locks: { pinFailures: r.pin_failures, faceFailures: r.face_failures },
    demo: demoCards.has(r.card_id),
  }));
}

/**
 * The card placed on the facility's reader answers the challenge: body `{ nonce, method, pin?,
 * faceMatched? }`. E7010–E7016 from the chip, E7032 for a malformed field.
 */
export async function simulateAnswer(db: Db, authority: Authority, facilityCode: string, cardId: string, body: unknown, now: Date): Promise<CardAnswer> {
  if (!isTree(body)) throw new OqsError("E7032", "body");
  const { nonce, method, pin, faceMatched } = body as Record<string, unknown>;
  if (typeof nonce !== "string") throw new OqsError("E7032", "nonce");
  if (!CHECK_METHODS.includes(method as CheckMethod)) throw new OqsError("E7015");
  let check: IdentityCheck;
  if (method === "pin") {
    if (typeof pin !== "string") throw new OqsError("E7016");
    check = { method, pin };
  } else if (method === "face") {
    if (typeof faceMatched !== "boolean") throw new OqsError("E7032", "faceMatched");
    check = { method, matched: faceMatched };
  } else {
    check = { method: "visual" };
  }
  const answer = await answerChallenge(db, cardId, check, nonce, facilityCode);
  if (!VOUCHED_METHODS.includes(answer.method)) return answer;
  const serial = new X509Certificate(Buffer.from(answer.certificate, "base64")).serialNumber.toLowerCase();
  const reader = await openReader(db, authority, facilityCode, now);
  return { ...answer, reader: vouch(reader, nonce, answer.method, serial) };
}
