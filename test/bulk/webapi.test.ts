// 一括照会 over the WebAPI (onshi's own paths): the two phases in JSON and in Shift_JIS XML, and
// the errors in the protocol's shape with their HTTP status.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import { decodeXml, encodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { buildServer } from "../../src/http/server.ts";
import { BULK_RESULT_PATH, BULK_UPLOAD_PATH } from "../../src/http/routes/oqs/bulk.ts";
import { TokenService } from "../../src/http/tokens.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, issueTokens, loadFixture } from "../support/fixture.ts";
import { NOW, download, drain, harness, key, upload, type Harness } from "./support.ts";


for (const database of testDatabases()) {
  describe(`一括照会 WebAPI on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let h: Harness;
    let tokens: Record<string, string> = {};

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      h = harness(db, { rowLimit: 5 });
      app = await buildServer({ oqs: h.ctx, tokens: new TokenService(() => NOW, 600) });
      tokens = await issueTokens(app);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const post = (url: string, payload: unknown, facility = FACILITY.code) =>
      app.inject({ method: "POST", url, payload: payload as object, headers: { authorization: tokens[facility]! } });

    test("upload, 処理中, then the units as JSON", async () => {
      const up = await post(BULK_UPLOAD_PATH, upload([key(), key({ Birthdate: "19800102" })]));
      assert.equal(up.statusCode, 200);
      const number = up.json().XmlMsg.MessageBody.ReceptionNumber;
      assert.match(number, /^[0-9]{20}$/);
      const pending = await post(BULK_RESULT_PATH, download(number));
      assert.equal(pending.statusCode, 200);
      assert.equal(pending.json().XmlMsg.MessageHeader.SegmentOfResult, "2");
      await drain(h.worker());
      const done = (await post(BULK_RESULT_PATH, download(number))).json().XmlMsg;
      assert.equal(done.MessageHeader.SegmentOfResult, "1");
      assert.equal(done.MessageHeader.NumberOfProcessingResult, "2");
      assert.ok(Array.isArray(done.MessageBody.BulkConfirmUnit), "Array.isArray(done.MessageBody.BulkConfirmUnit)");
      assert.deepEqual(done.MessageBody.BulkConfirmUnit.map((u: XmlTree) => u.QualificationValidity), ["1", "4"]);
    });

    test("a JSON upload of one row (an object, not an array) is one row", async () => {
      const payload = upload([]);
      ((payload.XmlMsg as XmlTree).MessageBody as XmlTree).QualificationConfirmSearchInfo = key();
      const up = await post(BULK_UPLOAD_PATH, payload);
      assert.equal(up.statusCode, 200, up.body);
      await drain(h.worker());
      const done = (await post(BULK_RESULT_PATH, download(up.json().XmlMsg.MessageBody.ReceptionNumber))).json().XmlMsg;
      assert.equal(done.MessageHeader.NumberOfProcessingResult, "1");
    });

    test("a Shift_JIS XML upload is answered in Shift_JIS, and so is its result", async () => {
      const res = await app.inject({
        method: "POST",
        url: BULK_UPLOAD_PATH,
        payload: encodeXml(upload([key()]), "Shift_JIS"),
        headers: { authorization: tokens[FACILITY.code]!, "content-type": "application/xml" },
      });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers["content-type"]), /Shift_JIS/);
      const number = (decodeXml(res.rawPayload).tree.XmlMsg as XmlTree).MessageBody as XmlTree;
      await drain(h.worker());
      const result = await app.inject({
        method: "POST",
        url: BULK_RESULT_PATH,
        payload: encodeXml(download(number.ReceptionNumber as string), "Shift_JIS"),
        headers: { authorization: tokens[FACILITY.code]!, "content-type": "application/xml" },
      });
      const tree = decodeXml(result.rawPayload).tree.XmlMsg as XmlTree;
      assert.equal((tree.MessageHeader as XmlTree).CharacterCodeIdentifier, "1");
      const [unit] = (tree.MessageBody as XmlTree).BulkConfirmUnit as XmlTree[];
      assert.equal((unit!.ResultOfQualificationConfirmation as XmlTree[])[0]!.Name, "診療　太郎");
    });

    test("errors come with their code and HTTP status", async () => {
      const number = (await post(BULK_UPLOAD_PATH, upload([key()]))).json().XmlMsg.MessageBody.ReceptionNumber;
      const cases: [string, unknown, string, number, string][] = [
        [BULK_RESULT_PATH, download("20260401093000000000"), FACILITY.code, 404, "E5001"],
        [BULK_RESULT_PATH, download(number, OTHER_FACILITY.code), OTHER_FACILITY.code, 404, "E5001"],
        [BULK_RESULT_PATH, download(number), OTHER_FACILITY.code, 403, "E2005"],
        [BULK_UPLOAD_PATH, upload(Array.from({ length: 6 }, () => key())), FACILITY.code, 413, "E5004"],
        [BULK_UPLOAD_PATH, { XmlMsg: { MessageHeader: [] } }, FACILITY.code, 400, "E1004"],
      ];
      for (const [url, payload, facility, status, code] of cases) {
        const res = await post(url, payload, facility);
        assert.equal(res.statusCode, status, `${code}: ${res.body}`);
        assert.equal(res.json().XmlMsg.MessageHeader.ErrorCode, code);
      }
      const anonymous = await app.inject({ method: "POST", url: BULK_RESULT_PATH, payload: download(number) });
      assert.equal(anonymous.statusCode, 401);
      h.setNow(new Date(NOW.getTime() + 8 * 24 * 3600 * 1000));
      const expired = await post(BULK_RESULT_PATH, download(number));
      assert.equal(expired.statusCode, 410);
      assert.equal(expired.json().XmlMsg.MessageHeader.ErrorCode, "E5002");
      h.setNow(NOW);
    });

    test("the OpenAPI description marks the paths as onshi's own", async () => {
      const doc = (await app.inject({ method: "GET", url: "/docs/json" })).json();
      assert.match(doc.paths[BULK_UPLOAD_PATH].post.summary, /onshi 独自/);
      assert.match(doc.paths[BULK_RESULT_PATH].post.summary, /onshi 独自/);
    });
  });
}
