// 薬剤情報 (YZKsiquc01) and 特定健診情報 (TKKsiquc01) through the message pipeline on each database,
// against the demo data (佐藤 健一 consented at 09:00 on 2026-04-01 at the hospital to all four
// categories, at the pharmacy to 薬剤・特定健診): what is shown on consent, every refusal with its
// code in ResultCode 2 / MessageContents, every boundary of the 24 hours, and an audit record for
// each view, shown or refused.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import type { ConsentCategory } from "../../src/domain/consent.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { DEMO_CONSENT_KEY, DEMO_CONSENT_TIME, DEMO_FACILITIES, loadDemo } from "../../src/seed/demo.ts";
import { handle, type MessageKind } from "../../src/services/pipeline/index.ts";
import type { OqsContext } from "../../src/services/pipeline/types.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { findQualifications } from "../../src/store/qualification-store.ts";
import { saveConsent } from "../../src/store/consent-store.ts";
import { testDatabases } from "../support/databases.ts";

const [HOSPITAL, CLINIC, PHARMACY] = DEMO_FACILITIES.map((f) => f.code) as [string, string, string];
const NOW = new Date("2026-04-01T00:30:00Z"); // 09:30 in Japan, half an hour after the demo's card checks
const HOUR = 3600_000;
const at = (ms: number) => new Date(DEMO_CONSENT_TIME.getTime() + ms);

const list = (value: unknown): XmlTree[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]) as XmlTree[];

function request(kind: MessageKind, header: Record<string, string> = {}, body: Record<string, string> = {}): XmlTree {
  const base: Record<string, string> = kind === "YZKsiquc01" ? { StartDate: "202306", EndDate: "202603", FileCategory: "2" } : { FileCategory: "2" };
  return { XmlMsg: { MessageHeader: { MedicalInstitutionCode: HOSPITAL, ...DEMO_CONSENT_KEY, ...header }, MessageBody: { ...base, ...body } } };
}

// Persons whose qualification holds no information (spec §3), each consenting at the hospital.
const EXCLUDED = [
  { label: "自衛官診療証", classification: "07", insurer: withCheckDigit("0713001"), code: "E8104" },
  { label: "日雇特例 (法別番号 03)", classification: "01", insurer: withCheckDigit("0313001"), code: "E8105" },
  { label: "日雇特例 特別療養費 (法別番号 04)", classification: "01", insurer: withCheckDigit("0413001"), code: "E8105" },
  { label: "医療扶助 (A1)", classification: "A1", insurer: withCheckDigit("1213001"), code: "E8106" },
] as const;

async function addExcludedPersons(db: Db): Promise<void> {
  for (const [i, p] of EXCLUDED.entries()) {
    const id = 900_000 + i;
    await db.query("insert into insurers values ($1, $2, 'other', 13) on conflict do nothing", [p.insurer, `${p.label}の保険者`]);
    await db.query("insert into persons (person_id, name, name_kana, sex, birthdate) values ($1, $2, 'テスト', 1, '1970-01-01')", [id, `対象外　${i}`]);
    await db.query(
      `insert into qualifications (qualification_id, person_id, insurer_number, insured_card_classification, insured_card_symbol,
         insured_identification_number, insured_branch_number, personal_family_classification, qualification_date)
       values ($1, $1, $2, $3, '1', '900', '00', 1, '2020-04-01')`,
      [id, p.insurer, p.classification],
    );
    await saveConsent(db, { facilityCode: HOSPITAL, personId: id, consTime: DEMO_CONSENT_TIME, agreed: new Set(["pharmacists", "specificHealthCheckups", "diagnosis", "operation"]) });
  }
}

for (const database of testDatabases()) {
  describe(`薬剤・特定健診 messages on ${database.name}`, () => {
    let db: Db;
    let clock = NOW;
    let ctx: OqsContext;
    let satoId: number;
    const send = (kind: MessageKind, tree: XmlTree, facility = HOSPITAL) =>
      handle(kind, { tree }, { authorizedFacility: facility, otherFacility: "E4005", channel: "file", transport: "folder" }, { ...ctx, now: () => clock });
    const audits = async () =>
      (await db.query<{ body: string }>("select body from audit_records order by seq")).map((r) => JSON.parse(r.body) as { facilityCode: string; personId: number; result: string; categories: string[]; channel: string; basis: unknown });
    const consentAgain = (agreed: ConsentCategory[], consTime: Date, facility = HOSPITAL) => saveConsent(db, { facilityCode: facility, personId: satoId, consTime, agreed: new Set(agreed) });
    const restore = () => consentAgain(["pharmacists", "specificHealthCheckups", "diagnosis", "operation"], DEMO_CONSENT_TIME);

    before(async () => {
      db = await database.open();
      await loadDemo(db);
      await addExcludedPersons(db);
      ctx = { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0" };
      const [sato] = await findQualifications(db, { insurerNumber: DEMO_CONSENT_KEY.InsurerNumber, insuredCardSymbol: "700", insuredIdentificationNumber: "8002", insuredBranchNumber: "00" });
      satoId = sato!.person.personId;
    });
    after(async () => db.close());

    const header = (answer: { message: XmlTree }) => (answer.message.XmlMsg as XmlTree).MessageHeader as Record<string, unknown>;
    const body = (answer: { message: XmlTree }) => (answer.message.XmlMsg as XmlTree).MessageBody as XmlTree;
    const refusedWith = (answer: { message: XmlTree; error?: string }, code: string) => {
      const h = header(answer);
      assert.equal(answer.error, code, `${String(h.ErrorCode)} ${String(h.ErrorMessage)}`);
      assert.equal(h.ResultCode, "2", "a refusal is ResultCode 2");
      assert.equal(h.SegmentOfResult, "9", "and a whole-message failure");
      assert.equal(h.MessageContents, h.ErrorMessage, "the reason is in MessageContents");
      assert.ok(String(h.MessageContents).length > 0, "in Japanese");
      assert.deepEqual(body(answer), {}, "nothing of the patient is answered");
    };

    test("YZK FileCategory 2: the patient's drugs by month from receipts, ResultCode 1, QuaInf, no 診療情報", async () => {
      const answer = await send("YZKsiquc01", request("YZKsiquc01", { ArbitraryFileIdentifier: "abc" }));
      const h = header(answer);
      assert.equal(h.ResultCode, "1", String(h.MessageContents));
      assert.equal(h.SegmentOfResult, "1", "a normal end");
      assert.equal(h.MessageContents, undefined, "no reason on success");
      assert.equal(h.ArbitraryFileIdentifier, "abc", "echoed");
      assert.deepEqual(h.QuaInf, { Name: "佐藤　健一", KanaName: "ｻﾄｳ ｹﾝｲﾁ", Birth: "19680229", AdmGendCode: "1" });
      const months = list(body(answer).MeTrMonthInf);
      assert.ok(months.length >= 12, `a chronic patient has a receipt most months (${months.length})`);
      for (const m of months) {
        assert.ok(String(m.MeTrMonth) >= "202306" && String(m.MeTrMonth) <= "202603", `${String(m.MeTrMonth)} is inside StartDate–EndDate`);
        for (const day of list((m.DiDateInfs as XmlTree).DiDateInf)) assert.equal(day.MeTrInfs, undefined, "診療情報 only with FileCategory 3 and 4");
      }
      const drugs = months.flatMap((m) => list((m.DiDateInfs as XmlTree).DiDateInf)).flatMap((d) => list((d.DrugInfs as XmlTree | undefined)?.DrugInf));
      assert.ok(drugs.length > 0 && drugs.every((d) => d.DrugC && d.DrugN && d.Qua1 && d.Times), "each drug has its code, name, quantity and days");
      assert.ok(months.some((m) => m.PrlsHCd && m.DiOrg === "2"), "a pharmacy's receipt names the prescriber");
      const last = (await audits()).at(-1)!;
      assert.deepEqual([last.facilityCode, last.personId, last.result, last.categories, last.channel], [HOSPITAL, satoId, "shown", ["pharmacists"], "file"]);
      assert.deepEqual(last.basis, { kind: "consent", consTime: DEMO_CONSENT_TIME.toISOString() });
    });

    test("YZK FileCategory 4: 診療情報 of each day with the drugs, 手術 (class K) included on its consent", async () => {
      const answer = await send("YZKsiquc01", request("YZKsiquc01", {}, { FileCategory: "4" }));
      assert.equal(header(answer).ResultCode, "1", String(header(answer).MessageContents));
      const treatments = list(body(answer).MeTrMonthInf)
        .flatMap((m) => list((m.DiDateInfs as XmlTree).DiDateInf))
        .flatMap((d) => list((d.MeTrInfs as XmlTree | undefined)?.MeTrInf));
      assert.ok(treatments.some((t) => t.MeTrIdCl === "K"), "the operation of 2025-06 is there");
      assert.ok(treatments.some((t) => t.MeTrIdCl !== "K"), "other 診療行為 too");
      assert.deepEqual((await audits()).at(-1)!.categories, ["diagnosis", "operation", "pharmacists"]);
    });

    test("YZK FileCategory 4 after a card check without 手術: the same 診療情報 without its 手術 class", async () => {
      await consentAgain(["pharmacists", "diagnosis"], at(10 * 60_000));
      try {
        const answer = await send("YZKsiquc01", request("YZKsiquc01", {}, { FileCategory: "4" }));
        assert.equal(header(answer).ResultCode, "1", String(header(answer).MessageContents));
        const classes = new Set(
          list(body(answer).MeTrMonthInf)
            .flatMap((m) => list((m.DiDateInfs as XmlTree).DiDateInf))
            .flatMap((d) => list((d.MeTrInfs as XmlTree | undefined)?.MeTrInf))
            .map((t) => t.MeTrIdCl),
        );
        assert.ok(!classes.has("K") && classes.size > 0, `no 手術, other classes: ${[...classes].join(",")}`);
        assert.deepEqual((await audits()).at(-1)!.categories, ["diagnosis", "pharmacists"], "the audit records what was shown");
      } finally {
        await restore();
      }
    });

    test("TKK FileCategory 2 at the hospital: the yearly check-ups with their items", async () => {
      const answer = await send("TKKsiquc01", request("TKKsiquc01"));
      const h = header(answer);
      assert.equal(h.ResultCode, "1", String(h.MessageContents));
      assert.deepEqual(h.QualificationsInfo, { Name: "佐藤　健一", KanasName: "ｻﾄｳ ｹﾝｲﾁ", Birthday: "19680229", AdministrativeGenderCode: "1" });
      const checkups = list(body(answer).SpecificHealthCheckupInfo);
      assert.ok(checkups.length >= 4, `one a year for 5 years (${checkups.length})`);
      assert.deepEqual(checkups.map((c) => c.EffectiveTime), checkups.map((c) => c.EffectiveTime).sort(), "oldest first");
      const items = list((checkups[0]!.HealthCheckupResultAndQuestionInfos as XmlTree).HealthCheckupResultAndQuestionInfo);
      assert.ok(items.some((i) => i.ItemName && i.DataType === "PQ" && i.Unit), "quantities with their unit");
    });

    for (const [kind, category, withTreatments] of [["YZKsiquc01", "1", false], ["YZKsiquc01", "3", true], ["TKKsiquc01", "1", false]] as const) {
      test(`${kind} FileCategory ${category}: a PDF, the XML carrying ResultCode 1 and the person, the view recorded once`, async () => {
        const before = (await audits()).length;
        const answer = await send(kind, request(kind, {}, { FileCategory: category }));
        assert.equal(header(answer).ResultCode, "1", String(header(answer).MessageContents));
        assert.ok(header(answer)[kind === "YZKsiquc01" ? "QuaInf" : "QualificationsInfo"], "the person");
        assert.deepEqual(body(answer), {}, "the history is in the PDF");
        assert.equal(answer.pdf?.subarray(0, 5).toString("latin1"), "%PDF-", "a PDF");
        const records = await audits();
        assert.equal(records.length, before + 1, "one record");
        assert.deepEqual(records.at(-1)!.categories, kind === "TKKsiquc01" ? ["specificHealthCheckups"] : withTreatments ? ["diagnosis", "operation", "pharmacists"] : ["pharmacists"]);
      });
    }

    test("a PDF refused is no PDF: E8103 at a pharmacy answers the XML alone", async () => {
      const answer = await send("TKKsiquc01", request("TKKsiquc01", { MedicalInstitutionCode: PHARMACY }, { FileCategory: "1" }), PHARMACY);
      refusedWith(answer, "E8103");
      assert.equal(answer.pdf, undefined, "no PDF");
    });

    test("TKK StartDate keeps the check-ups of that month on", async () => {
      const all = list(body(await send("TKKsiquc01", request("TKKsiquc01"))).SpecificHealthCheckupInfo);
      const from = String(all.at(-1)!.EffectiveTime).slice(0, 6);
      const some = list(body(await send("TKKsiquc01", request("TKKsiquc01", {}, { StartDate: from }))).SpecificHealthCheckupInfo);
      assert.ok(some.length >= 1 && some.length < all.length, `${some.length} of ${all.length}`);
      assert.ok(some.every((c) => String(c.EffectiveTime) >= `${from}01`), "none before StartDate");
    });

    test("E8103: a pharmacy never gets 特定健診, though the patient consented there; its 薬剤 it gets", async () => {
      refusedWith(await send("TKKsiquc01", request("TKKsiquc01", { MedicalInstitutionCode: PHARMACY }), PHARMACY), "E8103");
      assert.equal(header(await send("YZKsiquc01", request("YZKsiquc01", { MedicalInstitutionCode: PHARMACY }), PHARMACY)).ResultCode, "1", "薬剤 at the pharmacy");
    });

    test("the 24 hours: in force 1 s before AvailableTime, refused (E8101) at it and after", async () => {
      try {
        clock = at(24 * HOUR - 1000);
        assert.equal(header(await send("YZKsiquc01", request("YZKsiquc01"))).ResultCode, "1", "ConsTime + 24 h − 1 s");
        clock = at(24 * HOUR);
        refusedWith(await send("YZKsiquc01", request("YZKsiquc01")), "E8101");
        clock = at(48 * HOUR);
        refusedWith(await send("TKKsiquc01", request("TKKsiquc01")), "E8101");
        assert.equal((await audits()).at(-1)!.result, "E8101", "a refusal is recorded too");
      } finally {
        clock = NOW;
      }
    });

    test("a later card check replaces the consent: a category withdrawn there is refused (E8102), the rest shown", async () => {
      await consentAgain(["specificHealthCheckups"], at(20 * 60_000));
      try {
        const refused = await send("YZKsiquc01", request("YZKsiquc01"));
        refusedWith(refused, "E8102");
        assert.match(String(header(refused).MessageContents), /薬剤情報/);
        assert.equal(header(await send("TKKsiquc01", request("TKKsiquc01"))).ResultCode, "1", "特定健診 still agreed");
        const diagnosis = await send("YZKsiquc01", request("YZKsiquc01", {}, { FileCategory: "4" }));
        refusedWith(diagnosis, "E8102");
      } finally {
        await restore();
      }
    });

    test("the wrong facility: a clinic the patient never consented at is refused (E8100) and recorded; a key nobody holds gets the same answer, unrecorded", async () => {
      const before = (await audits()).length;
      const clinic = await send("YZKsiquc01", request("YZKsiquc01", { MedicalInstitutionCode: CLINIC }), CLINIC);
      refusedWith(clinic, "E8100");
      const records = await audits();
      assert.equal(records.length, before + 1, "the refused view is recorded");
      assert.deepEqual([records.at(-1)!.facilityCode, records.at(-1)!.personId, records.at(-1)!.result], [CLINIC, satoId, "E8100"]);
      const nobody = await send("YZKsiquc01", request("YZKsiquc01", { InsuredPersonIdentificationNumber: "99999" }));
      refusedWith(nobody, "E8100");
      assert.equal(header(nobody).MessageContents, header(clinic).MessageContents, "answered alike");
      assert.equal((await audits()).length, before + 1, "nobody's view is nobody's record");
    });

    for (const p of EXCLUDED) {
      test(`${p.code}: ${p.label} holds no information, for either kind, though the patient consented`, async () => {
        const key = { InsurerNumber: p.insurer, InsuranceCardSymbol: "1", InsuredPersonIdentificationNumber: "900", BranchNumber: "00" };
        refusedWith(await send("YZKsiquc01", request("YZKsiquc01", key)), p.code);
        refusedWith(await send("TKKsiquc01", request("TKKsiquc01", key)), p.code);
      });
    }

    test("E8107: twins under one 枝番 who both consented here cannot be told apart", async () => {
      const twins = await findQualifications(db, { insurerNumber: DEMO_CONSENT_KEY.InsurerNumber, insuredIdentificationNumber: "8006", insuredBranchNumber: "01" });
      for (const q of twins) await saveConsent(db, { facilityCode: HOSPITAL, personId: q.person.personId, consTime: DEMO_CONSENT_TIME, agreed: new Set(["pharmacists"]) });
      refusedWith(await send("YZKsiquc01", request("YZKsiquc01", { InsuredPersonIdentificationNumber: "8006", BranchNumber: "01" })), "E8107");
    });

    test("without the branch number the key's one holder is found", async () => {
      const tree = request("YZKsiquc01");
      delete ((tree.XmlMsg as XmlTree).MessageHeader as XmlTree).BranchNumber;
      const answer = await send("YZKsiquc01", tree);
      assert.equal(header(answer).ResultCode, "1", String(header(answer).MessageContents));
    });

    const bad: [string, MessageKind, XmlTree, string][] = [
      ["no StartDate (E1005)", "YZKsiquc01", request("YZKsiquc01", {}, { StartDate: "" }), "E1005"],
      ["a month 13 (E1015)", "YZKsiquc01", request("YZKsiquc01", {}, { EndDate: "202613" }), "E1015"],
      ["a StartDate of 7 digits (E1015)", "YZKsiquc01", request("YZKsiquc01", {}, { StartDate: "2024041" }), "E1015"],
      ["StartDate after EndDate (E1016)", "YZKsiquc01", request("YZKsiquc01", {}, { StartDate: "202603", EndDate: "202404" }), "E1016"],
      ["FileCategory 5 (E1009)", "YZKsiquc01", request("YZKsiquc01", {}, { FileCategory: "5" }), "E1009"],
      ["a 健診 FileCategory 3 (E1009)", "TKKsiquc01", request("TKKsiquc01", {}, { FileCategory: "3" }), "E1009"],
      ["MedicalTreatmentFlag 4 (E1009)", "TKKsiquc01", request("TKKsiquc01", {}, { MedicalTreatmentFlag: "4" }), "E1009"],
      ["an insurer number with a wrong check digit (E1014)", "YZKsiquc01", request("YZKsiquc01", { InsurerNumber: "06131016" }), "E1014"],
      ["an insurer number of 7 digits (E1006)", "TKKsiquc01", request("TKKsiquc01", { InsurerNumber: "0613101" }), "E1006"],
      ["a control character in the number (E1017)", "YZKsiquc01", request("YZKsiquc01", { InsuredPersonIdentificationNumber: "80\u000702" }), "E1017"],
      ["a branch number of 3 digits (E1006)", "TKKsiquc01", request("TKKsiquc01", { BranchNumber: "001" }), "E1006"],
      ["no InsuredPersonIdentificationNumber (E1005)", "TKKsiquc01", request("TKKsiquc01", { InsuredPersonIdentificationNumber: "" }), "E1005"],
      ["another facility than the terminal's (E4005)", "YZKsiquc01", request("YZKsiquc01", { MedicalInstitutionCode: CLINIC }), "E4005"],
    ];
    for (const [label, kind, tree, code] of bad) {
      test(`${kind}: ${label}, with ResultCode 2 and nothing recorded`, async () => {
        const before = (await audits()).length;
        refusedWith(await send(kind, tree), code);
        assert.equal((await audits()).length, before, "a request that was never a view is not recorded");
      });
    }
  });
}
