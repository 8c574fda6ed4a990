// The return routes as a browser meets them, in process on both databases: the examiner's writes
// behind the role guard and an Idempotency-Key (a retried payment is recorded once), coded refusals
// for bad bodies, the overdue sweep, and the statement as JSON and PDF for the examiner and for the
// facility's administrator only.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { addOfficeAccount } from "../../src/services/office-accounts.ts";
import { returnStatement } from "../../src/services/subsidy-returns.ts";
import { addStaffAccount } from "../../src/services/staff.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { readerReturn } from "../../src/subsidy/reader-return.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY } from "../support/fixture.ts";
import { day, paidCase, PASSWORD, setUp } from "./returns-fixture.ts";

type Json = Record<string, any>;

for (const database of testDatabases()) {
  describe(`return routes on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let clock = day("2022-04-01");
    let caseId = 0;
    let examiner = { cookie: "", csrf: "" };
    let address = 1;

    const officeSignIn = async (loginId: string) => {
      const res = await app.inject({ method: "POST", url: "/office/api/sign-in", payload: { loginId, password: PASSWORD }, remoteAddress: `10.7.0.${address++}` });
      assert.equal(res.statusCode, 200, res.body);
      return { cookie: (res.headers["set-cookie"] as string).split(";")[0]!, csrf: res.json().csrfToken as string };
    };
    const terminalCookie = async (loginId: string) => {
      const res = await app.inject({ method: "POST", url: "/terminal/api/sign-in", payload: { facilityCode: FACILITY.code, loginId, password: PASSWORD }, remoteAddress: `10.7.1.${address++}` });
      assert.equal(res.statusCode, 200, res.body);
      return (res.headers["set-cookie"] as string).split(";")[0]!;
    };
    const post = async (url: string, payload: unknown, key: string | undefined, who = examiner) => {
      const headers: Record<string, string> = { cookie: who.cookie, "x-csrf-token": who.csrf, "content-type": "application/json" };
      if (key) headers["idempotency-key"] = key;
      const res = await app.inject({ method: "POST", url, headers, payload: JSON.stringify(payload) });
      return { status: res.statusCode, body: res.json() as Json };
    };
    const get = async (url: string, cookie = examiner.cookie) => app.inject({ method: "GET", url, headers: { cookie } });
    const refused = (res: { status: number; body: Json }, code: string, status: number) => {
      assert.equal(res.body.code, code, JSON.stringify(res.body));
      assert.equal(res.status, status, code);
      assert.match(res.body.message, /[ぁ-んァ-ン一-龥]/, "a Japanese message");
    };

    before(async () => {
      db = await database.open();
      const actors = await setUp(db);
      await addOfficeAccount(db, { loginId: "vendor", role: "vendor", displayName: "取りまとめ", password: PASSWORD }, clock);
      await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "jimu", role: "clerk", administrator: false, password: PASSWORD }, clock);
      caseId = await paidCase(db, actors, 1_000_000, 2, "2021-04-01");
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0" }, tokens: new TokenService(() => clock) });
      examiner = await officeSignIn("kikin");
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("a vendor may not cancel, and no write goes without its Idempotency-Key", async () => {
      refused(await post(`/office/api/cases/${caseId}/cancel`, { whole: true, ground: "x" }, "k-vendor", await officeSignIn("vendor")), "E9651", 403);
      refused(await post(`/office/api/cases/${caseId}/cancel`, { whole: true, ground: "x" }, undefined), "E9507", 400);
      refused(await post(`/office/api/cases/${caseId}/cancel`, { whole: "yes", ground: "x" }, "k-bad"), "E9601", 400);
      refused(await post(`/office/api/cases/abc/cancel`, { whole: true, ground: "x" }, "k-none"), "E9500", 404);
    });

    test("cancel in part, order the return, record a payment once however often it is sent", async () => {
      const cancelled = await post(`/office/api/cases/${caseId}/cancel`, { whole: false, yen: 300_000, readers: 1, ground: "補助対象外の機器 (第10)", expectedVersion: 3 }, "k-cancel");
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      assert.equal(cancelled.body.state, "partly_cancelled");
      const again = await post(`/office/api/cases/${caseId}/cancel`, { whole: false, yen: 300_000, readers: 1, ground: "補助対象外の機器 (第10)", expectedVersion: 3 }, "k-cancel");
      assert.deepEqual(again.body, cancelled.body, "the retry is answered the same");

      const ordered = await post(`/office/api/cases/${caseId}/return-order`, { deadline: "2022-06-30", readerCost: 99_000, ground: "返還命令 (第11)" }, "k-order");
      assert.equal(ordered.status, 200, JSON.stringify(ordered.body));
      const expected = readerReturn({ readerCost: 99_000, readers: 1, providedOn: "2021-04-01", at: "2022-04-01", subsidy: 300_000 });
      assert.equal(ordered.body.amounts.total, expected.total);

      clock = day("2022-05-02");
      examiner = await officeSignIn("kikin"); // the session of a month ago has expired
      const payment = { paidOn: "2022-05-01", yen: 100_000 };
      const first = await post(`/office/api/cases/${caseId}/return-payments`, payment, "k-pay-1");
      const retry = await post(`/office/api/cases/${caseId}/return-payments`, payment, "k-pay-1");
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(retry.body, first.body);
      assert.equal((await db.query("select * from subsidy_return_payments")).length, 1, "recorded once");
      refused(await post(`/office/api/cases/${caseId}/return-payments`, { ...payment, yen: 5 }, "k-pay-1"), "E9508", 409);
      refused(await post(`/office/api/cases/${caseId}/return-payments`, { paidOn: "2022-05-01" }, "k-pay-2"), "E9601", 400);
      refused(await post(`/office/api/cases/${caseId}/return-payments`, { paidOn: "2022-05-03", yen: 5 }, "k-pay-3"), "E9596", 400);
    });

    test("the sweep makes the unpaid return 延滞中, and the statement is the service's, as JSON and PDF", async () => {
      clock = day("2022-07-01");
      examiner = await officeSignIn("kikin");
      const swept = await post("/office/api/returns/sweep", {}, "k-sweep");
      assert.deepEqual(swept.body, { day: "2022-07-01", moved: [caseId] });
      const json = await get(`/office/api/facilities/${FACILITY.code}/return-statement?at=2022-07-01`);
      assert.equal(json.statusCode, 200, json.body);
      assert.deepEqual(json.json(), JSON.parse(JSON.stringify(await returnStatement(db, FACILITY.code, "2022-07-01"))));
      assert.equal(json.json().cases[0].state, "overdue");
      const pdf = await get(`/office/api/facilities/${FACILITY.code}/return-statement/pdf?at=2022-07-01`);
      assert.equal(pdf.headers["content-type"], "application/pdf");
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), "%PDF-", "a PDF");
      const unknown = await get(`/office/api/facilities/0000000000/return-statement`);
      refused({ status: unknown.statusCode, body: unknown.json() }, "E9600", 404);
      const badDay = await get(`/office/api/facilities/${FACILITY.code}/return-statement?at=2022-02-30`);
      refused({ status: badDay.statusCode, body: badDay.json() }, "E9599", 400);
    });

    test("the facility's administrator sees its own statement; other staff and office accounts do not", async () => {
      const own = await get("/terminal/subsidy/api/return-statement?at=2022-07-01", await terminalCookie("kanri"));
      assert.equal(own.statusCode, 200, own.body);
      assert.equal(own.json().facility.code, FACILITY.code);
      assert.equal(own.json().cases[0].caseId, caseId);
      const clerk = await get("/terminal/subsidy/api/return-statement", await terminalCookie("jimu"));
      refused({ status: clerk.statusCode, body: clerk.json() }, "E9515", 403);
      const ownPdf = await get("/terminal/subsidy/api/return-statement/pdf?at=2022-07-01", await terminalCookie("kanri"));
      assert.equal(ownPdf.headers["content-type"], "application/pdf");
      const vendor = await get(`/office/api/facilities/${FACILITY.code}/return-statement`, (await officeSignIn("vendor")).cookie);
      refused({ status: vendor.statusCode, body: vendor.json() }, "E9651", 403);
    });
  });
}
