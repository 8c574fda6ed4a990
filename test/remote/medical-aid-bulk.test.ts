// 医療扶助の一括照会 (OQSmutic01/02) through the pipeline and the worker, on each database: a search
// by MedicalTreatmentMonth lists the persons holding a 医療券 for the facility of that month, one
// unit each with the qualification on the upload's day and that month's tickets; another month's or
// another facility's tickets list no one; a bad month is one unit with E8818.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { BulkCheckResult } from "../../src/oqs/messages/bulk-check.ts";
import { compile } from "../../src/oqs/messages/schema.ts";
import { insertMedicalTicket } from "../../src/store/welfare-store.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY } from "../support/fixture.ts";
import { answerOf } from "../support/messages.ts";
import { body, download, drain, harness, header } from "../bulk/support.ts";
import { OFFICE, OTHER_OFFICE, OTHER_RECIPIENT, RECIPIENT, loadWelfareFixture } from "../welfare/support.ts";

const RESULT = compile(BulkCheckResult);
const upload = answerOf("OQSmutic01");
const result = answerOf("OQSmutic02");
const search = (rows: unknown[], facility = FACILITY.code) => ({ XmlMsg: { MessageHeader: { MedicalInstitutionCode: facility }, MessageBody: { QualificationConfirmSearchInfo: rows } } });

type Unit = Record<string, any>;

for (const database of testDatabases()) {
  describe(`医療扶助の一括照会 on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadWelfareFixture(db);
      const ticket = (recipient: typeof RECIPIENT, office: typeof OFFICE, facility: string, month: string, visit: string) =>
        insertMedicalTicket(db, {
          personId: recipient.personId,
          qualificationId: recipient.personId,
          publicExpenseNumber: office.number,
          facilityCode: facility,
          ticketType: "medical",
          treatmentType: "outpatient",
          treatmentMonth: month,
          visitDate: visit,
          validFrom: `${month}01`,
          validTo: `${month}30`,
          selfPayAmount: 0,
          injuryNames: ["高血圧症"],
          issuedAt: new Date("2026-03-20T00:00:00Z"),
        });
      await ticket(RECIPIENT, OFFICE, FACILITY.code, "202604", "20260410");
      await ticket(OTHER_RECIPIENT, OTHER_OFFICE, FACILITY.code, "202605", "20260510");
      await ticket(OTHER_RECIPIENT, OTHER_OFFICE, OTHER_FACILITY.code, "202604", "20260410");
    });
    after(async () => db.close());

    test("a month lists the facility's ticket holders of that month, with the tickets", async () => {
      const h = harness(db);
      const up = await upload(h.ctx, search([{ MedicalTreatmentMonth: "202604" }, { MedicalTreatmentMonth: "202613" }, { MedicalTreatmentMonth: "202603" }]));
      assert.equal(up.error, undefined, JSON.stringify(up.message));
      await drain(h.worker());
      const done = await result(h.ctx, download(body(up.message).ReceptionNumber as string));
      assert.deepEqual(RESULT.check(done.message), [], "the answer fits its schema");
      const units = body(done.message).BulkConfirmUnit as Unit[];
      assert.deepEqual(units.map((u) => [u.QualificationConfirmSearchInfo.MedicalTreatmentMonth, u.ProcessingResultStatus, u.ProcessingResultCode ?? null]), [
        ["202604", "1", null],
        ["202613", "2", "E8818"],
      ], "one holder in April, the bad month an error, nobody in March");
      const [holder] = units[0]!.ResultOfQualificationConfirmation;
      assert.equal(holder.Name, "扶助　一郎");
      assert.equal(holder.InsuredCardClassification, "A1");
      const tickets = holder.PublicExpenseResultList.MedicalTicketInfo;
      assert.deepEqual(tickets.map((t: Unit) => [t.MedicalTreatmentMonth, t.DesignatedMedicalInstitutionCode]), [["202604", FACILITY.code]]);
      assert.deepEqual([header(done.message).NumberOfProcessingResult, header(done.message).NumberOfError], ["2", "1"]);
    });

    test("another facility sees only its own tickets", async () => {
      const h = harness(db);
      const up = await upload(h.ctx, search([{ MedicalTreatmentMonth: "202604" }], OTHER_FACILITY.code));
      await drain(h.worker());
      const units = body((await result(h.ctx, download(body(up.message).ReceptionNumber as string, OTHER_FACILITY.code))).message).BulkConfirmUnit as Unit[];
      assert.deepEqual(units.map((u) => u.ResultOfQualificationConfirmation[0].Name), ["扶助　次郎"]);
    });
  });
}
