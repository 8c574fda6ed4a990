// The 取りまとめ者's registrations and batches on each database (src/services/office-vendor.ts,
// office-batch.ts): facilities registered in advance (第8 3), each batch line checked as a single
// application is, refused with its line, field and code (not registered, a repeat, a live case, a
// bad profile, outside the rules), mode partial and all_or_nothing, a retried batch changing nothing
// twice, another application winning the race (nothing stored), and a batch only its vendor sees.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Db } from "../../src/db/client.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { showBatch, submitBatch, submitBatchOnce, vendorBatches, type BatchAnswer } from "../../src/services/office-batch.ts";
import { registerVendorFacilities, registrationCodes, vendorFacilities } from "../../src/services/office-vendor.ts";
import type { CaseActor } from "../../src/services/subsidy-office.ts";
import { openCase } from "../../src/store/subsidy-case-store.ts";
import { MAX_BATCH_LINES } from "../../src/subsidy/batch-lines.ts";
import { prepareApplication } from "../../src/subsidy/office-application.ts";
import { testDatabases } from "../support/databases.ts";

/** Noon in Japan: the 申請日 is that day, inside fund-2020's period (第14: 2020-11-01〜2023-09-30). */
const NOW = new Date("2021-10-15T03:00:00Z");
const ON = "2021-10-15";
const code = (n: number, table = "1") => withCheckDigit(`13${table}${String(n).padStart(6, "0")}`);
const CLINIC = code(1);
const HOSPITAL = code(2);
const PHARMACY = code(3, "4");
const NOT_REGISTERED = code(4);
const UNKNOWN = code(5);

const fund = (facilityCode: string, kind = "medical_clinic", project: Record<string, unknown> = {}) => ({
  facilityCode,
  program: "fund-2020",
  profile: { kind, projects: [{ program: "fund-2020", cost: 429_000, readerAppliedOn: "2021-02-01", completedOn: "2021-08-31", ...project }] },
});
const jsonl = (...lines: unknown[]) => lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n");
const refusedWith = (code: string) => (error: unknown) => error instanceof OqsError && error.code === code && /[ぁ-んァ-ン一-龥]/.test(error.message);

for (const database of testDatabases()) {
  describe(`the 取りまとめ者's batches on ${database.name}`, () => {
    let db: Db;
    let vendor: CaseActor & { accountId: number };
    let other: CaseActor & { accountId: number };
    const send = (text: string, mode: "partial" | "all_or_nothing" = "partial", format: "csv" | "jsonl" = "jsonl", by = vendor) =>
      db.transaction((tx) => submitBatch(tx, { accountId: by.accountId, name: by.name }, text, format, mode, NOW));
    const count = async (table: string) => Number((await db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n);
    const summary = (b: BatchAnswer) => b.errors.map((e) => [e.line, e.code, e.field]);

    before(async () => {
      db = await database.open();
      for (const [c, kind] of [[CLINIC, "medical_clinic"], [HOSPITAL, "hospital"], [PHARMACY, "pharmacy"], [NOT_REGISTERED, "medical_clinic"]]) {
        await db.query("insert into facilities (medical_institution_code, name, kind, prefecture) values ($1, $2, $3, 13)", [c, `施設${c}`, kind]);
      }
      const account = async (login: string, name: string) => {
        const [row] = await db.query<{ account_id: number }>(
          "insert into office_accounts (login_id, display_name, role, password_hash, created_at) values ($1, $2, 'vendor', 'x', now()) returning account_id",
          [login, name],
        );
        return { role: "vendor" as const, accountId: Number(row!.account_id), name };
      };
      vendor = await account("vendor1", "取りまとめ株式会社");
      other = await account("vendor2", "別の取りまとめ者");
    });
    after(async () => db.close());

    test("registration in advance: each code answered on its own, a repeat harmless, a bad or unknown code refused by its position", async () => {
      const first = await registerVendorFacilities(db, vendor.accountId, [CLINIC, HOSPITAL, CLINIC, "123", UNKNOWN, PHARMACY], NOW);
      assert.deepEqual(first.registered, [CLINIC, HOSPITAL, PHARMACY]);
      assert.deepEqual(first.already, []);
      assert.deepEqual(first.refused.map((r) => [r.line, r.field, r.code]), [[4, "123", "E9246"], [5, UNKNOWN, "E9530"]]);
      assert.match(first.refused[1]!.message, /登録されていない医療機関等/);
      const again = await registerVendorFacilities(db, vendor.accountId, [HOSPITAL], NOW);
      assert.deepEqual([again.registered, again.already], [[], [HOSPITAL]]);
      assert.deepEqual((await vendorFacilities(db, vendor.accountId)).map((f) => f.code), [CLINIC, HOSPITAL, PHARMACY].sort());
      assert.deepEqual(await vendorFacilities(db, other.accountId), [], "one vendor's registrations are its own");
    });

    test("a registration's body: { facilities: [codes] }, not empty, not over the bound", () => {
      assert.deepEqual(registrationCodes({ facilities: [CLINIC] }), [CLINIC]);
      for (const [body, expected] of [
        [null, "E9541"], [[CLINIC], "E9541"], [{ facilities: CLINIC }, "E9541"], [{ facilities: [1] }, "E9541"], [{ facilities: [CLINIC], more: 1 }, "E9541"],
        [{ facilities: [] }, "E9535"], [{ facilities: Array.from({ length: MAX_BATCH_LINES + 1 }, () => CLINIC) }, "E9532"],
      ] as const) {
        assert.throws(() => registrationCodes(body), refusedWith(expected), JSON.stringify(body).slice(0, 60));
      }
    });

    test("partial: the valid lines become cases as a single application would, every other line listed with its line, field and code", async () => {
      const reader = { facilityCode: HOSPITAL, program: "fund-2020", kind: "reader_request", profile: { kind: "hospital", projects: [{ program: "fund-2020", readers: 2 }] } };
      const batch = await send(
        jsonl(
          fund(CLINIC),
          fund(CLINIC),
          fund(NOT_REGISTERED),
          fund(UNKNOWN),
          "{not json",
          fund(HOSPITAL, "medical_clinic"),
          fund(PHARMACY, "pharmacy", { cost: "高い" }),
          fund(PHARMACY, "pharmacy", { completedOn: undefined }),
          { ...fund(PHARMACY, "pharmacy"), program: "no-such-programme" },
          { ...fund(PHARMACY, "pharmacy"), kind: "gift" },
          reader,
        ),
      );
      assert.deepEqual(summary(batch), [
        [2, "E9506", "facilityCode"],
        [3, "E9514", "facilityCode"],
        [4, "E9514", "facilityCode"],
        [5, "E9536", "(行全体)"],
        [6, "E9513", "profile.kind"],
        [7, "E9102", "profile.projects[0].cost"],
        [8, "E9510", "completedOn"],
        [9, "E9103", "program"],
        [10, "E9513", "kind"],
      ]);
      assert.match(batch.errors[0]!.message, /1 行目と同じ申請です/, "a repeat names the earlier line");
      assert.ok(batch.errors.every((e) => /[ぁ-んァ-ン一-龥]/.test(e.message)), "every message Japanese");
      assert.deepEqual([batch.lines, batch.accepted, batch.refused, batch.outcome, batch.code], [11, 2, 9, "partly_accepted", undefined]);
      assert.deepEqual(batch.cases.map((c) => [c.line, c.facilityCode, c.kind, c.state]), [[1, CLINIC, "application", "applied"], [11, HOSPITAL, "reader_request", "applied"]]);

      // The case holds what a single application's would: the application and the engine's answer at the 申請日.
      const expected = prepareApplication(fund(CLINIC), ON);
      const [stored] = await db.query<{ application: unknown; calculation: unknown; requested_yen: number; applied_by_role: string; batch_id: number }>(
        "select application, calculation, requested_yen, applied_by_role, batch_id from subsidy_cases where case_id = $1",
        [batch.cases[0]!.caseId],
      );
      const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
      assert.deepEqual(json(stored!.application), JSON.parse(JSON.stringify(expected.application)));
      assert.deepEqual(json(stored!.calculation), JSON.parse(JSON.stringify(expected.calculation)));
      assert.deepEqual([stored!.requested_yen, stored!.applied_by_role, stored!.batch_id], [expected.requestedYen, "vendor", batch.batchId]);
      const transitions = await db.query<{ seq: number; from_state: string | null; to_state: string; action: string; actor_role: string; actor_account: number; actor_name: string; detail: unknown }>(
        "select seq, from_state, to_state, action, actor_role, actor_account, actor_name, detail from subsidy_case_transitions where case_id = $1",
        [batch.cases[0]!.caseId],
      );
      assert.deepEqual(
        transitions.map((t) => ({ ...t, detail: json(t.detail) })),
        [{ seq: 1, from_state: null, to_state: "applied", action: "apply", actor_role: "vendor", actor_account: vendor.accountId, actor_name: vendor.name, detail: { batch: batch.batchId, line: 1 } }],
      );

      // A case already live for the facility and programme: the next batch's line is refused.
      const again = await send(jsonl(fund(CLINIC)));
      assert.deepEqual(summary(again), [[1, "E9506", "facilityCode"]]);
      assert.match(again.errors[0]!.message, /受付中の申請があります/);
      assert.deepEqual([again.accepted, again.outcome], [0, "refused"]);
    });

    test("all_or_nothing: one refused line and no case is opened, every refused line listed; all valid and all are", async () => {
      const cases = await count("subsidy_cases");
      const refused = await send(jsonl(fund(PHARMACY, "pharmacy"), fund(NOT_REGISTERED), "[]"), "all_or_nothing");
      assert.deepEqual([refused.accepted, refused.refused, refused.outcome, refused.code], [0, 3, "refused", "E9539"]);
      assert.deepEqual(summary(refused), [[2, "E9514", "facilityCode"], [3, "E9536", "(行全体)"]]);
      assert.equal(await count("subsidy_cases"), cases, "nothing half-applied");
      const shown = await showBatch(db, vendor.accountId, refused.batchId);
      assert.deepEqual([shown.code, shown.errors.length, shown.cases], ["E9539", 2, []], "the refusal is kept with its lines for the vendor to read");
      const csv = await send(["facilityCode,program,facilityKind,cost,readerAppliedOn,completedOn", `${PHARMACY},fund-2020,pharmacy,429000,2021-02-01,2021-08-31`].join("\r\n"), "all_or_nothing", "csv");
      assert.deepEqual([csv.accepted, csv.outcome, csv.format, csv.cases[0]!.line], [1, "accepted", "csv", 2], "a CSV line is numbered as its line of the file");
      assert.equal(await count("subsidy_cases"), cases + 1);
    });

    test("a batch is its vendor's: another's or none answered alike (E9538), the list only its own", async () => {
      const [mine] = await vendorBatches(db, vendor.accountId);
      assert.ok(mine, "the vendor's batches are listed");
      await assert.rejects(showBatch(db, other.accountId, mine.batchId), refusedWith("E9538"));
      await assert.rejects(showBatch(db, vendor.accountId, 999_999), refusedWith("E9538"));
      await assert.rejects(showBatch(db, vendor.accountId, Number.NaN), refusedWith("E9538"));
      assert.deepEqual(await vendorBatches(db, other.accountId), []);
      // The other vendor's batch naming this vendor's facility: refused as not registered, nothing learnt of it.
      const theirs = await send(jsonl(fund(HOSPITAL, "hospital")), "partial", "jsonl", other);
      assert.deepEqual(summary(theirs), [[1, "E9514", "facilityCode"]]);
    });

    test("a batch that cannot be read as a whole is refused and nothing is stored", async () => {
      const batches = await count("subsidy_batches");
      await assert.rejects(send(""), refusedWith("E9535"));
      await assert.rejects(send("facilityCode,program\n1,2", "partial", "csv"), refusedWith("E9534"));
      await assert.rejects(send(Array.from({ length: MAX_BATCH_LINES + 1 }, () => "{}").join("\n")), refusedWith("E9532"));
      assert.equal(await count("subsidy_batches"), batches);
    });

    test("a retried batch (same Idempotency-Key, same request) is answered again and changes nothing; another request under the key is refused", async () => {
      const text = jsonl(fund(CLINIC, "medical_clinic", { cost: 500_000 }));
      await db.query("update subsidy_cases set state = 'decided' where medical_institution_code = $1 and state = 'applied'", [CLINIC]);
      const run = (body: string) => submitBatchOnce(db, vendor, "batch-retry-1", body, "jsonl", "partial", NOW);
      const [cases, batches] = [await count("subsidy_cases"), await count("subsidy_batches")];
      const first = await run(text);
      const retry = await run(text);
      assert.equal(first.status, 201);
      assert.deepEqual(retry.body, JSON.parse(JSON.stringify(first.body)));
      assert.equal(retry.replayed, true);
      assert.deepEqual([await count("subsidy_cases"), await count("subsidy_batches")], [cases + 1, batches + 1], "one batch, one case");
      await assert.rejects(run(jsonl(fund(HOSPITAL, "hospital"))), refusedWith("E9508"));
    });

    test("another application opening a live case while the batch is stored: E9540, nothing of the batch stored", async () => {
      const [cases, batches] = [await count("subsidy_cases"), await count("subsidy_batches")];
      await assert.rejects(
        db.transaction(async (tx) => {
          // The race made certain: a facility's own application lands between the batch's check and its COPY.
          const racing: Db = {
            ...tx,
            copyRows: async (table, columns, lines) => {
              if (table === "subsidy_cases") {
                const prepared = prepareApplication(fund(HOSPITAL, "hospital"), ON);
                await openCase(tx, prepared, { role: "facility", accountId: 1, name: "施設の管理者", facilityCode: HOSPITAL }, NOW);
              }
              return tx.copyRows(table, columns, lines);
            },
          };
          return submitBatch(racing, vendor, jsonl(fund(HOSPITAL, "hospital")), "jsonl", "partial", NOW);
        }),
        refusedWith("E9540"),
      );
      assert.deepEqual([await count("subsidy_cases"), await count("subsidy_batches")], [cases, batches]);
    });
  });
}
