// Issue 10 item 10: property-based fuzzing of the codecs and the request readers, with a fixed
// seed and a bounded number of runs (a few seconds), so a failure replays exactly. Whatever
// bytes arrive, the answer is a coded refusal or a tree, never another exception; every answer
// is well-formed XML; valid trees survive both codecs unchanged.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import iconv from "iconv-lite";
import { CodecError } from "../../src/codec/errors.ts";
import { jsonToTree, treeToJson } from "../../src/codec/json.ts";
import { decodeXml, encodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { kindOfFile } from "../../src/gateway/read-request.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { ERROR_CODES } from "../../src/errors/catalogue.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { MESSAGE_KINDS, validate } from "../../src/services/pipeline/index.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, loadFixture } from "../support/fixture.ts";

const SEED = 20_261_206;
const runs = (numRuns: number) => ({ seed: SEED, numRuns });

/** Pieces real and hostile XML is made of; joined at random they reach the parser's corners. */
const XML_PIECES = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<?xml version="1.0" encoding="Shift_JIS"?>',
  '<?xml version="1.0" encoding="EBCDIC"?>',
  "<XmlMsg>", "</XmlMsg>", "<MessageHeader>", "</MessageHeader>", "<MessageBody>", "</MessageBody>",
  "<MedicalInstitutionCode>", "</MedicalInstitutionCode>", FACILITY.code, "20260401",
  "<QualificationConfirmSearchInfo>", "</QualificationConfirmSearchInfo>", "<ResultList>", "</ResultList>",
  "<ReceptionNumber>", "</ReceptionNumber>", "<A>", "</A>", "<A/>", "<__proto__>", "</__proto__>", "<constructor>",
  "&amp;", "&lt;", "&", "<", ">", "&#12354;", "&#xFFFE;", "&#0;", "&#x110000;", "&nbsp;", "&unknown;",
  "<![CDATA[x]]>", "<!-- c -->", "<!DOCTYPE x [<!ENTITY e 'boom'>]>", "&e;", "<a b='1'>", "</a>",
  "テスト", "𠮷", "\u0000", "\u0001", "\uFFFE", "\r\n", " ", "\t",
];

const xmlText = fc.oneof(
  fc.array(fc.constantFrom(...XML_PIECES), { maxLength: 40 }).map((pieces) => pieces.join("")),
  fc.string({ unit: "binary", maxLength: 200 }),
);
const xmlBytes = fc.oneof(
  xmlText.map((text) => Buffer.from(text, "utf8")),
  xmlText.map((text) => iconv.encode(text, "cp932")),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
);

/** A whole 個別照会 request whose leaves are fuzzed, so that the handlers' readers are reached too. */
const fuzzedLeaf = fc.oneof(fc.constantFrom(...XML_PIECES, "", "０１１３００１２", "99999999999999999999", "-1", "1e309"), fc.string({ maxLength: 12 }));
const searchMessage = fc
  .tuple(fuzzedLeaf, fuzzedLeaf, fuzzedLeaf, fuzzedLeaf, fuzzedLeaf, fuzzedLeaf, fuzzedLeaf)
  .map(([date, code, insurer, symbol, number, birthdate, flag]) =>
    Buffer.from(
      `<XmlMsg><MessageHeader><QualificationConfirmationDate>${date}</QualificationConfirmationDate><MedicalInstitutionCode>${code}</MedicalInstitutionCode>` +
        `</MessageHeader><MessageBody><QualificationConfirmSearchInfo><InsurerNumber>${insurer}</InsurerNumber><InsuredCardSymbol>${symbol}</InsuredCardSymbol>` +
        `<InsuredIdentificationNumber>${number}</InsuredIdentificationNumber><Birthdate>${birthdate}</Birthdate>` +
        `<LimitApplicationCertificateRelatedConsFlg>${flag}</LimitApplicationCertificateRelatedConsFlg></QualificationConfirmSearchInfo></MessageBody></XmlMsg>`,
    ),
  );

/** JSON values shaped like messages, with hostile keys and values mixed in. */
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.string({ unit: "binary", maxLength: 12 }),
    fc.constantFrom<unknown>(null, 0, 1.5, true, "", "\u0000", "\uFFFE", "\uD800", "20260401"),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("XmlMsg", "MessageHeader", "MessageBody", "ResultList", "QualificationConfirmSearchInfo", "A", "__proto__", "#text", "@_x", "1"), tie("value"), { maxKeys: 4 }),
  ),
})).value;

function codecErrorsOnly(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
  }
}

/** Element names no codec treats specially (no repeated element, no list container). */
const name = fc.constantFrom("Alpha", "Beta", "Gamma", "Delta", "Name", "Code");
const leaf = fc.string({ unit: fc.constantFrom("a", "Z", "0", " ", "&", "<", ">", "'", '"', "あ", "髙", "①", "～", "𠮷", "\t", "\n"), maxLength: 10 });
const validTree: fc.Arbitrary<XmlTree> = fc.letrec((tie) => ({
  tree: fc.dictionary(
    name,
    fc.oneof(
      { depthSize: "small" },
      leaf,
      tie("tree"),
      fc.array(leaf, { minLength: 2, maxLength: 3 }),
      fc.array(tie("tree") as fc.Arbitrary<XmlTree>, { minLength: 2, maxLength: 3 }),
    ),
    { minKeys: 1, maxKeys: 3, noNullPrototype: true },
  ),
})).tree as fc.Arbitrary<XmlTree>;

describe("codecs under fuzzing", () => {
  test("decodeXml on any bytes returns a tree or throws a CodecError, nothing else", () => {
    fc.assert(fc.property(xmlBytes, fc.boolean(), (bytes, bulk) => codecErrorsOnly(() => decodeXml(bytes, { bulk }))), runs(5_000));
  });

  test("jsonToTree on any JSON value returns a tree or throws a CodecError, nothing else", () => {
    fc.assert(fc.property(jsonish, fc.boolean(), (value, bulk) => codecErrorsOnly(() => jsonToTree(value, { bulk }))), runs(5_000));
  });

  test("a request file's name and bytes get a kind and problems, or a catalogued code, never an exception", () => {
    const fileName = fc.oneof(fc.constantFrom("OQSsiquc01req_1.xml", "OQSmuquc01req_1.xml", "OQSsiimm01req_x.xml", "OQSmuimm02req_1.xml", "OQSsiquc99req_1.xml", "bad.xml"), fc.string({ maxLength: 30 }));
    fc.assert(
      fc.property(fileName, xmlBytes, (file, bytes) => {
        const named = kindOfFile(file, new Set(MESSAGE_KINDS));
        if (!named.ok) return assert.ok(named.code in ERROR_CODES, named.code);
        for (const { code } of validate(named.kind, { xml: bytes, file: true }).problems) assert.ok(code in ERROR_CODES, code);
      }),
      runs(3_000),
    );
  });

  test("whatever decodes encodes again as well-formed XML that decodes to the same tree (UTF-8 and Shift_JIS)", () => {
    fc.assert(
      fc.property(xmlBytes, (bytes) => {
        let tree: XmlTree;
        try {
          tree = decodeXml(bytes).tree;
        } catch {
          return;
        }
        for (const charset of ["UTF-8", "Shift_JIS"] as const) {
          let out: Buffer;
          try {
            out = encodeXml(tree, charset);
          } catch (error) {
            assert.ok(error instanceof CodecError && charset === "Shift_JIS", String(error)); // a character CP932 lacks
            continue;
          }
          assert.deepEqual(decodeXml(out).tree, tree);
        }
      }),
      runs(2_000),
    );
  });

  test("valid trees round-trip through XML (both charsets) and through JSON unchanged", () => {
    fc.assert(
      fc.property(validTree, (body) => {
        const tree = { XmlMsg: body };
        assert.deepEqual(decodeXml(encodeXml(tree, "UTF-8")).tree, tree);
        // 𠮷 is the one character of the alphabet CP932 lacks: refused, never written as "?".
        if (JSON.stringify(tree).includes("𠮷")) assert.throws(() => encodeXml(tree, "Shift_JIS"), CodecError);
        else assert.deepEqual(decodeXml(encodeXml(tree, "Shift_JIS")).tree, tree);
        assert.deepEqual(jsonToTree(JSON.parse(JSON.stringify(treeToJson(tree)))), tree);
      }),
      runs(500),
    );
  });
});

for (const database of testDatabases()) {
  describe(`the message route under fuzzing on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let token: string;
    const SEARCH = "/oqs-api-pro/MSA01030/ILI01030SV01/search";

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      const tokens = new TokenService(() => new Date("2026-04-01T00:30:00Z"), 600);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => new Date("2026-04-01T00:30:00Z"), characterCode: "0" }, tokens });
      token = (await tokens.issue(FACILITY.code)).token;
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("any XML body gets a coded answer below 500, itself well-formed XML", async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(xmlBytes, searchMessage), async (bytes) => {
          const res = await app.inject({ method: "POST", url: SEARCH, payload: bytes, headers: { authorization: token, "content-type": "application/xml" } });
          assert.ok(res.statusCode < 500, `${res.statusCode} ${res.body}`);
          const header = (decodeXml(res.rawPayload).tree.XmlMsg as XmlTree).MessageHeader as XmlTree;
          if (res.statusCode !== 200) assert.ok(String(header.ErrorCode) in ERROR_CODES, "String(header.ErrorCode) in ERROR_CODES");
        }),
        runs(250),
      );
    });

    test("any JSON body gets a coded answer below 500", async () => {
      await fc.assert(
        fc.asyncProperty(jsonish, async (value) => {
          const res = await app.inject({ method: "POST", url: SEARCH, payload: JSON.stringify({ XmlMsg: value }), headers: { authorization: token, "content-type": "application/json" } });
          assert.ok(res.statusCode < 500, `${res.statusCode} ${res.body}`);
          if (res.statusCode !== 200) assert.ok(res.json().XmlMsg.MessageHeader.ErrorCode in ERROR_CODES, "res.json().XmlMsg.MessageHeader.ErrorCode in ERROR_CODES");
        }),
        runs(250),
      );
    });
  });
}
