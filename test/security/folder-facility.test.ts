// Issue 10 item 6, the folder gateway's part: a terminal belongs to one facility. A request file
// naming another MedicalInstitutionCode is refused (E4005) with the same answer whether that
// facility exists or not, before any handler runs (no reception, no lookup).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { startGateway, type Gateway } from "../../src/gateway/gateway.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { bulkUploadXml, checkRequestXml, encodeRequest, waitForEmptyFolder, waitForFile } from "../gateway/requests.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, TARO, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2026-04-01T00:30:00Z");
const SEARCH = { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0" };
const UNREGISTERED = "1310100019"; // a well-formed code (check digit right) no facility in the fixture has
const header = (tree: XmlTree) => (tree.XmlMsg as XmlTree).MessageHeader as XmlTree;

for (const database of testDatabases()) {
  describe(`a gateway bound to one facility on ${database.name}`, () => {
    let db: Db;
    let root: string;
    let gateway: Gateway;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
      root = await mkdtemp(join(tmpdir(), "onshi-folder-facility-"));
      gateway = await startGateway({ root, ctx: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, facility: FACILITY.code });
    });
    after(async () => {
      await gateway.close();
      await rm(root, { recursive: true, force: true });
      await db.close();
    });

    async function exchange(name: string, xml: string): Promise<XmlTree> {
      await writeFile(join(gateway.folders.req, name), encodeRequest(xml, "UTF-8"));
      await waitForFile(join(gateway.folders.res, name.replace("req_", "res_")));
      return decodeXml(await readFile(join(gateway.folders.res, name.replace("req_", "res_")))).tree;
    }

    test("another facility's request is E4005, the same whether it exists or not, and moved to error; the terminal's own is answered", async () => {
      const refused: XmlTree[] = [];
      for (const [n, code] of [OTHER_FACILITY.code, UNREGISTERED].entries()) {
        const name = `OQSsiquc01req_20260401000${n + 1}.xml`;
        const answer = header(await exchange(name, checkRequestXml(code, SEARCH)));
        assert.equal(answer.SegmentOfResult, "9", code);
        assert.equal(answer.ErrorCode, "E4005", code);
        await waitForFile(join(gateway.folders.error, name));
        assert.match(await readFile(join(gateway.folders.error, `${name}.reason.txt`), "utf8"), /code: E4005/);
        refused.push(answer);
      }
      // Only the echoed code differs (and the time, should the clock move).
      const [other, unknown] = refused.map(({ MedicalInstitutionCode, ProcessExecutionTime, ...rest }) => rest);
      assert.deepEqual(other, unknown);

      const own = header(await exchange("OQSsiquc01req_202604010003.xml", checkRequestXml(FACILITY.code, SEARCH)));
      assert.equal(own.SegmentOfResult, "1");
      await waitForEmptyFolder(gateway.folders.req);
    });

    test("a bulk upload naming another facility makes no reception", async () => {
      const answer = header(await exchange("OQSmuquc01req_202604010004.xml", bulkUploadXml(OTHER_FACILITY.code, "QualificationConfirmSearchInfo", [SEARCH])));
      assert.equal(answer.ErrorCode, "E4005");
      const receptions = await db.query<{ n: number }>("select count(*)::int as n from receptions");
      assert.equal(receptions[0]!.n, 0);
    });
  });
}
