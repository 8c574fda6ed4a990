// 医療扶助 in the synthetic data on each database: a seeded population's 生活保護受給開始 (喪失事由
// 02) is followed by 医療扶助 under the city's 福祉事務所 from that day, and the demo's recipient has a
// 医療券 at the hospital and a 調剤券 at the pharmacy on the demo date, seen by their card checks and
// reachable by the demo office's credential; loading the demo twice adds nothing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { excludedQualificationOf } from "../../src/domain/medical-info.ts";
import { buildCardCheck } from "../../src/services/card-check-result.ts";
import { authenticateWelfareOffice, issueMedicalTicket } from "../../src/services/welfare.ts";
import { DEMO_DATE, DEMO_FACILITIES, loadDemo } from "../../src/seed/demo.ts";
import { DEMO_RECIPIENT, DEMO_WELFARE_OFFICE, loadDemoWelfare } from "../../src/seed/demo-welfare.ts";
import { insurerByNumber } from "../../src/seed/insurers.ts";
import { insertInsurers, seedPopulation } from "../../src/seed/load.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { findQualifications } from "../../src/store/qualification-store.ts";
import { testDatabases } from "../support/databases.ts";

type Json = Record<string, any>;
const [HOSPITAL, CLINIC, PHARMACY] = DEMO_FACILITIES.map((f) => f.code) as [string, string, string];

for (const database of testDatabases()) {
  describe(`医療扶助 in the seed and the demo on ${database.name}`, () => {
    let db: Db;
    let seeded: Awaited<ReturnType<typeof seedPopulation>>;
    before(async () => {
      db = await database.open();
      seeded = await seedPopulation(db, { persons: 20_000, seed: 14, referenceDate: DEMO_DATE });
      await loadDemo(db);
      await loadDemo(db);
    });
    after(async () => db.close());

    test("a population's 生活保護受給開始 is followed by 医療扶助 under the city's office, from the same day", async () => {
      const rows = await db.query<{ lost: string; office: string; classification: string; number: string; from: string; kokuho_city: string; office_city: string }>(
        `select l.disqualification_date::text as lost, a.insurer_number as office, a.insured_card_classification as classification,
                a.insured_identification_number as number, a.qualification_date::text as "from",
                (select name from insurers where insurer_number = l.insurer_number) as kokuho_city,
                (select name from insurers where insurer_number = a.insurer_number) as office_city
         from qualifications l join qualifications a on a.person_id = l.person_id and a.qualification_id <> l.qualification_id
         where l.reason_of_loss = '02' and a.insurer_number like '12______'`,
      );
      const lost = await db.query<{ n: number }>("select count(*)::int as n from qualifications where reason_of_loss = '02'");
      assert.ok(rows.length > 0, "some persons of 20,000 begin 生活保護");
      assert.equal(rows.length, lost[0]!.n, "each of them has 医療扶助");
      for (const r of rows) {
        assert.equal(r.from, r.lost, "from the day the insurance ended");
        assert.equal(r.classification, "A1");
        assert.match(r.number, /^[0-9]{7}$/);
        assert.match(r.office_city, /福祉事務所$/);
        assert.equal(excludedQualificationOf({ insuredCardClassification: r.classification, insurerNumber: r.office }), "medicalAssistance");
      }
      // Those in force on the reference date have a 医療券 and a 調剤券 for a visit that day, near home.
      const tickets = await db.query<{ n: number; people: number; months: string[]; types: string[] }>(
        `select count(*)::int as n, count(distinct person_id)::int as people, array_agg(distinct treatment_month) as months, array_agg(distinct ticket_type) as types
         from medical_tickets t where exists (select 1 from populations pop where pop.kind = 'seeded' and t.person_id between pop.first_person_id and pop.last_person_id)`,
      );
      assert.ok(tickets[0]!.people > 0, "some recipients have tickets");
      assert.equal(tickets[0]!.n, tickets[0]!.people * 2, "a 医療券 and a 調剤券 each");
      assert.deepEqual(tickets[0]!.months, ["202604"]);
      assert.deepEqual([...tickets[0]!.types].sort(), ["dispensing", "medical"]);
      assert.equal(seeded.medicalTickets, tickets[0]!.n);
      const offices = await db.query<{ n: number }>("select count(*)::int as n from welfare_offices w join insurers i on i.insurer_number = w.public_expense_number");
      assert.ok(offices[0]!.n >= 140, "every catalogue city has its office");
    });

    test("the demo recipient: 国保 lost with 02, 医療扶助 since, one 医療券 and one 調剤券 for the demo date", async () => {
      const [qualification] = await findQualifications(db, { insurerNumber: DEMO_WELFARE_OFFICE.number, insuredIdentificationNumber: DEMO_RECIPIENT.number });
      assert.equal(qualification?.person.name, DEMO_RECIPIENT.name);
      assert.equal(qualification?.qualificationDate, "20251001");
      const tickets = await db.query<{ medical_institution_code: string; ticket_type: string }>(
        "select medical_institution_code, ticket_type from medical_tickets where person_id = $1 order by medical_institution_code",
        [qualification!.person.personId],
      );
      assert.deepEqual(tickets.map((t) => [t.medical_institution_code, t.ticket_type]), [[HOSPITAL, "medical"], [PHARMACY, "dispensing"]]);
      // Her demo card is registered to her: a tap at the reader checks this person.
      const [card] = await db.query<{ person_id: number }>("select person_id from cards where card_id = 'DE00000000000008'");
      assert.equal(Number(card?.person_id), qualification!.person.personId);
      const ctx = { db, facilities: new FacilityDirectory(db), now: () => new Date(`${DEMO_DATE}T10:00:00+09:00`), characterCode: "0" as const };
      for (const [facility, expected] of [[HOSPITAL, ["医療券"]], [PHARMACY, ["調剤券"]], [CLINIC, []]] as const) {
        const message = (await buildCardCheck(ctx, { facilityCode: facility, personId: qualification!.person.personId }, undefined)).message as Json;
        const results = [message.XmlMsg.MessageBody.ResultList.ResultOfQualificationConfirmation].flat() as Json[];
        const assisted = results.find((r) => r.InsuredCardClassification === "A1")!;
        const list = [assisted.PublicExpenseResultList?.MedicalTicketInfo ?? []].flat() as Json[];
        assert.deepEqual(list.map((t) => t.TicketType), expected, facility);
      }
    });

    test("the demo office logs in with its credential and records tickets for its recipient", async () => {
      assert.equal(await authenticateWelfareOffice(db, DEMO_WELFARE_OFFICE.number, DEMO_WELFARE_OFFICE.credential), true);
      assert.equal(await authenticateWelfareOffice(db, DEMO_WELFARE_OFFICE.number, "not-the-credential"), false);
      const issued = await issueMedicalTicket(db, DEMO_WELFARE_OFFICE.number, { recipientNumber: DEMO_RECIPIENT.number, facilityCode: CLINIC, visitDate: "2026-04-10" }, new Date(`${DEMO_DATE}T10:00:00+09:00`));
      assert.equal(issued.ticketType, "医療券");
    });
  });

  describe(`the demo's 医療扶助 on ${database.name}, in a database whose demo predates it`, () => {
    test("loads though the catalogue's 福祉事務所 was never inserted there (no insurers row, no office)", async () => {
      const db = await database.open();
      try {
        // What such a database holds that the recipient needs: the demo facilities and her former 国保.
        for (const f of DEMO_FACILITIES) {
          await db.query("insert into facilities (medical_institution_code, name, kind, prefecture) values ($1, $2, $3, 13)", [f.code, f.name, f.kind]);
        }
        await insertInsurers(db, [insurerByNumber(DEMO_RECIPIENT.kokuho.insurer)]);
        const options = { visit: DEMO_DATE, facilities: [DEMO_FACILITIES[0], DEMO_FACILITIES[2]], historySeed: 1, historyFacilities: [HOSPITAL] };
        await loadDemoWelfare(db, options);
        await loadDemoWelfare(db, options);
        const tickets = await db.query<{ n: number }>("select count(*)::int as n from medical_tickets where public_expense_number = $1", [DEMO_WELFARE_OFFICE.number]);
        assert.equal(tickets[0]!.n, 2, "a 医療券 and a 調剤券, once");
        assert.equal(await authenticateWelfareOffice(db, DEMO_WELFARE_OFFICE.number, DEMO_WELFARE_OFFICE.credential), true);
      } finally {
        await db.close();
      }
    });
  });
}
