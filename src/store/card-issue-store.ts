// Issued cards: the card and its certificate (cards), its chip (card_chips) and its holder
// (card_holders), stored in one transaction.
import type { Db } from "../db/client.ts";
import type { Authority } from "../card/authority.ts";
import { makeCard, type IssuedCard, type IssueRequest } from "../card/issue.ts";

export async function issueCard(db: Db, authority: Authority, request: IssueRequest, now: Date): Promise<IssuedCard> {
  const holder = await db.query("select 1 from persons where person_id = $1", [request.holderPersonId]);
  if (holder.length === 0) throw new Error(`カードの所有者 (person_id ${request.holderPersonId}) が登録されていません。`);
  const { card, notAfter, privateKeyPem, pinHash } = await makeCard(authority, request, now);
  const { face } = card;
  await db.transaction(async (tx) => {
    await tx.query("insert into cards (card_id, certificate_serial, certificate_pem, not_after, issued_at) values ($1, $2, $3, $4, $5)", [
      card.cardId,
      card.certificateSerial,
      card.certificatePem,
      notAfter,
      now,
    ]);
    await tx.query(
      `insert into card_chips (card_id, private_key_pem, pin_hash, face_name, face_address, face_birthdate, face_sex, face_expiry, security_code)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [card.cardId, privateKeyPem, pinHash, face.name, face.address, face.birthdate, face.sex, face.expiry, face.securityCode],
    );
    await tx.query("insert into card_holders (card_id, person_id) values ($1, $2)", [card.cardId, request.holderPersonId]);
  });
  return card;
}
