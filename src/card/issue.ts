// Issuing a synthetic マイナンバーカード: a fresh RSA-2048 key pair on the chip, the authority's
// 利用者証明用電子証明書 for it, a 4-digit PIN and a printed face (氏名, 住所, 生年月日, 性別,
// 有効期限, セキュリティコード). No 個人番号 exists anywhere: the card is found by its card id and,
// after 保険証利用登録, linked to a person through its certificate serial. The person it is issued
// to (its holder) is recorded apart, as J-LIS and the insurer know it (card_holders).
import { randomBytes, randomInt } from "node:crypto";
import type { Db } from "../db/client.ts";
import { OqsError } from "../errors/catalogue.ts";
import { issueCertificate, type Authority } from "./authority.ts";
import { hashPin, PIN_PATTERN, randomPin } from "./pin.ts";
import { generateRsaKeys, privateKeyPem, randomSerial } from "./x509.ts";

export interface CardFace {
  name: string;
  address: string;
  /** YYYY-MM-DD */
  birthdate: string;
  /** 1 男, 2 女, 3 未設定 (as persons.sex) */
  sex: 1 | 2 | 3;
  /** The card's own 有効期限 (YYYY-MM-DD), printed on its face. */
  expiry: string;
  securityCode: string;
}

export interface IssueRequest {
  face: Omit<CardFace, "securityCode"> & { securityCode?: string };
  /** The certificate's last valid day (JST, YYYY-MM-DD); it ends at 23:59:59 that day. */
  certificateExpiry: string;
  /** The person the card is issued to (persons.person_id). */
  holderPersonId: number;
  pin?: string;
  /** A fixed card id (16 hex, upper case), for the demo cards; random otherwise. */
  cardId?: string;
}

export interface IssuedCard {
  cardId: string;
  certificateSerial: string;
  certificatePem: string;
  pin: string;
  face: CardFace;
}

export async function issueCard(db: Db, authority: Authority, request: IssueRequest, now: Date): Promise<IssuedCard> {
  const pin = request.pin ?? randomPin();
  if (!PIN_PATTERN.test(pin)) throw new OqsError("E7016");
  const face: CardFace = { ...request.face, securityCode: request.face.securityCode ?? String(randomInt(10_000)).padStart(4, "0") };
  const notAfter = new Date(`${request.certificateExpiry}T23:59:59+09:00`);
  if (Number.isNaN(notAfter.getTime()) || notAfter <= now) throw new Error(`電子証明書の有効期限が不正です: ${request.certificateExpiry}`);

  const holder = await db.query("select 1 from persons where person_id = $1", [request.holderPersonId]);
  if (holder.length === 0) throw new Error(`カードの所有者 (person_id ${request.holderPersonId}) が登録されていません。`);
  const keys = await generateRsaKeys();
  const serial = randomSerial();
  const certificate = await issueCertificate(authority, keys.publicKey, serial, now, notAfter);
  const cardId = request.cardId ?? randomBytes(8).toString("hex").toUpperCase();
  const certificatePem = certificate.toString("pem");
  const keyPem = await privateKeyPem(keys.privateKey);
  await db.transaction(async (tx) => {
    await tx.query("insert into cards (card_id, certificate_serial, certificate_pem, not_after, issued_at) values ($1, $2, $3, $4, $5)", [
      cardId,
      serial,
      certificatePem,
      notAfter,
      now,
    ]);
    await tx.query(
      `insert into card_chips (card_id, private_key_pem, pin_hash, face_name, face_address, face_birthdate, face_sex, face_expiry, security_code)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [cardId, keyPem, hashPin(pin), face.name, face.address, face.birthdate, face.sex, face.expiry, face.securityCode],
    );
    await tx.query("insert into card_holders (card_id, person_id) values ($1, $2)", [cardId, request.holderPersonId]);
  });
  return { cardId, certificateSerial: serial, certificatePem, pin, face };
}
