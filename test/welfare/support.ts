// 医療扶助 test data on top of the route fixture: two 福祉事務所, a recipient of each (A1
// qualifications under the office's 公費負担者番号), a pharmacy and a dental clinic.
import type { Db } from "../../src/db/client.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import { publicCredentialHash } from "../../src/seed/credential.ts";
import { registerWelfareOffice } from "../../src/store/welfare-store.ts";
import { loadFixture } from "../support/fixture.ts";

export const OFFICE = { number: withCheckDigit("1213101"), name: "千代田区福祉事務所", credential: "office-credential-1" };
export const OTHER_OFFICE = { number: withCheckDigit("1213201"), name: "中央区福祉事務所", credential: "office-credential-2" };
/** OFFICE's recipient (person 10) and OTHER_OFFICE's (person 11), qualified from 2025-01-01. */
export const RECIPIENT = { personId: 10, number: withCheckDigit("100001") };
export const OTHER_RECIPIENT = { personId: 11, number: withCheckDigit("200001") };
export const PHARMACY = withCheckDigit("134100001");
export const DENTAL = withCheckDigit("133100001");

export async function loadWelfareFixture(db: Db): Promise<void> {
  await loadFixture(db);
  for (const [code, kind] of [[PHARMACY, "pharmacy"], [DENTAL, "dental_clinic"]] as const) {
    await db.query("insert into facilities (medical_institution_code, name, kind, prefecture) values ($1, $2, $3, 13)", [code, `テスト${kind}`, kind]);
  }
  for (const [office, recipient, name] of [[OFFICE, RECIPIENT, "扶助　一郎"], [OTHER_OFFICE, OTHER_RECIPIENT, "扶助　次郎"]] as const) {
    await registerWelfareOffice(db, { publicExpenseNumber: office.number, name: office.name, prefecture: 13, municipalityCode: null });
    await db.query("update welfare_offices set credential_hash = $2 where public_expense_number = $1", [office.number, publicCredentialHash(office.credential)]);
    await db.query(
      "insert into persons (person_id, name, name_kana, sex, birthdate) values ($1, $2, 'フジョ　イチロウ', 1, '1960-05-05')",
      [recipient.personId, name],
    );
    await db.query(
      `insert into qualifications (qualification_id, person_id, insurer_number, insured_card_classification,
         insured_identification_number, personal_family_classification, qualification_date)
       values ($1, $1, $2, 'A1', $3, 1, '2025-01-01')`,
      [recipient.personId, office.number, recipient.number],
    );
  }
}
