// 照会番号一括登録 (OQSmuimm01/02) on each database, through the handler registry every transport
// uses and the background worker: upload → 処理中 → one BulkRegistrationUnit per row in input
// order with its own status, the numbers then visible to the registering facility only; wrong-kind
// ReceptionNumbers both ways; the row limit; validate naming the bad row; the WebAPI; and once by
// file through the gateway, accepted by the rules of the public client (YUKI-ENT/MynaReception).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { startGateway } from "../../src/gateway/gateway.ts";
import { BULK_REGISTRATION_RESULT_PATH, BULK_REGISTRATION_UPLOAD_PATH } from "../../src/http/routes/oqs/reference-numbers.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import type { Caller as CallerOptions } from "../../src/services/pipeline/types.ts";
import { answerQualificationCheck, MESSAGES } from "../support/messages.ts";
import { NOW, body, download, drain, harness, header, key, upload } from "../bulk/support.ts";
import { encodeRequest, sleep, waitForFile } from "../gateway/requests.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, HANAKO_KEY, OTHER_FACILITY, TARO, TARO_KEY, loadFixture } from "../support/fixture.ts";

const UPLOAD = MESSAGES.OQSmuimm01;
const RESULT = MESSAGES.OQSmuimm02;

const NOBODY_KEY = { ...TARO_KEY, InsuredIdentificationNumber: "9999" };

/** A second person, on TARO's card with branch 01. */
async function addHanako(db: Db): Promise<void> {
  await db.query(`insert into persons (person_id, name, name_kana, sex, birthdate) values (2, '診療　花子', 'シンリョウ　ハナコ', 2, '1982-02-02')`);
  await db.query(
    `insert into qualifications (qualification_id, person_id, insurer_number, insured_card_classification,
       insured_card_symbol, insured_identification_number, insured_branch_number, personal_family_classification,
       insured_name, qualification_date)
     values (2, 2, '01130012', '01', '1234', '5678', '01', 2, '診療　太郎', '2020-04-01')`,
  );
}

function registrations(rows: (XmlTree | string)[], facility = FACILITY.code, more: Record<string, string> = {}): XmlTree {
  return {
    XmlMsg: {
      MessageHeader: { MedicalInstitutionCode: facility, ArbitraryFileIdentifier: "20260401093000000-ab12cd34", ...more },
      MessageBody: { ReferenceNumberRegistrationInfo: rows },
    },
  } as XmlTree;
}

function receptionNumberOf(answer: { message: XmlTree; error?: string }): string {
  assert.equal(answer.error, undefined, JSON.stringify(answer.message));
  return body(answer.message).ReceptionNumber as string;
}

for (const database of testDatabases()) {
  describe(`照会番号一括登録 on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
      await addHanako(db);
    });
    after(async () => db.close());

    /** The ReferenceNumber a facility's 個別照会 of a person carries, if any. */
    async function numberSeenBy(facility: string, birthdate: string, branch: string): Promise<string | undefined> {
      const request = {
        XmlMsg: {
          MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: facility },
          MessageBody: { QualificationConfirmSearchInfo: key({ InsuredBranchNumber: branch, Birthdate: birthdate }) },
        },
      };
      const answer = await answerQualificationCheck(harness(db).ctx, request);
      const results = (body(answer.message).ResultList as XmlTree).ResultOfQualificationConfirmation as XmlTree[];
      return results[0]!.ReferenceNumber as string | undefined;
    }

    test("upload → 処理中 → one unit per row in input order with its status; the numbers then reach the registering facility only", async () => {
      const h = harness(db);
      // HANAKO already holds P-9 at this facility (an earlier registration).
      const earlier = receptionNumberOf(await UPLOAD.answer(h.ctx, registrations([{ ReferenceNumber: "P-9", ...HANAKO_KEY }])));
      await drain(h.worker());
      assert.equal(header((await RESULT.answer(h.ctx, download(earlier))).message).NumberOfNormalProcessing, "1");

      const rows = [
        { ReferenceNumber: "P-9", ...TARO_KEY },
        { ReferenceNumber: "P-1", ...NOBODY_KEY },
        { ReferenceNumber: "P-1", ...TARO_KEY },
        { ReferenceNumber: "Ｐ－２", ...HANAKO_KEY },
        { ReferenceNumber: "P-1", ...HANAKO_KEY },
        { ReferenceNumber: "P-3", ...HANAKO_KEY },
      ];
      const up = await UPLOAD.answer(h.ctx, registrations(rows));
      const number = receptionNumberOf(up);
      assert.match(number, /^20260401093000[0-9]{6}$/);
      assert.equal(header(up.message).ArbitraryFileIdentifier, "20260401093000000-ab12cd34");

      const pending = await RESULT.answer(h.ctx, download(number));
      assert.equal(header(pending.message).SegmentOfResult, "2");
      assert.deepEqual(body(pending.message), {});

      await drain(h.worker({ chunkSize: 4 }));
      const done = await RESULT.answer(h.ctx, download(number));
      const head = header(done.message);
      assert.deepEqual(Object.keys(head), [
        "ProcessExecutionTime", "MedicalInstitutionCode", "ArbitraryFileIdentifier", "ReceptionNumber", "SegmentOfResult",
        "NumberOfProcessingResult", "NumberOfNormalProcessing", "NumberOfError", "CharacterCodeIdentifier",
      ]);
      assert.equal(head.ArbitraryFileIdentifier, "20260401093000000-ab12cd34", "the upload's identifier, which the client checks");
      assert.deepEqual([head.SegmentOfResult, head.NumberOfProcessingResult, head.NumberOfNormalProcessing, head.NumberOfError], ["1", "6", "2", "4"]);
      const units = body(done.message).BulkRegistrationUnit as XmlTree[];
      assert.deepEqual(units.map((u) => u.ReferenceNumberRegistrationInfo), rows, "each unit echoes its own row, in input order");
      assert.deepEqual(units.map((u) => [u.ProcessingResultStatus, u.ProcessingResultCode ?? null]), [
        ["2", "E6006"], // P-9 is HANAKO's
        ["2", "E6004"], // the quartet names no one
        ["1", null],
        ["2", "E6003"], // full-width characters
        ["2", "E6006"], // P-1 went to TARO two rows before
        ["1", null], // HANAKO's number is replaced: P-9 → P-3
      ]);
      assert.equal(units[1]!.ProcessingResultMessage, "照会番号の登録対象となる被保険者が見つかりません。");
      assert.equal(units[2]!.ProcessingResultMessage, undefined);

      assert.equal(await numberSeenBy(FACILITY.code, TARO.Birthdate, "00"), "P-1");
      assert.equal(await numberSeenBy(FACILITY.code, "19820202", "01"), "P-3");
      assert.equal(await numberSeenBy(OTHER_FACILITY.code, TARO.Birthdate, "00"), undefined);
      assert.equal(await numberSeenBy(OTHER_FACILITY.code, "19820202", "01"), undefined);
    });

    test("a ReceptionNumber of the other kind is refused both ways (E5005); unknown and another facility's alike (E5001)", async () => {
      const h = harness(db);
      const imm = receptionNumberOf(await UPLOAD.answer(h.ctx, registrations([{ ReferenceNumber: "K-1", ...TARO_KEY }], OTHER_FACILITY.code)));
      const quc = receptionNumberOf(await MESSAGES.OQSmuquc01.answer(h.ctx, upload([key()])));
      await drain(h.worker());
      const cases: [typeof RESULT, XmlTree, string][] = [
        [MESSAGES.OQSmuquc02, download(imm, OTHER_FACILITY.code), "E5005"],
        [RESULT, download(quc), "E5005"],
        [RESULT, download("20260401093000999999"), "E5001"],
        [RESULT, download(imm), "E5001"], // another facility's: answered as unknown
      ];
      for (const [handler, request, code] of cases) {
        const answer = await handler.answer(h.ctx, request);
        assert.equal(answer.error, code, JSON.stringify(request));
        assert.equal(header(answer.message).SegmentOfResult, "9");
        assert.equal(header(answer.message).ErrorCode, code);
      }
      assert.equal((await RESULT.answer(h.ctx, download(imm, OTHER_FACILITY.code))).error, undefined);
    });

    test("a worker stopped after a chunk is finished by the next: every row answered once, in order", async () => {
      const h = harness(db);
      const rows = ["R-1", "R-2", "R-3", "R-4", "R-5"].map((n, i) => ({ ReferenceNumber: n, ...(i % 2 === 0 ? TARO_KEY : NOBODY_KEY) }));
      const number = receptionNumberOf(await UPLOAD.answer(h.ctx, registrations(rows, OTHER_FACILITY.code)));
      const first = h.worker({ chunkSize: 2 });
      assert.equal(await first.processChunk(number), true);
      await first.stop();
      assert.equal(header((await RESULT.answer(h.ctx, download(number, OTHER_FACILITY.code))).message).SegmentOfResult, "2");
      await drain(h.worker({ chunkSize: 2 }));
      const done = await RESULT.answer(h.ctx, download(number, OTHER_FACILITY.code));
      const units = body(done.message).BulkRegistrationUnit as XmlTree[];
      assert.deepEqual(units.map((u) => (u.ReferenceNumberRegistrationInfo as XmlTree).ReferenceNumber), ["R-1", "R-2", "R-3", "R-4", "R-5"]);
      // TARO's rows replace one another: R-1, then R-3, then R-5.
      assert.deepEqual(units.map((u) => u.ProcessingResultCode ?? u.ProcessingResultStatus), ["1", "E6004", "1", "E6004", "1"]);
      assert.equal(await numberSeenBy(OTHER_FACILITY.code, TARO.Birthdate, "00"), "R-5");
    });

    test("the whole upload is refused, and nothing stored, above the row limit or with a bad header", async () => {
      const h = harness(db, { rowLimit: 2 });
      const count = async () => (await db.query<{ n: number }>("select count(*)::int as n from receptions"))[0]!.n;
      const stored = await count();
      const row = { ReferenceNumber: "L-1", ...TARO_KEY };
      const cases: [XmlTree, string, Partial<CallerOptions>?][] = [
        [registrations([row, row, row]), "E5004"],
        [registrations([]), "E1005"],
        [registrations([row], "0110113718"), "E1010"],
        [registrations([row], "1310100019"), "E2001"],
        [registrations([row]), "E2005", { authorizedFacility: OTHER_FACILITY.code }],
      ];
      for (const [request, code, caller] of cases) {
        const answer = await UPLOAD.answer(h.ctx, request, caller);
        assert.equal(answer.error, code);
        assert.equal(header(answer.message).SegmentOfResult, "9");
      }
      assert.equal(await count(), stored);
      receptionNumberOf(await UPLOAD.answer(h.ctx, registrations([row, row])));
    });
  });
}

for (const database of testDatabases()) {
  describe(`照会番号一括登録 WebAPI on ${database.name}`, () => {
    test("upload, 処理中, then the units as JSON; another facility's token is refused", async () => {
      const db = await database.open();
      await loadFixture(db);
      const h = harness(db);
      const app = await buildServer({ oqs: h.ctx, tokens: new TokenService(() => NOW, 600) });
      try {
        const auth = await app.inject({
          method: "POST",
          url: "/oqs-api-pro/MSA12020/ILI12020SV01/auth",
          payload: { MedicalInstitutionCode: FACILITY.code, Credential: FACILITY.credential },
        });
        const post = (url: string, payload: XmlTree) =>
          app.inject({ method: "POST", url, payload, headers: { authorization: auth.json().result.idToken } });
        const up = await post(BULK_REGISTRATION_UPLOAD_PATH, registrations([{ ReferenceNumber: "W-1", ...TARO_KEY }, { ReferenceNumber: "W-2", ...NOBODY_KEY }]));
        assert.equal(up.statusCode, 200);
        const number = up.json().XmlMsg.MessageBody.ReceptionNumber;
        assert.equal((await post(BULK_REGISTRATION_RESULT_PATH, download(number))).json().XmlMsg.MessageHeader.SegmentOfResult, "2");
        await drain(h.worker());
        const done = (await post(BULK_REGISTRATION_RESULT_PATH, download(number))).json().XmlMsg;
        assert.deepEqual(done.MessageBody.BulkRegistrationUnit.map((u: XmlTree) => [u.ProcessingResultStatus, u.ProcessingResultCode ?? null]), [["1", null], ["2", "E6004"]]);
        const refused = await post(BULK_REGISTRATION_UPLOAD_PATH, registrations([{ ReferenceNumber: "W-3", ...TARO_KEY }], OTHER_FACILITY.code));
        assert.equal(refused.statusCode, 403);
        assert.equal(refused.json().XmlMsg.MessageHeader.ErrorCode, "E2005");
      } finally {
        await app.close();
        await db.close();
      }
    });
  });
}

describe("照会番号一括登録 validation without a database", () => {
  test("the handlers are registered, the upload as a bulk message", () => {
    assert.equal(UPLOAD.bulk, true);
    assert.equal(RESULT.bulk, false);
  });

  test("validate names every bad row by position, element and value", () => {
    const problems = UPLOAD.validate(
      registrations([
        { ReferenceNumber: "A-1", ...TARO_KEY },
        { ReferenceNumber: "Ａ", ...TARO_KEY, InsurerNumber: "0113001" },
        "",
        { ...TARO_KEY },
      ]),
    );
    assert.deepEqual(problems, [
      { code: "E6003", element: "MessageBody.ReferenceNumberRegistrationInfo[2].ReferenceNumber", value: "Ａ" },
      { code: "E3002", element: "MessageBody.ReferenceNumberRegistrationInfo[2].InsurerNumber", value: "0113001" },
      { code: "E6001", element: "MessageBody.ReferenceNumberRegistrationInfo[3].ReferenceNumber" },
      { code: "E6001", element: "MessageBody.ReferenceNumberRegistrationInfo[4].ReferenceNumber" },
    ]);
    assert.deepEqual(UPLOAD.validate(registrations([{ ReferenceNumber: "A-1", ...TARO_KEY }])), []);
  });

  test("validate reports a bad header and a missing body", () => {
    const problems = UPLOAD.validate({ XmlMsg: { MessageHeader: { MedicalInstitutionCode: "123" }, MessageBody: {} } });
    assert.deepEqual(problems.map((p) => [p.code, p.element]), [["E1006", "MessageHeader.MedicalInstitutionCode"], ["E1005", "MessageBody.ReferenceNumberRegistrationInfo"]]);
    assert.deepEqual(RESULT.validate(download("123")), [{ code: "E1006", element: "MessageBody.ReceptionNumber", value: "123" }]);
  });
});

/** muimm01req / 02req as MynaReception's ReferenceNumberRegistrationService lays them out (indented; encodeRequest adds the declaration). */
function uploadXml(identifier: string, referenceNumber: string): string {
  return [
    "<XmlMsg>",
    "  <MessageHeader>",
    `    <MedicalInstitutionCode>${FACILITY.code}</MedicalInstitutionCode>`,
    `    <ArbitraryFileIdentifier>${identifier}</ArbitraryFileIdentifier>`,
    "  </MessageHeader>",
    "  <MessageBody>",
    "    <ReferenceNumberRegistrationInfo>",
    `      <ReferenceNumber>${referenceNumber}</ReferenceNumber>`,
    ...Object.entries(TARO_KEY).map(([name, value]) => `      <${name}>${value}</${name}>`),
    "    </ReferenceNumberRegistrationInfo>",
    "  </MessageBody>",
    "</XmlMsg>",
  ].join("\r\n");
}

function downloadXml(receptionNumber: string): string {
  return [
    "<XmlMsg>",
    `  <MessageHeader><MedicalInstitutionCode>${FACILITY.code}</MedicalInstitutionCode></MessageHeader>`,
    `  <MessageBody><ReceptionNumber>${receptionNumber}</ReceptionNumber></MessageBody>`,
    "</XmlMsg>",
  ].join("\r\n");
}

for (const database of testDatabases()) {
  describe(`照会番号一括登録 by file on ${database.name}`, () => {
    test("01req → ReceptionNumber, 02req polled until done, the unit accepted by MynaReception's rules", async () => {
      const db = await database.open();
      await loadFixture(db);
      const h = harness(db, { processingDelaySeconds: 0 });
      const root = await mkdtemp(join(tmpdir(), "onshi-muimm-"));
      const gateway = await startGateway({ root, ctx: { ...h.ctx, characterCode: "1" }, facility: FACILITY.code });
      const worker = h.worker();
      try {
        let sequence = 0;
        /** Writes the file in one go into req and waits for its answer in res. */
        const send = async (kind: string, xml: string): Promise<XmlTree> => {
          const name = `${kind}req_2026040100${String(++sequence).padStart(2, "0")}.xml`;
          const temp = join(gateway.folders.req, `${name}.tmp`);
          await writeFile(temp, encodeRequest(xml, "Shift_JIS"));
          await rename(temp, join(gateway.folders.req, name));
          const answer = join(gateway.folders.res, name.replace("req_", "res_"));
          await waitForFile(answer);
          return decodeXml(await readFile(answer)).tree;
        };
        const identifier = "20260401093000123-1a2b3c4d";
        const reception = await send("OQSmuimm01", uploadXml(identifier, "24434"));
        assert.equal(header(reception).ArbitraryFileIdentifier, identifier);
        const receptionNumber = body(reception).ReceptionNumber as string;
        assert.match(receptionNumber, /^[0-9]{20}$/);

        assert.equal(header(await send("OQSmuimm02", downloadXml(receptionNumber))).SegmentOfResult, "2", "処理中 before the worker runs");
        worker.start();
        let final: XmlTree;
        for (;;) {
          final = await send("OQSmuimm02", downloadXml(receptionNumber));
          if (header(final).SegmentOfResult !== "2") break;
          await sleep(20);
        }
        // ReferenceNumberResultParser.Final: the header names the facility, the upload's identifier and
        // the ReceptionNumber, without ErrorCode; exactly one unit, echoing the registration sent.
        const head = header(final);
        assert.deepEqual([head.MedicalInstitutionCode, head.ArbitraryFileIdentifier, head.ReceptionNumber, head.ErrorCode], [FACILITY.code, identifier, receptionNumber, undefined]);
        assert.equal(head.CharacterCodeIdentifier, "1");
        const units = body(final).BulkRegistrationUnit as XmlTree[];
        assert.equal(units.length, 1);
        assert.deepEqual(units[0]!.ReferenceNumberRegistrationInfo, { ReferenceNumber: "24434", ...TARO_KEY });
        assert.equal(units[0]!.ProcessingResultStatus, "1");
      } finally {
        await worker.stop();
        await gateway.close();
        await rm(root, { recursive: true, force: true });
        await db.close();
      }
    });
  });
}
