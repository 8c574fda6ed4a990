// Issue 10 item 7: the folder never loses or hides a file. Names at the file system's length limit
// are answered; symbolic links, FIFOs, folders and devices in req are refused unread (E4004) and
// moved aside as they are; temp files a crash left in res, face and error are removed at start,
// and nothing else is.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { startGateway, type Gateway, type GatewayOptions } from "../../src/gateway/gateway.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import type { OqsContext } from "../../src/services/pipeline/types.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, TARO, loadFixture } from "../support/fixture.ts";
import { checkRequestXml, encodeRequest, waitForEmptyFolder, waitForFile } from "../gateway/requests.ts";

const NOW = new Date("2026-04-01T00:30:00Z");
const KEY = { ...TARO, LimitApplicationCertificateRelatedConsFlg: "1" };
const header = (tree: XmlTree) => (tree.XmlMsg as XmlTree).MessageHeader as XmlTree;
const valid = () => encodeRequest(checkRequestXml(FACILITY.code, KEY), "UTF-8");
const bytes = (name: string) => Buffer.byteLength(name);

// These rules are about files, not data: one database is enough to answer the valid requests.
const [database] = testDatabases();

describe("folder entries", () => {
  let db: Db;
  let ctx: OqsContext;
  let root: string;
  before(async () => {
    db = await database!.open();
    await loadFixture(db);
    ctx = { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" };
  });
  after(() => db.close());

  async function withGateway(run: (g: Gateway) => Promise<void>, setup?: (root: string) => Promise<void>, options: Partial<GatewayOptions> = {}) {
    root = await mkdtemp(join(tmpdir(), "onshi-folder-entries-"));
    try {
      await setup?.(root);
      const gateway = await startGateway({ root, ctx, facility: FACILITY.code, settleMs: 300, rescanMs: 100, ...options });
      try {
        await run(gateway);
      } finally {
        await gateway.close();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }

  async function answerOf(g: Gateway, name: string): Promise<XmlTree> {
    const path = join(g.folders.res, name);
    await waitForFile(path, 5000);
    return decodeXml(await readFile(path)).tree;
  }

  test("a request named up to the 255-byte limit (in UTF-8 bytes) is answered under its res name", async () => {
    await withGateway(async (g) => {
      // 14 + 78 × 3 + 4 = 252 bytes: a temp name made from it would not fit.
      const name = `OQSsiquc01req_${"あ".repeat(78)}.xml`;
      assert.equal(bytes(name), 252);
      await writeFile(join(g.folders.req, name), valid());
      const answer = await answerOf(g, name.replace("req_", "res_"));
      assert.equal(header(answer).SegmentOfResult, "1");
      await waitForEmptyFolder(g.folders.req);
      assert.deepEqual(await readdir(g.folders.error), []);
    });
  });

  test("a 255-byte name that breaks the rule is answered and moved to error under names that fit, twice", async () => {
    await withGateway(async (g) => {
      const name = `${"x".repeat(251)}.xml`;
      assert.equal(bytes(name), 255);
      for (const content of ["first", "second"]) {
        await writeFile(join(g.folders.req, name), content);
        const answers = async () => (await readdir(g.folders.res)).filter((f) => f.endsWith(".res.xml"));
        while ((await answers()).length === 0) await new Promise((r) => setTimeout(r, 10));
        const [answerName] = await answers();
        assert.ok(bytes(answerName!) <= 255, answerName);
        assert.equal(header(decodeXml(await readFile(join(g.folders.res, answerName!))).tree).ErrorCode, "E4001");
        await rm(join(g.folders.res, answerName!));
        await waitForEmptyFolder(g.folders.req);
      }
      const kept = await readdir(g.folders.error);
      assert.equal(kept.length, 4, kept.join(", "));
      for (const entry of kept) assert.ok(bytes(entry) <= 255, entry);
      const requests = kept.filter((f) => !f.endsWith(".reason.txt"));
      assert.deepEqual((await Promise.all(requests.map((f) => readFile(join(g.folders.error, f), "utf8")))).sort(), ["first", "second"]);
      for (const request of requests) {
        // The reason file names the original in full.
        assert.match(await readFile(join(g.folders.error, `${request}.reason.txt`), "utf8"), new RegExp(`^file: ${name}$`, "m"));
      }
    });
  });

  test("a link to a readable request, a dangling link, a FIFO and a folder are refused unread with E4004 and moved aside as they are", async () => {
    const outside = await mkdtemp(join(tmpdir(), "onshi-folder-outside-"));
    try {
      // Followed, the link would be answered as a valid request (and its content echoed).
      const target = join(outside, "secret.xml");
      const secret = Buffer.concat([valid(), Buffer.from("<!-- SECRET -->")]);
      await writeFile(target, secret);
      const names = {
        link: "OQSsiquc01req_202604010001.xml",
        dangling: "OQSsiquc01req_202604010002.xml",
        fifo: "OQSsiquc01req_202604010003.xml",
        folder: "OQSsiquc01req_202604010004.xml",
      };
      await withGateway(async (g) => {
        await symlink(target, join(g.folders.req, names.link));
        await symlink(join(outside, "nowhere.xml"), join(g.folders.req, names.dangling));
        execFileSync("mkfifo", [join(g.folders.req, names.fifo)]);
        await mkdir(join(g.folders.req, names.folder));
        for (const name of Object.values(names)) {
          const answer = await answerOf(g, name.replace("req_", "res_"));
          assert.equal(header(answer).SegmentOfResult, "9", name);
          assert.equal(header(answer).ErrorCode, "E4004", name);
          assert.equal(header(answer).MedicalInstitutionCode, undefined, `${name}: nothing of the target is echoed`);
          await waitForFile(join(g.folders.error, name), 2000); // moved just after the answer, its reason first
          const reason = await readFile(join(g.folders.error, `${name}.reason.txt`), "utf8");
          assert.match(reason, /code: E4004/);
          assert.doesNotMatch(reason, /SECRET|XmlMsg|<\?xml/, name);
        }
        await waitForEmptyFolder(g.folders.req);
        // The entries themselves moved; the target is where it was, unchanged.
        assert.equal(await readlink(join(g.folders.error, names.link)), target);
        assert.equal(await readlink(join(g.folders.error, names.dangling)), join(outside, "nowhere.xml"));
        assert.ok((await lstat(join(g.folders.error, names.fifo))).isFIFO(), "(await lstat(join(g.folders.error, names.fifo))).isFIFO()");
        assert.ok((await lstat(join(g.folders.error, names.folder))).isDirectory(), "(await lstat(join(g.folders.error, names.folder))).isDirectory()");
        assert.deepEqual(await readFile(target), secret);
        // The FIFO blocked nothing: a request after it is answered as usual.
        const next = "OQSsiquc01req_202604010005.xml";
        await writeFile(join(g.folders.req, next), valid());
        assert.equal(header(await answerOf(g, next.replace("req_", "res_"))).SegmentOfResult, "1");
      });
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  test("a device in req is refused with E4004", async (t) => {
    await withGateway(async (g) => {
      const name = "OQSsiquc01req_202604010006.xml";
      try {
        execFileSync("mknod", [join(g.folders.req, name), "c", "1", "3"], { stdio: "ignore" });
      } catch {
        t.skip("mknod needs root");
        return;
      }
      assert.equal(header(await answerOf(g, name.replace("req_", "res_"))).ErrorCode, "E4004");
      await waitForFile(join(g.folders.error, name), 2000);
      assert.ok((await lstat(join(g.folders.error, name))).isCharacterDevice(), "(await lstat(join(g.folders.error, name))).isCharacterDevice()");
    });
  });

  test("at start, onshi's temp files left by a crash are removed from res, face and error; no other file is", async () => {
    const gonePid = 2 ** 22 + 1; // above Linux's largest pid: no such process
    const ours = [`.onshi-${gonePid}-0123456789ab.tmp`, `.onshi-${process.pid}-abcdef012345.tmp`];
    const theirs = [
      `.onshi-${process.ppid}-0123456789ab.tmp`, // a live process's write in progress
      ".OQSsiquc01res_202604010001.xml.tmp",
      "notes.tmp",
      ".onshi-1-not-hex.tmp",
      "OQSsiquc01res_202604010001.xml",
    ];
    await withGateway(
      async (g) => {
        for (const dir of [g.folders.res, g.folders.face, g.folders.error]) {
          assert.deepEqual((await readdir(dir)).sort(), [...theirs].sort(), dir);
        }
      },
      async (root) => {
        for (const sub of ["res", "face", "error"]) {
          await mkdir(join(root, sub), { recursive: true });
          for (const name of [...ours, ...theirs]) await writeFile(join(root, sub, name), "partial");
        }
      },
    );
  });
});
