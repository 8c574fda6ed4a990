import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CodecError } from "../../src/codec/errors.ts";
import { jsonToTree, treeToJson } from "../../src/codec/json.ts";
import { decodeXml } from "../../src/codec/xml.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { SAMPLES } from "./samples.ts";

const overTheWire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

for (const { name, tree, bulk } of SAMPLES) {
  test(`JSON round trip: ${name}`, () => {
    assert.deepEqual(jsonToTree(overTheWire(treeToJson(tree)), { bulk }), tree);
    assert.deepEqual(jsonToTree(overTheWire(tree), { bulk }), tree, "the plain tree shape is canonical already");
  });
}

test("list containers render as arrays (ResultList of single-key wrappers, the others of their items), other repeated elements as arrays", () => {
  const info = (category: string) => ({ SpecificDiseasesDiseaseCategory: category });
  const tree: XmlTree = {
    MessageBody: {
      ResultList: {
        ResultOfQualificationConfirmation: [
          { Name: "甲", SpecificDiseasesCertificateList: { SpecificDiseasesCertificateInfo: [info("1"), info("2")] } },
          { Name: "乙", PublicExpenseResultList: { MedicalTicketInfo: [{ TicketType: "1" }] } },
        ],
      },
      BulkConfirmUnit: [{ ProcessingResultStatus: "1" }],
      Codes: ["1", "2"],
    },
  };
  assert.deepEqual(treeToJson(tree), {
    MessageBody: {
      ResultList: [
        { ResultOfQualificationConfirmation: { Name: "甲", SpecificDiseasesCertificateList: [info("1"), info("2")] } },
        { ResultOfQualificationConfirmation: { Name: "乙", PublicExpenseResultList: [{ TicketType: "1" }] } },
      ],
      BulkConfirmUnit: [{ ProcessingResultStatus: "1" }],
      Codes: ["1", "2"],
    },
  });
});

test("a decoded face file reads the way the public result parser (myclinic-ts MessageBody.cast) reads it", () => {
  const { tree } = decodeXml(readFileSync(new URL("./fixtures/face-utf8.xml", import.meta.url)));
  const json = overTheWire(treeToJson(tree)) as any;
  const results = json.XmlMsg.MessageBody.ResultList.map((e: any) => e.ResultOfQualificationConfirmation);
  assert.deepEqual(results.map((r: any) => [r.InsurerNumber, r.NameKana]), [["  123456", "ｼﾝﾘｮｳ ﾀﾛｳ"]]);
  assert.deepEqual(jsonToTree(json), tree);
});

const ONE = { Name: "甲" };
const ACCEPTED: [string, unknown, XmlTree, boolean?][] = [
  ["wrappers for a list of one", { ResultList: [{ ResultOfQualificationConfirmation: ONE }] }, { ResultList: { ResultOfQualificationConfirmation: [ONE] } }],
  ["a plain object for a repeated element", { ResultList: { ResultOfQualificationConfirmation: ONE } }, { ResultList: { ResultOfQualificationConfirmation: [ONE] } }],
  [
    "a bare array of a list's items",
    { SpecificDiseasesCertificateList: [{ SpecificDiseasesDiseaseCategory: "1" }, { SpecificDiseasesDiseaseCategory: "2" }] },
    { SpecificDiseasesCertificateList: { SpecificDiseasesCertificateInfo: [{ SpecificDiseasesDiseaseCategory: "1" }, { SpecificDiseasesDiseaseCategory: "2" }] } },
  ],
  ["a repeated element nested anywhere", { U: { V: { BulkConfirmUnit: { A: "1" } } } }, { U: { V: { BulkConfirmUnit: [{ A: "1" }] } } }],
  ["a search key in an individual body stays an object", { XmlMsg: { MessageBody: { QualificationConfirmSearchInfo: ONE } } }, { XmlMsg: { MessageBody: { QualificationConfirmSearchInfo: ONE } } }],
  ["a search key in a bulk body becomes an array", { XmlMsg: { MessageBody: { QualificationConfirmSearchInfo: ONE } } }, { XmlMsg: { MessageBody: { QualificationConfirmSearchInfo: [ONE] } } }, true],
  ["leaf strings verbatim, empty ones kept", { A: "  123456", B: "", C: "0123" }, { A: "  123456", B: "", C: "0123" }],
  ["undefined and null mean absent", { A: undefined, B: null, C: "x" }, { C: "x" }],
];
for (const [name, input, tree, bulk] of ACCEPTED) {
  test(`jsonToTree accepts ${name}`, () => assert.deepEqual(jsonToTree(input, { bulk }), tree));
}

test("the public Node client's request (spec §4), an absent InsuredCardSymbol left undefined", () => {
  const search = { InsurerNumber: "06139999", InsuredCardSymbol: undefined, InsuredIdentificationNumber: "1234", Birthdate: "19800101", LimitApplicationCertificateRelatedConsFlg: "1" };
  const body = { XmlMsg: { MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: "1311111111" }, MessageBody: { QualificationConfirmSearchInfo: search } } };
  const { InsuredCardSymbol: _, ...present } = search;
  const expected = { XmlMsg: { ...body.XmlMsg, MessageBody: { QualificationConfirmSearchInfo: present } } };
  assert.deepEqual(jsonToTree(body), expected);
  assert.deepEqual(jsonToTree(overTheWire(body)), expected);
});

const KEY = "XmlMsg.MessageBody.QualificationConfirmSearchInfo";
const request = (search: unknown) => ({ XmlMsg: { MessageBody: { QualificationConfirmSearchInfo: search } } });
const REFUSED: [string, unknown, string][] = [
  ["a number for a string", request({ Birthdate: 19800101 }), `${KEY}.Birthdate must be a string`],
  ["a boolean", request({ LimitApplicationCertificateRelatedConsFlg: true }), `${KEY}.LimitApplicationCertificateRelatedConsFlg must be a string`],
  ["a number in an array", request([{ Birthdate: "19800101" }, 1]), `${KEY}[1] must be a string or an object`],
  ["an array in an array", { A: [["1"]] }, "A[0] must be a string or an object"],
  ["null in an array", { A: ["1", null] }, "A[1] must be a string or an object"],
  ["strings mixed with objects", { A: ["1", {}] }, "A mixes strings and objects"],
  ["a wrapper holding an array", { ResultList: [{ ResultOfQualificationConfirmation: [ONE] }] }, "ResultList[0].ResultOfQualificationConfirmation must be a string or an object"],
  ["a text body", "XmlMsg", "body must be an object"],
  ["an array body", [{}], "body must be an object"],
  ["a null body", null, "body must be an object"],
  ["a #text key", { XmlMsg: { "#text": "x" } }, "XmlMsg.#text is not an element name"],
  ["an attribute-like key", { XmlMsg: { "@_id": "x" } }, "XmlMsg.@_id is not an element name"],
  ["a __proto__ key", JSON.parse('{"XmlMsg":{"__proto__":{"A":"1"}}}'), "XmlMsg.__proto__ is not an element name"],
  ["a key with a space", { "Xml Msg": {} }, "Xml Msg is not an element name"],
];
for (const [name, input, detail] of REFUSED) {
  test(`jsonToTree refuses ${name} with JSON_SHAPE naming the path`, () => {
    assert.throws(
      () => jsonToTree(input),
      (e: unknown) => e instanceof CodecError && e.code === "JSON_SHAPE" && e.detail === detail && e.message.startsWith("JSONの構造が不正です。"),
    );
  });
}
