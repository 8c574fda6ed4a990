// The one message pipeline (src/services/pipeline): the same bad request gets the same code on
// every transport (the WebAPI, the folder gateway, `onshi check --request`'s file input and
// `onshi files validate`), and a whole-message failure keeps the full response header.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { startGateway, type Gateway } from "../../src/gateway/gateway.ts";
import { validateRequestFile } from "../../src/gateway/validate-file.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { isTree, type XmlTree } from "../../src/oqs/message-tree.ts";
import { handle, MESSAGE_KINDS } from "../../src/services/pipeline/index.ts";
import type { OqsContext } from "../../src/services/pipeline/types.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, TARO, loadFixture } from "../support/fixture.ts";
import { checkRequestXml, encodeRequest, waitForFile } from "../gateway/requests.ts";

const NOW = new Date("2026-04-01T00:30:00Z");
const SEARCH = "/oqs-api-pro/MSA01030/ILI01030SV01/search";
const KEY = { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0" };

/** [label, request file, the whole message's code, or the person's (ProcessingResultStatus 2)]. */
const BAD: [string, Buffer, { whole: string } | { person: string }][] = [
  ["an impossible confirmation date", encodeRequest(checkRequestXml(FACILITY.code, KEY, "20261301"), "UTF-8"), { whole: "E1008" }],
  ["a facility code of 9 digits", encodeRequest(checkRequestXml("011011371", KEY), "Shift_JIS"), { whole: "E1006" }],
  ["an empty MessageBody", encodeRequest(checkRequestXml(FACILITY.code, KEY).replace(/<QualificationConfirmSearchInfo>[^]*<\/QualificationConfirmSearchInfo>/, ""), "UTF-8"), { whole: "E1004" }],
  ["malformed XML", Buffer.from('<?xml version="1.0" encoding="UTF-8"?><XmlMsg><MessageHeader>'), { whole: "E1002" }],
  ["an insurer number with a wrong check digit", encodeRequest(checkRequestXml(FACILITY.code, { ...KEY, InsurerNumber: "01130013" }), "UTF-8"), { person: "E3004" }],
];

const parts = (message: XmlTree) => {
  const root = isTree(message.XmlMsg) ? message.XmlMsg : {};
  return { header: (isTree(root.MessageHeader) ? root.MessageHeader : {}) as Record<string, string>, body: (isTree(root.MessageBody) ? root.MessageBody : {}) as Record<string, string> };
};
const codeOf = (message: XmlTree) => {
  const { header, body } = parts(message);
  return header.SegmentOfResult === "9" ? { whole: header.ErrorCode } : { person: body.ProcessingResultCode };
};

for (const database of testDatabases()) {
  describe(`the message pipeline on ${database.name}`, () => {
    let db: Db;
    let ctx: OqsContext;
    let app: FastifyInstance;
    let token: string;
    let root: string;
    let gateway: Gateway;

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      ctx = { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" };
      const tokens = new TokenService(() => NOW, 600);
      app = await buildServer({ oqs: ctx, tokens });
      token = (await tokens.issue(FACILITY.code)).token;
      root = await mkdtemp(join(tmpdir(), "onshi-pipeline-"));
      gateway = await startGateway({ root, ctx, facility: FACILITY.code, settleMs: 100, stableMs: 20 });
    });
    after(async () => {
      await gateway.close();
      await app.close();
      await db.close();
      await rm(root, { recursive: true, force: true });
    });

    for (const [n, [label, file, expected]] of BAD.entries()) {
      test(`${label}: the same code on the WebAPI, in the folder, from a request file and in files validate`, async () => {
        const web = await app.inject({ method: "POST", url: SEARCH, payload: file, headers: { authorization: token, "content-type": "application/xml" } });
        assert.deepEqual(codeOf(decodeXml(web.rawPayload).tree), expected, "WebAPI");

        const name = `OQSsiquc01req_20260401${String(n).padStart(4, "0")}.xml`;
        await writeFile(join(gateway.folders.req, name), file);
        const response = join(gateway.folders.res, name.replace("req_", "res_"));
        await waitForFile(response);
        assert.deepEqual(codeOf(decodeXml(await readFile(response)).tree), expected, "folder");

        // What `onshi check --request FILE` hands the pipeline.
        const answer = await handle("OQSsiquc01", { xml: file, file: true }, { transport: "cli" }, ctx);
        assert.deepEqual(codeOf(answer.message), expected, "check --request");

        const [first] = validateRequestFile(name, file, new Set(MESSAGE_KINDS)).problems;
        assert.equal(first?.code, "whole" in expected ? expected.whole : expected.person, "files validate");
      });
    }

    test("a whole-message failure keeps the full response header, echoing what was sent as text", async () => {
      const body = {
        XmlMsg: {
          MessageHeader: { QualificationConfirmationDate: "20261301", MedicalInstitutionCode: FACILITY.code, ArbitraryFileIdentifier: "abc" },
          MessageBody: { QualificationConfirmSearchInfo: KEY },
        },
      };
      const res = await app.inject({ method: "POST", url: SEARCH, payload: body, headers: { authorization: token } });
      assert.equal(res.statusCode, 400);
      const header = res.json().XmlMsg.MessageHeader;
      assert.deepEqual(Object.keys(header), [
        "ProcessExecutionTime",
        "QualificationConfirmationDate",
        "MedicalInstitutionCode",
        "ArbitraryFileIdentifier",
        "ReferenceClassification",
        "SegmentOfResult",
        "ErrorCode",
        "ErrorMessage",
        "CharacterCodeIdentifier",
      ]);
      assert.equal(header.QualificationConfirmationDate, "20261301", "echoed as sent, though it is what is wrong");
      assert.equal(header.MedicalInstitutionCode, FACILITY.code);
      assert.equal(header.ReferenceClassification, "2");
      assert.equal(header.SegmentOfResult, "9");
      assert.equal(header.ErrorCode, "E1008");
      assert.match(header.ErrorMessage, /\(QualificationConfirmationDate\)$/);
      assert.equal(header.CharacterCodeIdentifier, "0");
    });

    test("an element where the header wants text is not echoed (it cannot be read as a string)", async () => {
      const answer = await handle("OQSsiquc01", { json: { XmlMsg: { MessageHeader: { QualificationConfirmationDate: { Y: "2026" }, MedicalInstitutionCode: FACILITY.code }, MessageBody: {} } } }, { transport: "webapi" }, ctx);
      const { header } = parts(answer.message);
      assert.equal(header.ErrorCode, "E1004");
      assert.equal("QualificationConfirmationDate" in header, false);
      assert.equal(header.MedicalInstitutionCode, FACILITY.code);
    });

    test("authorisation is one step for every kind: another facility is E2005 on the WebAPI, E4005 at a terminal", async () => {
      const file = encodeRequest(checkRequestXml("3618010015", KEY), "UTF-8");
      const web = await handle("OQSsiquc01", { xml: file }, { authorizedFacility: FACILITY.code, transport: "webapi" }, ctx);
      const terminal = await handle("OQSsiquc01", { xml: file, file: true }, { authorizedFacility: FACILITY.code, otherFacility: "E4005", transport: "folder" }, ctx);
      assert.deepEqual([web.error, web.failedAt], ["E2005", "authorise"]);
      assert.deepEqual([terminal.error, terminal.failedAt], ["E4005", "authorise"]);
    });
  });
}
