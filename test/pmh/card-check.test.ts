// 受給者証 in a card check's result, on each database: carried only where the facility uses
// 医療費助成 and the patient consented at the reader; only records valid that day, valid at that
// facility (its designated facilities), of issuers taking part in PMH that day; the same result
// for 同意なし and 受給者証なし; the face file and the WebAPI's JSON carry them; the 利用者リスト line too.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { treeToJson } from "../../src/codec/json.ts";
import type { Db } from "../../src/db/client.ts";
import type { ConsentCategory } from "../../src/domain/consent.ts";
import type { SubsidyCertificate } from "../../src/domain/medical-subsidy.ts";
import { shownAtFacility } from "../../src/domain/medical-subsidy-use.ts";
import { participationOn } from "../../src/domain/pmh-participation.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { FACE_RESULT } from "../../src/oqs/messages/card-check.ts";
import { buildCardCheck } from "../../src/services/card-check-result.ts";
import { setMedicalSubsidyUse } from "../../src/services/medical-subsidy-use.ts";
import type { OqsContext } from "../../src/services/pipeline/types.ts";
import { loadConsentSettings } from "../../src/store/consent-store.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { saveCertificates } from "../../src/store/medical-subsidy-store.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";
import { maruNyu } from "../support/subsidy-certificate.ts";

const TOKYO = "130001"; // listed: taking part by the end of R7 (2026-03-31) at the latest
const CHIYODA = "131016"; // not in the list of entities taking part
const FIRST_DAY = new Date("2026-04-01T00:30:00Z"); // 09:30 in Japan, 2026-04-01
const DAY_BEFORE = new Date("2026-03-31T00:30:00Z");

const certificate = (historyKey: string, over: Partial<SubsidyCertificate> = {}): SubsidyCertificate =>
  maruNyu({ historyKey, orgCertificateTypeId: null, validFrom: "2025-04-01", certificationDetail: [], ...over });

const SHOWN = [
  certificate("maru-nyu"),
  certificate("nanbyo", {
    issuerCode: TOKYO,
    programme: "intractableDisease",
    insurerNumber: "54136015",
    recipientNumber: "0000018",
    certificationName: "特定医療費（指定難病）受給者証",
    incomeSegment: "一般所得Ⅰ",
    maxCopayment: { monthly: 10_000 },
    validFrom: "2025-10-01",
    validTo: "2026-09-30",
  }),
];
const NOT_SHOWN = [
  certificate("elsewhere", { designatedMedicalInstitutions: [OTHER_FACILITY.code] }),
  certificate("not-listed", { issuerCode: CHIYODA }),
  certificate("ended", { validTo: "2026-03-31" }),
  certificate("later", { validFrom: "2026-04-02" }),
];

type Result = Record<string, unknown>;
const resultOf = (message: XmlTree): Result => {
  const face = FACE_RESULT.parse(message);
  assert.ok(face.ok, `the face result keeps its schema: ${JSON.stringify(!face.ok && face.problems)}`);
  return face.value.XmlMsg.MessageBody.ResultList!.ResultOfQualificationConfirmation[0] as Result;
};
const certificateNames = (r: Result) =>
  ((r.PublicExpenseCertificateList as { PublicExpenseCertificateInfo: { PublicExpenseNumber: string }[] } | undefined)?.PublicExpenseCertificateInfo ?? []).map(
    (c) => c.PublicExpenseNumber,
  );

test("only issuers known to take part that day are shown, and not for a type they are known not to take", () => {
  const on = (date: string) => shownAtFacility([...SHOWN, certificate("chiyoda", { issuerCode: CHIYODA })], date).map((c) => c.historyKey);
  assert.deepEqual(on("2026-04-01"), ["maru-nyu", "nanbyo"]);
  // The day before 八王子市 starts, the last of R7, by which every listed entity takes part.
  assert.deepEqual(on("2026-03-31"), ["nanbyo"]);
  // A day earlier 東京都's year (lost with the text's colours) is unknown: not shown.
  assert.equal(participationOn(TOKYO, "2026-03-30").answer, "unknown");
  assert.deepEqual(on("2026-03-30"), []);
  // A type the registry says the issuer does not take that day is not shown, whatever the entity.
  const no = () => ({ answer: "no" as const, reason: "", source: "" });
  const yes = () => ({ answer: "yes" as const, reason: "", source: "" });
  assert.deepEqual(shownAtFacility(SHOWN, "2026-04-01", (_code, _date, programme) => (programme === undefined ? yes() : no())), []);
  assert.equal(shownAtFacility(SHOWN, "2026-04-01", yes).length, 2);
  assert.deepEqual(shownAtFacility([certificate("unknown-type", { programme: "noSuchType" })], "2026-04-01", yes), [], "a type the registry does not know");
});

for (const database of testDatabases()) {
  describe(`受給者証 in the card check on ${database.name}`, () => {
    let db: Db;
    const ctx = (now: Date): OqsContext => ({ db, facilities: new FacilityDirectory(db), now: () => now, characterCode: "0" });
    const check = async (agreed: ConsentCategory[], now = FIRST_DAY, facilityCode = FACILITY.code) =>
      buildCardCheck(ctx(now), { facilityCode, personId: 1, choices: { agreed: new Set(agreed) } }, await loadConsentSettings(db, facilityCode));

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      await saveCertificates(db, [...SHOWN, ...NOT_SHOWN, certificate("deleted", { isDeleted: true })], DAY_BEFORE);
      await setMedicalSubsidyUse(db, { facilityCode: FACILITY.code, inUse: true, by: "大橋" }, DAY_BEFORE);
    });
    after(async () => db.close());

    test("with consent: the records valid that day at this facility, of issuers taking part, in the result", async () => {
      const { message, consent } = await check(["pharmacists", "medicalSubsidy"]);
      assert.ok(consent?.agreed.has("medicalSubsidy"), "the consent is kept for the record");
      const r = resultOf(message);
      assert.deepEqual(certificateNames(r), ["88138243", "54136015"]);
      assert.deepEqual((r.PublicExpenseCertificateList as { PublicExpenseCertificateInfo: unknown[] }).PublicExpenseCertificateInfo[1], {
        PublicExpenseNumber: "54136015",
        BeneficiaryNumber: "0000018",
        PublicExpenseCertificateName: "特定医療費（指定難病）受給者証",
        PublicExpenseValidStartDate: "20251001",
        PublicExpenseValidEndDate: "20260930",
        PublicExpenseSelfPay: "10000",
        PublicExpenseIncomeSegment: "一般所得Ⅰ",
      });
      assert.equal(Object.keys(r).filter((k) => k.startsWith("MedicalSubsidy") || k.includes("PublicExpenseCons")).length, 0, "no consent flag of its own");
    });

    test("the day before 八王子市 starts only 東京都's record is shown; when 東京都's year is unknown, none", async () => {
      assert.deepEqual(certificateNames(resultOf((await check(["medicalSubsidy"], DAY_BEFORE)).message)), ["54136015"]);
      assert.deepEqual(certificateNames(resultOf((await check(["medicalSubsidy"], new Date("2026-03-30T00:30:00Z"))).message)), []);
    });

    test("at the designated facility its record is shown too, once that facility uses 医療費助成", async () => {
      await assert.rejects(check(["medicalSubsidy"], FIRST_DAY, OTHER_FACILITY.code), (e) => e instanceof OqsError && e.code === "E8001", "not offered: refused");
      await setMedicalSubsidyUse(db, { facilityCode: OTHER_FACILITY.code, inUse: true, by: "北村" }, DAY_BEFORE);
      assert.deepEqual(certificateNames(resultOf((await check(["medicalSubsidy"], FIRST_DAY, OTHER_FACILITY.code)).message)), ["88138243", "88138243", "54136015"]);
      await setMedicalSubsidyUse(db, { facilityCode: OTHER_FACILITY.code, inUse: false, by: "北村" }, DAY_BEFORE);
    });

    test("without consent nothing is carried, and the result is the same as for a patient with no 受給者証", async () => {
      const withoutConsent = resultOf((await check(["pharmacists"])).message);
      assert.deepEqual(certificateNames(withoutConsent), []);
      await db.query("update medical_subsidy_certificates set is_deleted = true where person_id = 1");
      try {
        const noneHeld = resultOf((await check(["pharmacists", "medicalSubsidy"])).message);
        assert.deepEqual(noneHeld, withoutConsent, "同意なし and 受給者証なし answer alike");
      } finally {
        await db.query("update medical_subsidy_certificates set is_deleted = false where history_key <> 'deleted'");
      }
    });

    test("the WebAPI's JSON renders the list as its items", async () => {
      const json = treeToJson((await check(["medicalSubsidy"])).message) as { XmlMsg: { MessageBody: { ResultList: { ResultOfQualificationConfirmation: Result }[] } } };
      const list = json.XmlMsg.MessageBody.ResultList[0]!.ResultOfQualificationConfirmation.PublicExpenseCertificateList as { PublicExpenseNumber: string }[];
      assert.deepEqual(list.map((c) => c.PublicExpenseNumber), ["88138243", "54136015"]);
    });

    test("a facility that stopped using 医療費助成 cannot have asked: the choice is refused (E8001)", async () => {
      await setMedicalSubsidyUse(db, { facilityCode: FACILITY.code, inUse: false, by: "大橋" }, FIRST_DAY);
      try {
        await assert.rejects(check(["medicalSubsidy"]), (e) => e instanceof OqsError && e.code === "E8001");
        assert.deepEqual(certificateNames(resultOf((await check(["pharmacists"])).message)), []);
      } finally {
        await setMedicalSubsidyUse(db, { facilityCode: FACILITY.code, inUse: true, by: "大橋" }, FIRST_DAY);
      }
    });
  });
}
