// Issue 10 item 7: a bulk upload read again after a crash (the reception was committed, the answer
// never written, the request still in req) continues under its first ReceptionNumber, recognised
// by the file's name and content hash, instead of starting a second run of the same rows.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { startGateway, type GatewayOptions, type MessageHandle } from "../../src/gateway/gateway.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { handle, type MessageKind } from "../../src/services/pipeline/index.ts";
import { harness, type Harness } from "../bulk/support.ts";
import { bulkUploadXml, encodeRequest, exists, sleep, waitForEmptyFolder, waitForFile } from "../gateway/requests.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, TARO, loadFixture } from "../support/fixture.ts";

const SEARCH = { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0" };
const { InsurerNumber, InsuredCardSymbol, InsuredIdentificationNumber, InsuredBranchNumber } = TARO;
const UPLOADS: { kind: MessageKind; row: string; rows: Record<string, string>[] }[] = [
  { kind: "OQSmuquc01", row: "QualificationConfirmSearchInfo", rows: [SEARCH, { ...SEARCH, InsurerNumber: "01130013" }] },
  { kind: "OQSmuimm01", row: "ReferenceNumberRegistrationInfo", rows: [{ ReferenceNumber: "R-77", InsurerNumber, InsuredCardSymbol, InsuredIdentificationNumber, InsuredBranchNumber }] },
];

const connectionLost = () => Object.assign(new Error("Connection terminated unexpectedly"), { code: "57P01" });
const receptionNumberOf = (tree: XmlTree) => ((tree.XmlMsg as XmlTree).MessageBody as XmlTree).ReceptionNumber as string;

for (const database of testDatabases()) {
  describe(`bulk uploads read again on ${database.name}`, () => {
    let db: Db;
    let h: Harness;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
      h = harness(db);
    });
    after(() => db.close());
    const receptions = async () => (await db.query<{ reception_number: string }>("select reception_number from receptions order by reception_number")).map((r) => r.reception_number);

    async function withRoot(run: (root: string) => Promise<void>) {
      const root = await mkdtemp(join(tmpdir(), "onshi-bulk-resume-"));
      try {
        await run(root);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    }
    const gatewayAt = (root: string, more: Partial<GatewayOptions> = {}) => startGateway({ root, ctx: h.ctx, facility: FACILITY.code, ...more });

    /** Drops a request and returns its answer from res. */
    async function exchange(root: string, name: string, bytes: Buffer): Promise<XmlTree> {
      await rm(join(root, "res", name.replace("req_", "res_")), { force: true });
      await writeFile(join(root, "req", name), bytes);
      await waitForFile(join(root, "res", name.replace("req_", "res_")));
      await waitForEmptyFolder(join(root, "req"));
      return decodeXml(await readFile(join(root, "res", name.replace("req_", "res_")))).tree;
    }

    for (const { kind, row, rows } of UPLOADS) {
      test(`${kind}: stored, then the process ends before answering; after the restart the same ReceptionNumber is answered and there is one reception`, async () => {
        const before = await receptions();
        await withRoot(async (root) => {
          const name = `${kind}req_202604010001.xml`;
          // The first run stores the reception and then loses its answer, as a process killed
          // between the commit and writing res would: the request stays in req.
          const crashing: MessageHandle = async (...args) => (await handle(kind, ...args), Promise.reject(connectionLost()));
          const first = await gatewayAt(root, { handlers: { [kind]: crashing }, outageRetryMs: { first: 60_000, max: 60_000 } });
          try {
            await writeFile(join(first.folders.req, name), encodeRequest(bulkUploadXml(FACILITY.code, row, rows), "Shift_JIS"));
            while ((await receptions()).length === before.length) await sleep(10);
          } finally {
            await first.close();
          }
          const stored = (await receptions()).filter((n) => !before.includes(n));
          assert.equal(stored.length, 1);
          assert.equal(await exists(join(root, "req", name)), true, "the request is still in req");
          assert.deepEqual(await readdir(join(root, "res")), []);

          const second = await gatewayAt(root);
          try {
            const answerPath = join(second.folders.res, name.replace("req_", "res_"));
            await waitForFile(answerPath);
            assert.equal(receptionNumberOf(decodeXml(await readFile(answerPath)).tree), stored[0]);
            await waitForEmptyFolder(second.folders.req);
          } finally {
            await second.close();
          }
          assert.deepEqual(await receptions(), [...before, stored[0]!].sort(), "no second reception");
        });
      });
    }

    test("the same name with other rows, or the same rows under another name, is a new upload; the same file sent again is the same one", async () => {
      await withRoot(async (root) => {
        const gateway = await gatewayAt(root);
        try {
          const bytes = (n: string) => encodeRequest(bulkUploadXml(FACILITY.code, "QualificationConfirmSearchInfo", [{ ...SEARCH, InsuredIdentificationNumber: n }]), "UTF-8");
          const a = receptionNumberOf(await exchange(root, "OQSmuquc01req_202604010101.xml", bytes("8001")));
          const otherRows = receptionNumberOf(await exchange(root, "OQSmuquc01req_202604010101.xml", bytes("8002")));
          const otherName = receptionNumberOf(await exchange(root, "OQSmuquc01req_202604010102.xml", bytes("8001")));
          const again = receptionNumberOf(await exchange(root, "OQSmuquc01req_202604010101.xml", bytes("8001")));
          assert.equal(new Set([a, otherRows, otherName]).size, 3);
          assert.equal(again, a);
        } finally {
          await gateway.close();
        }
      });
    });
  });
}
