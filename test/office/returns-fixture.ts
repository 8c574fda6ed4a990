// The cases the return tests start from: a facility (the route fixture's), an examiner and the
// facility's administrator as actors, and a case decided and paid as the exam part leaves it.
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { addOfficeAccount } from "../../src/services/office-accounts.ts";
import { addStaffAccount } from "../../src/services/staff.ts";
import { openCase, transition, type CaseActor } from "../../src/store/subsidy-case-store.ts";
import { FACILITY, loadFixture } from "../support/fixture.ts";

export const day = (iso: string) => new Date(`${iso}T10:00:00+09:00`);

export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    assert.ok(error instanceof OqsError, `an OqsError, not ${String(error)}`);
    return error.code;
  }
  return "none";
}

export const PASSWORD = "correct-horse-battery";

/** The fixture's facilities, the examiner 'kikin' and the facility's administrator 'kanri' (both signing in with PASSWORD). */
export async function setUp(db: Db): Promise<{ examiner: CaseActor; facility: CaseActor }> {
  await loadFixture(db);
  const at = day("2021-01-04");
  const { account: examiner } = await addOfficeAccount(db, { loginId: "kikin", role: "examiner", displayName: "審査 花子", password: PASSWORD }, at);
  const { account: staff } = await addStaffAccount(db, { facilityCode: FACILITY.code, loginId: "kanri", displayName: "管理 太郎", role: "clerk", administrator: true, password: PASSWORD }, at);
  return {
    examiner: { role: "examiner", accountId: examiner.accountId, name: examiner.displayName },
    facility: { role: "facility", accountId: staff.accountId, name: staff.displayName, facilityCode: FACILITY.code },
  };
}

/** A case decided (yen, readers) and paid on `paidOn`, as exam's routes leave it. */
export async function paidCase(db: Db, actors: { examiner: CaseActor; facility: CaseActor }, yen: number, readers: number, paidOn: string | null, code = FACILITY.code): Promise<number> {
  return db.transaction(async (tx) => {
    const opened = await openCase(
      tx,
      { facilityCode: code, program: "fund-2020", kind: "application", application: {}, calculation: null, requestedYen: yen, requestedReaders: readers },
      { ...actors.facility, facilityCode: code },
      day("2021-02-01"),
    );
    await transition(tx, opened!.caseId, "decide", actors.examiner, day("2021-03-01"), { set: { decidedYen: yen, decidedReaders: readers } });
    if (paidOn) await transition(tx, opened!.caseId, "pay", actors.examiner, day(paidOn), { set: { paidYen: yen, paidOn } });
    return opened!.caseId;
  });
}

export async function ledgerOf(db: Db, caseId: number): Promise<[string, string, number, number][]> {
  const rows = await db.query<{ entry: string; on_date: string; yen: number; readers: number }>(`select entry, on_date, yen, readers from subsidy_ledger where case_id = $1 order by entry_id`, [caseId]);
  return rows.map((r) => [r.entry, r.on_date, Number(r.yen), Number(r.readers)]);
}

