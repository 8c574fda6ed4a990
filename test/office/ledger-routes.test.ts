// The 補助金台帳's routes on each database, as a browser meets them (in process): an examiner reads a
// facility's ledger as JSON, CSV and PDF and the totals, records a correction under its
// Idempotency-Key and decides a disposal; the facility's administrator reads its own and requests a
// disposal; other roles are refused before any body is read; no route and no SQL in onshi's source
// can update, delete or truncate the ledger (第13, seed 002 l.1431–1437).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { OFFICE_LEDGER_PATHS } from "../../src/http/routes/office/ledger.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { addOfficeAccount } from "../../src/services/office-accounts.ts";
import { addStaffAccount } from "../../src/services/staff.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { appendLedger, openCase, transition, type CaseActor } from "../../src/store/subsidy-case-store.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2025-06-01T01:00:00Z");
const PASSWORD = "correct-horse-battery";
type Json = Record<string, any>;
interface Session {
  cookie: string;
  csrf: string;
}

for (const database of testDatabases()) {
  describe(`the 補助金台帳's routes on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let address = 1;
    let examiner: Session;
    let vendor: Session;
    let admin: Session;
    let clerk: Session;
    let readerCase = 0;
    let decidedEntry = 0;

    const office = async (loginId: string): Promise<Session> => {
      const res = await app.inject({ method: "POST", url: "/office/api/sign-in", payload: { loginId, password: PASSWORD }, remoteAddress: `10.7.0.${address++}` });
      assert.equal(res.statusCode, 200, res.body);
      return { cookie: (res.headers["set-cookie"] as string).split(";")[0]!, csrf: res.json().csrfToken };
    };
    const terminal = async (facilityCode: string, loginId: string): Promise<Session> => {
      const res = await app.inject({ method: "POST", url: "/terminal/api/sign-in", payload: { facilityCode, loginId, password: PASSWORD }, remoteAddress: `10.6.0.${address++}` });
      assert.equal(res.statusCode, 200, res.body);
      return { cookie: (res.headers["set-cookie"] as string).split(";")[0]!, csrf: res.json().csrfToken };
    };
    const get = (who: Session | undefined, url: string) => app.inject({ method: "GET", url, headers: who ? { cookie: who.cookie } : {} });
    const post = (who: Session, url: string, payload: unknown, key?: string, csrf = true) =>
      app.inject({
        method: "POST",
        url,
        payload: payload as Json,
        headers: { cookie: who.cookie, "content-type": "application/json", ...(csrf ? { "x-csrf-token": who.csrf } : {}), ...(key ? { "idempotency-key": key } : {}) },
      });
    const refused = (res: { statusCode: number; body: string }, code: string, status: number) => {
      const body = JSON.parse(res.body) as Json;
      assert.equal(body.code, code, res.body);
      assert.equal(res.statusCode, status, code);
      assert.match(body.message, /[ぁ-んァ-ン一-龥]/, "a Japanese message");
    };
    const ledgerUrl = (code: string) => OFFICE_LEDGER_PATHS.ledger.replace(":code", code);

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens: new TokenService(() => NOW) });
      await addOfficeAccount(db, { loginId: "shinsa", role: "examiner", displayName: "審査 一郎", password: PASSWORD }, NOW);
      await addOfficeAccount(db, { loginId: "vendor", role: "vendor", displayName: "取りまとめ株式会社", password: PASSWORD }, NOW);
      const kanri = await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "kanri", role: "clerk", administrator: true, password: PASSWORD }, NOW);
      await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "jimu", role: "clerk", administrator: false, password: PASSWORD }, NOW);
      await addStaffAccount(db, { facilityCode: OTHER_FACILITY.code, loginId: "kanri", role: "clerk", administrator: true, password: PASSWORD }, NOW);
      examiner = await office("shinsa");
      vendor = await office("vendor");
      admin = await terminal(FACILITY.code, "kanri");
      clerk = await terminal(FACILITY.code, "jimu");
      const [row] = await db.query<{ account_id: number }>("select account_id from office_accounts where login_id = 'shinsa'");
      const examinerActor: CaseActor = { role: "examiner", accountId: row!.account_id, name: "審査 一郎" };
      const facilityActor: CaseActor = { role: "facility", accountId: kanri.account.accountId, name: "kanri", facilityCode: FACILITY.code };
      // A reader request decided, paid (readers provided 2021-04-15), and its ledger entries as the cases write them.
      await db.transaction(async (tx) => {
        const c = (await openCase(tx, { facilityCode: FACILITY.code, program: "fund-2020", kind: "reader_request", application: {}, calculation: null, requestedYen: null, requestedReaders: 2 }, facilityActor, NOW))!;
        await transition(tx, c.caseId, "decide", examinerActor, NOW);
        await transition(tx, c.caseId, "pay", examinerActor, NOW);
        const base = { facilityCode: FACILITY.code, caseId: c.caseId, program: "fund-2020", actor: examinerActor, at: NOW };
        decidedEntry = await appendLedger(tx, { ...base, entry: "decided", onDate: "2021-03-01", yen: 0, readers: 2 });
        await appendLedger(tx, { ...base, entry: "readers_distributed", onDate: "2021-04-15", readers: 2 });
        readerCase = c.caseId;
      });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("an examiner reads a facility's ledger as JSON, CSV and PDF", async () => {
      const json = await get(examiner, ledgerUrl(FACILITY.code));
      assert.equal(json.statusCode, 200, json.body);
      const view = json.json() as Json;
      assert.deepEqual(view.entries.map((e: Json) => e.entry), ["decided", "readers_distributed"]);
      assert.equal(view.retention.keepUntil, "2027-03-31");
      const csv = await get(examiner, `${ledgerUrl(FACILITY.code)}/csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers["content-type"]), /^text\/csv; charset=utf-8/);
      assert.match(String(csv.headers["content-disposition"]), /subsidy-ledger-0110113719-2025-06-01\.csv/);
      assert.ok(csv.body.startsWith("\uFEFF記録番号"), "a BOM and the header");
      const pdf = await get(examiner, `${ledgerUrl(FACILITY.code)}/pdf`);
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), "%PDF-");
      const totals = await get(examiner, `${OFFICE_LEDGER_PATHS.totals}?fromYear=2021&toYear=2021`);
      assert.deepEqual((totals.json() as Json).rows.map((r: Json) => [r.fiscalYear, r.program, r.readersDistributed]), [
        [2021, "fund-2020", 2],
        [2021, null, 2],
        [null, "fund-2020", 2],
        [null, null, 2],
      ]);
      assert.equal((await get(examiner, `${OFFICE_LEDGER_PATHS.totals}/csv`)).statusCode, 200);
      assert.equal((await get(examiner, `${OFFICE_LEDGER_PATHS.totals}/pdf`)).statusCode, 200);
      refused(await get(examiner, `${OFFICE_LEDGER_PATHS.totals}?fromYear=x`), "E9624", 400);
    });

    test("the facility's administrator reads its own; others are refused, an unknown facility is E9620", async () => {
      const own = await get(admin, OFFICE_LEDGER_PATHS.ownLedger);
      assert.equal(own.statusCode, 200, own.body);
      assert.equal((own.json() as Json).facility.code, FACILITY.code);
      refused(await get(clerk, OFFICE_LEDGER_PATHS.ownLedger), "E9515", 403);
      refused(await get(vendor, ledgerUrl(FACILITY.code)), "E9651", 403);
      refused(await get(undefined, ledgerUrl(FACILITY.code)), "E9650", 401);
      refused(await get(admin, ledgerUrl(FACILITY.code)), "E9650", 401);
      refused(await get(examiner, ledgerUrl("9999999999")), "E9620", 404);
    });

    test("a correction: Idempotency-Key required, CSRF checked, a retry answers the first answer and adds nothing", async () => {
      const body = { entryId: decidedEntry, readers: -1, note: "台数の誤記" };
      refused(await post(examiner, OFFICE_LEDGER_PATHS.corrections, body), "E9507", 400);
      refused(await post(examiner, OFFICE_LEDGER_PATHS.corrections, body, "fix-1", false), "E2104", 403);
      refused(await post(vendor, OFFICE_LEDGER_PATHS.corrections, body, "fix-1"), "E9651", 403);
      const first = await post(examiner, OFFICE_LEDGER_PATHS.corrections, body, "fix-1");
      assert.equal(first.statusCode, 201, first.body);
      const again = await post(examiner, OFFICE_LEDGER_PATHS.corrections, body, "fix-1");
      assert.equal(again.statusCode, 201);
      assert.deepEqual(again.json(), first.json());
      const view = (await get(examiner, ledgerUrl(FACILITY.code))).json() as Json;
      assert.equal(view.entries.filter((e: Json) => e.entry === "correction").length, 1, "one correction for two requests");
      refused(await post(examiner, OFFICE_LEDGER_PATHS.corrections, { ...body, note: "" }, "fix-2"), "E9623", 400);
    });

    test("a disposal: requested by the administrator, decided by an examiner, its approval in the ledger", async () => {
      const asked = await post(admin, OFFICE_LEDGER_PATHS.ownDisposals, { caseId: readerCase, readers: 1, reason: "落下により故障", plannedOn: "2025-06-30" }, "dispose-1");
      assert.equal(asked.statusCode, 201, asked.body);
      refused(await post(clerk, OFFICE_LEDGER_PATHS.ownDisposals, { caseId: readerCase, readers: 1, reason: "x", plannedOn: "2025-06-30" }, "dispose-2"), "E9515", 403);
      const pending = (await get(examiner, `${OFFICE_LEDGER_PATHS.disposals}?state=requested`)).json() as Json;
      assert.equal(pending.disposals.length, 1);
      const url = OFFICE_LEDGER_PATHS.decision.replace(":disposalId", String(pending.disposals[0].disposalId));
      const decided = await post(examiner, url, { approve: true, note: "承認" }, "decide-1");
      assert.equal(decided.statusCode, 200, decided.body);
      assert.equal((decided.json() as Json).disposal.state, "approved");
      refused(await post(examiner, url, { approve: false, note: "やはり不承認" }, "decide-2"), "E9631", 409);
      refused(await post(examiner, OFFICE_LEDGER_PATHS.decision.replace(":disposalId", "abc"), { approve: true }, "decide-3"), "E9630", 404);
      const own = (await get(admin, OFFICE_LEDGER_PATHS.ownDisposals)).json() as Json;
      assert.equal(own.disposals[0].state, "approved");
      const view = (await get(admin, OFFICE_LEDGER_PATHS.ownLedger)).json() as Json;
      assert.equal(view.entries.at(-1).entry, "disposal_approved");
    });

    test("no route updates or deletes the ledger: only GET and the correction's POST exist on its paths", async () => {
      const paths = [ledgerUrl(FACILITY.code), OFFICE_LEDGER_PATHS.totals, OFFICE_LEDGER_PATHS.corrections, OFFICE_LEDGER_PATHS.ownLedger, `${OFFICE_LEDGER_PATHS.corrections}/1`];
      for (const url of paths) {
        for (const method of ["PUT", "PATCH", "DELETE"] as const) {
          const res = await app.inject({ method, url, headers: { cookie: examiner.cookie, "x-csrf-token": examiner.csrf, "idempotency-key": "k" } });
          assert.equal(res.statusCode, 404, `${method} ${url} has no route`);
        }
      }
    });
  });
}

test("no SQL in onshi's source updates, deletes or truncates the 補助金台帳", async () => {
  const root = join(import.meta.dirname, "../../src");
  const files = (await readdir(root, { recursive: true })).filter((f) => /\.(ts|sql)$/.test(f));
  const rewrite = /\b(update\s+(only\s+)?subsidy_ledger\b|delete\s+from\s+(only\s+)?subsidy_ledger\b|truncate\s+(table\s+)?(only\s+)?subsidy_ledger\b)/i;
  const found = [];
  for (const f of files) if (rewrite.test(await readFile(join(root, f), "utf8"))) found.push(f);
  assert.deepEqual(found, [], "files with SQL rewriting subsidy_ledger");
  assert.ok(files.length > 100, `the source was read: ${files.length} files`);
});
