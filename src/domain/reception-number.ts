// The ReceptionNumber (受付番号) of a bulk 受付 (一括照会, 照会番号一括登録): 20 digits, the JST
// time of the upload (yyyyMMddHHmmss) and 6 random digits. Unique per database: the store draws
// again on a collision.
import { randomInt } from "node:crypto";
import { jstTimestamp } from "./dates.ts";

/** A fresh candidate ReceptionNumber for an upload received at `receivedAt`. */
export function drawReceptionNumber(receivedAt: Date): string {
  return jstTimestamp(receivedAt) + String(randomInt(1_000_000)).padStart(6, "0");
}
