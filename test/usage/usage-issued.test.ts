// The monthly notice's shared figures as issued (migration 029), on each database: computed from
// one reading of the month they equal the rates service's live answers (every group, every
// facility's standing, ties included); once issued they stay as they were when a receipt upload
// later changes the month, and so does the notice; two notices made at once keep one set.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { issueMonths, issuedRankBands, monthGroupRates } from "../../src/services/usage-issued.ts";
import { usageNotice } from "../../src/services/usage-notice.ts";
import { facilityRankBand, facilityRates, groupRates } from "../../src/services/usage-rates.ts";
import { keepStandings } from "../../src/store/usage-notice-store.ts";
import { testDatabases } from "../support/databases.ts";
import { LAST, P, X, Y, Z, loadNoticeFixture } from "./notice-fixture.ts";

const ISSUED = new Date("2025-08-11T00:00:00+09:00");

/** The month's groups as issued (kept by the first to ask). */
const issuedGroupRates = async (db: Db, month: string, now: Date) => monthGroupRates(await issueMonths(db, month, month, now), month);
/** A 医科診療所 in Tokyo with Y's figures every month: a tie with Y on every basis. */
const TWIN = "1310000055";

for (const database of testDatabases()) {
  describe(`the notice's figures as issued on ${database.name}`, () => {
    let db: Db;

    before(async () => {
      db = await database.open();
      await loadNoticeFixture(db, 300);
      await db.query("insert into facilities (medical_institution_code, name, kind, prefecture) values ($1, 'テスト双子医院', 'medical_clinic', 13)", [TWIN]);
      await db.query(`insert into usage_month_totals (medical_institution_code, month, card_face, insurance_number, card_persons)
        select $1, month, card_face, insurance_number, card_persons from usage_month_totals where medical_institution_code = $2`, [TWIN, Y]);
      await db.query(`insert into usage_receipts select $1, month, receipts, outpatient_receipts, updated_at from usage_receipts where medical_institution_code = $2`, [TWIN, Y]);
    });
    after(() => db.close());

    test("equal the live groups of every grouping and every facility's live standing, ties ranked alike", async () => {
      const issued = await issuedGroupRates(db, LAST, ISSUED);
      const live = [...(await groupRates(db, LAST, "nation")), ...(await groupRates(db, LAST, "kind")), ...(await groupRates(db, LAST, "kind-prefecture"))];
      const key = (g: { kind?: string; prefecture?: number }) => `${g.kind ?? "-"} ${g.prefecture ?? "-"}`;
      assert.deepEqual(new Map(issued.map((g) => [key(g), g])), new Map(live.map((g) => [key(g), g])), "every group as the rates service sums it");
      for (const code of [X, Y, Z, P, TWIN]) {
        const rates = (await facilityRates(db, code, LAST))!;
        const issuedBands = await issuedRankBands(db, LAST, code, ISSUED);
        for (const basis of ["receipt", "online"] as const) {
          assert.deepEqual(issuedBands[basis], await facilityRankBand(db, rates, basis), `${code}'s standing on ${basis}`);
        }
      }
      const [y, twin] = await Promise.all([issuedRankBands(db, LAST, Y, ISSUED), issuedRankBands(db, LAST, TWIN, ISSUED)]);
      assert.deepEqual(y, twin, "equal rates stand equal");
      assert.equal(y.receipt!.ranked, 4, "the four 医科診療所 with receipts are ranked on the receipt basis");
    });

    test("stay as issued when a later upload changes the month, and so does the notice", async () => {
      const notice = await usageNotice(db, X, LAST, ISSUED);
      await db.query("update usage_receipts set receipts = receipts * 10, outpatient_receipts = outpatient_receipts * 10 where month = $1 and medical_institution_code = $2", [`${LAST}-01`, Y]);
      const liveKind = (await groupRates(db, LAST, "kind")).find((g) => g.kind === "medical_clinic")!;
      const issuedKind = (await issuedGroupRates(db, LAST, ISSUED)).find((g) => g.kind === "medical_clinic" && g.prefecture === undefined)!;
      assert.notDeepEqual(liveKind.rates.receipt, issuedKind.rates.receipt, "the live figures moved");
      assert.deepEqual(await usageNotice(db, X, LAST, ISSUED), notice, "the notice says what it said when issued");
    });

    test("two notices made at once keep one set of figures", async () => {
      const month = "2024-01"; // before the history of the notices above, so not issued yet
      const answers = await Promise.all([issuedRankBands(db, month, X, ISSUED), issuedRankBands(db, month, X, ISSUED), issuedGroupRates(db, month, ISSUED), issuedGroupRates(db, month, ISSUED)]);
      assert.deepEqual(answers[0], answers[1], "both notices stand the same");
      assert.deepEqual(answers[2], answers[3], "both read the same groups");
      const [{ n }] = (await db.query<{ n: number }>("select count(*)::int as n from usage_notice_ranks where month = $1", [`${month}-01`])) as [{ n: number }];
      assert.equal(n, 10, "one standing per facility and basis, written once: the 5 facilities on both bases");
      await issueMonths(db, "2024-02", "2024-02", ISSUED);
      const kept = await Promise.all([keepStandings(db, "2024-02-01", ISSUED), keepStandings(db, "2024-02-01", ISSUED)]);
      assert.deepEqual(kept.sort(), [false, true], "one kept them, the other found them kept");
    });
  });
}
