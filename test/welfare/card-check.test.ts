// What a facility sees of 医療扶助 on each database: a card check (face result) and a 個別照会 carry
// the facility's own 医療券 in force that day in PublicExpenseResultList, with the office as the
// insurer; another facility's ticket, a day outside the ticket's period and a person without one
// show none; and no 薬剤・特定健診 information is given for the qualification (E8106).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { buildCardCheck } from "../../src/services/card-check-result.ts";
import { handle } from "../../src/services/pipeline/index.ts";
import type { OqsContext } from "../../src/services/pipeline/types.ts";
import { issueMedicalTicket } from "../../src/services/welfare.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { FACE_RESULT } from "../../src/oqs/messages/card-check.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY } from "../support/fixture.ts";
import { OFFICE, RECIPIENT, loadWelfareFixture } from "./support.ts";

const ISSUED = new Date("2026-12-01T00:00:00Z");
const jst = (day: string) => new Date(`${day}T01:00:00Z`); // 10:00 in Japan
type Json = Record<string, any>;

const resultsOf = (message: XmlTree): Json[] => {
  const list = (message as Json).XmlMsg.MessageBody.ResultList?.ResultOfQualificationConfirmation;
  return Array.isArray(list) ? list : list === undefined ? [] : [list];
};
const ticketsOf = (result: Json): Json[] => {
  const list = result.PublicExpenseResultList?.MedicalTicketInfo;
  return Array.isArray(list) ? list : list === undefined ? [] : [list];
};

for (const database of testDatabases()) {
  describe(`医療扶助 at the facility on ${database.name}`, () => {
    let db: Db;
    let issueNumber: string;
    const ctx = (now: Date): OqsContext => ({ db, facilities: new FacilityDirectory(db), now: () => now, characterCode: "0" });
    const cardCheck = async (day: string, facility = FACILITY.code) => (await buildCardCheck(ctx(jst(day)), { facilityCode: facility, personId: RECIPIENT.personId }, undefined)).message;

    before(async () => {
      db = await database.open();
      await loadWelfareFixture(db);
      issueNumber = (await issueMedicalTicket(db, OFFICE.number, { recipientNumber: RECIPIENT.number, facilityCode: FACILITY.code, visitDate: "2026-12-10", injuryNames: ["気管支炎"], selfPayAmount: 500 }, ISSUED)).issueNumber;
    });
    after(async () => db.close());

    test("a card check in the ticket's period shows the 医療券, the office as insurer", async () => {
      const message = await cardCheck("2026-12-10");
      assert.deepEqual(FACE_RESULT.check(message), [], "the face result passes its schema");
      const [result] = resultsOf(message);
      assert.equal(result!.InsuredCardClassification, "A1");
      assert.equal(result!.InsurerNumber, OFFICE.number);
      assert.equal(result!.InsurerName, OFFICE.name);
      assert.equal(result!.InsuredIdentificationNumber, RECIPIENT.number);
      assert.deepEqual(ticketsOf(result!), [
        {
          TicketType: "医療券",
          MedicalTicketValidDate: "20261210",
          MedicalTicketExpirationDate: "20261231",
          IssueNumber: issueNumber,
          MedicalTreatmentMonth: "202612",
          DesignatedMedicalInstitutionCode: FACILITY.code,
          DesignatedMedicalInstitutionName: `テスト病院${FACILITY.code}`,
          InjuryName1: "気管支炎",
          MedicalTreatmentType: "入院外",
          SelfPayAmount: "500",
        },
      ]);
      assert.equal(ticketsOf(resultsOf(await cardCheck("2026-12-31"))[0]!).length, 1);
    });

    test("before the visit, after the month, and at another facility there is no ticket", async () => {
      for (const [day, facility] of [["2026-12-09", FACILITY.code], ["2027-01-04", FACILITY.code], ["2026-12-10", OTHER_FACILITY.code]] as const) {
        const [result] = resultsOf(await cardCheck(day, facility));
        assert.equal(result!.InsuredCardClassification, "A1", `${day} ${facility}`);
        assert.equal(result!.PublicExpenseResultList, undefined, `${day} ${facility}`);
      }
    });

    test("a 個別照会 by the 公費負担者番号 and 受給者番号 shows the asking facility's ticket only", async () => {
      const ask = async (facility: string) => {
        const info = { InsurerNumber: OFFICE.number, InsuredIdentificationNumber: RECIPIENT.number, Birthdate: "19600505", LimitApplicationCertificateRelatedConsFlg: "0" };
        const tree = { XmlMsg: { MessageHeader: { QualificationConfirmationDate: "20261215", MedicalInstitutionCode: facility, ArbitraryFileIdentifier: "" }, MessageBody: { QualificationConfirmSearchInfo: info } } };
        const answer = await handle("OQSsiquc01", { tree }, { authorizedFacility: facility, transport: "webapi" }, ctx(jst("2026-12-15")));
        return resultsOf(answer.message);
      };
      const [mine] = await ask(FACILITY.code);
      assert.equal(mine!.QualificationDate, "20250101");
      assert.deepEqual(ticketsOf(mine!).map((t) => t.IssueNumber), [issueNumber]);
      const [theirs] = await ask(OTHER_FACILITY.code);
      assert.equal(theirs!.PublicExpenseResultList, undefined);
    });

    test("no 薬剤・特定健診 information is given for the qualification (E8106)", async () => {
      for (const kind of ["YZKsiquc01", "TKKsiquc01"] as const) {
        const body: Record<string, string> = kind === "YZKsiquc01" ? { StartDate: "202601", EndDate: "202611", FileCategory: "2" } : { FileCategory: "2" };
        const tree: XmlTree = { XmlMsg: { MessageHeader: { MedicalInstitutionCode: FACILITY.code, InsurerNumber: OFFICE.number, InsuredPersonIdentificationNumber: RECIPIENT.number }, MessageBody: body } };
        const answer = await handle(kind, { tree }, { authorizedFacility: FACILITY.code, transport: "webapi" }, ctx(jst("2026-12-10")));
        assert.equal(answer.error, "E8106", `${kind}: ${JSON.stringify(answer.message).slice(0, 300)}`);
      }
    });
  });
}
