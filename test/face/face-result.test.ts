// The card check's face result on each database: the file name pattern, and the contents against
// the element list of spec §1.4–1.5 (ReferenceClassification 1, consent flags and times, the
// facility's 照会番号, PrescriptionIssueSelect), in UTF-8 and Shift_JIS, read both by our codec and
// the way a public client (myclinic-ts onshi-face: fast-xml-parser with its defaults) reads it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import iconv from "iconv-lite";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import type { ConsentCategory, PrescriptionIssueSelect } from "../../src/domain/consent.ts";
import { FACE_FILE_NAME, faceFileName, writeFaceFile } from "../../src/gateway/face-file.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import type { CharacterCode } from "../../src/oqs/response-builder.ts";
import { completeCardCheck, type CardCheckInput } from "../../src/services/card-check-result.ts";
import type { OqsContext } from "../../src/services/pipeline/types.ts";
import { findConsent, saveConsentSettings } from "../../src/store/consent-store.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { saveReferenceNumber } from "../../src/store/reference-number-store.ts";
import { DEFAULT_CONSENT_SETTINGS } from "../../src/domain/consent.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2026-04-01T00:30:00.400Z"); // 09:30:00 in Japan

/** Spec §1.5: the elements a ResultOfQualificationConfirmation may hold (those this fixture can produce). */
const RESULT_ELEMENTS = new Set([
  "InsuredCardClassification", "InsurerNumber", "InsuredCardSymbol", "InsuredIdentificationNumber", "InsuredBranchNumber",
  "PersonalFamilyClassification", "InsuredName", "InsurerName", "InsuredCertificateIssuanceDate", "InsuredCardValidDate",
  "InsuredCardExpirationDate", "QualificationDate", "DisqualificationDate", "ReasonOfLoss", "InsuredPartialContributionRatio",
  "PreschoolClassification", "Name", "NameOfOther", "NameKana", "NameOfOtherKana", "Sex1", "Sex2", "Birthdate", "Address",
  "PostNumber", "ElderlyRecipientCertificateInfo", "LimitApplicationCertificateRelatedConsFlg",
  "LimitApplicationCertificateRelatedConsTime", "LimitApplicationCertificateRelatedInfo",
  "SpecificDiseasesCertificateRelatedConsFlg", "SpecificDiseasesCertificateRelatedConsTime", "SpecificDiseasesCertificateList",
  "SpecificHealthCheckupsInfoConsFlg", "SpecificHealthCheckupsInfoConsTime", "SpecificHealthCheckupsInfoAvailableTime",
  "PharmacistsInfoConsFlg", "PharmacistsInfoConsTime", "PharmacistsInfoAvailableTime",
  "DiagnosisInfoConsFlg", "DiagnosisInfoConsTime", "DiagnosisInfoAvailableTime",
  "OperationInfoConsFlg", "OperationInfoConsTime", "OperationInfoAvailableTime", "ReferenceNumber",
]);

const input = (agreed: ConsentCategory[], prescriptionIssue?: PrescriptionIssueSelect, overrides: Partial<CardCheckInput> = {}): CardCheckInput => ({
  facilityCode: FACILITY.code,
  personId: 1,
  choices: { agreed: new Set(agreed), prescriptionIssue },
  ...overrides,
});

type Msg = { MessageHeader: Record<string, string>; MessageBody: Record<string, any> };
const resultOf = (m: Msg) => m.MessageBody.ResultList.ResultOfQualificationConfirmation[0] as Record<string, unknown>;

for (const database of testDatabases()) {
  describe(`face result on ${database.name}`, () => {
    let db: Db;
    let faceDir: string;
    const ctx = (characterCode: CharacterCode = "0"): OqsContext => ({ db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode });

    /** Runs a check, writes its file and reads it back. */
    async function checkAndWrite(check: CardCheckInput, characterCode: CharacterCode = "0") {
      const result = await completeCardCheck(ctx(characterCode), check);
      const name = faceFileName(check.facilityCode, NOW);
      await writeFaceFile(faceDir, name, result.message, characterCode);
      const bytes = await readFile(join(faceDir, name));
      return { result, name, bytes, msg: decodeXml(bytes).tree.XmlMsg as unknown as Msg };
    }

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      faceDir = await mkdtemp(join(tmpdir(), "onshi-face-"));
    });
    after(async () => {
      await db.close();
      await rm(faceDir, { recursive: true, force: true });
    });

    test("the file is named OQSsiquc01res_face_<医療機関コード><20 hex>_<yyyyMMddHHmmss JST>.xml, new each check", async () => {
      const first = await checkAndWrite(input(["pharmacists"]));
      const second = await checkAndWrite(input(["pharmacists"]));
      for (const { name } of [first, second]) {
        const match = FACE_FILE_NAME.exec(name);
        assert.ok(match, name);
        assert.equal(match[1], FACILITY.code);
        assert.equal(match[3], "20260401093000");
      }
      assert.notEqual(first.name, second.name);
      // Only complete files: no temp file is left beside them.
      assert.deepEqual((await readdir(faceDir)).filter((n) => n.startsWith(".")), []);
    });

    test("UTF-8: header with ReferenceClassification 1, consent flags and times, AvailableTime = ConsTime + 24 h", async () => {
      const { bytes, msg } = await checkAndWrite(input(["pharmacists", "specificHealthCheckups", "limitCertificate"], "1"));
      assert.match(bytes.subarray(0, 60).toString("latin1"), /encoding="UTF-8"/);
      assert.deepEqual(msg.MessageHeader, {
        ProcessExecutionTime: "20260401093000",
        QualificationConfirmationDate: "20260401",
        MedicalInstitutionCode: FACILITY.code,
        ReferenceClassification: "1",
        SegmentOfResult: "1",
        CharacterCodeIdentifier: "0",
      });
      assert.equal(msg.MessageBody.ProcessingResultStatus, "1");
      assert.equal(msg.MessageBody.QualificationValidity, "1");
      assert.equal(msg.MessageBody.PrescriptionIssueSelect, "1");
      const r = resultOf(msg);
      for (const name of Object.keys(r)) assert.ok(RESULT_ELEMENTS.has(name), `${name} is not in spec §1.5`);
      assert.equal(r.PharmacistsInfoConsFlg, "1");
      assert.equal(r.PharmacistsInfoConsTime, "20260401093000");
      assert.equal(r.PharmacistsInfoAvailableTime, "20260402093000");
      assert.equal(r.SpecificHealthCheckupsInfoConsFlg, "1");
      assert.equal(r.SpecificHealthCheckupsInfoAvailableTime, "20260402093000");
      assert.equal(r.LimitApplicationCertificateRelatedConsFlg, "1");
      assert.equal(r.LimitApplicationCertificateRelatedConsTime, "20260401093000");
      assert.equal((r.LimitApplicationCertificateRelatedInfo as XmlTree).LimitApplicationCertificateClassificationFlag, "A03");
      // Not agreed (特定疾病) or not offered (診療・手術): flag 0 and no times, as in a real file.
      for (const prefix of ["SpecificDiseasesCertificateRelated", "DiagnosisInfo", "OperationInfo"]) {
        assert.equal(r[`${prefix}ConsFlg`], "0", prefix);
        assert.equal(r[`${prefix}ConsTime`], undefined, prefix);
        assert.equal(r[`${prefix}AvailableTime`], undefined, prefix);
      }
      assert.equal(r.ReferenceNumber, undefined);
    });

    test("without 限度額 consent the 限度額 block is absent; without a prescription choice PrescriptionIssueSelect is too", async () => {
      const { msg } = await checkAndWrite(input(["pharmacists"]));
      const r = resultOf(msg);
      assert.equal(r.LimitApplicationCertificateRelatedConsFlg, "0");
      assert.equal(r.LimitApplicationCertificateRelatedInfo, undefined);
      assert.equal(msg.MessageBody.PrescriptionIssueSelect, undefined);
    });

    test("the facility's 照会番号 is in its results once registered, and not in another facility's", async () => {
      await saveReferenceNumber(db, { facilityCode: FACILITY.code, personId: 1, referenceNumber: "P-000123", at: NOW });
      assert.equal(resultOf((await checkAndWrite(input(["pharmacists"]))).msg).ReferenceNumber, "P-000123");
      const other = await checkAndWrite(input(["pharmacists"], undefined, { facilityCode: OTHER_FACILITY.code }));
      assert.equal(resultOf(other.msg).ReferenceNumber, undefined);
    });

    test("Shift_JIS when the terminal says 1: declaration, CharacterCodeIdentifier and the name in CP932", async () => {
      const { bytes, msg } = await checkAndWrite(input(["pharmacists"], "2"), "1");
      assert.match(bytes.subarray(0, 60).toString("latin1"), /encoding="Shift_JIS"/);
      assert.ok(bytes.includes(iconv.encode("診療　太郎", "cp932")), "bytes.includes(iconv.encode(\"診療　太郎\", \"cp932\"))");
      assert.equal(msg.MessageHeader.CharacterCodeIdentifier, "1");
      assert.equal(resultOf(msg).Name, "診療　太郎");
      assert.equal(msg.MessageBody.PrescriptionIssueSelect, "2");
    });

    for (const [charset, code] of [["UTF-8", "0"], ["Shift_JIS", "1"]] as const) {
      test(`a public client's parser (fast-xml-parser defaults, as myclinic-ts onshi-face) reads the ${charset} file`, async () => {
        const { bytes } = await checkAndWrite(input(["pharmacists", "specificHealthCheckups"]), code);
        const text = code === "1" ? iconv.decode(bytes, "cp932") : bytes.toString("utf8");
        const json = new XMLParser().parse(text);
        const body = json.XmlMsg.MessageBody;
        const result = Array.isArray(body.ResultList) ? body.ResultList[0] : body.ResultList;
        assert.equal(json.XmlMsg.MessageHeader.ReferenceClassification, 1);
        assert.equal(result.ResultOfQualificationConfirmation.Name, "診療　太郎");
        assert.equal(result.ResultOfQualificationConfirmation.NameKana, "ｼﾝﾘｮｳ ﾀﾛｳ");
        assert.equal(result.ResultOfQualificationConfirmation.PharmacistsInfoAvailableTime, 20260402093000);
      });
    }

    test("a facility that offers 診療情報 and 手術情報 gets their flags and times", async () => {
      await saveConsentSettings(db, OTHER_FACILITY.code, { ...DEFAULT_CONSENT_SETTINGS, diagnosis: true, operation: true }, NOW);
      const r = resultOf((await checkAndWrite(input(["diagnosis", "operation"], undefined, { facilityCode: OTHER_FACILITY.code }))).msg);
      assert.equal(r.DiagnosisInfoConsFlg, "1");
      assert.equal(r.OperationInfoAvailableTime, "20260402093000");
      assert.equal(r.PharmacistsInfoConsFlg, "0");
    });

    const REFUSALS: [string, CardCheckInput, string][] = [
      ["an unregistered facility", input(["pharmacists"], undefined, { facilityCode: "1310100019" }), "E2001"],
      ["a person with no qualification at all", input(["pharmacists"], undefined, { personId: 999 }), "E8002"],
      ["a choice the reader does not offer", input(["pharmacists", "operation"]), "E8001"],
      ["a bad PrescriptionIssueSelect", input(["pharmacists"], "3" as PrescriptionIssueSelect), "E8004"],
    ];
    for (const [name, check, code] of REFUSALS) {
      test(`${code}: ${name} is refused and the earlier consent stays`, async () => {
        const before = await findConsent(db, FACILITY.code, 1);
        await assert.rejects(completeCardCheck(ctx(), check), (e: unknown) => e instanceof OqsError && e.code === code);
        assert.deepEqual(await findConsent(db, FACILITY.code, 1), before);
      });
    }

    test("twins under one key without a branch number: the card's person is the one answered, no one else's consent is stored", async () => {
      await db.query(`insert into persons (person_id, name, name_kana, sex, birthdate) values (3, '診療　次郎', 'シンリョウ　ジロウ', 1, '1980-01-01')`);
      await db.query(
        `insert into qualifications (qualification_id, person_id, insurer_number, insured_card_classification, insured_card_symbol,
           insured_identification_number, insured_branch_number, personal_family_classification, insured_name, qualification_date)
         values (3, 3, '01130012', '01', '1234', '5678', null, 2, '診療　太郎', '2020-04-01')`,
      );
      const { msg } = await checkAndWrite(input(["pharmacists"], undefined, { personId: 3 }));
      assert.equal(msg.MessageBody.QualificationValidity, "1");
      assert.equal(msg.MessageBody.ResultList.ResultOfQualificationConfirmation.length, 1);
      assert.equal(resultOf(msg).Name, "診療　次郎");
      assert.ok(await findConsent(db, FACILITY.code, 3), "await findConsent(db, FACILITY.code, 3)");
    });
  });
}
