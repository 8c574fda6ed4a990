// The folder gateway as a レセコン sees it: request files in `req`, answers in `res`, and what
// happens to files it cannot read.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, watch } from "node:fs";
import { appendFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import iconv from "iconv-lite";
import { treeToJson } from "../../src/codec/json.ts";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { startGateway, type Gateway, type GatewayOptions, type MessageHandle } from "../../src/gateway/gateway.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import type { CharacterCode } from "../../src/oqs/response-builder.ts";
import { handle } from "../../src/services/pipeline/index.ts";
import type { OqsContext } from "../../src/services/pipeline/types.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, TARO, loadFixture } from "../support/fixture.ts";
import { checkRequestXml, encodeRequest, exists, sleep, waitForEmptyFolder, waitForFile } from "./requests.ts";

const NOW = new Date("2026-04-01T00:30:00Z");
const KEY = { ...TARO, LimitApplicationCertificateRelatedConsFlg: "1" };
const SETTLE_MS = 600;

const header = (tree: XmlTree) => (tree.XmlMsg as XmlTree).MessageHeader as XmlTree;
const body = (tree: XmlTree) => (tree.XmlMsg as XmlTree).MessageBody as XmlTree;
let seq = 0;
const requestName = (kind = "OQSsiquc01") => `${kind}req_20260401${String(++seq).padStart(4, "0")}.xml`;
const responseOf = (name: string) => name.replace("req_", "res_");

async function withGateway(
  ctx: OqsContext,
  options: Partial<GatewayOptions>,
  run: (g: Gateway) => Promise<void>,
  setup?: (root: string) => Promise<void>,
): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "onshi-gateway-"));
  try {
    await setup?.(root);
    const gateway = await startGateway({ root, ctx, facility: FACILITY.code, settleMs: SETTLE_MS, ...options });
    try {
      await run(gateway);
    } finally {
      await gateway.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Drops a request into req and returns the decoded answer from res. */
async function roundTrip(g: Gateway, bytes: Buffer, name = requestName()): Promise<{ tree: XmlTree; charset: string; raw: Buffer }> {
  await writeFile(join(g.folders.req, name), bytes);
  const answer = join(g.folders.res, responseOf(name));
  await waitForFile(answer);
  const raw = await readFile(answer);
  return { ...decodeXml(raw), raw };
}

const [firstDatabase] = testDatabases();

for (const database of testDatabases()) {
  describe(`folder round trips on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
    });
    after(() => db.close());
    const context = (characterCode: CharacterCode): OqsContext => ({ db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode });

    /** The WebAPI's JSON answer for the same key, from a terminal with the same setting. */
    async function webApiAnswer(characterCode: CharacterCode, info: Record<string, string>): Promise<any> {
      const app = await buildServer({ oqs: context(characterCode), tokens: new TokenService(() => NOW, 600) });
      try {
        const auth = await app.inject({ method: "POST", url: "/oqs-api-pro/MSA12020/ILI12020SV01/auth", payload: { MedicalInstitutionCode: FACILITY.code, Credential: FACILITY.credential } });
        const res = await app.inject({
          method: "POST",
          url: "/oqs-api-pro/MSA01030/ILI01030SV01/search",
          headers: { authorization: auth.json().result.idToken },
          payload: { XmlMsg: { MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: FACILITY.code }, MessageBody: { QualificationConfirmSearchInfo: info } } },
        });
        return res.json();
      } finally {
        await app.close();
      }
    }

    for (const [input, characterCode, output] of [
      ["UTF-8", "0", "UTF-8"],
      ["Shift_JIS", "1", "Shift_JIS"],
      ["Shift_JIS", "0", "UTF-8"],
      ["UTF-8", "1", "Shift_JIS"],
    ] as const) {
      test(`a ${input} request on a terminal set to ${output} is answered in ${output}, as the WebAPI answers`, async () => {
        await withGateway(context(characterCode), {}, async (g) => {
          for (const info of [KEY, { ...KEY, Birthdate: "19800102" }, { ...KEY, InsurerNumber: "01130013" }]) {
            const { tree, charset, raw } = await roundTrip(g, encodeRequest(checkRequestXml(FACILITY.code, info), input));
            assert.equal(charset, output);
            assert.match(raw.subarray(0, 60).toString("latin1"), new RegExp(`^<\\?xml version="1.0" encoding="${output}"`));
            assert.equal(header(tree).CharacterCodeIdentifier, characterCode);
            // The WebAPI's JSON is UTF-8 and says so (0); everything else is the same.
            const json = await webApiAnswer(characterCode, info);
            json.XmlMsg.MessageHeader.CharacterCodeIdentifier = characterCode;
            assert.deepEqual(treeToJson(tree), json);
          }
          const { tree } = await roundTrip(g, encodeRequest(checkRequestXml(FACILITY.code, KEY), input));
          const result = ((body(tree).ResultList as XmlTree).ResultOfQualificationConfirmation as XmlTree[])[0]!;
          assert.equal(result.Name, "診療　太郎");
          assert.equal(result.NameKana, "ｼﾝﾘｮｳ ﾀﾛｳ");
          await waitForEmptyFolder(g.folders.req);
        });
      });
    }
  });
}

describe(`folder rules (on ${firstDatabase!.name})`, () => {
  let db: Db;
  let ctx: OqsContext;
  before(async () => {
    db = await firstDatabase!.open();
    await loadFixture(db);
    ctx = { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "1" };
  });
  after(() => db.close());
  const valid = () => encodeRequest(checkRequestXml(FACILITY.code, KEY), "Shift_JIS");

  test("a file written in two parts with a pause is answered only once complete", async () => {
    await withGateway(ctx, {}, async (g) => {
      const name = requestName();
      const bytes = valid();
      const cut = Math.floor(bytes.length / 2);
      await writeFile(join(g.folders.req, name), bytes.subarray(0, cut));
      await sleep(400); // ten times the stability wait: size alone would call it complete
      assert.equal(await exists(join(g.folders.res, responseOf(name))), false, "no answer to half a file");
      assert.equal(await exists(join(g.folders.req, name)), true);
      await appendFile(join(g.folders.req, name), bytes.subarray(cut));
      await waitForFile(join(g.folders.res, responseOf(name)));
      const tree = decodeXml(await readFile(join(g.folders.res, responseOf(name)))).tree;
      assert.equal(header(tree).SegmentOfResult, "1");
      assert.equal(body(tree).QualificationValidity, "1");
      assert.deepEqual(await readdir(g.folders.error), []);
    });
  });

  test("a file renamed into req by its writer is answered; its temp name is left alone", async () => {
    await withGateway(ctx, {}, async (g) => {
      const name = requestName();
      const temp = join(g.folders.req, `${name}.tmp`);
      await writeFile(temp, valid().subarray(0, 50));
      await sleep(SETTLE_MS + 300);
      assert.deepEqual(await readdir(g.folders.res), []);
      assert.deepEqual(await readdir(g.folders.error), []);
      await writeFile(temp, valid());
      await rename(temp, join(g.folders.req, name));
      await waitForFile(join(g.folders.res, responseOf(name)));
      assert.equal(header(decodeXml(await readFile(join(g.folders.res, responseOf(name)))).tree).SegmentOfResult, "1");
    });
  });

  test("requests already waiting at start are answered", async () => {
    const names = [requestName(), requestName(), requestName()];
    await withGateway(
      ctx,
      {},
      async (g) => {
        for (const name of names) await waitForFile(join(g.folders.res, responseOf(name)));
        await waitForEmptyFolder(g.folders.req);
      },
      async (root) => {
        await mkdir(join(root, "req"), { recursive: true });
        for (const name of names) await writeFile(join(root, "req", name), valid());
      },
    );
  });

  test("the answer is in res before the request leaves req", async () => {
    await withGateway(ctx, {}, async (g) => {
      const names = Array.from({ length: 10 }, () => requestName());
      const seen: boolean[] = [];
      const watcher = watch(g.folders.req, (_event, file) => {
        // Checked synchronously at the moment req changes, so no later write can hide a wrong order.
        if (file && names.includes(file) && !existsSync(join(g.folders.req, file))) seen.push(existsSync(join(g.folders.res, responseOf(file))));
      });
      try {
        for (const name of names) await writeFile(join(g.folders.req, name), valid());
        for (const name of names) await waitForFile(join(g.folders.res, responseOf(name)));
        while ((await readdir(g.folders.req)).length > 0) await sleep(10);
        await sleep(50);
      } finally {
        watcher.close();
      }
      assert.ok(seen.length >= names.length, `saw ${seen.length} removals`);
      assert.ok(seen.every(Boolean), "a request disappeared before its answer existed");
    });
  });

  const sjisAsUtf8 = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?>'), iconv.encode(checkRequestXml(FACILITY.code, { ...KEY, InsuredCardSymbol: "記号" }), "cp932")]);
  const badFiles: [string, string | Buffer, string, string][] = [
    // [name, content, expected code, expected answer name]
    ["hello.txt", "hello", "E4001", "hello.txt.res.xml"],
    ["OQSsiquc01req-202604010001.xml", valid().toString("latin1"), "E4001", "OQSsiquc01res-202604010001.xml"],
    ["OQSmuzzz01req_202604010001.xml", valid().toString("latin1"), "E4002", "OQSmuzzz01res_202604010001.xml"],
    ["OQSsiquc01req_202604019001.xml", "", "E4003", "OQSsiquc01res_202604019001.xml"],
    ["OQSsiquc01req_202604019002.xml", '<?xml version="1.0"?><XmlMsg><MessageHeader></XmlMsg>', "E1002", "OQSsiquc01res_202604019002.xml"],
    ["OQSsiquc01req_202604019003.xml", '<?xml version="1.0" encoding="EUC-JP"?><XmlMsg/>', "E1003", "OQSsiquc01res_202604019003.xml"],
    ["OQSsiquc01req_202604019004.xml", sjisAsUtf8, "E1003", "OQSsiquc01res_202604019004.xml"],
    ["OQSsiquc01req_202604019005.xml", '<?xml version="1.0"?><Message><A>1</A></Message>', "E1004", "OQSsiquc01res_202604019005.xml"],
    ["OQSsiquc01req_202604019006.xml", Buffer.concat([valid(), Buffer.alloc(5000, 32)]), "E1011", "OQSsiquc01res_202604019006.xml"],
  ];

  test("unreadable names and contents are answered with SegmentOfResult 9 and moved to error, never deleted", async () => {
    await withGateway(ctx, { maxFileBytes: 4000 }, async (g) => {
      for (const [name, content] of badFiles) await writeFile(join(g.folders.req, name), content);
      for (const [name, content, code, answerName] of badFiles) {
        await waitForFile(join(g.folders.res, answerName), SETTLE_MS + 5000);
        const answer = decodeXml(await readFile(join(g.folders.res, answerName))).tree;
        assert.equal(header(answer).SegmentOfResult, "9", name);
        assert.equal(header(answer).ErrorCode, code, name);
        assert.match(header(answer).ErrorMessage as string, /。/, name);
        await waitForFile(join(g.folders.error, name), 2000);
        assert.deepEqual(await readFile(join(g.folders.error, name)), typeof content === "string" ? Buffer.from(content, "latin1") : content, name);
        const reason = await readFile(join(g.folders.error, `${name}.reason.txt`), "utf8");
        assert.match(reason, new RegExp(`code: ${code}`), name);
      }
      // The header is echoed when the XML could be read.
      const unsupported = decodeXml(await readFile(join(g.folders.res, "OQSmuzzz01res_202604010001.xml"))).tree;
      assert.equal(header(unsupported).MedicalInstitutionCode, FACILITY.code);
      assert.equal(header(unsupported).ErrorMessage, "この種類の要求ファイルには対応していません。(OQSmuzzz01req_202604010001.xml)");
      await waitForEmptyFolder(g.folders.req);
    });
  });

  test("a request dropped again under a name already in error keeps both", async () => {
    await withGateway(ctx, {}, async (g) => {
      for (const content of ["first", "second"]) {
        await writeFile(join(g.folders.req, "hello.txt"), content);
        await waitForFile(join(g.folders.res, "hello.txt.res.xml"));
        while (await exists(join(g.folders.req, "hello.txt"))) await sleep(10);
        await rm(join(g.folders.res, "hello.txt.res.xml"));
      }
      const kept = (await readdir(g.folders.error)).filter((f) => !f.endsWith(".reason.txt"));
      const contents = await Promise.all(kept.map((f) => readFile(join(g.folders.error, f), "utf8")));
      assert.deepEqual(contents.sort(), ["first", "second"]);
    });
  });

  test("a request the handler finds wrong is answered by the handler and consumed", async () => {
    await withGateway(ctx, {}, async (g) => {
      const name = requestName();
      const { tree } = await roundTrip(g, encodeRequest(checkRequestXml(FACILITY.code, KEY, "20261301"), "UTF-8"), name);
      assert.equal(header(tree).SegmentOfResult, "9");
      assert.equal(header(tree).ErrorCode, "E1008");
      while (await exists(join(g.folders.req, name))) await sleep(10);
      assert.deepEqual(await readdir(g.folders.error), []);
    });
  });

  test("a kind without a handler yet gets E4002; a handler's failure gets E9001 and the request is kept", async () => {
    const handlers = {
      OQSsiquc01: (...args: Parameters<MessageHandle>) => handle("OQSsiquc01", ...args),
      OQSmuquc01: async () => Promise.reject(new Error("boom")),
    };
    const errors: unknown[] = [];
    await withGateway(ctx, { handlers, logger: { info() {}, warn() {}, error: (fields) => errors.push(fields) } }, async (g) => {
      const missing = await roundTrip(g, valid(), requestName("OQSmuimm02"));
      assert.equal(header(missing.tree).ErrorCode, "E4002");
      const name = requestName("OQSmuquc01");
      const failed = await roundTrip(g, valid(), name);
      assert.equal(header(failed.tree).SegmentOfResult, "9");
      assert.equal(header(failed.tree).ErrorCode, "E9001");
      assert.equal(header(failed.tree).MedicalInstitutionCode, FACILITY.code);
      await waitForFile(join(g.folders.error, name));
      assert.equal(errors.length, 1);
    });
  });

  test("an answer marked zip is written as a .zip holding the XML under the answer's name", async () => {
    const handlers = {
      OQSmuquc02: async () => ({ message: { XmlMsg: { MessageHeader: { SegmentOfResult: "1", CharacterCodeIdentifier: "1" }, MessageBody: { Note: "一括照会結果" } } }, zip: true }),
    };
    await withGateway(ctx, { handlers }, async (g) => {
      const name = requestName("OQSmuquc02");
      await writeFile(join(g.folders.req, name), valid());
      const zip = join(g.folders.res, responseOf(name).replace(/\.xml$/, ".zip"));
      await waitForFile(zip);
      const entries = unzipSync(await readFile(zip));
      assert.deepEqual(Object.keys(entries), [responseOf(name)]);
      const { tree, charset } = decodeXml(Buffer.from(entries[responseOf(name)]!));
      assert.equal(charset, "Shift_JIS");
      assert.equal(body(tree).Note, "一括照会結果");
      assert.equal(await exists(join(g.folders.res, responseOf(name))), false);
    });
  });
});
