// The 補助金台帳 (第13, seed 002 l.1431–1437) on each database: a facility's entries and sums, the
// totals per 年度 and programme, a correction as a new entry (retried under its key: once), the
// ledger refusing UPDATE, DELETE and TRUNCATE from any SQL, the retention day of 第5 1(5)
// (l.1263–1279) from the facility's cases, and the disposal requests of 第5 1(2) (l.1243–1251)
// with two examiners deciding one request at once.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { correctLedger, decideDisposalRequest, disposalsFor, facilityLedgerView, ledgerTotalsView, requestDisposal } from "../../src/services/subsidy-ledger.ts";
import { ledgerCsv, ledgerPdf, totalsCsv, totalsPdf } from "../../src/services/subsidy-ledger-export.ts";
import { appendLedger, openCase, transition, type CaseActor, type NewLedgerEntry } from "../../src/store/subsidy-case-store.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2025-06-01T01:00:00Z");
const refusal = (code: string) => (error: unknown) => error instanceof OqsError && error.code === code && /[ぁ-んァ-ン一-龥]/.test(error.message);

interface World {
  db: Db;
  admin: CaseActor;
  otherAdmin: CaseActor;
  examiner: CaseActor;
  examiner2: CaseActor;
  readerCase: number;
  applicationCase: number;
  decidedEntry: number;
}

async function staffAccount(db: Db, facilityCode: string, login: string): Promise<number> {
  const [row] = await db.query<{ account_id: number }>(
    `insert into staff_accounts (medical_institution_code, login_id, display_name, role, administrator, password_hash, created_at)
     values ($1, $2, '管理 花子', 'clerk', true, 'x:y', now()) returning account_id`,
    [facilityCode, login],
  );
  return row!.account_id;
}

async function examinerAccount(db: Db, login: string, name: string): Promise<CaseActor> {
  const [row] = await db.query<{ account_id: number }>(
    `insert into office_accounts (login_id, display_name, role, password_hash, created_at) values ($1, $2, 'examiner', 'x:y', now()) returning account_id`,
    [login, name],
  );
  return { role: "examiner", accountId: row!.account_id, name };
}

/** A case moved through `actions` by the examiner, with the ledger entries given (as the other parts' transitions write them). */
async function fundedCase(w: Pick<World, "db" | "admin" | "examiner">, kind: "reader_request" | "application", application: Record<string, unknown>, entries: Omit<NewLedgerEntry, "facilityCode" | "program" | "actor" | "at" | "caseId">[]) {
  return w.db.transaction(async (tx) => {
    const opened = (await openCase(tx, { facilityCode: FACILITY.code, program: "fund-2020", kind, application, calculation: null, requestedYen: null, requestedReaders: null }, w.admin, NOW))!;
    await transition(tx, opened.caseId, "decide", w.examiner, NOW);
    await transition(tx, opened.caseId, "pay", w.examiner, NOW);
    const ids: number[] = [];
    for (const e of entries) ids.push(await appendLedger(tx, { ...e, facilityCode: FACILITY.code, caseId: opened.caseId, program: "fund-2020", actor: w.examiner, at: NOW }));
    return { caseId: opened.caseId, ids };
  });
}

for (const database of testDatabases()) {
  describe(`the 補助金台帳 on ${database.name}`, () => {
    const w = {} as World;
    before(async () => {
      w.db = await database.open();
      await loadFixture(w.db);
      w.admin = { role: "facility", accountId: await staffAccount(w.db, FACILITY.code, "admin"), name: "管理 花子", facilityCode: FACILITY.code };
      w.otherAdmin = { role: "facility", accountId: await staffAccount(w.db, OTHER_FACILITY.code, "admin"), name: "他院 管理", facilityCode: OTHER_FACILITY.code };
      w.examiner = await examinerAccount(w.db, "exam1", "審査 一郎");
      w.examiner2 = await examinerAccount(w.db, "exam2", "審査 二郎");
      const readers = await fundedCase(w, "reader_request", { profile: { kind: "medical_clinic", projects: [{ program: "fund-2020" }] }, project: 0 }, [
        { entry: "decided", onDate: "2021-03-01", readers: 3 },
        { entry: "readers_distributed", onDate: "2021-04-15", readers: 3 },
      ]);
      w.readerCase = readers.caseId;
      const works = await fundedCase(w, "application", { profile: { kind: "medical_clinic", projects: [{ program: "fund-2020", completedOn: "2021-03-20" }] }, project: 0 }, [
        { entry: "decided", onDate: "2021-03-25", yen: 500_000 },
        { entry: "paid", onDate: "2021-05-10", yen: 500_000 },
      ]);
      w.applicationCase = works.caseId;
      w.decidedEntry = works.ids[0]!;
    });
    after(async () => w.db.close());

    test("a facility's ledger: entries in order, sums per programme and over all, the 第13 source", async () => {
      const view = await facilityLedgerView(w.db, w.examiner, FACILITY.code, NOW);
      assert.deepEqual(
        view.entries.map((e) => [e.entry, e.label, e.onDate, e.fiscalYear, e.yen, e.readers]),
        [
          ["decided", "交付決定", "2021-03-01", 2020, 0, 3],
          ["readers_distributed", "カードリーダー配付", "2021-04-15", 2021, 0, 3],
          ["decided", "交付決定", "2021-03-25", 2020, 500_000, 0],
          ["paid", "支払", "2021-05-10", 2021, 500_000, 0],
        ],
      );
      const all = view.sums.find((s) => s.program === null)!;
      assert.equal(all.programName, "合計");
      assert.deepEqual([all.readersDistributed, all.decidedYen, all.paidYen, all.facilities], [3, 500_000, 500_000, 1]);
      assert.match(view.source, /l\.1431–1437 第13/);
      assert.match(view.sums[0]!.programName, /医療情報化支援基金/);
    });

    test("another facility's ledger, an unknown one and a vendor are answered alike (E9620)", async () => {
      const answers: string[] = [];
      for (const [actor, code] of [[w.otherAdmin, FACILITY.code], [w.examiner, "9999999999"], [{ role: "vendor", accountId: 1, name: "業者" } as CaseActor, FACILITY.code]] as const) {
        await assert.rejects(facilityLedgerView(w.db, actor, code, NOW), (e: unknown) => {
          assert.ok(refusal("E9620")(e), `E9620 for ${actor.role} on ${code}`);
          answers.push((e as OqsError).message.replace(code, "CODE"));
          return true;
        });
      }
      assert.equal(new Set(answers).size, 1, `one answer: ${answers.join(" / ")}`);
      const own = await facilityLedgerView(w.db, w.admin, FACILITY.code, NOW);
      assert.equal(own.entries.length >= 4, true, "the facility reads its own");
    });

    test("the retention day: the later of 5 years after the 年度 of completion and the readers' life", async () => {
      const { retention } = await facilityLedgerView(w.db, w.examiner, FACILITY.code, NOW);
      const byCase = new Map(retention.projects.map((p) => [p.caseId, p.keepUntil]));
      assert.equal(byCase.get(w.applicationCase), "2026-03-31", "completed 2021-03-20 (年度 2020): 5 years after 2021-03-31");
      assert.equal(byCase.get(w.readerCase), "2027-03-31", "a reader request completes when its readers are provided (2021-04-15, 年度 2021); their life ends 2026-04-15, earlier");
      assert.equal(retention.keepUntil, "2027-03-31");
      assert.equal(retention.discardableFrom, "2027-04-01");
    });

    test("a correction is a new entry, counted with the entry it corrects; a retry changes nothing twice", async () => {
      const body = { entryId: w.decidedEntry, yen: -50_000, note: "交付決定額の誤記" };
      const first = await correctLedger(w.db, w.examiner, "corr-1", body, NOW);
      assert.equal(first.status, 201);
      assert.equal(first.body.entry.entry, "correction");
      assert.equal(first.body.entry.corrects, w.decidedEntry);
      assert.equal(first.body.entry.fiscalYear, 2025, "the correction keeps its own day's 年度 in the list");
      const again = await correctLedger(w.db, w.examiner, "corr-1", body, NOW);
      assert.equal(again.replayed, true);
      assert.deepEqual(again.body, JSON.parse(JSON.stringify(first.body)));
      const n = (await w.db.query<{ n: number }>("select count(*)::int as n from subsidy_ledger where entry = 'correction'"))[0]!.n;
      assert.equal(n, 1, "one correction for two requests under one key");
      await assert.rejects(correctLedger(w.db, w.examiner, "corr-1", { ...body, yen: -1 }, NOW), refusal("E9508"));

      const view = await facilityLedgerView(w.db, w.examiner, FACILITY.code, NOW);
      assert.equal(view.sums.find((s) => s.program === null)!.decidedYen, 450_000);
      assert.equal(view.entries.at(-1)!.correctsLabel, "交付決定");
      const totals = await ledgerTotalsView(w.db, { fromYear: "2020", toYear: "2020" });
      assert.equal(totals.rows.find((r) => r.program === "fund-2020")!.decidedYen, 450_000, "restated in the corrected entry's 年度 2020");
    });

    test("corrections refused: a missing entry, a correction of a correction, bad fields", async () => {
      const [last] = await w.db.query<{ entry_id: number }>("select max(entry_id)::int as entry_id from subsidy_ledger where entry = 'correction'");
      await assert.rejects(correctLedger(w.db, w.examiner, "c-2", { entryId: 999_999, yen: 1, note: "x" }, NOW), refusal("E9621"));
      await assert.rejects(correctLedger(w.db, w.examiner, "c-3", { entryId: last!.entry_id, yen: 1, note: "x" }, NOW), refusal("E9622"));
      for (const bad of [{ yen: 1 }, { yen: 1.5, note: "x" }, { note: "x" }, { yen: 0, readers: 0, note: "x" }, { yen: 1, note: " " }, { yen: "1", note: "x" }]) {
        await assert.rejects(correctLedger(w.db, w.examiner, "c-4", { entryId: w.decidedEntry, ...bad }, NOW), refusal("E9623"), JSON.stringify(bad));
      }
      await assert.rejects(correctLedger(w.db, w.examiner, undefined, { entryId: w.decidedEntry, yen: 1, note: "x" }, NOW), refusal("E9507"));
    });

    test("no SQL can rewrite the ledger: UPDATE, DELETE and TRUNCATE are refused by the database", async () => {
      for (const sql of ["update subsidy_ledger set yen = 0", "delete from subsidy_ledger", "truncate subsidy_ledger", "truncate subsidy_ledger cascade"]) {
        await assert.rejects(w.db.query(sql), (e: Error) => /append-only/.test(e.message), sql);
      }
      const n = (await w.db.query<{ n: number }>("select count(*)::int as n from subsidy_ledger where yen <> 0"))[0]!.n;
      assert.ok(n > 0, "nothing was changed");
    });

    test("totals per 年度 and programme, per 年度, per programme and over all; bad conditions E9624", async () => {
      const totals = await ledgerTotalsView(w.db, {});
      assert.deepEqual(
        totals.rows.map((r) => [r.fiscalYear, r.program, r.decidedYen, r.paidYen, r.readersDistributed]),
        [
          [2020, "fund-2020", 450_000, 0, 0],
          [2020, null, 450_000, 0, 0],
          [2021, "fund-2020", 0, 500_000, 3],
          [2021, null, 0, 500_000, 3],
          [null, "fund-2020", 450_000, 500_000, 3],
          [null, null, 450_000, 500_000, 3],
        ],
      );
      assert.equal((await ledgerTotalsView(w.db, { program: "support-2024-h1" })).rows.length, 0);
      for (const bad of [{ fromYear: "20x1" }, { toYear: "1999" }, { fromYear: "2022", toYear: "2021" }, { program: "no-such" }, { fromYear: 2020.5 }]) {
        await assert.rejects(ledgerTotalsView(w.db, bad), refusal("E9624"), JSON.stringify(bad));
      }
    });

    test("CSV and PDF of the ledger and the totals", async () => {
      const view = await facilityLedgerView(w.db, w.examiner, FACILITY.code, NOW);
      const text = ledgerCsv(view);
      assert.ok(text.startsWith("\uFEFF記録番号,医療機関コード"), "BOM and the header first");
      const lines = text.slice(1).trimEnd().split("\r\n");
      assert.equal(lines.length, view.entries.length + 1);
      assert.match(lines.at(-1)!, /,訂正,.*,-50000,0,\d+,交付決定額の誤記,examiner,審査 一郎,2025\/06\/01 10:00$/);
      const totals = totalsCsv(await ledgerTotalsView(w.db, {}));
      assert.match(totals, /\r\n2021,,合計,1,3,0,500000,0,0,0,0,0,0\r\n/);
      assert.match(totals, /\r\n,,合計,1,3,450000,500000,0,0,0,0,0,0\r\n$/, "the last line sums everything");
      for (const pdf of [await ledgerPdf(view), await totalsPdf(await ledgerTotalsView(w.db, {}), NOW)]) {
        assert.equal(pdf.subarray(0, 5).toString(), "%PDF-", "a PDF");
      }
    });

    test("a disposal within the readers' life: requested, the readers held checked, refused after the life", async () => {
      const ask = (key: string, body: Record<string, unknown>, actor = w.admin) => requestDisposal(w.db, actor, key, body, NOW);
      const made = await ask("d-1", { caseId: w.readerCase, readers: 2, reason: "故障のため廃棄", plannedOn: "2025-07-01" });
      assert.equal(made.status, 201);
      assert.equal(made.body.disposal.state, "requested");
      assert.equal(made.body.disposal.requestedByName, "管理 花子");
      await assert.rejects(ask("d-2", { caseId: w.readerCase, readers: 2, reason: "追加", plannedOn: "2025-07-01" }), refusal("E9628"), "3 held, 2 in a request");
      await assert.rejects(ask("d-3", { caseId: w.readerCase, readers: 1, reason: "耐用年数経過", plannedOn: "2026-04-16" }), refusal("E9629"));
      await assert.rejects(ask("d-4", { caseId: w.applicationCase, readers: 1, reason: "x", plannedOn: "2025-07-01" }), refusal("E9627"));
      await assert.rejects(ask("d-5", { caseId: w.readerCase, readers: 1, reason: "x", plannedOn: "2025-07-01" }, w.otherAdmin), refusal("E9626"));
      await assert.rejects(ask("d-6", { caseId: 999_999, readers: 1, reason: "x", plannedOn: "2025-07-01" }), refusal("E9626"));
      for (const bad of [{ readers: 0 }, { readers: 1.5 }, { reason: "" }, { plannedOn: "2025-05-31" }, { plannedOn: "2025-02-30" }, { caseId: "1" }]) {
        await assert.rejects(ask("d-7", { caseId: w.readerCase, readers: 1, reason: "x", plannedOn: "2025-07-01", ...bad }), refusal("E9625"), JSON.stringify(bad));
      }
      assert.equal((await disposalsFor(w.db, w.admin)).disposals.length, 1);
      assert.equal((await disposalsFor(w.db, w.otherAdmin)).disposals.length, 0, "another facility sees none");
    });

    test("two examiners deciding one request at once: exactly one decides, the other gets E9631", async () => {
      const [pending] = (await disposalsFor(w.db, w.examiner, "requested")).disposals;
      const outcomes = await Promise.allSettled([
        decideDisposalRequest(w.db, w.examiner, "k-a", pending!.disposalId, { approve: true }, NOW),
        decideDisposalRequest(w.db, w.examiner2, "k-b", pending!.disposalId, { approve: false, note: "理由不十分" }, NOW),
      ]);
      const won = outcomes.filter((o) => o.status === "fulfilled");
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
      assert.equal(won.length, 1, `one decision: ${JSON.stringify(outcomes.map((o) => o.status))}`);
      assert.ok(refusal("E9631")(lost[0]!.reason), `the other is E9631: ${String(lost[0]!.reason)}`);
      const decided = (await disposalsFor(w.db, w.examiner)).disposals[0]!;
      const approvals = await w.db.query("select 1 from subsidy_ledger where entry = 'disposal_approved'");
      assert.equal(approvals.length, decided.state === "approved" ? 1 : 0, "an approval, and only an approval, adds its ledger entry");
      await assert.rejects(decideDisposalRequest(w.db, w.examiner, "k-c", decided.disposalId, { approve: true }, NOW), refusal("E9631"));
      await assert.rejects(decideDisposalRequest(w.db, w.examiner, "k-d", 999_999, { approve: true }, NOW), refusal("E9630"));
      await assert.rejects(decideDisposalRequest(w.db, w.examiner, "k-e", decided.disposalId, { approve: false }, NOW), refusal("E9632"));
      await assert.rejects(decideDisposalRequest(w.db, w.examiner, "k-f", decided.disposalId, { approve: "yes" }, NOW), refusal("E9625"));
    });
  });
}
