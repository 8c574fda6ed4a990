// Issue 10 item 8: only well-formed output, only sane input. Characters XML 1.0 forbids are refused
// (E1013) raw or as references, in JSON and XML, on the WebAPI and the folder route; bytes that do
// not decode in their declared charset are E1003; full-width digits in numeric elements are refused
// naming the element; numbers beyond what a field can mean are refused.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import iconv from "iconv-lite";
import { CodecError } from "../../src/codec/errors.ts";
import { decodeXml, encodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { validate } from "../../src/services/pipeline/index.ts";
import { BULK_RESULT_PATH } from "../../src/http/routes/oqs/bulk.ts";
import { SUBSIDY_CALC_PATH } from "../../src/http/routes/subsidy/calc.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { PROFILE_MAXIMA } from "../../src/subsidy/profile.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, TARO, loadFixture } from "../support/fixture.ts";

const SEARCH = "/oqs-api-pro/MSA01030/ILI01030SV01/search";
const NOW = new Date("2026-04-01T00:30:00Z");

const searchTree = (info: Record<string, string> = {}, header: Record<string, string> = {}) => ({
  XmlMsg: {
    MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: FACILITY.code, ...header },
    MessageBody: { QualificationConfirmSearchInfo: { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0", ...info } },
  },
});

/** A search request as XML text, the identification number spelt raw (so references stay references). */
const searchXml = (number: string, encoding = "UTF-8") =>
  `<?xml version="1.0" encoding="${encoding}"?>\n<XmlMsg><MessageHeader><QualificationConfirmationDate>20260401</QualificationConfirmationDate>` +
  `<MedicalInstitutionCode>${FACILITY.code}</MedicalInstitutionCode></MessageHeader><MessageBody><QualificationConfirmSearchInfo>` +
  `<InsurerNumber>${TARO.InsurerNumber}</InsurerNumber><InsuredCardSymbol>${TARO.InsuredCardSymbol}</InsuredCardSymbol>` +
  `<InsuredIdentificationNumber>${number}</InsuredIdentificationNumber><InsuredBranchNumber>00</InsuredBranchNumber>` +
  `<Birthdate>${TARO.Birthdate}</Birthdate><LimitApplicationCertificateRelatedConsFlg>0</LimitApplicationCertificateRelatedConsFlg>` +
  `</QualificationConfirmSearchInfo></MessageBody></XmlMsg>`;

const FORBIDDEN_RAW: [string, string][] = [
  ["NUL", "\u0000"],
  ["a control character (U+0001)", "\u0001"],
  ["U+FFFE", "\uFFFE"],
  ["U+FFFF", "\uFFFF"],
  ["a lone surrogate", "\uD800"],
];
const FORBIDDEN_REFERENCES = ["&#xFFFE;", "&#0;", "&#x1;", "&#xD800;", "&#x110000;", "&#65535;"];

for (const database of testDatabases()) {
  describe(`input sanity over the WebAPI on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let token: string;

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      const tokens = new TokenService(() => NOW, 600);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens });
      token = (await tokens.issue(FACILITY.code)).token;
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const postJson = (payload: string | object, contentType = "application/json") =>
      app.inject({ method: "POST", url: SEARCH, payload: typeof payload === "string" ? payload : JSON.stringify(payload), headers: { authorization: token, "content-type": contentType } });
    const postXml = (body: Buffer) => app.inject({ method: "POST", url: SEARCH, payload: body, headers: { authorization: token, "content-type": "application/xml" } });
    const errorOfJson = (res: { json(): any }) => res.json().XmlMsg.MessageHeader;
    /** The XML answer's header; decoding it proves the answer itself is well-formed. */
    const errorOfXml = (res: { rawPayload: Buffer }) => (decodeXml(res.rawPayload).tree.XmlMsg as any).MessageHeader;

    for (const [name, ch] of FORBIDDEN_RAW) {
      test(`JSON: ${name} in a value is E1013 naming the element`, async () => {
        const res = await postJson(searchTree({ InsuredIdentificationNumber: `56${ch}78` }));
        assert.equal(res.statusCode, 400);
        const header = errorOfJson(res);
        assert.equal(header.ErrorCode, "E1013");
        assert.match(header.ErrorMessage, /InsuredIdentificationNumber/);
      });
    }

    for (const [name, ch] of FORBIDDEN_RAW.filter(([, ch]) => ch !== "\uD800")) {
      test(`XML: ${name} raw is E1013, and the answer is well-formed XML`, async () => {
        const res = await postXml(Buffer.from(searchXml(`56${ch}78`), "utf8"));
        assert.equal(res.statusCode, 400);
        assert.equal(errorOfXml(res).ErrorCode, "E1013");
        assert.match(errorOfXml(res).ErrorMessage, /InsuredIdentificationNumber/);
      });
    }

    for (const reference of FORBIDDEN_REFERENCES) {
      test(`XML: the reference ${reference} is E1013`, async () => {
        const res = await postXml(Buffer.from(searchXml(`56${reference}78`), "utf8"));
        assert.equal(res.statusCode, 400);
        assert.equal(errorOfXml(res).ErrorCode, "E1013");
      });
    }

    test("XML: allowed references (&#x35;&#x36;) still decode", async () => {
      const res = await postXml(Buffer.from(searchXml("&#x35;&#x36;78"), "utf8"));
      assert.equal(res.statusCode, 200);
      assert.equal((errorOfXml(res) as any).SegmentOfResult, "1");
    });

    test("Shift_JIS bytes in a body declared UTF-8 are E1003, not a lookup with U+FFFD", async () => {
      const res = await postXml(iconv.encode(searchXml("ヤマダ"), "cp932"));
      assert.equal(res.statusCode, 400);
      assert.equal(errorOfXml(res).ErrorCode, "E1003");
    });

    test("UTF-8 bytes in a body declared Shift_JIS are E1003, even where CP932 would read them without a gap", async () => {
      // ヤマダ　タロウ in UTF-8 reads in CP932 as 繝､繝槭ム縲繧ｿ繝ｭ繧ｦ, no U+FFFD anywhere.
      assert.equal(iconv.decode(Buffer.from("ヤマダ　タロウ"), "cp932").includes("\uFFFD"), false);
      for (const text of ["ヤマダ　タロウ", "診療　太郎"]) {
        const res = await postXml(Buffer.from(searchXml(text, "Shift_JIS"), "utf8"));
        assert.equal(res.statusCode, 400, text);
        assert.equal(errorOfXml(res).ErrorCode, "E1003", text);
      }
    });

    test("a genuine Shift_JIS body with kanji and kana still decodes", async () => {
      const res = await postXml(iconv.encode(searchXml("5678", "Shift_JIS").replace("<InsuredCardSymbol>1234", "<InsuredCardSymbol>川崎ア１"), "cp932"));
      assert.equal(res.statusCode, 200);
      assert.equal(errorOfXml(res).SegmentOfResult, "1");
    });

    test("JSON whose bytes are not UTF-8 (Shift_JIS) is E1003; so is JSON declared in another charset", async () => {
      const sjis = iconv.encode(JSON.stringify(searchTree({ InsuredIdentificationNumber: "診療" })), "cp932");
      const res = await app.inject({ method: "POST", url: SEARCH, payload: sjis, headers: { authorization: token, "content-type": "application/json" } });
      assert.equal(res.statusCode, 400);
      assert.equal(errorOfJson(res).ErrorCode, "E1003");
      const declared = await postJson(searchTree(), "application/json; charset=Shift_JIS");
      assert.equal(declared.statusCode, 400);
      assert.equal(errorOfJson(declared).ErrorCode, "E1003");
      assert.equal((await postJson(searchTree(), "application/json; charset=utf-8")).statusCode, 200);
    });

    // Every numeric element: full-width digits (NFKC would make them ASCII; we do not) are refused
    // with the code that names the element.
    const fullWidth = (digits: string) => digits.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const wholeMessage: [string, object, string][] = [
      ["MedicalInstitutionCode", searchTree({}, { MedicalInstitutionCode: fullWidth(FACILITY.code) }), "E1007"],
      ["QualificationConfirmationDate", searchTree({}, { QualificationConfirmationDate: fullWidth("20260401") }), "E1008"],
    ];
    for (const [element, tree, code] of wholeMessage) {
      test(`full-width digits in ${element} are ${code} naming it`, async () => {
        const header = errorOfJson(await postJson(tree));
        assert.equal(header.ErrorCode, code);
        assert.match(header.ErrorMessage, new RegExp(element));
      });
    }
    const perPerson: [string, string, string][] = [
      ["InsurerNumber", fullWidth(TARO.InsurerNumber), "E3003"],
      ["InsuredBranchNumber", fullWidth("00"), "E3003"],
      ["Birthdate", fullWidth(TARO.Birthdate), "E3005"],
      ["LimitApplicationCertificateRelatedConsFlg", fullWidth("0"), "E3006"],
    ];
    for (const [element, value, code] of perPerson) {
      test(`full-width digits in ${element} are ${code} naming it`, async () => {
        const body = (await postJson(searchTree({ [element]: value }))).json().XmlMsg.MessageBody;
        assert.equal(body.ProcessingResultStatus, "2");
        assert.equal(body.ProcessingResultCode, code);
        assert.match(body.ProcessingResultMessage, new RegExp(element));
      });
    }
    test("full-width digits in a ReceptionNumber are E1007 naming it", async () => {
      const res = await app.inject({
        method: "POST",
        url: BULK_RESULT_PATH,
        headers: { authorization: token },
        payload: { XmlMsg: { MessageHeader: { MedicalInstitutionCode: FACILITY.code }, MessageBody: { ReceptionNumber: fullWidth("20260401093000123456") } } },
      });
      assert.equal(errorOfJson(res).ErrorCode, "E1007");
      assert.match(errorOfJson(res).ErrorMessage, /ReceptionNumber/);
    });

    test("numbers beyond what a profile field can mean are refused naming the field (2^53−1 prescriptions a month)", async () => {
      const calc = (profile: object) => app.inject({ method: "POST", url: `${SUBSIDY_CALC_PATH}?at=2026-04-01`, payload: profile });
      const pharmacy = (prescriptions: number) => ({
        kind: "pharmacy",
        pharmacyGroup: [{ designatedOn: "2020-01-01", prescriptions: { "2024-01": prescriptions } }],
      });
      const huge = await calc(pharmacy(Number.MAX_SAFE_INTEGER));
      assert.equal(huge.statusCode, 400);
      assert.equal(huge.json().code, "E9102");
      assert.equal(huge.json().field, "pharmacyGroup[0].prescriptions.2024-01");
      assert.equal((await calc(pharmacy(PROFILE_MAXIMA.count))).statusCode, 200);
      for (const [profile, field] of [
        [{ kind: "hospital", readersProvided: PROFILE_MAXIMA.readers + 1 }, "readersProvided"],
        [{ kind: "hospital", months: { "2024-01": { cardUses: PROFILE_MAXIMA.count + 1 } } }, "months.2024-01.cardUses"],
        [{ kind: "hospital", projects: [{ program: "fund-2020", cost: PROFILE_MAXIMA.yen + 1 }] }, "projects[0].cost"],
      ] as const) {
        const res = await calc(profile);
        assert.equal(res.json().code, "E9102", field);
        assert.equal(res.json().field, field);
      }
    });
  });
}

test("the profile schema publishes the same maxima the validator applies", () => {
  const schema = JSON.parse(readFileSync(new URL("../../src/subsidy/facility-profile.schema.json", import.meta.url), "utf8"));
  assert.deepEqual(
    Object.fromEntries(Object.keys(PROFILE_MAXIMA).map((name) => [name, schema.$defs[name].maximum])),
    PROFILE_MAXIMA,
  );
});

test("the folder route refuses the same characters (E1013) and mislabelled bytes (E1003)", () => {
  assert.deepEqual(pick(Buffer.from(searchXml("56&#xFFFE;78"))), { ok: false, code: "E1013" });
  assert.deepEqual(pick(Buffer.from(searchXml("56\u000078"))), { ok: false, code: "E1013" });
  assert.deepEqual(pick(Buffer.from(searchXml("ヤマダ　タロウ", "Shift_JIS"))), { ok: false, code: "E1003" });
  assert.deepEqual(pick(iconv.encode(searchXml("ヤマダ　タロウ"), "cp932")), { ok: false, code: "E1003" });
});

test("an answer never carries a character XML 1.0 forbids: encoding one is refused, not written", () => {
  for (const [, ch] of FORBIDDEN_RAW) {
    assert.throws(() => encodeXml({ XmlMsg: { MessageBody: { Name: `a${ch}b` } } }, "UTF-8"), (e: unknown) => e instanceof CodecError && e.code === "FORBIDDEN_CHARACTER");
  }
  assert.doesNotThrow(() => encodeXml({ XmlMsg: { MessageBody: { Name: "診療\t太郎\r\n𠮷" } } }, "UTF-8"));
});

/** A request file read as the folder gateway reads it (the pipeline's pass without an answer). */
function pick(file: Buffer) {
  const [first] = validate("OQSsiquc01", { xml: file, file: true }).problems;
  return first ? { ok: false, code: first.code } : { ok: true };
}
