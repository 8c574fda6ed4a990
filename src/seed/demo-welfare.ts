// The demo's 医療扶助 (docs/welfare.md): 福田 良子 of 世田谷区, whose 国保 ended on 2025-10-01 when
// 生活保護 began (喪失事由 02), is a recipient of 世田谷区福祉事務所 from that day; the office
// recorded on 2026-03-20 a 医療券 at the demo hospital and a 調剤券 at the demo pharmacy for a visit
// on DEMO_DATE, so a card check or a 個別照会 there on that day shows them. The office logs in to the
// 医療券 route with DEMO_WELFARE_OFFICE's credential.
import type { Db } from "../db/client.ts";
import { withCheckDigit } from "../domain/check-digit.ts";
import { isoToYyyymmdd } from "../domain/dates.ts";
import { MEDICAL_ASSISTANCE_CARD_CLASSIFICATION, generatedTicketTerms } from "../domain/welfare.ts";
import type { FacilityKind } from "../domain/facility-code.ts";
import { savePopulation } from "../store/medical-history-store.ts";
import { findRecipient, insertMedicalTicket, setWelfareOfficeCredential } from "../store/welfare-store.ts";
import { publicCredentialHash } from "./credential.ts";
import { insurerByNumber } from "./insurers.ts";
import { insertInsurers, nextIds } from "./load.ts";

/** 世田谷区福祉事務所 of the seed catalogue, with a credential everyone knows. */
export const DEMO_WELFARE_OFFICE = { number: insurerByNumber(withCheckDigit("1213103")).number, credential: "demo-welfare-office" } as const;

export const DEMO_RECIPIENT = {
  name: "福田　良子",
  kana: "フクダ　リョウコ",
  birthdate: "1961-06-12",
  /** 受給者番号 (7 digits with its 検証番号). */
  number: withCheckDigit("300001"),
  /** 国保 until the day 保護 began. */
  kokuho: { insurer: insurerByNumber(withCheckDigit("13103")).number, symbol: "21", number: "900130" },
  assistedFrom: "2025-10-01",
} as const;

/** The tickets recorded for DEMO_DATE's visit: the office recorded them 12 days before. */
const RECORDED_AT = new Date("2026-03-20T10:00:00+09:00");

export interface DemoWelfareOptions {
  /** The visit the tickets are for (YYYY-MM-DD). */
  visit: string;
  /** Where: a 医療券 or 調剤券 at each. */
  facilities: readonly { code: string; kind: FacilityKind }[];
  /** The recipient is a demo population of one (history derived from this seed, naming these facilities; 個人番号 digest as every demo person). */
  historySeed: number;
  historyFacilities: readonly string[];
}

/**
 * Adds the office's credential, the recipient and the tickets when the recipient is missing (a
 * database loaded before they existed gets them too).
 */
export async function loadDemoWelfare(db: Db, options: DemoWelfareOptions): Promise<void> {
  const r = DEMO_RECIPIENT;
  const { visit, facilities } = options;
  await db.transaction(async (tx) => {
    if (await findRecipient(tx, DEMO_WELFARE_OFFICE.number, r.number, isoToYyyymmdd(visit))) return;
    // A database whose demo was loaded before 医療扶助 existed has neither the office nor its insurers row.
    await insertInsurers(tx, [insurerByNumber(DEMO_WELFARE_OFFICE.number)]);
    await setWelfareOfficeCredential(tx, DEMO_WELFARE_OFFICE.number, publicCredentialHash(DEMO_WELFARE_OFFICE.credential));
    const { personId, qualificationId } = await nextIds(tx);
    await savePopulation(tx, { firstPersonId: personId, lastPersonId: personId, seed: options.historySeed, kind: "demo", facilityCodes: [...options.historyFacilities] });
    await tx.query(
      `insert into persons (person_id, name, name_kana, sex, birthdate, address, post_number)
       values ($1, $2, $3, 2, $4, '東京都世田谷区世田谷4丁目21番27号', '154-0017')`,
      [personId, r.name, r.kana, r.birthdate],
    );
    await tx.query(
      `insert into qualifications (qualification_id, person_id, insurer_number, insured_card_classification, insured_card_symbol,
         insured_identification_number, insured_branch_number, personal_family_classification, insured_name, qualification_date,
         disqualification_date, reason_of_loss, card_issuance_date, card_valid_date, card_expiration_date)
       values ($1, $2, $3, '01', $4, $5, '00', 1, $6, '2012-04-01', $7, '02', '2025-08-01', '2025-08-01', '2026-07-31'),
              ($8, $2, $9, $10, null, $11, null, 1, $6, $7, null, null, null, null, null)`,
      [qualificationId, personId, r.kokuho.insurer, r.kokuho.symbol, r.kokuho.number, r.name, r.assistedFrom,
        qualificationId + 1, DEMO_WELFARE_OFFICE.number, MEDICAL_ASSISTANCE_CARD_CLASSIFICATION, r.number],
    );
    const visitDate = isoToYyyymmdd(visit);
    for (const f of facilities) {
      await insertMedicalTicket(tx, {
        personId,
        qualificationId: qualificationId + 1,
        publicExpenseNumber: DEMO_WELFARE_OFFICE.number,
        facilityCode: f.code,
        ...generatedTicketTerms(f.kind, visitDate),
        injuryNames: f.kind === "pharmacy" ? [] : ["高血圧症"],
        issuedAt: RECORDED_AT,
      });
    }
  });
}
