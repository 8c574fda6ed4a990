// Issuing a synthetic マイナンバーカード: a fresh RSA-2048 key pair on the chip, the authority's
// 利用者証明用電子証明書 for it, a 4-digit PIN and a printed face (氏名, 住所, 生年月日, 性別,
// 有効期限, セキュリティコード). No 個人番号 exists anywhere: the card is found by its card id and,
// after 保険証利用登録, linked to a person through its certificate serial. The person it is issued
// to (its holder) is recorded apart, as J-LIS and the insurer know it (card_holders). The card is
// made here and stored by src/store/card-issue-store.ts.
import { randomBytes, randomInt } from "node:crypto";
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
  /** The chip's key pair, when the caller has one (the demo cards'); a fresh one otherwise. */
  keys?: CryptoKeyPair;
}

export interface IssuedCard {
  cardId: string;
  certificateSerial: string;
  certificatePem: string;
  pin: string;
  face: CardFace;
}

/** A card made and not yet stored: what the card's owner gets, and what its chip keeps. */
export interface MadeCard {
  card: IssuedCard;
  notAfter: Date;
  privateKeyPem: string;
  pinHash: string;
}

export async function makeCard(authority: Authority, request: IssueRequest, now: Date): Promise<MadeCard> {
  const pin = request.pin ?? randomPin();
  if (!PIN_PATTERN.test(pin)) throw new OqsError("E7016");
  const face: CardFace = { ...request.face, securityCode: request.face.securityCode ?? String(randomInt(10_000)).padStart(4, "0") };
  const notAfter = new Date(`${request.certificateExpiry}T23:59:59+09:00`);
  if (Number.isNaN(notAfter.getTime()) || notAfter <= now) throw new Error(`電子証明書の有効期限が不正です: ${request.certificateExpiry}`);
  const keys = request.keys ?? (await generateRsaKeys());
  const serial = randomSerial();
  const certificate = await issueCertificate(authority, keys.publicKey, serial, now, notAfter);
  const cardId = request.cardId ?? randomBytes(8).toString("hex").toUpperCase();
  return {
    card: { cardId, certificateSerial: serial, certificatePem: certificate.toString("pem"), pin, face },
    notAfter,
    privateKeyPem: await privateKeyPem(keys.privateKey),
    pinHash: hashPin(pin),
  };
}
