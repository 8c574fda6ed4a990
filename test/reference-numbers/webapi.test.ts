// 照会番号 registration over the WebAPI (onshi's own path), then 個別照会 over the real search
// route: the number comes back to the registering facility only.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import { decodeXml, encodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, TARO, issueTokens, loadFixture } from "../support/fixture.ts";

const SEARCH = "/oqs-api-pro/MSA01030/ILI01030SV01/search";
const REGISTER = "/onshi-api/reference-numbers";
const NOW = new Date("2026-04-01T00:30:00Z");
const { Birthdate, ...KEY } = TARO;

const registration = (facility: string, info: Record<string, unknown> = {}) => ({
  XmlMsg: {
    MessageHeader: { MedicalInstitutionCode: facility },
    MessageBody: { ReferenceNumberRegistrationInfo: { ReferenceNumber: "00777", ...KEY, ...info } },
  },
});
const search = (facility: string) => ({
  XmlMsg: {
    MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: facility },
    MessageBody: { QualificationConfirmSearchInfo: { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0" } },
  },
});

for (const database of testDatabases()) {
  describe(`照会番号 WebAPI on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let tokens: Record<string, string> = {};

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      app = await buildServer({
        oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" },
        tokens: new TokenService(() => NOW, 600),
      });
      tokens = await issueTokens(app);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const post = (url: string, facility: string, payload: object, headers: Record<string, string> = {}) =>
      app.inject({ method: "POST", url, payload, headers: { authorization: tokens[facility]!, ...headers } });

    test("register, then 個別照会 returns the number to this facility and not to another", async () => {
      const res = await post(REGISTER, FACILITY.code, registration(FACILITY.code));
      assert.equal(res.statusCode, 200);
      const { MessageHeader: h, MessageBody: b } = res.json().XmlMsg;
      assert.equal(h.SegmentOfResult, "1");
      assert.equal(b.ProcessingResultStatus, "1");
      assert.equal(b.ReferenceNumberRegistrationInfo.ReferenceNumber, "00777");

      const mine = (await post(SEARCH, FACILITY.code, search(FACILITY.code))).json().XmlMsg.MessageBody;
      assert.equal(mine.ResultList[0].ResultOfQualificationConfirmation.ReferenceNumber, "00777");
      const theirs = (await post(SEARCH, OTHER_FACILITY.code, search(OTHER_FACILITY.code))).json().XmlMsg.MessageBody;
      assert.equal(theirs.QualificationValidity, "1");
      assert.equal(theirs.ResultList[0].ResultOfQualificationConfirmation.ReferenceNumber, undefined);
    });

    test("a refused registration is HTTP 200 with ProcessingResultStatus 2", async () => {
      const res = await post(REGISTER, FACILITY.code, registration(FACILITY.code, { ReferenceNumber: "x".repeat(51) }));
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().XmlMsg.MessageBody.ProcessingResultCode, "E6002");
    });

    test("a request file's Shift_JIS XML is answered in Shift_JIS", async () => {
      const xml = encodeXml(registration(FACILITY.code, { ReferenceNumber: "S-1" }), "Shift_JIS");
      const res = await post(REGISTER, FACILITY.code, xml as unknown as object, { "content-type": "application/xml" });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers["content-type"]), /Shift_JIS/i);
      const { tree } = decodeXml(res.rawPayload);
      const { MessageHeader: h, MessageBody: b } = tree.XmlMsg as any;
      assert.equal(h.CharacterCodeIdentifier, "1");
      assert.equal(b.ProcessingResultStatus, "1");
    });

    const failures: [string, () => ReturnType<typeof post>, number, string][] = [
      ["no token", () => app.inject({ method: "POST", url: REGISTER, payload: registration(FACILITY.code) }), 401, "E2002"],
      ["another facility's code", () => post(REGISTER, OTHER_FACILITY.code, registration(FACILITY.code)), 403, "E2005"],
      ["malformed JSON", () => post(REGISTER, FACILITY.code, '{"XmlMsg":' as unknown as object, { "content-type": "application/json" }), 400, "E1001"],
      ["an XML body that is not well-formed", () => post(REGISTER, FACILITY.code, "<XmlMsg>" as unknown as object, { "content-type": "application/xml" }), 400, "E1002"],
      ["no registration info", () => post(REGISTER, FACILITY.code, { XmlMsg: { MessageHeader: { MedicalInstitutionCode: FACILITY.code }, MessageBody: {} } }), 400, "E1005"],
      ["a number where a string belongs", () => post(REGISTER, FACILITY.code, registration(FACILITY.code, { ReferenceNumber: 777 })), 400, "E1004"],
    ];
    for (const [label, send, status, code] of failures) {
      test(`bad request: ${label} → ${status} ${code}`, async () => {
        const res = await send();
        assert.equal(res.statusCode, status);
        const isXml = String(res.headers["content-type"]).startsWith("application/xml");
        const tree = isXml ? decodeXml(res.rawPayload).tree : res.json();
        assert.equal(tree.XmlMsg.MessageHeader.ErrorCode, code);
        assert.equal(tree.XmlMsg.MessageHeader.SegmentOfResult, "9");
      });
    }
  });
}
