// POST /onshi-api/usage/receipts and the same service as `onshi usage receipts` runs it, on each
// database: registered, then unchanged when sent again (JSON or CSV alike), updated when a count
// changes; the token before the body; another facility answered as one that does not exist; each
// kind of bad upload and bad row with its code, the good rows stored beside a refused one.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import iconv from "iconv-lite";
import type { Db } from "../../src/db/client.ts";
import { USAGE_RECEIPTS_PATH } from "../../src/http/routes/usage/receipts.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { runAdminOperation } from "../../src/services/admin-operations.ts";
import { RECEIPTS_FILE_LIMIT_BYTES } from "../../src/services/usage-receipts.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2026-04-01T00:30:00Z"); // 09:30 in Japan

async function stored(db: Db): Promise<string[]> {
  const rows = await db.query<{ medical_institution_code: string; month: string; receipts: number; outpatient_receipts: number; updated_at: Date | string }>(
    "select medical_institution_code, month::text as month, receipts, outpatient_receipts, updated_at from usage_receipts order by 1, 2",
  );
  return rows.map((r) => `${r.medical_institution_code} ${r.month} ${r.receipts} ${r.outpatient_receipts} ${new Date(r.updated_at).toISOString()}`);
}

for (const database of testDatabases()) {
  describe(`receipts upload on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let clock = NOW;
    let token: string;
    const post = (payload: unknown, options: { type?: string; url?: string; authorization?: string } = {}) =>
      app.inject({
        method: "POST",
        url: options.url ?? USAGE_RECEIPTS_PATH,
        payload: typeof payload === "string" || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
        headers: { authorization: options.authorization ?? token, "content-type": options.type ?? "application/json" },
      });

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      const tokens = new TokenService(() => clock, 600);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0" }, tokens });
      token = (await tokens.issue(FACILITY.code)).token;
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("registered, the same again unchanged (JSON or CSV), a changed count updated; only the caller's facility", async () => {
      clock = NOW;
      const months = [
        { month: "2026-02", receipts: 1200, outpatientReceipts: 1100 },
        { month: "2026-03", receipts: 1250, outpatientReceipts: 1150 },
      ];
      const first = await post({ months });
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(first.json(), {
        facilityCode: FACILITY.code,
        counts: { registered: 2, updated: 0, unchanged: 0, refused: 0 },
        results: [
          { row: 1, month: "2026-02", result: "registered" },
          { row: 2, month: "2026-03", result: "registered" },
        ],
      });
      const after = await stored(db);
      assert.deepEqual(after, [`${FACILITY.code} 2026-02-01 1200 1100 ${NOW.toISOString()}`, `${FACILITY.code} 2026-03-01 1250 1150 ${NOW.toISOString()}`]);

      clock = new Date(NOW.getTime() + 60_000); // within the token's 600 s
      const again = await post({ months });
      assert.deepEqual(again.json().counts, { registered: 0, updated: 0, unchanged: 2, refused: 0 });
      const csv = await post("month,receipts,outpatientReceipts\n2026-02,1200,1100\n2026-03,1250,1150\n", { type: "text/csv" });
      assert.equal(csv.statusCode, 200, csv.body);
      assert.deepEqual(csv.json().counts, { registered: 0, updated: 0, unchanged: 2, refused: 0 });
      assert.deepEqual(await stored(db), after, "nothing changed, not even the time of the last update");

      const changed = await post("month,receipts,outpatientReceipts\r\n2026-03,1260,1150\r\n", { type: "text/csv; charset=utf-8" });
      assert.deepEqual(changed.json().results, [{ row: 1, month: "2026-03", result: "updated" }]);
      assert.equal((await stored(db))[1], `${FACILITY.code} 2026-03-01 1260 1150 ${clock.toISOString()}`);
      assert.deepEqual((await stored(db)).filter((r) => !r.startsWith(FACILITY.code)), [], "no other facility's row");
    });

    test("the same upload through the command line's operation answers the same", async () => {
      clock = NOW;
      const upload = { csv: "month,receipts,outpatientReceipts\n2026-01,900,800\n" };
      const first = await runAdminOperation(db, "usage.receipts", { now: NOW.toISOString(), facility: OTHER_FACILITY.code, upload });
      const second = await runAdminOperation(db, "usage.receipts", { now: NOW.toISOString(), facility: OTHER_FACILITY.code, upload });
      assert.deepEqual([first.counts.registered, second.counts.unchanged], [1, 1]);
      await assert.rejects(
        runAdminOperation(db, "usage.receipts", { now: NOW.toISOString(), facility: "1310100019", upload }),
        (e: unknown) => (e as { code?: string }).code === "E8909",
      );
    });

    test("another facility is answered as one that does not exist, and nothing is stored", async () => {
      const before = await stored(db);
      const body = { months: [{ month: "2026-01", receipts: 1, outpatientReceipts: 1 }] };
      const other = await post(body, { url: `${USAGE_RECEIPTS_PATH}?facility=${OTHER_FACILITY.code}` });
      const unknown = await post(body, { url: `${USAGE_RECEIPTS_PATH}?facility=1310100019` });
      const malformed = await post(body, { url: `${USAGE_RECEIPTS_PATH}?facility=x` });
      assert.equal(other.statusCode, 404);
      assert.deepEqual([unknown.statusCode, unknown.json()], [other.statusCode, other.json()]);
      assert.deepEqual([malformed.statusCode, malformed.json()], [other.statusCode, other.json()]);
      assert.equal(other.json().code, "E8909");
      const own = await post(body, { url: `${USAGE_RECEIPTS_PATH}?facility=${FACILITY.code}` });
      assert.equal(own.statusCode, 200, "naming one's own facility is fine");
      assert.deepEqual((await stored(db)).filter((r) => !before.includes(r)), [`${FACILITY.code} 2026-01-01 1 1 ${clock.toISOString()}`]);
    });

    test("the token is checked before the body is read: no token, or a bad one, is refused even for a body too large", async () => {
      const huge = JSON.stringify({ months: [], padding: "x".repeat(RECEIPTS_FILE_LIMIT_BYTES) });
      for (const authorization of ["", "not-a-token"]) {
        const res = await post(huge, { authorization });
        assert.equal(res.statusCode, 401, res.body);
        assert.match(res.json().code, /^E200[234]$/);
      }
      const tooLarge = await post(huge);
      assert.deepEqual([tooLarge.statusCode, tooLarge.json().code], [413, "E1011"]);
    });

    test("a bad upload is refused whole with its code; nothing is stored", async () => {
      const before = await stored(db);
      const row = { month: "2026-01", receipts: 5, outpatientReceipts: 5 };
      const cases: [string, unknown, { type?: string }, number, string][] = [
        ["malformed JSON", "{", {}, 400, "E1001"],
        ["an array", [row], {}, 400, "E8900"],
        ["months not an array", { months: row }, {}, 400, "E8900"],
        ["a field beside months", { months: [row], facility: FACILITY.code }, {}, 400, "E8900"],
        ["no rows", { months: [] }, {}, 400, "E8902"],
        ["121 rows", { months: Array(121).fill(row) }, {}, 400, "E8902"],
        ["a CSV without its header", "2026-01,5,5\n", { type: "text/csv" }, 400, "E8901"],
        ["a CSV in Shift_JIS", iconv.encode("month,receipts,outpatientReceipts\n2026-01,5,5 # 一月\n", "cp932"), { type: "text/csv" }, 400, "E1003"],
        ["another media type", "month,receipts,outpatientReceipts\n2026-01,5,5\n", { type: "text/plain" }, 415, "E1012"],
      ];
      for (const [name, payload, options, status, code] of cases) {
        const res = await post(payload, options);
        assert.deepEqual([res.statusCode, res.json().code], [status, code], `${name}: ${res.body}`);
      }
      assert.deepEqual(await stored(db), before);
    });

    test("bad rows are refused each with its row, code and field; the good rows beside them are stored", async () => {
      const res = await post({
        months: [
          { month: "2026-13", receipts: 1, outpatientReceipts: 1 },
          { month: "2026-05", receipts: 1, outpatientReceipts: 1 },
          { month: "2025-12", receipts: -1, outpatientReceipts: 0 },
          { month: "2025-11", receipts: 10, outpatientReceipts: 11 },
          { month: "2025-10", receipts: 10, outpatientReceipts: 9 },
          { month: "2025-10", receipts: 20, outpatientReceipts: 9 },
          { month: "2025-09", receipts: 10, outpatientReceipts: 9, inpatient: 1 },
          "2025-08,10,9",
        ],
      });
      assert.equal(res.statusCode, 200, res.body);
      const { counts, results } = res.json() as { counts: Record<string, number>; results: { row: number; month?: string; result: string; code?: string; field?: string; message?: string }[] };
      assert.deepEqual(counts, { registered: 1, updated: 0, unchanged: 0, refused: 7 });
      assert.deepEqual(
        results.map((r) => [r.row, r.month ?? null, r.result, r.code ?? null, r.field ?? null]),
        [
          [1, "2026-13", "refused", "E8903", "month"],
          [2, "2026-05", "refused", "E8904", "month"],
          [3, "2025-12", "refused", "E8905", "receipts"],
          [4, "2025-11", "refused", "E8906", "outpatientReceipts"],
          [5, "2025-10", "registered", null, null],
          [6, "2025-10", "refused", "E8907", "month"],
          [7, "2025-09", "refused", "E8908", "inpatient"],
          [8, null, "refused", "E8908", null],
        ],
      );
      assert.ok(results.every((r) => r.result !== "refused" || /[ぁ-んァ-ヶ一-龠]/.test(r.message ?? "")), "each refusal says why in Japanese");
      assert.ok((await stored(db)).some((r) => r.startsWith(`${FACILITY.code} 2025-10-01 10 9 `)), "the good row is stored");
    });
  });
}
