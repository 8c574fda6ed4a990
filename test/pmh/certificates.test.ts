// 受給者証 of 医療費助成: the 公費負担者番号 and 受給者番号 rules on published numbers, and the store
// on each database: saving by (issuer, historyKey) is idempotent, updates and deletes reach the
// issuer's own records only, and a person's records valid on a date respect validity and the
// designated facilities.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import type { SubsidyCertificate } from "../../src/domain/medical-subsidy.ts";
import { parsePublicExpenseInsurerNumber, parseRecipientNumber } from "../../src/domain/public-expense-number.ts";
import { certificatesValidOn, deleteCertificates, findCertificate, saveCertificates } from "../../src/store/medical-subsidy-store.ts";
import { testDatabases } from "../support/databases.ts";
import { HACHIOJI, maruNyu } from "../support/subsidy-certificate.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

describe("公費負担者番号", () => {
  test("八王子市's published numbers pass and split into their parts", () => {
    // マル乳, マル子, マル青, マル親 ×2 (八王子市, from 2026-04-01); 54016027 北海道の特定医療費
    for (const n of ["88138243", "88131248", "89131247", "81136244", "81137242", "54016027"]) {
      const parsed = parsePublicExpenseInsurerNumber(n);
      assert.ok(parsed.ok, `${n} is valid`);
    }
    assert.deepEqual(parsePublicExpenseInsurerNumber("88138243"), {
      ok: true,
      value: { value: "88138243", lawNumber: "88", prefecture: 13, agency: "824" },
    });
  });

  test("every other check digit is refused, and each bad form has its problem", () => {
    for (const n of ["88138243", "88131248", "89131247", "81136244", "81137242"]) {
      for (let d = 0; d <= 9; d++) {
        const other = n.slice(0, 7) + d;
        if (other !== n) assert.deepEqual(parsePublicExpenseInsurerNumber(other), { ok: false, problem: "checkDigit" }, other);
      }
    }
    const cases: [string, string][] = [
      ["8813824", "length"],
      ["881382430", "length"],
      ["", "length"],
      ["8813824a", "digits"],
      ["８８１３８２４３", "digits"],
      ["88008240", "prefecture"], // 都道府県番号 00
      ["88488240", "prefecture"], // 48
      ["88018241", "checkDigit"],
    ];
    for (const [raw, problem] of cases) assert.deepEqual(parsePublicExpenseInsurerNumber(raw), { ok: false, problem }, raw);
    // the boundaries 01 and 47 are prefectures: 8801824 and 8847824 with their own check digits
    assert.ok(parsePublicExpenseInsurerNumber("88018247").ok, "都道府県番号 01");
    assert.ok(parsePublicExpenseInsurerNumber("88478243").ok, "都道府県番号 47");
  });
});

describe("受給者番号", () => {
  test("national: 7 digits whose last is the check digit of the six before it", () => {
    // 123456 → 1×1 2×2 3×1 4×2 5×1 6×2 (from the last) = 1+4+3+8+5+(1+2) = 24 → 10-4 = 6
    assert.deepEqual(parseRecipientNumber("1234566", "national"), { ok: true, value: "1234566" });
    assert.deepEqual(parseRecipientNumber("1234567", "national"), { ok: false, problem: "checkDigit" });
    assert.deepEqual(parseRecipientNumber("123456", "national"), { ok: false, problem: "length" });
    assert.deepEqual(parseRecipientNumber("12345660", "national"), { ok: false, problem: "length" });
    assert.deepEqual(parseRecipientNumber("12345a6", "national"), { ok: false, problem: "digits" });
  });

  test("local: 1 to 30 半角英数字 or '-', no check digit", () => {
    assert.deepEqual(parseRecipientNumber("1234567", "local"), { ok: true, value: "1234567" }, "a wrong national check digit is no matter");
    assert.ok(parseRecipientNumber("A-0001", "local").ok, "letters and hyphen");
    assert.ok(parseRecipientNumber("9".repeat(30), "local").ok, "30 characters");
    assert.deepEqual(parseRecipientNumber("9".repeat(31), "local"), { ok: false, problem: "length" });
    assert.deepEqual(parseRecipientNumber("", "local"), { ok: false, problem: "length" });
    assert.deepEqual(parseRecipientNumber("12 34", "local"), { ok: false, problem: "digits" });
    assert.deepEqual(parseRecipientNumber("１２３", "local"), { ok: false, problem: "digits" });
  });
});

const TOKYO = "130001";
const AT = new Date("2026-04-01T00:00:00Z");
const certificate = maruNyu;

for (const database of testDatabases()) {
  describe(`受給者証 store on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
      await db.query(
        `insert into persons (person_id, name, name_kana, sex, birthdate) values (2, '診療　花子', 'シンリョウ　ハナコ', 2, '2024-05-05')`,
      );
    });
    after(async () => db.close());

    test("the same rows twice change nothing; a changed field is one update", async () => {
      const rows = [certificate(), certificate({ historyKey: "H-0002", personId: 2, insurerNumber: "88131248", certificationName: "子ども医療証（マル子）", maxCopayment: { perVisit: 200 } })];
      assert.deepEqual(await saveCertificates(db, rows, AT), { inserted: ["H-0001", "H-0002"], updated: [], unchanged: [] });
      const before = await db.query("select * from medical_subsidy_certificates order by history_key");
      assert.deepEqual(await saveCertificates(db, rows, new Date("2026-04-02T00:00:00Z")), { inserted: [], updated: [], unchanged: ["H-0001", "H-0002"] });
      assert.deepEqual(await db.query("select * from medical_subsidy_certificates order by history_key"), before, "not one column changed, updated_at included");
      const changed = [rows[0]!, { ...rows[1]!, maxCopayment: { perVisit: 300 } }];
      assert.deepEqual(await saveCertificates(db, changed, AT), { inserted: [], updated: ["H-0002"], unchanged: ["H-0001"] });
      assert.deepEqual((await findCertificate(db, HACHIOJI, "H-0002"))?.maxCopayment, { perVisit: 300 }, "the new cap is kept");
    });

    test("a record reads back as it was saved; of two rows with one key the later wins", async () => {
      const full = certificate({
        historyKey: "H-full",
        certificationSubKey: "01",
        segment: "1",
        incomeSegment: "一般所得Ⅰ",
        additionalConditions: "01-02;03-04",
        designatedMedicalInstitutions: [FACILITY.code],
        alwaysReimbursement: true,
        maxCopayment: { monthly: 10000, perVisit: 500 },
        validTo: null,
        recipientNumber: null,
        orgCertificateTypeId: null,
      });
      const outcome = await saveCertificates(db, [certificate({ historyKey: "H-full" }), full], AT);
      assert.deepEqual(outcome.inserted, ["H-full"], "one row for the key");
      assert.deepEqual(await findCertificate(db, HACHIOJI, "H-full"), full);
      assert.equal(await findCertificate(db, TOKYO, "H-full"), undefined, "another issuer has no such record");
    });

    test("one issuer's keys do not reach another's records", async () => {
      const tokyo = certificate({ historyKey: "K-1", issuerCode: TOKYO, programme: "intractableDisease", insurerNumber: "54137013" });
      const hachioji = certificate({ historyKey: "K-1" });
      await saveCertificates(db, [tokyo, hachioji], AT);
      assert.deepEqual(await deleteCertificates(db, HACHIOJI, ["K-1", "no-such-key"], AT), { deleted: ["K-1"], unchanged: [], missing: ["no-such-key"] });
      assert.equal((await findCertificate(db, TOKYO, "K-1"))?.isDeleted, false, "東京都's K-1 stays");
      assert.equal((await findCertificate(db, HACHIOJI, "K-1"))?.isDeleted, true, "八王子市's K-1 is deleted");
      assert.deepEqual(await deleteCertificates(db, HACHIOJI, ["K-1", "K-1"], AT), { deleted: [], unchanged: ["K-1"], missing: [] }, "deleting twice changes nothing");
      assert.deepEqual(await deleteCertificates(db, TOKYO, [], AT), { deleted: [], unchanged: [], missing: [] }, "nothing to delete");
      const again = await saveCertificates(db, [hachioji], AT);
      assert.deepEqual(again.updated, ["K-1"], "a register after a delete brings the record back");
      assert.equal((await findCertificate(db, HACHIOJI, "K-1"))?.isDeleted, false, "no longer deleted");
    });

    test("valid on a date: from its first day through its last, not deleted, at its designated facilities", async () => {
      await db.query("delete from medical_subsidy_certificates");
      await saveCertificates(
        db,
        [
          certificate({ historyKey: "V-any" }),
          certificate({ historyKey: "V-designated", programme: "intractableDisease", issuerCode: TOKYO, insurerNumber: "54137013", designatedMedicalInstitutions: [FACILITY.code] }),
          certificate({ historyKey: "V-later", validFrom: "2027-04-01", validTo: null }),
          certificate({ historyKey: "V-deleted", isDeleted: true }),
          certificate({ historyKey: "V-other-person", personId: 2 }),
        ],
        AT,
      );
      const keys = async (date: string, facility?: string, persons = [1]) =>
        (await certificatesValidOn(db, persons, date, facility)).map((c) => c.historyKey);
      assert.deepEqual(await keys("2026-03-31"), [], "the day before validFrom");
      assert.deepEqual(await keys("2026-04-01"), ["V-designated", "V-any"], "validFrom itself; ordered by issuer then key");
      assert.deepEqual(await keys("2027-03-31"), ["V-designated", "V-any"], "validTo itself");
      assert.deepEqual(await keys("2027-04-01"), ["V-later"], "the day after validTo; an open end");
      assert.deepEqual(await keys("2099-12-31"), ["V-later"], "no end");
      assert.deepEqual(await keys("2026-06-01", FACILITY.code), ["V-designated", "V-any"], "at the designated facility");
      assert.deepEqual(await keys("2026-06-01", OTHER_FACILITY.code), ["V-any"], "elsewhere, only what any facility may use");
      assert.deepEqual(await keys("2026-06-01", undefined, [1, 2]), ["V-designated", "V-any", "V-other-person"], "several persons, by person");
      assert.deepEqual(await keys("2026-06-01", undefined, []), [], "no persons");
    });

    test("the table refuses what the store must never hold", async () => {
      const bad: Partial<SubsidyCertificate>[] = [
        { insurerNumber: "8813824" },
        { recipientNumber: "9".repeat(31) },
        { validFrom: "2026-04-02", validTo: "2026-04-01" },
        { personId: 999 },
        { issuerCode: "13201" },
        { certificationName: "" },
        { maxCopayment: { monthly: -1 } },
      ];
      for (const over of bad) await assert.rejects(saveCertificates(db, [certificate({ historyKey: "bad", ...over })], AT), JSON.stringify(over));
      assert.equal(await findCertificate(db, HACHIOJI, "bad"), undefined, "nothing saved");
    });
  });
}
