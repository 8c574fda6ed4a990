// 照会番号 (OQSsiimm01) on each database, through the handler registry every transport uses:
// registration, its return in later 個別照会 of the same facility only, replacement, refusal of a
// number two persons would share, quartets naming no one or several, bad input, and that the
// number never finds anyone by itself.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { decodeXml, encodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import type { OqsContext } from "../../src/services/pipeline/types.ts";
import { answerQualificationCheck, MESSAGES } from "../support/messages.ts";
import { processRegistrationChunk, registerReferenceNumbers } from "../../src/services/reference-numbers.ts";
import type { Reception } from "../../src/store/reception-store.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, HANAKO_KEY, OTHER_FACILITY, TARO, TARO_KEY, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2026-04-01T00:30:00Z");
const handler = MESSAGES.OQSsiimm01;


/** TARO's spouse on his card (branch 01): a second person, and a household for a key without a branch. */
async function addHanako(db: Db): Promise<void> {
  await db.query(
    `insert into persons (person_id, name, name_kana, sex, birthdate) values (2, '診療　花子', 'シンリョウ　ハナコ', 2, '1982-02-02')`,
  );
  await db.query(
    `insert into qualifications (qualification_id, person_id, insurer_number, insured_card_classification,
       insured_card_symbol, insured_identification_number, insured_branch_number, personal_family_classification,
       insured_name, qualification_date)
     values (2, 2, '01130012', '01', '1234', '5678', '01', 2, '診療　太郎', '2020-04-01')`,
  );
}

function registration(info: XmlTree | XmlTree[] | undefined, header: Record<string, unknown> = {}, facility = FACILITY.code) {
  return {
    XmlMsg: {
      MessageHeader: { MedicalInstitutionCode: facility, ArbitraryFileIdentifier: "20260401093000000-ab12cd34", ...header },
      MessageBody: info === undefined ? {} : { ReferenceNumberRegistrationInfo: info },
    },
  } as XmlTree;
}

type Msg = { MessageHeader: Record<string, string>; MessageBody: Record<string, any> };
const msg = (tree: XmlTree) => tree.XmlMsg as unknown as Msg;

for (const database of testDatabases()) {
  describe(`照会番号 on ${database.name}`, () => {
    let db: Db;
    let ctx: OqsContext;

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      await addHanako(db);
      ctx = { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" };
    });
    after(async () => db.close());

    const register = async (referenceNumber: string, key: XmlTree = TARO_KEY, facility = FACILITY.code) =>
      msg((await handler.answer(ctx, registration({ ReferenceNumber: referenceNumber, ...key }, {}, facility))).message);

    /** The ReferenceNumber of each result of a 個別照会 by `facility`. */
    const numbersSeenBy = async (facility: string, info: XmlTree = { ...TARO_KEY, Birthdate: TARO.Birthdate }) => {
      const answer = await answerQualificationCheck(ctx, {
        XmlMsg: {
          MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: facility },
          MessageBody: { QualificationConfirmSearchInfo: { LimitApplicationCertificateRelatedConsFlg: "0", ...info } },
        },
      });
      assert.equal(answer.error, undefined);
      const body = msg(answer.message).MessageBody;
      return { body, numbers: ((body.ResultList?.ResultOfQualificationConfirmation ?? []) as XmlTree[]).map((r) => r.ReferenceNumber) };
    };

    test("a registration is answered in the siimm01res layout and comes back in the same facility's 個別照会", async () => {
      const { MessageHeader: h, MessageBody: b } = await register("0012345");
      assert.equal(h.SegmentOfResult, "1");
      assert.equal(h.MedicalInstitutionCode, FACILITY.code);
      assert.equal(h.ArbitraryFileIdentifier, "20260401093000000-ab12cd34");
      assert.equal(h.ErrorCode, undefined);
      assert.deepEqual(Object.keys(b), ["ReferenceNumberRegistrationInfo", "ProcessingResultStatus"]);
      assert.equal(b.ProcessingResultStatus, "1");
      assert.deepEqual(b.ReferenceNumberRegistrationInfo, { ReferenceNumber: "0012345", ...TARO_KEY });

      const { numbers } = await numbersSeenBy(FACILITY.code);
      assert.deepEqual(numbers, ["0012345"], "leading zeros kept");
    });

    test("another facility never sees the number", async () => {
      await register("0012345");
      const { body, numbers } = await numbersSeenBy(OTHER_FACILITY.code);
      assert.equal(body.QualificationValidity, "1");
      assert.deepEqual(numbers, [undefined]);
    });

    test("the number sits after the consent blocks of ResultOfQualificationConfirmation", async () => {
      const { body } = await numbersSeenBy(FACILITY.code);
      const names = Object.keys(body.ResultList.ResultOfQualificationConfirmation[0]);
      assert.equal(names.at(-1), "ReferenceNumber");
      assert.ok(names.indexOf("LimitApplicationCertificateRelatedConsFlg") < names.indexOf("ReferenceNumber"), "names.indexOf(\"LimitApplicationCertificateRelatedConsFlg\") < names.indexOf(\"ReferenceNumber\")");
    });

    test("re-registration replaces the number, and the old one is free again", async () => {
      await register("A-100");
      assert.equal((await register("A-200")).MessageBody.ProcessingResultStatus, "1");
      assert.deepEqual((await numbersSeenBy(FACILITY.code)).numbers, ["A-200"]);
      assert.equal((await register("A-100", HANAKO_KEY)).MessageBody.ProcessingResultStatus, "1", "A-100 no longer names TARO");
      const rows = await db.query<{ n: number }>("select count(*)::int as n from reference_numbers where medical_institution_code = $1", [FACILITY.code]);
      assert.equal(rows[0]!.n, 2, "one row per person");
    });

    test("the same number for two persons in one facility is refused; the holder keeps it", async () => {
      await register("777");
      const { MessageHeader: h, MessageBody: b } = await register("777", HANAKO_KEY);
      assert.equal(h.SegmentOfResult, "1");
      assert.equal(b.ProcessingResultStatus, "2");
      assert.equal(b.ProcessingResultCode, "E6006");
      assert.equal(b.ProcessingResultMessage, "この照会番号は同じ医療機関の別の患者に登録されています。(ReferenceNumber)");
      assert.deepEqual((await numbersSeenBy(FACILITY.code)).numbers, ["777"]);
      const hanako = await numbersSeenBy(FACILITY.code, { ...HANAKO_KEY, Birthdate: "19820202" });
      assert.notEqual(hanako.numbers[0], "777");
    });

    test("the same number in two facilities names a different person in each", async () => {
      assert.equal((await register("888", TARO_KEY, FACILITY.code)).MessageBody.ProcessingResultStatus, "1");
      assert.equal((await register("888", HANAKO_KEY, OTHER_FACILITY.code)).MessageBody.ProcessingResultStatus, "1");
      assert.deepEqual((await numbersSeenBy(FACILITY.code)).numbers, ["888"]);
      assert.deepEqual((await numbersSeenBy(OTHER_FACILITY.code)).numbers, [undefined]);
      assert.deepEqual((await numbersSeenBy(OTHER_FACILITY.code, { ...HANAKO_KEY, Birthdate: "19820202" })).numbers, ["888"]);
    });

    test("two registrations racing for one number: exactly one wins", async () => {
      const [a, b] = await Promise.all([register("RACE-1", TARO_KEY), register("RACE-1", HANAKO_KEY)]);
      const statuses = [a.MessageBody.ProcessingResultStatus, b.MessageBody.ProcessingResultStatus].sort();
      assert.deepEqual(statuses, ["1", "2"]);
      const rows = await db.query("select 1 from reference_numbers where medical_institution_code = $1 and reference_number = 'RACE-1'", [FACILITY.code]);
      assert.equal(rows.length, 1);
    });

    test("a quartet that names no one, or several persons, registers nothing", async () => {
      const before = await db.query("select * from reference_numbers order by 1, 2");
      const cases: [string, XmlTree, string][] = [
        ["a number nobody holds", { ...TARO_KEY, InsuredIdentificationNumber: "9999" }, "E6004"],
        ["another insurer", { ...TARO_KEY, InsurerNumber: "06131015" }, "E6004"],
        ["no branch: the household of two", { InsurerNumber: "01130012", InsuredCardSymbol: "1234", InsuredIdentificationNumber: "5678" }, "E6005"],
      ];
      for (const [label, key, code] of cases) {
        const b = (await register("NEW-1", key)).MessageBody;
        assert.equal(b.ProcessingResultStatus, "2", label);
        assert.equal(b.ProcessingResultCode, code, label);
      }
      assert.deepEqual(await db.query("select * from reference_numbers order by 1, 2"), before);
    });

    test("the number is never a lookup key by itself", async () => {
      await register("KEY-1");
      // A search info with the number but no quartet is still missing its key.
      const noKey = await numbersSeenBy(FACILITY.code, { ReferenceNumber: "KEY-1", Birthdate: TARO.Birthdate });
      assert.equal(noKey.body.ProcessingResultStatus, "2");
      assert.equal(noKey.body.ProcessingResultCode, "E3001");
      // With someone else's quartet, the number changes nothing: nobody is found.
      const wrong = await numbersSeenBy(FACILITY.code, { ...TARO_KEY, InsuredIdentificationNumber: "9999", ReferenceNumber: "KEY-1", Birthdate: TARO.Birthdate });
      assert.equal(wrong.body.QualificationValidity, "4");
      assert.deepEqual(wrong.numbers, []);
    });

    // Each bad registration is answered for the registration (SegmentOfResult 1, status 2) and saves nothing.
    const badRegistrations: [string, XmlTree, string, string][] = [
      ["no ReferenceNumber", { ...TARO_KEY }, "E6001", "ReferenceNumber"],
      ["an empty ReferenceNumber", { ReferenceNumber: "", ...TARO_KEY }, "E6001", "ReferenceNumber"],
      ["51 characters", { ReferenceNumber: "1".repeat(51), ...TARO_KEY }, "E6002", "ReferenceNumber"],
      ["full-width digits", { ReferenceNumber: "１２３", ...TARO_KEY }, "E6003", "ReferenceNumber"],
      ["a space", { ReferenceNumber: "12 34", ...TARO_KEY }, "E6003", "ReferenceNumber"],
      ["kanji", { ReferenceNumber: "診察券1", ...TARO_KEY }, "E6003", "ReferenceNumber"],
      ["an element inside ReferenceNumber", { ReferenceNumber: { X: "1" }, ...TARO_KEY }, "E6003", "ReferenceNumber"],
      ["no InsurerNumber", { ReferenceNumber: "1", InsuredIdentificationNumber: "5678" }, "E3001", "InsurerNumber"],
      ["no InsuredIdentificationNumber", { ReferenceNumber: "1", InsurerNumber: "01130012" }, "E3001", "InsuredIdentificationNumber"],
      ["an insurer number with a wrong check digit", { ReferenceNumber: "1", ...TARO_KEY, InsurerNumber: "01130013" }, "E3004", "InsurerNumber"],
      ["an insurer number of 7 digits", { ReferenceNumber: "1", ...TARO_KEY, InsurerNumber: "0113001" }, "E3002", "InsurerNumber"],
      ["a branch of 3 digits", { ReferenceNumber: "1", ...TARO_KEY, InsuredBranchNumber: "001" }, "E3002", "InsuredBranchNumber"],
      ["an element inside InsuredCardSymbol", { ReferenceNumber: "1", ...TARO_KEY, InsuredCardSymbol: { A: "1" } }, "E3003", "InsuredCardSymbol"],
    ];
    for (const [label, info, code, element] of badRegistrations) {
      test(`bad registration: ${label} → ${code}`, async () => {
        const before = await db.query("select * from reference_numbers order by 1, 2");
        const answer = await handler.answer(ctx, registration(info));
        const { MessageHeader: h, MessageBody: b } = msg(answer.message);
        assert.equal(answer.error, undefined);
        assert.equal(h.SegmentOfResult, "1");
        assert.equal(b.ProcessingResultStatus, "2");
        assert.equal(b.ProcessingResultCode, code);
        assert.match(b.ProcessingResultMessage, new RegExp(`\\(${element}\\)$`));
        assert.deepEqual(await db.query("select * from reference_numbers order by 1, 2"), before);
        assert.deepEqual(handler.validate(registration(info)).map((p) => [p.code, p.element]), [[code, `MessageBody.ReferenceNumberRegistrationInfo.${element}`]]);
      });
    }

    test("50 characters of letters, digits and hyphens are accepted", async () => {
      const longest = "Ab-9".repeat(12) + "Z0";
      assert.equal(longest.length, 50);
      assert.equal((await register(longest)).MessageBody.ProcessingResultStatus, "1");
      assert.deepEqual((await numbersSeenBy(FACILITY.code)).numbers, [longest]);
    });

    // Whole-message failures: SegmentOfResult 9 with the code, nothing saved.
    const badMessages: [string, XmlTree, string][] = [
      ["no MedicalInstitutionCode", registration({ ReferenceNumber: "1", ...TARO_KEY }, { MedicalInstitutionCode: undefined }), "E1005"],
      ["a facility code with a wrong check digit", registration({ ReferenceNumber: "1", ...TARO_KEY }, {}, "0110113718"), "E1010"],
      ["an unknown facility", registration({ ReferenceNumber: "1", ...TARO_KEY }, {}, withCheckDigit("131999999")), "E2001"],
      ["no ReferenceNumberRegistrationInfo", registration(undefined), "E1005"],
      ["text where ReferenceNumberRegistrationInfo belongs", registration("1" as unknown as XmlTree), "E1004"],
      ["two registrations in a single message", registration([{ ReferenceNumber: "1", ...TARO_KEY }, { ReferenceNumber: "2", ...HANAKO_KEY }]), "E1004"],
      ["no XmlMsg", { Other: "x" }, "E1004"],
    ];
    for (const [label, request, code] of badMessages) {
      test(`bad message: ${label} → ${code}`, async () => {
        const before = await db.query("select * from reference_numbers order by 1, 2");
        const answer = await handler.answer(ctx, request);
        assert.equal(answer.error, code);
        const h = msg(answer.message).MessageHeader;
        assert.equal(h.SegmentOfResult, "9");
        assert.equal(h.ErrorCode, code);
        assert.deepEqual(await db.query("select * from reference_numbers order by 1, 2"), before);
        if (code !== "E2001") assert.deepEqual(handler.validate(request).map((p) => p.code), [code]);
      });
    }

    test("the WebAPI caller may register only for its own facility", async () => {
      const answer = await handler.answer(ctx, registration({ ReferenceNumber: "1", ...TARO_KEY }), { authorizedFacility: OTHER_FACILITY.code });
      assert.equal(answer.error, "E2005");
    });

    test("validate reports every element at fault with its value, and nothing for a good request", () => {
      assert.deepEqual(handler.validate(registration({ ReferenceNumber: "1", ...TARO_KEY })), []);
      assert.deepEqual(handler.validate(registration({ ReferenceNumber: "１", ...TARO_KEY, InsurerNumber: "0113001" })), [
        { code: "E6003", element: "MessageBody.ReferenceNumberRegistrationInfo.ReferenceNumber", value: "１" },
        { code: "E3002", element: "MessageBody.ReferenceNumberRegistrationInfo.InsurerNumber", value: "0113001" },
      ]);
    });

    test("a request file in Shift_JIS, as the public clients write it, round-trips with a 6-digit insurer padded", async () => {
      await db.query("insert into insurers values ('138057', '文京区国民健康保険', 'kokuho', 13) on conflict do nothing");
      await db.query(
        `insert into persons (person_id, name, name_kana, sex, birthdate) values (3, '国保　三郎', 'コクホ　サブロウ', 1, '1970-03-03')`,
      );
      await db.query(
        `insert into qualifications (qualification_id, person_id, insurer_number, insured_card_classification,
           insured_identification_number, insured_branch_number, personal_family_classification, qualification_date)
         values (3, 3, '138057', '01', '001', '02', 1, '2020-04-01')`,
      );
      const info = { ReferenceNumber: "24434", InsurerNumber: "  138057", InsuredIdentificationNumber: "001", InsuredBranchNumber: "02" };
      const bytes = encodeXml(registration(info), "Shift_JIS");
      const answer = await handler.answer({ ...ctx, characterCode: "1" }, decodeXml(bytes, { bulk: handler.bulk }).tree);
      const back = decodeXml(encodeXml(answer.message, "Shift_JIS")).tree;
      const { MessageHeader: h, MessageBody: b } = msg(back);
      assert.equal(h.CharacterCodeIdentifier, "1");
      assert.equal(b.ProcessingResultStatus, "1");
      assert.equal(b.ReferenceNumberRegistrationInfo.InsurerNumber, "  138057", "echoed as sent");
      const { numbers } = await numbersSeenBy(FACILITY.code, { InsurerNumber: "  138057", InsuredIdentificationNumber: "001", InsuredBranchNumber: "02", Birthdate: "19700303" });
      assert.deepEqual(numbers, ["24434"]);
    });

    test("a batch is registered in order, each row answered on its own", async () => {
      const results = await registerReferenceNumbers(
        db,
        OTHER_FACILITY.code,
        [
          { ReferenceNumber: "B-1", ...TARO_KEY },
          { ReferenceNumber: "B-1", ...HANAKO_KEY },
          { ReferenceNumber: "", ...HANAKO_KEY },
          { ReferenceNumber: "B-2", ...HANAKO_KEY },
          { ReferenceNumber: "B-3", ...TARO_KEY },
        ],
        NOW,
      );
      assert.deepEqual(results, [
        { ok: true },
        { ok: false, code: "E6006", element: "ReferenceNumber" },
        { ok: false, code: "E6001", element: "ReferenceNumber" },
        { ok: true },
        { ok: true },
      ]);
      assert.deepEqual((await numbersSeenBy(OTHER_FACILITY.code)).numbers, ["B-3"]);
    });

    test("the bulk worker's chunk answers each row with the status that follows its registration in muimm02res", async () => {
      const reception = { facilityCode: OTHER_FACILITY.code, receivedAt: NOW } as Reception;
      const results = await processRegistrationChunk(db, reception, [
        { rowIndex: 7, request: { ReferenceNumber: "C-1", ...TARO_KEY } },
        { rowIndex: 8, request: "text where a registration belongs" },
        { rowIndex: 9, request: { ReferenceNumber: "C-1", ...HANAKO_KEY } },
      ]);
      assert.deepEqual(results, [
        { rowIndex: 7, status: 1, result: { ProcessingResultStatus: "1" } },
        { rowIndex: 8, status: 2, result: { ProcessingResultStatus: "2", ProcessingResultCode: "E6001", ProcessingResultMessage: "照会番号が設定されていません。(ReferenceNumber)" } },
        {
          rowIndex: 9,
          status: 2,
          result: { ProcessingResultStatus: "2", ProcessingResultCode: "E6006", ProcessingResultMessage: "この照会番号は同じ医療機関の別の患者に登録されています。(ReferenceNumber)" },
        },
      ]);
      assert.deepEqual((await numbersSeenBy(OTHER_FACILITY.code)).numbers, ["C-1"]);
    });
  });
}
