// The bulk kinds of オンライン診療 (OQSmuonq01/02) and 訪問診療 (OQSmuhvq01/02) through the pipeline
// and the background worker, on each database: a search lists the persons whose home consent for the
// facility matches (one unit each, in order of the searched day, with the qualification on the day of
// the upload, the consent's categories and the facility's 照会番号), never another facility's or
// another kind's; each bad search is one unit with its code; the answer fits its schema.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { Treatment, type RemoteCategory } from "../../src/domain/remote-consent.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { RemoteBulkResult } from "../../src/oqs/messages/remote-bulk.ts";
import { compile } from "../../src/oqs/messages/schema.ts";
import { saveRemoteConsent } from "../../src/store/remote-consent-store.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";
import { answerOf, problemsOf } from "../support/messages.ts";
import { body, download, drain, harness, header } from "../bulk/support.ts";

const RESULT = compile(RemoteBulkResult);
const onlineUpload = answerOf("OQSmuonq01");
const onlineResult = answerOf("OQSmuonq02");
const visitUpload = answerOf("OQSmuhvq01");
const visitResult = answerOf("OQSmuhvq02");

const search = (info: Record<string, string>, facility = FACILITY.code): XmlTree => ({
  XmlMsg: { MessageHeader: { MedicalInstitutionCode: facility, ArbitraryFileIdentifier: "remote-1" }, MessageBody: { QualificationConfirmSearchInfo: [info] } },
});
const searches = (rows: unknown[], facility = FACILITY.code) => ({ XmlMsg: { MessageHeader: { MedicalInstitutionCode: facility }, MessageBody: { QualificationConfirmSearchInfo: rows } } });

const consent = (person: number, treatment: Treatment, day: string, agreed: RemoteCategory[], exam: string | null = null, facility = FACILITY.code) => ({
  facilityCode: facility,
  personId: person,
  treatment,
  consentedAt: new Date(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T01:02:03Z`),
  consentDate: day,
  examinationDate: exam,
  validFrom: day,
  validTo: exam ?? "20270301",
  agreed: new Set(agreed),
});

type Unit = Record<string, any>;

for (const database of testDatabases()) {
  describe(`オンライン診療・訪問診療の一括照会 on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
      await db.query(`insert into persons (person_id, name, name_kana, sex, birthdate) values (2, '訪問　花子', 'ホウモン　ハナコ', 2, '1940-02-02')`);
      await db.query(
        `insert into reference_numbers (medical_institution_code, person_id, reference_number, registered_at, updated_at) values ($1, 1, 'P-0001', now(), now())`,
        [FACILITY.code],
      );
      await saveRemoteConsent(db, consent(1, Treatment.Visit, "20260320", ["pharmacists", "specificHealthCheckups"]));
      await saveRemoteConsent(db, consent(2, Treatment.Visit, "20260325", ["diagnosis"]));
      await saveRemoteConsent(db, consent(1, Treatment.Online, "20260328", ["operation"], "20260402"));
      await saveRemoteConsent(db, consent(2, Treatment.Visit, "20260310", ["pharmacists"], null, OTHER_FACILITY.code));
    });
    after(async () => db.close());

    /** Uploads, runs the worker, downloads; the download's header and units. */
    async function run(up: ReturnType<typeof answerOf>, down: ReturnType<typeof answerOf>, message: unknown, facility = FACILITY.code) {
      const h = harness(db);
      const uploaded = await up(h.ctx, message);
      assert.equal(uploaded.error, undefined, JSON.stringify(uploaded.message));
      const number = body(uploaded.message).ReceptionNumber as string;
      assert.equal(header((await down(h.ctx, download(number, facility))).message).SegmentOfResult, "2", "処理中 before the worker");
      await drain(h.worker());
      const done = await down(h.ctx, download(number, facility));
      assert.deepEqual(RESULT.check(done.message), [], "the answer fits its schema");
      return { number, header: header(done.message), units: ((body(done.message).BulkConfirmUnit as Unit[] | undefined) ?? []) };
    }

    test("訪問診療 by consent day lists the facility's consenting persons, one unit each", async () => {
      const info = { ConsentDateFrom: "20260301", ConsentDateTo: "20260331", MedicalTreatmentFlag: "2" };
      const { header: head, units } = await run(visitUpload, visitResult, search(info));
      assert.equal(head.NumberOfProcessingResult, "2");
      assert.equal(head.NumberOfNormalProcessing, "2");
      assert.equal(head.NumberOfError, "0");
      assert.equal(head.ArbitraryFileIdentifier, "remote-1");
      const [taro, hanako] = units as [Unit, Unit];
      assert.deepEqual(taro.QualificationConfirmSearchInfo, info, "the search echoed first");
      assert.equal(taro.ProcessingResultStatus, "1");
      assert.equal(taro.QualificationValidity, "1");
      assert.equal(taro.ReferenceNumber, "P-0001");
      const result = taro.ResultOfQualificationConfirmation[0];
      assert.equal(result.Name, "診療　太郎");
      assert.equal(result.PharmaceuticalInfoConsFlg, "1");
      assert.equal(result.PharmaceuticalInfoConsTime, "20260320100203", "the consent's time in Japan");
      assert.equal(result.SpecificHealthCheckupsInfoConsFlg, "1");
      assert.equal(result.DiagnosisInfoConsFlg, "0");
      assert.equal(result.DiagnosisInfoConsTime, undefined);
      assert.equal(result.LimitApplicationCertificateRelatedConsFlg, "0", "限度額 is consented to at the reader only");
      assert.equal(result.LimitApplicationCertificateRelatedInfo, undefined);
      assert.equal(hanako.QualificationValidity, "4", "a person without a qualification is listed as 該当資格なし");
      assert.equal(hanako.ResultOfQualificationConfirmation, undefined);
    });

    test("オンライン診療 by examination day or by consent day lists only オンライン診療 consents", async () => {
      const byExam = await run(onlineUpload, onlineResult, search({ ExaminationDateFrom: "20260402", ExaminationDateTo: "20260402", MedicalTreatmentFlag: "3" }));
      assert.deepEqual(byExam.units.map((u) => u.ResultOfQualificationConfirmation[0].Name), ["診療　太郎"]);
      assert.equal(byExam.units[0]!.ResultOfQualificationConfirmation[0].OperationInfoConsFlg, "1");
      const byConsent = await run(onlineUpload, onlineResult, search({ ConsentDateFrom: "20260301", ConsentDateTo: "20260331", MedicalTreatmentFlag: "3" }));
      assert.equal(byConsent.units.length, 1);
      const none = await run(onlineUpload, onlineResult, search({ ExaminationDateFrom: "20260403", ExaminationDateTo: "20260430", MedicalTreatmentFlag: "3" }));
      assert.equal(none.header.NumberOfProcessingResult, "0");
      assert.equal(none.units.length, 0);
    });

    test("another facility sees its own consents only, and not this facility's reception", async () => {
      const info = { ConsentDateFrom: "20260301", ConsentDateTo: "20260331", MedicalTreatmentFlag: "2" };
      const other = await run(visitUpload, visitResult, search(info, OTHER_FACILITY.code), OTHER_FACILITY.code);
      assert.deepEqual(other.units.map((u) => [u.QualificationValidity, u.ReferenceNumber]), [["4", undefined]], "its one consenting person (花子), without this facility's 照会番号");
      const h = harness(db);
      const mine = body((await visitUpload(h.ctx, search(info))).message).ReceptionNumber as string;
      assert.equal((await visitResult(h.ctx, download(mine, OTHER_FACILITY.code))).error, "E5001");
      assert.equal((await onlineResult(h.ctx, download(mine))).error, "E5005", "a 訪問診療 reception is not an オンライン診療 one");
    });

    test("each bad search is one unit with its code, and the good ones are still answered", async () => {
      const rows = [
        { ConsentDateFrom: "20260230", ConsentDateTo: "20260331", MedicalTreatmentFlag: "3" },
        { ConsentDateFrom: "20260301", ConsentDateTo: "20260331" },
        { ConsentDateFrom: "20260301", ConsentDateTo: "20260331", ExaminationDateFrom: "20260401", ExaminationDateTo: "20260401", MedicalTreatmentFlag: "3" },
        { ConsentDateFrom: "20260301", MedicalTreatmentFlag: "3" },
        { ConsentDateFrom: "20260331", ConsentDateTo: "20260301", MedicalTreatmentFlag: "3" },
        { ConsentDateFrom: "20250101", ConsentDateTo: "20260331", MedicalTreatmentFlag: "3" },
        { ConsentDateFrom: "20260301", ConsentDateTo: "20260331", MedicalTreatmentFlag: "2" },
        "not a search",
        { ConsentDateFrom: "20260301", ConsentDateTo: "20260331", MedicalTreatmentFlag: "3" },
      ];
      const { header: head, units } = await run(onlineUpload, onlineResult, searches(rows));
      const codes = units.map((u) => [u.ProcessingResultStatus, u.ProcessingResultCode ?? null]);
      assert.deepEqual(codes, [
        ["2", "E8815"],
        ["2", "E8810"],
        ["2", "E8811"],
        ["2", "E8812"],
        ["2", "E8813"],
        ["2", "E8814"],
        ["2", "E8810"],
        ["2", "E8811"],
        ["1", null],
      ]);
      assert.match(units[0]!.ProcessingResultMessage, /日付が不正です.*ConsentDateFrom/, "the element is named");
      assert.deepEqual([head.NumberOfProcessingResult, head.NumberOfNormalProcessing, head.NumberOfError], ["9", "1", "8"]);
    });

    test("the message's own faults refuse the upload whole, with the 一括照会 codes", async () => {
      assert.deepEqual(problemsOf("OQSmuhvq01")(searches([])).map((p) => p.code), ["E1005"], "at least one search");
      assert.deepEqual(problemsOf("OQSmuonq01")({ XmlMsg: { MessageHeader: {}, MessageBody: { QualificationConfirmSearchInfo: [{}] } } }).map((p) => p.code).slice(0, 1), ["E1005"], "the facility code");
      assert.deepEqual(problemsOf("OQSmuonq02")(download("123")).map((p) => p.code), ["E1006"]);
    });
  });
}
