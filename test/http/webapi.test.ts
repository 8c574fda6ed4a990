// The WebAPI end to end on each database: auth, 個別照会, and every kind of bad input answered
// in the protocol's shape (never a 500).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import iconv from "iconv-lite";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import { USAGE_PAGE_PATHS } from "../../src/http/routes/usage-page/index.ts";
import { USAGE_RATES_PATH } from "../../src/http/routes/usage/rates.ts";
import { REFRESH_PATH } from "../../src/http/routes/oqs/auth.ts";
import { BULK_RESULT_PATH, BULK_UPLOAD_PATH } from "../../src/http/routes/oqs/bulk.ts";
import { CHECKUP_INFO_PATH, DRUG_INFO_PATH } from "../../src/http/routes/oqs/medical-info.ts";
import { BULK_REGISTRATION_RESULT_PATH, BULK_REGISTRATION_UPLOAD_PATH } from "../../src/http/routes/oqs/reference-numbers.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { PORTAL_PATHS } from "../../src/http/routes/portal/access-history.ts";
import { HOME_CONSENT_PATHS } from "../../src/http/routes/portal/home-consent.ts";
import { REMOTE_BULK_PATHS } from "../../src/http/routes/oqs/remote-bulk.ts";
import { PMH_PATHS } from "../../src/http/routes/pmh/upload.ts";
import { WELFARE_PATHS } from "../../src/http/routes/welfare/medical-tickets.ts";
import { USAGE_RECEIPTS_PATH } from "../../src/http/routes/usage/receipts.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, TARO, loadFixture } from "../support/fixture.ts";

const AUTH = "/oqs-api-pro/MSA12020/ILI12020SV01/auth";
const SEARCH = "/oqs-api-pro/MSA01030/ILI01030SV01/search";
const NOW = new Date("2026-04-01T00:30:00Z"); // 09:30 in Japan

function searchBody(info: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  return {
    XmlMsg: {
      MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: FACILITY.code, ...header },
      MessageBody: { QualificationConfirmSearchInfo: { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0", ...info } },
    },
  };
}

for (const database of testDatabases()) {
  describe(`WebAPI on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let clock = NOW;
    let token: string;

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      app = await buildServer({
        oqs: { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0" },
        tokens: new TokenService(() => clock, 600),
      });
      const res = await app.inject({ method: "POST", url: AUTH, payload: { MedicalInstitutionCode: FACILITY.code, Credential: FACILITY.credential } });
      token = res.json().result.idToken;
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const search = (payload: unknown, headers: Record<string, string> = { authorization: token }) =>
      app.inject({ method: "POST", url: SEARCH, payload: payload as object, headers });

    test("auth returns an idToken in the real response shape", async () => {
      const res = await app.inject({ method: "POST", url: AUTH, payload: { MedicalInstitutionCode: FACILITY.code, Credential: FACILITY.credential } });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.status, "OK");
      assert.equal(typeof body.result.idToken, "string");
      assert.equal(body.result.linkSysCharCd, "0");
      assert.equal(body.result.expiresAt, "2026-04-01T00:40:00.000Z");
    });

    test("auth refuses a wrong credential, an unknown facility and missing fields", async () => {
      for (const [payload, status, code] of [
        [{ MedicalInstitutionCode: FACILITY.code, Credential: "wrong" }, 401, "E2006"],
        [{ MedicalInstitutionCode: "1310000004", Credential: "x" }, 401, "E2006"],
        [{ MedicalInstitutionCode: "abc", Credential: "x" }, 401, "E2006"],
        [{ Credential: "x" }, 400, "E1005"],
        [{ MedicalInstitutionCode: FACILITY.code }, 400, "E1005"],
      ] as const) {
        const res = await app.inject({ method: "POST", url: AUTH, payload });
        assert.equal(res.statusCode, status, JSON.stringify(payload));
        assert.equal(res.json().status, "NG");
        assert.equal(res.json().errorCode, code);
      }
    });

    test("個別照会 answers a valid qualification with the real element names", async () => {
      const res = await search(searchBody());
      assert.equal(res.statusCode, 200);
      const { MessageHeader: h, MessageBody: b } = res.json().XmlMsg;
      assert.equal(h.ProcessExecutionTime, "20260401093000");
      assert.equal(h.SegmentOfResult, "1");
      assert.equal(h.ReferenceClassification, "2");
      assert.equal(h.MedicalInstitutionCode, FACILITY.code);
      assert.equal(h.CharacterCodeIdentifier, "0");
      assert.equal(b.ProcessingResultStatus, "1");
      assert.equal(b.QualificationValidity, "1");
      const [wrapped] = b.ResultList;
      const r = wrapped.ResultOfQualificationConfirmation;
      assert.equal(r.Name, "診療　太郎");
      assert.equal(r.NameKana, "ｼﾝﾘｮｳ ﾀﾛｳ");
      assert.equal(r.InsurerName, "全国健康保険協会東京支部");
      assert.equal(r.LimitApplicationCertificateRelatedInfo, undefined);
      assert.deepEqual(b.QualificationConfirmSearchInfo.InsurerNumber, "01130012");
    });

    test("the 限度額 block comes only with consent", async () => {
      const res = await search(searchBody({ LimitApplicationCertificateRelatedConsFlg: "1" }));
      const r = res.json().XmlMsg.MessageBody.ResultList[0].ResultOfQualificationConfirmation;
      assert.equal(r.LimitApplicationCertificateRelatedInfo.LimitApplicationCertificateClassificationFlag, "A03");
    });

    test("a key without symbol and branch, as the public client sends it, is found", async () => {
      const res = await search(searchBody({ InsuredCardSymbol: undefined, InsuredBranchNumber: undefined }));
      assert.equal(res.json().XmlMsg.MessageBody.QualificationValidity, "1");
    });

    test("a birth date that does not match is not found", async () => {
      const res = await search(searchBody({ Birthdate: "19800102" }));
      const b = res.json().XmlMsg.MessageBody;
      assert.equal(b.QualificationValidity, "4");
      assert.equal(b.ResultList, undefined);
    });

    test("a bad search key is answered for the person with ProcessingResultStatus 2", async () => {
      const res = await search(searchBody({ InsurerNumber: "01130013" }));
      assert.equal(res.statusCode, 200);
      const { MessageHeader: h, MessageBody: b } = res.json().XmlMsg;
      assert.equal(h.SegmentOfResult, "1");
      assert.equal(b.ProcessingResultStatus, "2");
      assert.equal(b.ProcessingResultCode, "E3004");
      assert.equal(b.ProcessingResultMessage, "保険者番号の検証番号が不正です。(InsurerNumber)");
      assert.equal(b.QualificationValidity, undefined);
    });

    // Each whole-message failure: HTTP status, ErrorCode, and never a 500.
    const failures: [string, () => Promise<{ statusCode: number; json(): any }>, number, string][] = [
      ["malformed JSON", () => app.inject({ method: "POST", url: SEARCH, payload: '{"XmlMsg":', headers: { authorization: token, "content-type": "application/json" } }), 400, "E1001"],
      ["an unsupported content type", () => app.inject({ method: "POST", url: SEARCH, payload: "hello", headers: { authorization: token, "content-type": "application/octet-stream" } }), 415, "E1012"],
      ["a body over 1 MiB", () => app.inject({ method: "POST", url: SEARCH, payload: JSON.stringify({ x: "a".repeat(1_100_000) }), headers: { authorization: token, "content-type": "application/json" } }), 413, "E1011"],
      ["no XmlMsg", () => search({ hello: "world" }), 400, "E1004"],
      ["a number where a string belongs", () => search(searchBody({}, { QualificationConfirmationDate: 20260401 })), 400, "E1004"],
      ["a missing confirmation date", () => search(searchBody({}, { QualificationConfirmationDate: undefined })), 400, "E1005"],
      ["an impossible date", () => search(searchBody({}, { QualificationConfirmationDate: "20260230" })), 400, "E1008"],
      ["a facility code of 9 digits", () => search(searchBody({}, { MedicalInstitutionCode: "011011371" })), 400, "E1006"],
      ["a facility code with a letter", () => search(searchBody({}, { MedicalInstitutionCode: "01101137a9" })), 400, "E1007"],
      ["a facility code with a wrong check digit", () => search(searchBody({}, { MedicalInstitutionCode: "0110113718" })), 400, "E1010"],
      ["no search info", () => search({ XmlMsg: { MessageHeader: searchBody().XmlMsg.MessageHeader, MessageBody: {} } }), 400, "E1005"],
      ["a missing token", () => search(searchBody(), {}), 401, "E2002"],
      ["a forged token", () => search(searchBody(), { authorization: token.slice(0, -4) + "AAAA" }), 401, "E2004"],
      ["another facility's code", () => search(searchBody({}, { MedicalInstitutionCode: OTHER_FACILITY.code })), 403, "E2005"],
    ];
    for (const [name, send, status, code] of failures) {
      test(`bad input: ${name} → HTTP ${status}, ${code}`, async () => {
        const res = await send();
        assert.equal(res.statusCode, status);
        const h = res.json().XmlMsg.MessageHeader;
        assert.equal(h.SegmentOfResult, "9");
        assert.equal(h.ErrorCode, code);
        assert.match(h.ErrorMessage, /[ぁ-んァ-ン一-龥]/);
      });
    }

    test("E1012 names the content types onshi accepts", async () => {
      const res = await app.inject({ method: "POST", url: SEARCH, payload: "hello", headers: { authorization: token, "content-type": "application/octet-stream" } });
      const message = res.json().XmlMsg.MessageHeader.ErrorMessage;
      for (const type of ["application/json", "application/xml", "text/xml"]) assert.ok(message.includes(type), message);
    });

    test("the auth route answers what Fastify refuses (malformed JSON, a wrong type, too large) in its own {status, errorCode, msg} shape", async () => {
      const cases: [string, string, number, string][] = [
        ['{"MedicalInstitutionCode":', "application/json", 400, "E1001"],
        ["MedicalInstitutionCode=1", "application/x-www-form-urlencoded", 415, "E1012"],
        [JSON.stringify({ MedicalInstitutionCode: "a".repeat(5_000) }), "application/json", 413, "E1011"],
      ];
      for (const [payload, type, status, code] of cases) {
        const res = await app.inject({ method: "POST", url: "/oqs-api-pro/MSA12020/ILI12020SV01/auth", payload, headers: { "content-type": type } });
        assert.equal(res.statusCode, status, code);
        const body = res.json();
        assert.deepEqual(Object.keys(body).sort(), ["errorCode", "msg", "status"], code);
        assert.equal(body.status, "NG");
        assert.equal(body.errorCode, code);
        assert.match(body.msg, /[ぁ-んァ-ン一-龥]/);
      }
    });

    test("bad input: an unknown facility with a valid token → E2001", async () => {
      const unknown = withCheckDigit("131000000");
      const tokens = new TokenService(() => clock, 600);
      const app2 = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0" }, tokens });
      const forged = (await tokens.issue(unknown)).token;
      const res = await app2.inject({ method: "POST", url: SEARCH, payload: searchBody({}, { MedicalInstitutionCode: unknown }), headers: { authorization: forged } });
      await app2.close();
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().XmlMsg.MessageHeader.ErrorCode, "E2001");
    });

    test("bad input: an expired token → E2003", async () => {
      clock = new Date(NOW.getTime() + 601_000);
      try {
        const res = await search(searchBody());
        assert.equal(res.statusCode, 401);
        assert.equal(res.json().XmlMsg.MessageHeader.ErrorCode, "E2003");
      } finally {
        clock = NOW;
      }
    });

    test("the OpenAPI document lists every route", async () => {
      const res = await app.inject({ method: "GET", url: "/docs/json" });
      const paths = Object.keys(res.json().paths);
      assert.deepEqual(
        paths.sort(),
        [AUTH, REFRESH_PATH, SEARCH, "/onshi-api/reference-numbers", BULK_UPLOAD_PATH, BULK_RESULT_PATH, BULK_REGISTRATION_UPLOAD_PATH, BULK_REGISTRATION_RESULT_PATH, DRUG_INFO_PATH, CHECKUP_INFO_PATH, PORTAL_PATHS.challenge, PORTAL_PATHS.accessHistory, ...REMOTE_BULK_PATHS, ...Object.values(HOME_CONSENT_PATHS).map((p) => p.replace(":facilityCode", "{facilityCode}")), ...Object.values(PMH_PATHS), WELFARE_PATHS.medicalTickets, USAGE_RECEIPTS_PATH, "/api/subsidy/calc", ...Object.values(USAGE_PAGE_PATHS), USAGE_RATES_PATH].sort(),
      );
    });
  });
}

describe("WebAPI with XML bodies", () => {
  let db: Db;
  let app: FastifyInstance;
  let token: string;
  const xmlRequest = (charset: string, birthdate = TARO.Birthdate) => `<?xml version="1.0" encoding="${charset}" standalone="no"?>
<XmlMsg><MessageHeader><QualificationConfirmationDate>20260401</QualificationConfirmationDate><MedicalInstitutionCode>${FACILITY.code}</MedicalInstitutionCode></MessageHeader>
<MessageBody><QualificationConfirmSearchInfo><InsurerNumber>${TARO.InsurerNumber}</InsurerNumber><InsuredCardSymbol>${TARO.InsuredCardSymbol}</InsuredCardSymbol>
<InsuredIdentificationNumber>${TARO.InsuredIdentificationNumber}</InsuredIdentificationNumber><Birthdate>${birthdate}</Birthdate>
<LimitApplicationCertificateRelatedConsFlg>0</LimitApplicationCertificateRelatedConsFlg></QualificationConfirmSearchInfo></MessageBody></XmlMsg>`;

  before(async () => {
    db = await testDatabases()[0]!.open();
    await loadFixture(db);
    const tokens = new TokenService(() => NOW, 600);
    app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens });
    token = (await tokens.issue(FACILITY.code)).token;
  });
  after(async () => {
    await app.close();
    await db.close();
  });
  const post = (payload: Buffer) =>
    app.inject({ method: "POST", url: SEARCH, payload, headers: { authorization: token, "content-type": "application/xml" } });

  test("a Shift_JIS request is answered in Shift_JIS with CharacterCodeIdentifier 1", async () => {
    const res = await post(iconv.encode(xmlRequest("Shift_JIS"), "cp932"));
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["content-type"], "application/xml; charset=Shift_JIS");
    const { tree, charset } = decodeXml(res.rawPayload);
    assert.equal(charset, "Shift_JIS");
    const msg = tree.XmlMsg as any;
    assert.equal(msg.MessageHeader.CharacterCodeIdentifier, "1");
    assert.equal(msg.MessageBody.ResultList.ResultOfQualificationConfirmation[0].Name, "診療　太郎");
  });

  test("a UTF-8 request is answered in UTF-8", async () => {
    const { tree, charset } = decodeXml((await post(Buffer.from(xmlRequest("UTF-8")))).rawPayload);
    assert.equal(charset, "UTF-8");
    assert.equal((tree.XmlMsg as any).MessageBody.QualificationValidity, "1");
  });

  for (const [name, payload, code] of [
    ["malformed XML", Buffer.from("<XmlMsg><MessageHeader></XmlMsg>"), "E1002"],
    ["an unsupported encoding", Buffer.from('<?xml version="1.0" encoding="EUC-JP"?><XmlMsg/>'), "E1003"],
    ["Shift_JIS bytes declared as UTF-8", iconv.encode(xmlRequest("UTF-8").replace("<Birthdate>", "<Birthdate>診"), "cp932"), "E1003"],
    ["another root element", Buffer.from("<Message/>"), "E1004"],
  ] as const) {
    test(`bad input: ${name} → ${code}`, async () => {
      const res = await post(payload);
      assert.equal(res.statusCode, 400);
      const header = (decodeXml(res.rawPayload).tree.XmlMsg as any).MessageHeader;
      assert.equal(header.SegmentOfResult, "9");
      assert.equal(header.ErrorCode, code);
    });
  }
});
