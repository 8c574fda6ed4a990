// Applying at the subsidy office on each database: a case keeps the engine's answer; an application
// outside its period, before the work is complete or completed too late, or to a programme the office
// does not take, is refused with its code and nothing is stored; who may apply for whom; a case sent
// back is resubmitted; each kind of bad input is its own coded refusal.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { act, apply, resubmit, showCase, type CaseActor } from "../../src/services/subsidy-office.ts";
import { applicationPeriod, periodRefusal } from "../../src/subsidy/application-periods.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const refusal = (code: string, detail?: RegExp) => (error: unknown) =>
  error instanceof OqsError && error.code === code && /[ぁ-んァ-ン一-龥]/.test(error.message) && (detail === undefined || detail.test(error.message));

/** Noon in Japan on a day, so the 申請日 is that day. */
const on = (day: string) => new Date(`${day}T03:00:00Z`);

const ME: CaseActor = { role: "facility", accountId: 1, name: "管理者", facilityCode: FACILITY.code };
const EXAMINER: CaseActor = { role: "examiner", accountId: 9, name: "審査 花子" };

const fund = (project: Record<string, unknown> = {}, facilityCode = FACILITY.code) => ({
  facilityCode,
  program: "fund-2020",
  profile: { kind: "hospital", readersProvided: 1, projects: [{ program: "fund-2020", cost: 2_000_000, readerAppliedOn: "2021-01-10", completedOn: "2021-03-01", readers: 1, ...project }] },
});

test("the period table: fund-2020 by its 猶予届 類型, the 改修 windows, unpublished limits unknown", () => {
  const none = applicationPeriod("fund-2020", "application", { program: "fund-2020" });
  assert.deepEqual([none.from?.date, none.to?.date, none.completeBy?.date], ["2020-11-01", "2023-09-30", "2023-03-31"]);
  assert.match(none.from!.source, /l\.1443/, "第14 is cited by line");
  const type1 = applicationPeriod("fund-2020", "application", { program: "fund-2020", deferralType: 1 });
  assert.deepEqual([type1.to?.date, type1.completeBy?.date], ["2023-12-31", "2023-09-30"]);
  assert.equal(applicationPeriod("fund-2020", "application", { program: "fund-2020", deferralType: 2 }).to?.date, null, "類型2's deadline is not published");
  const da = applicationPeriod("modification-da-2024", "application");
  assert.deepEqual([da.from?.date, da.to?.date, da.completeBy?.date], ["2024-04-01", "2025-01-15", "2024-12-31"]);
  const y2025 = applicationPeriod("modification-2025", "application");
  assert.deepEqual([y2025.from?.date, y2025.to?.date], ["2025-06-06", "2026-01-15"]);
  assert.equal(applicationPeriod("reader-expansion-2024", "application").to?.date, null);
  for (const program of ["lump-sum-2024", "modification-mhlw-2024", "dx-addition"]) assert.ok(applicationPeriod(program, "application").notHere, `${program} is not applied for here`);
  // Each boundary: the first and last day in, the day before and after out.
  const at = (day: string, project = { program: "modification-2025", completedOn: "2025-05-01" }) => periodRefusal(y2025, day, project)?.code;
  assert.deepEqual([at("2025-06-05"), at("2025-06-06"), at("2026-01-15"), at("2026-01-16")], ["E9509", undefined, undefined, "E9509"]);
  assert.equal(at("2025-07-01", { program: "modification-2025", completedOn: "2025-07-01" }), undefined, "completed on the application day");
  assert.equal(at("2025-07-01", { program: "modification-2025", completedOn: "2025-07-02" }), "E9510", "completed the day after");
  const late = (completedOn: string) => periodRefusal(none, "2023-06-01", { program: "fund-2020", completedOn })?.code;
  assert.deepEqual([late("2023-03-31"), late("2023-04-01")], [undefined, "E9516"]);
});

for (const database of testDatabases()) {
  describe(`applying at the subsidy office on ${database.name}`, () => {
    let db: Db;
    let vendor: CaseActor;
    const cases = async () => Number((await db.query<{ n: number }>("select count(*)::int as n from subsidy_cases"))[0]!.n);
    const close = (caseId: number) => act(db, caseId, "decide", EXAMINER, on("2021-05-01"), { reason: "テストのため決定" });

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      const [row] = await db.query<{ account_id: number }>(
        "insert into office_accounts (login_id, display_name, role, password_hash, created_at) values ('vendor1', '取りまとめ株式会社', 'vendor', 'x', now()) returning account_id",
      );
      vendor = { role: "vendor", accountId: Number(row!.account_id), name: "取りまとめ株式会社" };
      await db.query("insert into vendor_facilities values ($1, $2, now())", [vendor.accountId, OTHER_FACILITY.code]);
    });
    after(async () => db.close());

    test("an application in its period opens a case with the engine's amount, reasons and sources", async () => {
      const c = await apply(db, fund(), ME, on("2021-04-01"));
      assert.equal(c.state, "applied");
      assert.ok(c.requestedYen! > 0, "the engine's amount is the amount requested");
      const calc = c.calculation as { amount: number; reasons: string[]; sources: string[]; at: string };
      assert.equal(calc.amount, c.requestedYen);
      assert.equal(calc.at, "2021-04-01");
      assert.ok(calc.reasons.length > 0 && calc.sources.length > 0, "reasons and sources kept");
      assert.equal((c.application as { appliedOn: string }).appliedOn, "2021-04-01");
      await assert.rejects(apply(db, fund(), ME, on("2021-04-02")), refusal("E9506"), "a second live case");
      await close(c.caseId);
    });

    test("outside the period, before completion, completed too late, or not taken here: refused, nothing stored", async () => {
      const before = await cases();
      await assert.rejects(apply(db, fund(), ME, on("2020-10-31")), refusal("E9509", /2020-11-01/));
      await assert.rejects(apply(db, fund({ completedOn: "2023-03-01" }), ME, on("2023-10-01")), refusal("E9509", /2023-09-30/));
      await assert.rejects(apply(db, fund({ completedOn: undefined }), ME, on("2021-04-01")), refusal("E9510", /completedOn/));
      await assert.rejects(apply(db, fund({ completedOn: "2021-04-02" }), ME, on("2021-04-01")), refusal("E9510"));
      await assert.rejects(apply(db, fund({ completedOn: "2023-04-01" }), ME, on("2023-06-01")), refusal("E9516", /2023-03-31/));
      for (const program of ["lump-sum-2024", "modification-mhlw-2024", "dx-addition"]) {
        const input = { facilityCode: FACILITY.code, program, profile: { kind: "hospital", projects: [{ program, cost: 1 }] } };
        await assert.rejects(apply(db, input, ME, on("2024-06-01")), refusal("E9511"), program);
      }
      await assert.rejects(apply(db, { ...fund(), program: "modification-2025", kind: "reader_request" }, ME, on("2025-07-01")), refusal("E9511"));
      assert.equal(await cases(), before, "no refusal stored a case");
    });

    test("a 猶予届 moves fund-2020's deadline; a reader request opens in 2020-08; an unknown deadline is said", async () => {
      const late = await apply(db, fund({ completedOn: "2023-09-01", deferralType: 1 }), ME, on("2023-12-01"));
      assert.equal(late.state, "applied");
      await close(late.caseId);
      const reader = { facilityCode: FACILITY.code, program: "fund-2020", kind: "reader_request", profile: { kind: "hospital", projects: [{ program: "fund-2020", readers: 2 }] } };
      await assert.rejects(apply(db, reader, ME, on("2020-07-31")), refusal("E9509"));
      const request = await apply(db, reader, ME, on("2020-08-01"));
      assert.equal(request.kind, "reader_request");
      assert.ok(request.requestedReaders! >= 1, "the readers the engine would provide");
      const expansion = await apply(
        db,
        { facilityCode: FACILITY.code, program: "reader-expansion-2024", profile: { kind: "hospital", readersInUse: 1, projects: [{ program: "reader-expansion-2024", cost: 100_000, readers: 1, purchasedOn: "2024-01-10" }] } },
        ME,
        on("2024-06-01"),
      );
      const { transitions } = await showCase(db, expansion.caseId, EXAMINER);
      assert.match(JSON.stringify(transitions[0]!.detail), /申請の期限は公表されていない/);
    });

    test("who may apply for whom: a facility for itself, a vendor for a facility it registered", async () => {
      await assert.rejects(apply(db, fund({}, OTHER_FACILITY.code), ME, on("2021-04-01")), refusal("E9514"));
      await assert.rejects(apply(db, fund({}, FACILITY.code), vendor, on("2021-04-01")), refusal("E9514"), "not registered by this vendor");
      await assert.rejects(apply(db, fund({}, "0110113727"), vendor, on("2021-04-01")), refusal("E9514"), "no such facility: answered alike");
      await assert.rejects(apply(db, fund({}, OTHER_FACILITY.code), EXAMINER, on("2021-04-01")), refusal("E9502"));
      const c = await apply(db, fund({}, OTHER_FACILITY.code), vendor, on("2021-04-01"));
      assert.equal(c.appliedByRole, "vendor");
      assert.equal(c.appliedByAccount, vendor.accountId);
      await assert.rejects(showCase(db, c.caseId, ME), refusal("E9500"), "another facility's case is not found");
      assert.equal((await showCase(db, c.caseId, vendor)).case.caseId, c.caseId);
      await close(c.caseId);
    });

    test("a case sent back is resubmitted with a corrected project and calculated again at its application date", async () => {
      const c = await apply(db, fund({ cost: 100_000 }), ME, on("2021-04-01"));
      await act(db, c.caseId, "send_back", EXAMINER, on("2021-04-10"), { reason: "事業費の見積書と一致しません" });
      await assert.rejects(resubmit(db, c.caseId, fund({ cost: 200_000 }).profile, { ...ME, facilityCode: OTHER_FACILITY.code }, on("2021-04-20")), refusal("E9500"));
      const again = await resubmit(db, c.caseId, fund({ cost: 200_000 }).profile, ME, on("2021-04-20"), { expectedVersion: 2 });
      assert.equal(again.state, "applied");
      assert.equal(again.version, 3);
      assert.ok(again.requestedYen! > c.requestedYen!, "the corrected cost is calculated");
      assert.equal((again.calculation as { at: string }).at, "2021-04-01", "at the first application date");
      await close(c.caseId);
    });

    test("each kind of bad input is its own coded refusal", async () => {
      const bad: [unknown, string][] = [
        ["not an object", "E9513"],
        [{ ...fund(), facilityCode: "12" }, "E9513"],
        [{ ...fund(), program: "no-such-program" }, "E9103"],
        [{ ...fund(), kind: "grant" }, "E9513"],
        [{ ...fund(), profile: [] }, "E9513"],
        [{ ...fund(), profile: { kind: "hospital", projects: [{ program: "fund-2020", cost: -1 }] } }, "E9102"],
        [{ ...fund(), profile: { kind: "hospital", projects: [] } }, "E9513"],
        [{ ...fund(), profile: { kind: "hospital", projects: [{ program: "fund-2020" }, { program: "fund-2020" }] } }, "E9513"],
        [{ ...fund(), profile: { ...fund().profile, kind: "medical_clinic" } }, "E9513"],
      ];
      for (const [input, code] of bad) await assert.rejects(apply(db, input, ME, on("2021-04-01")), refusal(code), JSON.stringify(input));
    });
  });
}
