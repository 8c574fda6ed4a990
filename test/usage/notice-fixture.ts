// Facilities and months the notice tests share: three 医科診療所 (two in Tokyo, one in Osaka) and a
// Tokyo pharmacy, with month totals and uploaded receipts from 2023-10 to 2025-06. X, the facility
// the notices are about, uses the card on 10 % of its checks and has 10 % of its receipts' persons
// until 2025-05; its 2025-06 figures are given by the test (`xJune`), to put it on either side of a
// threshold of the 算定月 2025-09 (加算2: 30 %).
import type { Db } from "../../src/db/client.ts";
import { addMonths } from "../../src/subsidy/usage-rate.ts";

export const X = "1310000011";
export const Y = "1310000022";
export const Z = "2710000033";
export const P = "1340000044";
export const FIRST = "2023-10";
export const LAST = "2025-06";

interface Month {
  cardFace: number;
  insuranceNumber: number;
  persons: number;
  receipts: number;
  outpatient: number;
}

async function month(db: Db, code: string, m: string, f: Month): Promise<void> {
  await db.query("insert into usage_month_totals (medical_institution_code, month, card_face, insurance_number, card_persons) values ($1, $2, $3, $4, $5)", [code, `${m}-01`, f.cardFace, f.insuranceNumber, f.persons]);
  await db.query("insert into usage_receipts values ($1, $2, $3, $4, now())", [code, `${m}-01`, f.receipts, f.outpatient]);
}

/** Loads the four facilities; X's 2025-06 is `xJune` (persons of 1,000 receipts, all outpatient). */
export async function loadNoticeFixture(db: Db, xJunePersons: number): Promise<void> {
  const facilities = [
    [X, "テスト内科クリニック", "medical_clinic", 13],
    [Y, "テスト外科医院", "medical_clinic", 13],
    [Z, "テスト大阪診療所", "medical_clinic", 27],
    [P, "テスト薬局", "pharmacy", 13],
  ] as const;
  for (const [code, name, kind, prefecture] of facilities) {
    await db.query("insert into facilities (medical_institution_code, name, kind, prefecture) values ($1, $2, $3, $4)", [code, name, kind, prefecture]);
  }
  for (let m = FIRST; m <= LAST; m = addMonths(m, 1)) {
    const last = m === LAST;
    await month(db, X, m, { cardFace: 100, insuranceNumber: 900, persons: last ? xJunePersons : 100, receipts: 1000, outpatient: 1000 });
    await month(db, Y, m, { cardFace: 300, insuranceNumber: 700, persons: 250, receipts: 500, outpatient: 400 });
    await month(db, Z, m, { cardFace: 50, insuranceNumber: 150, persons: 40, receipts: 100, outpatient: 90 });
    await month(db, P, m, { cardFace: 20, insuranceNumber: 80, persons: 20, receipts: 200, outpatient: 200 });
  }
}
