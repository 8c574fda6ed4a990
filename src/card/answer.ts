// What passes between the card, the facility's reader and the server during a card check: the
// identity-check methods, the card's answer to a challenge and the reader's vouching for it.
// Types only, shared by the chip, the reader device and the verifier.

export type CheckMethod = "pin" | "face" | "visual";
export const CHECK_METHODS: readonly CheckMethod[] = ["pin", "face", "visual"];

/** The methods the reader, not the PIN, vouches for (特定機関認証). */
export const VOUCHED_METHODS: readonly CheckMethod[] = ["face", "visual"];

/** What the reader does with the card: a PIN typed, a face matched or not, or staff looking. */
export type IdentityCheck = { method: "pin"; pin: string } | { method: "face"; matched: boolean } | { method: "visual" };

/** The facility's reader vouching for a face or eye check (src/card/reader-device.ts). */
export interface ReaderVouching {
  /** The reader's certificate, DER in base64. */
  certificate: string;
  /** RSASSA-PKCS1-v1_5 SHA-256 over readerMessage(nonce, facility, method, card serial), base64. */
  signature: string;
}

/** What the card hands back to the reader, and the reader passes to the server. */
export interface CardAnswer {
  nonce: string;
  method: CheckMethod;
  /** The 利用者証明用電子証明書, DER in base64. */
  certificate: string;
  /** RSASSA-PKCS1-v1_5 SHA-256 over signedMessage(nonce, facility, method), base64. */
  signature: string;
  reader?: ReaderVouching;
}
