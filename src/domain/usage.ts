// What onshi records of each answered qualification check (migration 020, docs/usage.md 「記録」):
// the method and the transport of the check, and the Japanese calendar day and month it counts in.
import type { CheckMethod } from "../card/answer.ts";

/** How a check identified the patient: the card (by 顔認証 / 暗証番号 / 目視), the insurance number, the 照会番号, a 一括照会 row. */
export const USAGE_METHODS = ["card_face", "card_pin", "card_visual", "insurance_number", "reference_number", "bulk_row"] as const;
export type UsageMethod = (typeof USAGE_METHODS)[number];

/** How the check reached onshi: the WebAPI (and onshi's other HTTP routes), the folder gateway, the card reader, the command line. */
export const USAGE_TRANSPORTS = ["webapi", "folder", "reader", "cli"] as const;
export type UsageTransport = (typeof USAGE_TRANSPORTS)[number];

/** The card methods: マイナ保険証 uses, the numerator of the count basis. */
export const CARD_METHODS: Readonly<Record<CheckMethod, UsageMethod>> = { face: "card_face", pin: "card_pin", visual: "card_visual" };

/** One answered check (or `count` 一括照会 rows) as it is recorded. */
export interface UsageEvent {
  facilityCode: string;
  /** YYYY-MM-DD, the day in Japan of the answer (dateInJapan: 23:59:59 JST counts in that day, 00:00 JST in the next). */
  day: string;
  method: UsageMethod;
  transport: UsageTransport;
  /** 1 for a check; the rows answered for a 一括照会 chunk. */
  count: number;
  /** A card check's person, counted once per facility and month (名寄せ). */
  cardPerson?: number;
}

/** The first day of the month a day (YYYY-MM-DD) counts in. */
export function usageMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}
