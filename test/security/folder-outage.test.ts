// Issue 10 item 1, the folder gateway's part: while the database cannot be reached, requests stay
// in req (no answer, nothing moved to error) and are answered, once each, when it is back.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { startGateway } from "../../src/gateway/gateway.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { bulkUploadXml, checkRequestXml, encodeRequest, sleep, waitForEmptyFolder, waitForFile } from "../gateway/requests.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, TARO, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2026-04-01T00:30:00Z");
const SEARCH = { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0" };
const header = (tree: XmlTree) => (tree.XmlMsg as XmlTree).MessageHeader as XmlTree;

/** `db` as seen through a connection that fails, as pg's does when the server goes away, while `state.down`. */
function unreliable(db: Db, state: { down: boolean; refused: number }): Db {
  const gone = () => {
    state.refused++;
    return Promise.reject(Object.assign(new Error("Connection terminated unexpectedly"), { code: "57P01" }));
  };
  const wrap = (inner: Db): Db => ({
    kind: inner.kind,
    query: (sql, params) => (state.down ? gone() : inner.query(sql, params)),
    exec: (sql) => (state.down ? gone() : inner.exec(sql)),
    copyRows: (table, columns, lines) => (state.down ? gone() : inner.copyRows(table, columns, lines)),
    transaction: (fn) => (state.down ? gone() : inner.transaction((tx) => fn(wrap(tx)))),
    close: () => inner.close(),
  });
  return wrap(db);
}

for (const database of testDatabases()) {
  describe(`the folder gateway while the database is away on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
    });
    after(() => db.close());

    test("requests wait in req, unanswered, and are answered exactly once when the database is back; nothing goes to error", async () => {
      const state = { down: true, refused: 0 };
      const flaky = unreliable(db, state);
      const answered: string[] = [];
      const root = await mkdtemp(join(tmpdir(), "onshi-folder-outage-"));
      const gateway = await startGateway({
        root,
        ctx: { db: flaky, facilities: new FacilityDirectory(flaky), now: () => NOW, characterCode: "0" },
        facility: FACILITY.code,
        outageRetryMs: { first: 20, max: 160 },
        logger: { info: (fields: { file?: string; answer?: string }, message) => message.includes("応答しました") && answered.push(fields.file!), warn() {}, error() {} },
      });
      try {
        const requests: Record<string, Buffer> = {
          "OQSsiquc01req_202604010001.xml": encodeRequest(checkRequestXml(FACILITY.code, SEARCH), "UTF-8"),
          "OQSmuquc01req_202604010002.xml": encodeRequest(bulkUploadXml(FACILITY.code, "QualificationConfirmSearchInfo", [SEARCH]), "Shift_JIS"),
        };
        for (const [name, bytes] of Object.entries(requests)) await writeFile(join(gateway.folders.req, name), bytes);
        // Long enough for several tries at the longest back-off.
        for (const deadline = Date.now() + 5000; state.refused < 8 && Date.now() < deadline; ) await sleep(20);
        await sleep(400);
        assert.deepEqual((await readdir(gateway.folders.req)).sort(), Object.keys(requests).sort());
        assert.deepEqual(await readdir(gateway.folders.res), []);
        assert.deepEqual(await readdir(gateway.folders.error), []);

        state.down = false;
        for (const name of Object.keys(requests)) await waitForFile(join(gateway.folders.res, name.replace("req_", "res_")), 5000);
        await waitForEmptyFolder(gateway.folders.req);
        await sleep(300); // a second answer, if any, would come within the longest back-off
        for (const name of Object.keys(requests)) {
          const answer = decodeXml(await readFile(join(gateway.folders.res, name.replace("req_", "res_")))).tree;
          assert.equal(header(answer).SegmentOfResult, "1", name);
        }
        assert.deepEqual(answered.sort(), Object.keys(requests).sort(), "each answered once");
        assert.deepEqual(await readdir(gateway.folders.error), []);
        const receptions = await db.query<{ n: number }>("select count(*)::int as n from receptions where medical_institution_code = $1", [FACILITY.code]);
        assert.equal(receptions[0]!.n, 1, "one reception for the one upload");
      } finally {
        await gateway.close();
        await rm(root, { recursive: true, force: true });
      }
    });
  });
}
