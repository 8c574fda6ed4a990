// Recording 医療券 on each database: what is stored and answered, each refusal with its code and
// nothing stored, an office that cannot reach another's recipient, and the store queries a card
// check and 医療扶助の一括照会 read.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { issueMedicalTicket, issueWelfareCredential, readTicketRequest, type TicketRequest } from "../../src/services/welfare.ts";
import { medicalTicketsOfFacilityForMonth, medicalTicketsOfPerson, welfareOfficeAccount } from "../../src/store/welfare-store.ts";
import { verifyCredential } from "../../src/domain/credential.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY } from "../support/fixture.ts";
import { DENTAL, OFFICE, OTHER_OFFICE, OTHER_RECIPIENT, PHARMACY, RECIPIENT, loadWelfareFixture } from "./support.ts";

// 2026-12-01 09:00 in Japan.
const NOW = new Date("2026-12-01T00:00:00Z");
const request = (overrides: Partial<TicketRequest> = {}): TicketRequest => ({
  recipientNumber: RECIPIENT.number,
  facilityCode: FACILITY.code,
  visitDate: "2026-12-10",
  ...overrides,
});
const refusal = (code: string, element?: string) => (error: unknown) =>
  error instanceof OqsError && error.code === code && (element === undefined || error.element === element);

for (const database of testDatabases()) {
  describe(`医療券 on ${database.name}`, () => {
    let db: Db;
    const count = async () => Number((await db.query<{ n: number }>("select count(*)::int as n from medical_tickets"))[0]!.n);
    before(async () => {
      db = await database.open();
      await loadWelfareFixture(db);
    });
    after(async () => db.close());

    test("an office records a 医療券 for its recipient: the visit's month, to its last day", async () => {
      const issued = await issueMedicalTicket(db, OFFICE.number, request({ injuryNames: ["高血圧症", " 糖尿病 "], selfPayAmount: 1200 }), NOW);
      assert.match(issued.issueNumber, /^[0-9]+$/);
      assert.deepEqual({ ...issued, issueNumber: "" }, {
        issueNumber: "",
        recipientNumber: RECIPIENT.number,
        facilityCode: FACILITY.code,
        ticketType: "医療券",
        treatmentType: "入院外",
        treatmentMonth: "202612",
        validFrom: "2026-12-10",
        validTo: "2026-12-31",
        selfPayAmount: 1200,
        injuryNames: ["高血圧症", "糖尿病"],
      });
      const [ticket] = await medicalTicketsOfPerson(db, RECIPIENT.personId, FACILITY.code, "20261215");
      assert.equal(ticket?.ticketId, Number(issued.issueNumber));
      assert.equal(ticket?.facilityName, `テスト病院${FACILITY.code}`);
      assert.equal(ticket?.publicExpenseNumber, OFFICE.number);
      assert.deepEqual(ticket?.injuryNames, ["高血圧症", "糖尿病"]);
    });

    test("a pharmacy's ticket is a 調剤券, a dental clinic's 歯科", async () => {
      assert.equal((await issueMedicalTicket(db, OFFICE.number, request({ facilityCode: PHARMACY }), NOW)).ticketType, "調剤券");
      assert.equal((await issueMedicalTicket(db, OFFICE.number, request({ facilityCode: DENTAL }), NOW)).treatmentType, "歯科");
    });

    test("a second ticket for the same facility and month is refused with the first one's 交付番号", async () => {
      const before = await count();
      const [first] = await medicalTicketsOfPerson(db, RECIPIENT.personId, FACILITY.code, "20261210");
      await assert.rejects(issueMedicalTicket(db, OFFICE.number, request({ visitDate: "2026-12-20" }), NOW), refusal("E8710", `交付番号 ${first!.ticketId}`));
      assert.equal(await count(), before);
    });

    test("each bad input is refused with its code and nothing is stored", async () => {
      const before = await count();
      const cases: [Partial<TicketRequest>, string][] = [
        [{ recipientNumber: "100001" }, "E8703"],
        [{ recipientNumber: "1000018" }, "E8703"],
        [{ recipientNumber: "１０００００１" }, "E8703"],
        [{ facilityCode: "011011371" }, "E8705"],
        [{ facilityCode: "0110113710" }, "E8705"],
        [{ visitDate: "2026-02-30" }, "E8707"],
        [{ visitDate: "next week" }, "E8707"],
        [{ visitDate: "2026-12-03" }, "E8708"],
        [{ visitDate: "2026-11-30" }, "E8708"],
        [{ visitDate: "2027-01-01" }, "E8709"],
        [{ treatmentType: "surgery" as never }, "E8711"],
        [{ facilityCode: PHARMACY, treatmentType: "outpatient" }, "E8711"],
        [{ injuryNames: ["a", "b", "c", "d"] }, "E8712"],
        [{ injuryNames: [""] }, "E8712"],
        [{ injuryNames: ["x".repeat(101)] }, "E8712"],
        [{ injuryNames: ["改行\nあり"] }, "E8712"],
        [{ selfPayAmount: -1 }, "E8713"],
        [{ selfPayAmount: 1.5 }, "E8713"],
        [{ selfPayAmount: 10_000_000 }, "E8713"],
        [{ facilityCode: "0110113727" }, "E8706"],
      ];
      for (const [overrides, code] of cases) {
        await assert.rejects(issueMedicalTicket(db, OFFICE.number, request({ visitDate: "2026-12-28", ...overrides }), NOW), (error: unknown) => {
          assert.equal(error instanceof OqsError && error.code, code, JSON.stringify(overrides));
          return true;
        });
      }
      assert.equal(await count(), before);
    });

    test("another office's recipient and a number nobody holds are answered alike", async () => {
      await assert.rejects(issueMedicalTicket(db, OFFICE.number, request({ recipientNumber: OTHER_RECIPIENT.number }), NOW), refusal("E8704"));
      await assert.rejects(issueMedicalTicket(db, OFFICE.number, request({ recipientNumber: "9999996" }), NOW), refusal("E8704"));
      await assert.rejects(issueMedicalTicket(db, OTHER_OFFICE.number, request({ visitDate: "2024-12-10" }), new Date("2024-12-01T00:00:00Z")), refusal("E8704"));
      assert.deepEqual(await medicalTicketsOfPerson(db, OTHER_RECIPIENT.personId, FACILITY.code, "20261210"), []);
    });

    test("the body is read as the documented fields only", () => {
      assert.throws(() => readTicketRequest([]), refusal("E8714"));
      assert.throws(() => readTicketRequest(null), refusal("E8714"));
      assert.throws(() => readTicketRequest({ ...request(), personId: 1 }), refusal("E8714", "personId"));
      assert.throws(() => readTicketRequest({ facilityCode: FACILITY.code, visitDate: "2026-12-10" }), refusal("E8714", "recipientNumber"));
      assert.throws(() => readTicketRequest({ ...request(), recipientNumber: 1000017 }), refusal("E8714", "recipientNumber"));
      assert.throws(() => readTicketRequest({ ...request(), injuryNames: "高血圧症" }), refusal("E8712"));
      assert.throws(() => readTicketRequest({ ...request(), selfPayAmount: "0" }), refusal("E8713"));
      assert.throws(() => readTicketRequest({ ...request(), treatmentType: 1 }), refusal("E8711"));
      assert.deepEqual(readTicketRequest(request()), request());
    });

    test("a card check at a facility sees only that facility's tickets in force that day", async () => {
      assert.equal((await medicalTicketsOfPerson(db, RECIPIENT.personId, FACILITY.code, "20261209")).length, 0);
      assert.equal((await medicalTicketsOfPerson(db, RECIPIENT.personId, FACILITY.code, "20261231")).length, 1);
      assert.equal((await medicalTicketsOfPerson(db, RECIPIENT.personId, FACILITY.code, "20270101")).length, 0);
      assert.equal((await medicalTicketsOfPerson(db, RECIPIENT.personId, OTHER_FACILITY.code, "20261215")).length, 0);
    });

    test("a facility's tickets of a 診療年月 are its own, by person", async () => {
      await issueMedicalTicket(db, OTHER_OFFICE.number, request({ recipientNumber: OTHER_RECIPIENT.number, visitDate: "2026-12-05" }), NOW);
      await issueMedicalTicket(db, OFFICE.number, request({ facilityCode: OTHER_FACILITY.code }), NOW);
      const december = await medicalTicketsOfFacilityForMonth(db, FACILITY.code, "202612");
      assert.deepEqual(december.map((t) => [t.personId, t.facilityCode]), [[RECIPIENT.personId, FACILITY.code], [OTHER_RECIPIENT.personId, FACILITY.code]]);
      assert.deepEqual(await medicalTicketsOfFacilityForMonth(db, FACILITY.code, "202701"), []);
      assert.deepEqual((await medicalTicketsOfFacilityForMonth(db, OTHER_FACILITY.code, "202612")).map((t) => t.personId), [RECIPIENT.personId]);
    });

    test("an office's credential is kept as a hash; given ones must be fit", async () => {
      const issued = await issueWelfareCredential(db, OTHER_OFFICE.number);
      assert.ok(issued.credential && issued.credential.length >= 20, "a generated credential is shown once");
      const account = await welfareOfficeAccount(db, OTHER_OFFICE.number);
      assert.equal(account?.name, OTHER_OFFICE.name);
      assert.equal(await verifyCredential(issued.credential!, account!.credentialHash!), true);
      assert.doesNotMatch(account!.credentialHash!, new RegExp(issued.credential!));
      assert.deepEqual(await issueWelfareCredential(db, OTHER_OFFICE.number, OTHER_OFFICE.credential), { office: OTHER_OFFICE.number });
      await assert.rejects(issueWelfareCredential(db, OTHER_OFFICE.number, "short"), refusal("E8716"));
      await assert.rejects(issueWelfareCredential(db, OTHER_OFFICE.number, "with a space 123"), refusal("E8716"));
      await assert.rejects(issueWelfareCredential(db, "01130012"), refusal("E8702"));
      await assert.rejects(issueWelfareCredential(db, "12131018"), refusal("E8702"));
      await assert.rejects(issueWelfareCredential(db, "12479994"), refusal("E8715"));
    });
  });
}
