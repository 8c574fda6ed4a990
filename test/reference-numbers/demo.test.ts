// The demo's 照会番号 comes back to the demo hospital only, as the README says.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { formatInsurerNumber } from "../../src/domain/insurer-number.ts";
import { answerQualificationCheck } from "../support/messages.ts";
import { DEMO_FACILITIES, DEMO_PERSONS, DEMO_REFERENCE_NUMBERS, loadDemo } from "../../src/seed/demo.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";

for (const database of testDatabases()) {
  describe(`demo 照会番号 on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadDemo(db);
    });
    after(async () => db.close());

    test("each registered number is returned to its facility and to no other", async () => {
      for (const registered of DEMO_REFERENCE_NUMBERS) {
        const lookup = DEMO_PERSONS.find((l) => l.name === registered.name && l.expected === "1")!;
        for (const facility of DEMO_FACILITIES) {
          const answer = await answerQualificationCheck(
            { db, facilities: new FacilityDirectory(db), now: () => new Date("2026-04-01T00:00:00Z"), characterCode: "0" },
            {
              XmlMsg: {
                MessageHeader: { QualificationConfirmationDate: lookup.date.replaceAll("-", ""), MedicalInstitutionCode: facility.code },
                MessageBody: {
                  QualificationConfirmSearchInfo: {
                    InsurerNumber: formatInsurerNumber(lookup.insurerNumber),
                    InsuredCardSymbol: lookup.symbol!,
                    InsuredIdentificationNumber: lookup.number,
                    InsuredBranchNumber: lookup.branch!,
                    Birthdate: lookup.birthdate.replaceAll("-", ""),
                    LimitApplicationCertificateRelatedConsFlg: "0",
                  },
                },
              },
            },
          );
          const body = (answer.message.XmlMsg as { MessageBody: { ResultList: { ResultOfQualificationConfirmation: { ReferenceNumber?: string }[] } } }).MessageBody;
          const [result] = body.ResultList.ResultOfQualificationConfirmation;
          assert.equal(result!.ReferenceNumber, facility.code === registered.facility ? registered.referenceNumber : undefined, facility.name);
        }
      }
    });
  });
}
