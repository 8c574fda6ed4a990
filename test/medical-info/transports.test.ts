// 薬剤・特定健診 over the two transports on each database, against the demo data: request files in
// `req` answered in `res` under the same prefix (YZKsiquc01res_…), in UTF-8 and Shift_JIS, bad
// files answered with their code and never lost; the WebAPI's onshi-own paths answering JSON or
// XML, refusals with their HTTP status, and a token of another facility refused before anything
// is read.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import iconv from "iconv-lite";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { startGateway, type Gateway } from "../../src/gateway/gateway.ts";
import { CHECKUP_INFO_PATH, DRUG_INFO_PATH } from "../../src/http/routes/oqs/medical-info.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { DEMO_CONSENT_KEY, DEMO_FACILITIES, loadDemo } from "../../src/seed/demo.ts";
import type { OqsContext } from "../../src/services/pipeline/types.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { encodeRequest, waitForEmptyFolder, waitForFile } from "../gateway/requests.ts";

const [HOSPITAL, , PHARMACY] = DEMO_FACILITIES.map((f) => f.code) as [string, string, string];
const NOW = new Date("2026-04-01T00:30:00Z");

const header = (tree: XmlTree) => (tree.XmlMsg as XmlTree).MessageHeader as Record<string, unknown>;
const body = (tree: XmlTree) => (tree.XmlMsg as XmlTree).MessageBody as XmlTree;

function requestXml(facility: string, body: Record<string, string>): string {
  const head = { MedicalInstitutionCode: facility, ...DEMO_CONSENT_KEY };
  const fields = (o: Record<string, string>) => Object.entries(o).map(([k, v]) => `<${k}>${v}</${k}>`).join("");
  return `<XmlMsg><MessageHeader>${fields(head)}</MessageHeader><MessageBody>${fields(body)}</MessageBody></XmlMsg>`;
}
const DRUGS = { StartDate: "202404", EndDate: "202603", FileCategory: "2", PrDiInfClassification: "1", MedicalTreatmentFlag: "1" };
const CHECKUPS = { FileCategory: "2" };

for (const database of testDatabases()) {
  describe(`薬剤・特定健診 over the folder and the WebAPI on ${database.name}`, () => {
    let db: Db;
    let ctx: OqsContext;
    before(async () => {
      db = await database.open();
      await loadDemo(db);
      ctx = { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "1" };
    });
    after(async () => db.close());

    describe("the 連携フォルダ", () => {
      let root: string;
      let gateway: Gateway;
      before(async () => {
        root = await mkdtemp(join(tmpdir(), "onshi-medical-"));
        gateway = await startGateway({ root, ctx, facility: HOSPITAL, settleMs: 100, stableMs: 20 });
      });
      after(async () => {
        await gateway.close();
        await rm(root, { recursive: true, force: true });
      });

      const drop = async (name: string, bytes: Buffer) => {
        await writeFile(join(gateway.folders.req, name), bytes);
        const answer = join(gateway.folders.res, name.replace("req_", "res_"));
        await waitForFile(answer);
        await waitForEmptyFolder(gateway.folders.req);
        return readFile(answer);
      };

      for (const charset of ["UTF-8", "Shift_JIS"] as const) {
        test(`YZKsiquc01req_ and TKKsiquc01req_ in ${charset} are answered as YZKsiquc01res_ and TKKsiquc01res_, in the terminal's Shift_JIS`, async () => {
          const drugs = await drop(`YZKsiquc01req_02${charset === "UTF-8" ? "1" : "2"}6040109300001.xml`, encodeRequest(requestXml(HOSPITAL, DRUGS), charset));
          const decoded = decodeXml(drugs);
          assert.equal(decoded.charset, "Shift_JIS");
          assert.equal(header(decoded.tree).ResultCode, "1", String(header(decoded.tree).MessageContents));
          assert.ok(body(decoded.tree).MeTrMonthInf, "the drugs by month");
          const checkups = decodeXml(await drop(`TKKsiquc01req_${charset}0001.xml`, encodeRequest(requestXml(HOSPITAL, CHECKUPS), charset)));
          assert.equal(header(checkups.tree).ResultCode, "1", String(header(checkups.tree).MessageContents));
          assert.ok(body(checkups.tree).SpecificHealthCheckupInfo, "the check-ups");
          assert.equal((header(checkups.tree).QualificationsInfo as XmlTree).Name, "佐藤　健一");
        });
      }

      test("FileCategory 1 and 3: the PDF under the XML's base name, written before it, the XML with ResultCode 1", async () => {
        for (const [name, xml] of [
          ["YZKsiquc01req_pdf1.xml", requestXml(HOSPITAL, { ...DRUGS, FileCategory: "1" })],
          ["YZKsiquc01req_pdf3.xml", requestXml(HOSPITAL, { ...DRUGS, FileCategory: "3" })],
          ["TKKsiquc01req_pdf1.xml", requestXml(HOSPITAL, { FileCategory: "1" })],
        ] as const) {
          const answer = decodeXml(await drop(name, encodeRequest(xml, "Shift_JIS"))).tree;
          assert.equal(header(answer).ResultCode, "1", `${name}: ${String(header(answer).MessageContents)}`);
          const pdf = await readFile(join(gateway.folders.res, name.replace("req_", "res_").replace(/\.xml$/, ".pdf")));
          assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-", name);
        }
      });

      test("a refusal is answered in res with ResultCode 2 and its reason; the request is consumed like any answered one", async () => {
        const answer = decodeXml(await drop("YZKsiquc01req_refused.xml", encodeRequest(requestXml(HOSPITAL, { ...DRUGS, FileCategory: "9" }), "UTF-8"))).tree;
        assert.deepEqual([header(answer).ResultCode, header(answer).ErrorCode], ["2", "E1009"]);
        assert.match(String(header(answer).MessageContents), /FileCategory/);
      });

      test("a file that is not XML is answered with its code and kept in error/ with the reason, not lost", async () => {
        const answer = decodeXml(await drop("TKKsiquc01req_broken.xml", Buffer.from("<XmlMsg><MessageHeader>"))).tree;
        assert.equal(header(answer).SegmentOfResult, "9");
        assert.equal(header(answer).ErrorCode, "E1002");
        const kept = await readdir(gateway.folders.error);
        assert.ok(kept.some((name) => name.startsWith("TKKsiquc01req_broken")), `kept: ${kept.join(", ")}`);
      });
    });

    describe("the WebAPI", () => {
      let app: FastifyInstance;
      let tokens: Record<string, string>;
      before(async () => {
        const service = new TokenService(() => NOW, 600);
        app = await buildServer({ oqs: { ...ctx, characterCode: "0" }, tokens: service });
        tokens = { [HOSPITAL]: (await service.issue(HOSPITAL)).token, [PHARMACY]: (await service.issue(PHARMACY)).token };
      });
      after(async () => app.close());

      const post = (url: string, facility: string, payload: object | string, type = "application/json") =>
        app.inject({ method: "POST", url, payload, headers: { authorization: tokens[facility]!, "content-type": type } });
      const json = (facility: string, b: Record<string, string>) => ({ XmlMsg: { MessageHeader: { MedicalInstitutionCode: facility, ...DEMO_CONSENT_KEY }, MessageBody: b } });

      test("drugs and check-ups as JSON, the repeated elements as arrays", async () => {
        const drugs = await post(DRUG_INFO_PATH, HOSPITAL, json(HOSPITAL, { ...DRUGS, FileCategory: "4" }));
        assert.equal(drugs.statusCode, 200, drugs.body);
        const d = drugs.json().XmlMsg;
        assert.equal(d.MessageHeader.ResultCode, "1");
        assert.ok(Array.isArray(d.MessageBody.MeTrMonthInf) && Array.isArray(d.MessageBody.MeTrMonthInf[0].DiDateInfs.DiDateInf), "arrays");
        const checkups = await post(CHECKUP_INFO_PATH, HOSPITAL, json(HOSPITAL, CHECKUPS));
        assert.equal(checkups.statusCode, 200, checkups.body);
        assert.ok(Array.isArray(checkups.json().XmlMsg.MessageBody.SpecificHealthCheckupInfo), "one per check-up");
      });

      test("a PDF FileCategory is answered with the PDF itself, application/pdf", async () => {
        for (const [url, b] of [[DRUG_INFO_PATH, { ...DRUGS, FileCategory: "3" }], [CHECKUP_INFO_PATH, { FileCategory: "1" }]] as const) {
          const res = await post(url, HOSPITAL, json(HOSPITAL, b));
          assert.equal(res.statusCode, 200, res.body.slice(0, 300));
          assert.match(String(res.headers["content-type"]), /^application\/pdf/);
          assert.equal(res.rawPayload.subarray(0, 5).toString("latin1"), "%PDF-", url);
        }
        const refused = await post(CHECKUP_INFO_PATH, PHARMACY, json(PHARMACY, { FileCategory: "1" }));
        assert.equal(refused.statusCode, 403, "a refusal is the XmlMsg, not a PDF");
        assert.equal(refused.json().XmlMsg.MessageHeader.ErrorCode, "E8103");
      });

      test("an XML body in Shift_JIS is answered in Shift_JIS", async () => {
        const res = await post(DRUG_INFO_PATH, HOSPITAL, iconv.encode(`<?xml version="1.0" encoding="Shift_JIS"?>${requestXml(HOSPITAL, DRUGS)}`, "cp932") as unknown as string, "application/xml");
        assert.equal(res.statusCode, 200, res.body);
        assert.match(String(res.headers["content-type"]), /Shift_JIS/i);
        assert.equal(header(decodeXml(res.rawPayload).tree).ResultCode, "1");
      });

      test("E8103 at a pharmacy is HTTP 403 with ResultCode 2; its 薬剤 it gets", async () => {
        const refused = await post(CHECKUP_INFO_PATH, PHARMACY, json(PHARMACY, CHECKUPS));
        assert.equal(refused.statusCode, 403);
        assert.deepEqual([refused.json().XmlMsg.MessageHeader.ResultCode, refused.json().XmlMsg.MessageHeader.ErrorCode], ["2", "E8103"]);
        assert.equal((await post(DRUG_INFO_PATH, PHARMACY, json(PHARMACY, DRUGS))).statusCode, 200);
      });

      test("a request naming another facility than the token's is E2005, whoever it names", async () => {
        const res = await post(DRUG_INFO_PATH, PHARMACY, json(HOSPITAL, DRUGS));
        assert.equal(res.statusCode, 403);
        assert.equal(res.json().XmlMsg.MessageHeader.ErrorCode, "E2005");
      });

      test("without a token nothing is read (E2002)", async () => {
        const res = await app.inject({ method: "POST", url: CHECKUP_INFO_PATH, payload: json(HOSPITAL, CHECKUPS) });
        assert.equal(res.statusCode, 401);
        assert.equal(res.json().XmlMsg.MessageHeader.ErrorCode, "E2002");
      });

      test("a malformed body gets its code (E1005) and ResultCode 2", async () => {
        const res = await post(DRUG_INFO_PATH, HOSPITAL, json(HOSPITAL, { FileCategory: "2" }));
        assert.equal(res.statusCode, 400);
        assert.deepEqual([res.json().XmlMsg.MessageHeader.ErrorCode, res.json().XmlMsg.MessageHeader.ResultCode], ["E1005", "2"]);
      });
    });
  });
}
