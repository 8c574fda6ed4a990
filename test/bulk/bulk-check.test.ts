// 一括照会 (OQSmuquc01/02) through the shared handlers and the background worker, on each
// database: the two phases, counts and input order, per-row errors, the settings (row limit,
// retention, ZIP, delay), ReceptionNumber errors and 照会番号 in the units.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { answerBulkResult, answerBulkUpload, MESSAGES, problemsOf } from "../support/messages.ts";

const validateBulkUpload = problemsOf("OQSmuquc01");
const validateDownload = problemsOf("OQSmuquc02");
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";
import { NOW, body, download, drain, harness, header, key, upload } from "./support.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

async function receptionNumberOf(answer: { message: XmlTree; error?: string }): Promise<string> {
  assert.equal(answer.error, undefined, JSON.stringify(answer.message));
  return body(answer.message).ReceptionNumber as string;
}

for (const database of testDatabases()) {
  describe(`一括照会 on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
    });
    after(async () => db.close());

    test("upload answers a ReceptionNumber; download answers 処理中, then counts and one unit per row in input order", async () => {
      const h = harness(db);
      const rows = [
        key(),
        key({ Birthdate: "19800102" }),
        key({ InsurerNumber: undefined }),
        key({ LimitApplicationCertificateRelatedConsFlg: "1" }),
        key({ InsuredIdentificationNumber: "9999" }),
      ];
      const up = await answerBulkUpload(h.ctx, upload(rows, FACILITY.code, { ArbitraryFileIdentifier: "batch-1" }));
      const number = await receptionNumberOf(up);
      assert.match(number, /^20260401093000[0-9]{6}$/);
      assert.deepEqual(header(up.message), {
        ProcessExecutionTime: "20260401093000",
        MedicalInstitutionCode: FACILITY.code,
        ArbitraryFileIdentifier: "batch-1",
        SegmentOfResult: "1",
        CharacterCodeIdentifier: "0",
      });
      assert.equal(body(up.message).ReceptionDateTime, "20260401093000");

      const pending = await answerBulkResult(h.ctx, download(number));
      assert.equal(header(pending.message).SegmentOfResult, "2");
      assert.equal(header(pending.message).ReceptionNumber, number);
      assert.equal(header(pending.message).NumberOfProcessingResult, undefined);
      assert.deepEqual(body(pending.message), {});

      await drain(h.worker({ chunkSize: 2 }));
      const done = await answerBulkResult(h.ctx, download(number));
      assert.equal(done.error, undefined);
      const head = header(done.message);
      assert.deepEqual(Object.keys(head), [
        "ProcessExecutionTime", "QualificationConfirmationDate", "MedicalInstitutionCode", "ArbitraryFileIdentifier",
        "ReceptionNumber", "SegmentOfResult", "NumberOfProcessingResult", "NumberOfNormalProcessing", "NumberOfError",
        "CharacterCodeIdentifier",
      ]);
      assert.equal(head.SegmentOfResult, "1");
      assert.equal(head.QualificationConfirmationDate, "20260401");
      assert.deepEqual([head.NumberOfProcessingResult, head.NumberOfNormalProcessing, head.NumberOfError], ["5", "4", "1"]);
      const units = body(done.message).BulkConfirmUnit as XmlTree[];
      assert.equal(units.length, 5);
      assert.deepEqual(units.map((u) => u.QualificationConfirmSearchInfo), rows, "each unit echoes its own row, in input order");
      assert.deepEqual(units.map((u) => [u.ProcessingResultStatus, u.QualificationValidity ?? null]), [
        ["1", "1"], ["1", "4"], ["2", null], ["1", "1"], ["1", "4"],
      ]);
      assert.equal(Object.keys(units[0]!)[0], "QualificationConfirmSearchInfo");
      const result = units[0]!.ResultOfQualificationConfirmation as XmlTree[];
      assert.equal(result.length, 1);
      assert.equal(result[0]!.Name, "診療　太郎");
      assert.equal(result[0]!.LimitApplicationCertificateRelatedInfo, undefined, "限度額 only with consent");
      assert.ok((units[3]!.ResultOfQualificationConfirmation as XmlTree[])[0]!.LimitApplicationCertificateRelatedInfo, "(units[3]!.ResultOfQualificationConfirmation as XmlTree[])[0]!.LimitApplicationCertificateRelatedInfo");
      assert.equal(units[2]!.ProcessingResultCode, "E3001");
      assert.equal(units[2]!.ProcessingResultMessage, "検索条件の必須項目が設定されていません。(InsurerNumber)");
      assert.equal(done.zip, false);
    });

    test("every kind of bad row is answered for that row only", async () => {
      const h = harness(db);
      const cases: [XmlTree | string, string][] = [
        [key({ InsurerNumber: "0113001" }), "E3002"],
        [key({ InsurerNumber: "01130013" }), "E3004"],
        [key({ InsuredBranchNumber: "0a" }), "E3003"],
        [key({ Birthdate: "19800230" }), "E3005"],
        [key({ LimitApplicationCertificateRelatedConsFlg: "2" }), "E3006"],
        ["", "E3001"],
        [{ ...key(), InsurerNumber: { Nested: "x" } } as XmlTree, "E3003"],
      ];
      const rows = [key(), ...cases.map(([row]) => row as XmlTree), key()];
      const number = await receptionNumberOf(await answerBulkUpload(h.ctx, upload(rows)));
      await drain(h.worker());
      const done = await answerBulkResult(h.ctx, download(number));
      const units = body(done.message).BulkConfirmUnit as XmlTree[];
      assert.deepEqual(units.map((u) => u.ProcessingResultCode ?? u.QualificationValidity), ["1", ...cases.map(([, code]) => code), "1"]);
      assert.deepEqual([header(done.message).NumberOfNormalProcessing, header(done.message).NumberOfError], ["2", String(cases.length)]);
    });

    test("the whole upload is refused, and nothing stored, for each header or size problem", async () => {
      const h = harness(db, { rowLimit: 3 });
      const before = (await db.query<{ n: number }>("select count(*)::int as n from receptions"))[0]!.n;
      const cases: [XmlTree, string][] = [
        [upload([key(), key(), key(), key()]), "E5004"],
        [upload([]), "E1005"],
        [{ XmlMsg: { MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: FACILITY.code }, MessageBody: {} } }, "E1005"],
        [upload([key()], "1310000004"), "E1010"],
        [upload([key()], "1310100019"), "E2001"],
        [upload([key()], FACILITY.code, { QualificationConfirmationDate: "20260431" }), "E1008"],
        [{ XmlMsg: "x" }, "E1004"],
      ];
      for (const [request, code] of cases) {
        const answer = await answerBulkUpload(h.ctx, request);
        assert.equal(answer.error, code, JSON.stringify(request));
        assert.equal(header(answer.message).SegmentOfResult, "9");
        assert.equal(header(answer.message).ErrorCode, code);
      }
      const afterCount = (await db.query<{ n: number }>("select count(*)::int as n from receptions"))[0]!.n;
      assert.equal(afterCount, before);
      const limit = await answerBulkUpload(h.ctx, upload([key(), key(), key()]));
      assert.equal(limit.error, undefined, "exactly the limit is accepted");
    });

    test("a token for another facility is refused (E2005)", async () => {
      const h = harness(db);
      const answer = await answerBulkUpload(h.ctx, upload([key()]), { authorizedFacility: OTHER_FACILITY.code });
      assert.equal(answer.error, "E2005");
    });

    test("download errors: unknown, another facility's, malformed, wrong kind", async () => {
      const h = harness(db);
      const number = await receptionNumberOf(await answerBulkUpload(h.ctx, upload([key()])));
      const cases: [XmlTree, string][] = [
        [download("20260401093000999999"), "E5001"],
        [download(number, OTHER_FACILITY.code), "E5001"], // another facility's: answered as unknown
        [download("12345"), "E1006"],
        [download("2026040109300099999x"), "E1007"],
        [{ XmlMsg: { MessageHeader: { MedicalInstitutionCode: FACILITY.code }, MessageBody: {} } }, "E1005"],
      ];
      for (const [request, code] of cases) {
        const answer = await answerBulkResult(h.ctx, request);
        assert.equal(answer.error, code, JSON.stringify(request));
        assert.equal(header(answer.message).SegmentOfResult, "9");
      }
      await db.query("update receptions set kind = 'muimm' where reception_number = $1", [number]);
      assert.equal((await answerBulkResult(h.ctx, download(number))).error, "E5005");
    });

    test("results are kept for the retention period, then refused as expired and deleted", async () => {
      const h = harness(db, { retentionDays: 2 });
      const number = await receptionNumberOf(await answerBulkUpload(h.ctx, upload([key(), key()])));
      await drain(h.worker());
      h.setNow(new Date(NOW.getTime() + 2 * DAY_MS - 1000));
      assert.equal((await answerBulkResult(h.ctx, download(number))).error, undefined);
      h.setNow(new Date(NOW.getTime() + 2 * DAY_MS));
      assert.equal((await answerBulkResult(h.ctx, download(number))).error, "E5002", "refused before the worker deletes");
      await drain(h.worker());
      const left = await db.query("select 1 from reception_results where reception_number = $1 union all select 1 from reception_items where reception_number = $1", [number]);
      assert.equal(left.length, 0, "rows deleted");
      assert.equal((await answerBulkResult(h.ctx, download(number))).error, "E5002", "still told expired, not unknown");
    });

    test("the download is flagged for ZIP above the threshold only", async () => {
      for (const [threshold, zip] of [[2, true], [3, false], [0, false]] as const) {
        const h = harness(db, { zipThreshold: threshold });
        const number = await receptionNumberOf(await answerBulkUpload(h.ctx, upload([key(), key(), key()])));
        await drain(h.worker());
        assert.equal((await answerBulkResult(h.ctx, download(number))).zip, zip, `threshold ${threshold}`);
      }
    });

    test("the processing delay keeps 処理中 until it has passed", async () => {
      const h = harness(db, { processingDelaySeconds: 60 });
      const number = await receptionNumberOf(await answerBulkUpload(h.ctx, upload([key()])));
      await drain(h.worker());
      assert.equal(header((await answerBulkResult(h.ctx, download(number))).message).SegmentOfResult, "2");
      h.setNow(new Date(NOW.getTime() + 60_000));
      assert.equal(header((await answerBulkResult(h.ctx, download(number))).message).SegmentOfResult, "1");
    });

    test("照会番号 appears in the units of the registering facility only", async () => {
      await db.query(
        "insert into reference_numbers values ($1, 1, 'P-0042', now(), now()) on conflict do nothing",
        [FACILITY.code],
      );
      const h = harness(db);
      const mine = await receptionNumberOf(await answerBulkUpload(h.ctx, upload([key(), key({ Birthdate: "19800102" })])));
      const theirs = await receptionNumberOf(await answerBulkUpload(h.ctx, upload([key()], OTHER_FACILITY.code)));
      await drain(h.worker());
      const units = body((await answerBulkResult(h.ctx, download(mine))).message).BulkConfirmUnit as XmlTree[];
      assert.deepEqual(units.map((u) => u.ReferenceNumber ?? null), ["P-0042", null]);
      assert.equal(Object.keys(units[0]!).at(-1), "ReferenceNumber");
      const other = body((await answerBulkResult(h.ctx, download(theirs, OTHER_FACILITY.code))).message).BulkConfirmUnit as XmlTree[];
      assert.equal(other[0]!.ReferenceNumber, undefined);
      await db.query("delete from reference_numbers");
    });

    test("a worker stopped between chunks, or failing inside one, is resumed by the next with every row once, in order", async () => {
      const h = harness(db);
      const rows = Array.from({ length: 9 }, (_, i) => key({ Birthdate: i % 2 === 0 ? "19800101" : "19800102" }));
      const number = await receptionNumberOf(await answerBulkUpload(h.ctx, upload(rows)));
      const first = h.worker({ chunkSize: 2 });
      assert.equal(await first.processChunk(number), true);
      assert.equal(await first.processChunk(number), true);
      await first.stop();
      const stored = async () => (await db.query<{ n: number }>("select count(*)::int as n from reception_results where reception_number = $1", [number]))[0]!.n;
      assert.equal(await stored(), 4);
      // A worker whose lookup fails mid-chunk: the chunk's transaction leaves nothing behind.
      const { BulkWorker } = await import("../../src/services/bulk-worker.ts");
      const failing = new BulkWorker({
        db,
        now: h.ctx.now,
        settings: { chunkSize: 2 },
        processors: { muquc: async (tx, reception, pending) => {
          const { processQualificationChunk } = await import("../../src/services/bulk-check.ts");
          const results = await processQualificationChunk(tx, reception, pending);
          await tx.query("insert into reception_results (reception_number, row_index, status, result) values ($1, $2, 1, '{}')", [number, results[0]!.rowIndex]);
          throw new Error("crash after a partial write");
        } },
      });
      await assert.rejects(failing.processChunk(number));
      assert.equal(await stored(), 4);
      await drain(h.worker({ chunkSize: 2 }));
      const indexes = await db.query<{ row_index: number }>("select row_index from reception_results where reception_number = $1 order by row_index", [number]);
      assert.deepEqual(indexes.map((r) => r.row_index), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const units = body((await answerBulkResult(h.ctx, download(number))).message).BulkConfirmUnit as XmlTree[];
      assert.deepEqual(units.map((u) => u.QualificationValidity), rows.map((_, i) => (i % 2 === 0 ? "1" : "4")));
    });
  });
}

describe("一括照会 validation without a database", () => {
  test("the handlers are registered, the upload as a bulk message", () => {
    assert.equal(MESSAGES.OQSmuquc01?.bulk, true);
    assert.equal(MESSAGES.OQSmuquc02?.bulk, false);
  });

  test("validate names every bad row by position, element and value", () => {
    const problems = validateBulkUpload(upload([key(), key({ Birthdate: "19800230" }), key({ InsurerNumber: undefined }), key()]));
    assert.deepEqual(problems, [
      { code: "E3005", element: "MessageBody.QualificationConfirmSearchInfo[2].Birthdate", value: "19800230" },
      { code: "E3001", element: "MessageBody.QualificationConfirmSearchInfo[3].InsurerNumber" },
    ]);
    assert.deepEqual(validateBulkUpload(upload([key()])), []);
  });

  test("validate reports header problems and a missing body", () => {
    const problems = validateBulkUpload(upload([], FACILITY.code, { QualificationConfirmationDate: "2026" }));
    assert.deepEqual(problems.map((p) => [p.code, p.element]), [["E1008", "MessageHeader.QualificationConfirmationDate"], ["E1005", "MessageBody.QualificationConfirmSearchInfo"]]);
  });

  test("validate of a download names the ReceptionNumber problem", () => {
    assert.deepEqual(validateDownload(download("20260401093000123456")), []);
    assert.deepEqual(validateDownload(download("123")), [{ code: "E1006", element: "MessageBody.ReceptionNumber", value: "123" }]);
    assert.deepEqual(validateDownload(download("x", "123")), [
      { code: "E1006", element: "MessageHeader.MedicalInstitutionCode", value: "123" },
      { code: "E1007", element: "MessageBody.ReceptionNumber", value: "x" },
    ]);
  });
});
