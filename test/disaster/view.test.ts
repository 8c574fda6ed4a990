// Viewing in a disaster on each database, over the demo data: a PDF of each document with either
// consent, audited as disaster access with the declaration and the consent chosen; refused outside
// the period (nothing recorded), one answer for nobody and for a person whose information is not
// held, and the rules that still hold (特定健診 not for a pharmacy).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import type { AuditActor } from "../../src/domain/audit.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { DEMO_FACILITIES, loadDemo } from "../../src/seed/demo.ts";
import { declareDisaster } from "../../src/services/disaster.ts";
import { searchForDisaster, viewForDisaster, type DisasterViewRequest } from "../../src/services/disaster-search.ts";
import { testDatabases } from "../support/databases.ts";

const HOSPITAL = DEMO_FACILITIES[0].code;
const PHARMACY = DEMO_FACILITIES[2].code;
const DURING = new Date("2026-04-02T01:00:00Z");
const AFTER = new Date("2026-04-07T15:00:00Z"); // the end of 2026-04-07 JST
const DOCTOR: AuditActor = { kind: "staff", account: "ishi", role: "doctor" };
const refusal = (code: string) => (error: unknown) => error instanceof OqsError && error.code === code;

interface Body {
  channel: string;
  actor: AuditActor;
  categories: string[];
  basis: { kind: string; declarationId: number; consent: string } | null;
  result: string;
}

for (const database of testDatabases()) {
  describe(`disaster views on ${database.name}`, () => {
    let db: Db;
    let declarationId: number;
    let sato: number;
    before(async () => {
      db = await database.open();
      await loadDemo(db);
      declarationId = (await declareDisaster(db, { name: "千代田区の災害", municipalities: ["131016"], from: "2026-04-01", to: "2026-04-07", by: "保険局 山田" }, new Date("2026-03-31T00:00:00Z"))).id;
      const page = await searchForDisaster(db, { facilityCode: HOSPITAL, at: DURING, search: { insurer: "06131015", symbol: "700", number: "8002", birthdate: "19680229" } });
      sato = page.matches[0]!.personId;
    });
    after(async () => db.close());

    const view = (over: Partial<DisasterViewRequest>) =>
      viewForDisaster(db, { facilityCode: HOSPITAL, at: DURING, personId: sato, consent: "oral", document: "drugsAndTreatments", actor: DOCTOR, ...over });
    const records = async (personId: number) =>
      (await db.query<{ body: string }>("select body from audit_records where person_id = $1 order by seq", [personId])).map((r) => JSON.parse(r.body) as Body);

    test("drugs with treatments, oral consent: a PDF, recorded as disaster access", async () => {
      const shown = await view({});
      assert.equal(shown.pdf.subarray(0, 5).toString("latin1"), "%PDF-", "a PDF");
      assert.equal(shown.declarationId, declarationId, "under the declaration in force");
      const [record] = (await records(sato)).slice(-1);
      assert.deepEqual(
        { channel: record!.channel, actor: record!.actor, basis: record!.basis, result: record!.result, categories: record!.categories },
        { channel: "terminal", actor: DOCTOR, basis: { kind: "disaster", declarationId, consent: "oral" }, result: "shown", categories: ["diagnosis", "operation", "pharmacists"] },
        "what, how, who, under which declaration and consent",
      );
    });

    test("check-ups without consent (the patient cannot express intent): a PDF, the consent recorded as none", async () => {
      const shown = await view({ document: "checkups", consent: "none" });
      assert.equal(shown.pdf.subarray(0, 5).toString("latin1"), "%PDF-", "a PDF");
      const [record] = (await records(sato)).slice(-1);
      assert.deepEqual(record!.basis, { kind: "disaster", declarationId, consent: "none" }, "同意なし recorded");
      assert.deepEqual(record!.categories, ["specificHealthCheckups"], "特定健診");
    });

    test("outside the period: E8210, and nothing is recorded", async () => {
      const before = (await records(sato)).length;
      await assert.rejects(view({ at: AFTER }), refusal("E8210"), "at the end");
      assert.equal((await records(sato)).length, before, "no record for a view never made");
    });

    test("nobody and a person whose information is not held are one answer", async () => {
      await assert.rejects(view({ personId: 987654321 }), refusal("E8211"), "no such person");
      // A 自衛官診療証 holder (InsuredCardClassification 07): no medical information is held.
      const [row] = await db.query<{ next: number }>("select max(person_id) + 1 as next from persons");
      const id = Number(row!.next);
      await db.query("insert into persons (person_id, name, name_kana, sex, birthdate, address) values ($1, '防衛　一郎', 'ボウエイ　イチロウ', 1, '1985-05-05', '東京都千代田区1番')", [id]);
      await db.query(
        `insert into qualifications (qualification_id, person_id, insurer_number, insured_card_classification, insured_card_symbol,
           insured_identification_number, insured_branch_number, personal_family_classification, insured_name, qualification_date)
         values ($1 + 800000, $1, '01130012', '07', '7777', '1', '00', 1, '防衛　一郎', '2020-04-01')`,
        [id],
      );
      await assert.rejects(view({ personId: id }), refusal("E8211"), "not viewable, answered as nobody");
    });

    test("the rules that still hold, and bad choices", async () => {
      await assert.rejects(view({ facilityCode: PHARMACY, document: "checkups" }), refusal("E8103"), "特定健診 is for 病院・診療所");
      await assert.rejects(view({ consent: "yes" }), refusal("E8219"), "consent is oral or none");
      await assert.rejects(view({ document: "everything" }), refusal("E8220"), "a document the screen offers");
    });
  });
}
