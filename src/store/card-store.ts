// What the reader flow reads and writes about a card by its certificate serial: whether it is
// registered (保険証利用登録) and to whom, the holder shown before registration (from the card's
// printed face, which the reader reads), and the registration itself.
import type { Db } from "../db/client.ts";

/** Who the reader shows: name and birth date (YYYY-MM-DD). */
export interface Holder {
  name: string;
  birthdate: string;
}

/** The registered person, or else the name and birth date printed on the card. */
export async function holderOfCard(db: Db, serial: string): Promise<{ registered: boolean; holder: Holder }> {
  const [row] = await db.query<{ person_id: number | null; name: string; birthdate: string }>(
    `select k.person_id, coalesce(p.name, c.face_name) as name, coalesce(p.birthdate, c.face_birthdate) as birthdate
     from cards k join card_chips c using (card_id) left join persons p on p.person_id = k.person_id
     where k.certificate_serial = $1`,
    [serial],
  );
  if (!row) throw new Error(`カードがありません: ${serial}`);
  return { registered: row.person_id !== null, holder: { name: row.name, birthdate: row.birthdate } };
}

/**
 * 保険証利用登録: links the certificate serial to the card's holder (as J-LIS and the insurer know
 * them). False when the card was registered already.
 */
export async function registerCard(db: Db, serial: string, at: Date): Promise<boolean> {
  const rows = await db.query(
    `update cards k set person_id = h.person_id, registered_at = $2
     from card_holders h where h.card_id = k.card_id and k.certificate_serial = $1 and k.person_id is null
     returning k.card_id`,
    [serial, at],
  );
  return rows.length > 0;
}
