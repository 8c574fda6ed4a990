// The demo's 佐藤 健一 (the README's person with the richest history, as readMedicalHistory derives
// it) through both PDFs, on each database: the check-up table and charts hold his values as the
// history does, every page is rendered under test-output/pdf/demo-*.png (the README's pictures,
// docs/images/*-pdf.png, are those first pages), and both databases give the same bytes.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Db } from "../../src/db/client.ts";
import type { MedicalHistory } from "../../src/domain/medical-history.ts";
import { loadDemo } from "../../src/seed/demo.ts";
import { readMedicalHistory } from "../../src/services/medical-history.ts";
import { checkupPdf, drugInfoPdf, type PdfPerson } from "../../src/services/medical-pdf.ts";
import { testDatabases } from "../support/databases.ts";
import { pageCount, pagesText, pngSize, popplerSkipReason, renderPages } from "./poppler.ts";

const AT = new Date("2026-04-01T10:00:00+09:00");
const skip = popplerSkipReason();
/** The PDFs of each database, to compare across them. */
const made = new Map<string, { drug: Buffer; checkup: Buffer }>();

for (const database of testDatabases()) {
  describe(`the demo person's PDFs on ${database.name}`, { skip }, () => {
    let db: Db;
    let person: PdfPerson;
    let history: MedicalHistory;
    before(async () => {
      db = await database.open();
      await loadDemo(db);
      const [row] = await db.query<{ person_id: number; name: string; kana: string; birthdate: string; sex: 1 | 2 | 3 }>(
        "select person_id, name, name_kana as kana, birthdate, sex from persons where name = '佐藤　健一'",
      );
      assert.ok(row, "the demo has 佐藤 健一");
      person = { name: row.name, kana: row.kana, birthdate: row.birthdate.replaceAll("-", ""), sex: row.sex };
      history = await readMedicalHistory(db, row.person_id, { at: AT });
    });
    after(async () => db.close());

    test("the 特定健診 PDF holds each year's HbA1c and blood pressure as the history does, with the charts", async () => {
      const pdf = await checkupPdf({ person, checkups: history.checkups, asOf: AT });
      const files = renderPages(pdf, `demo-checkup-${database.name}`);
      assert.equal(files.length, pageCount(pdf), "every page rendered");
      assert.ok(pngSize(files[0]!), "a PNG page");
      const text = pagesText(pdf).join("\n");
      const latest = history.checkups.slice(-5);
      assert.ok(latest.length >= 4, `a check-up most years, got ${latest.length}`);
      const lines = text.split("\n");
      for (const analyte of ["3D046", "9A751", "9A761", "9N011"]) {
        const values = latest.map((c) => c.items.find((i) => i.code.startsWith(analyte)));
        const name = values.find((v) => v)!.name;
        const row = lines.find((l) => l.includes(name)) ?? "";
        const shown = values.map((v) => (v ? `${v.outOfRange ? "*" : ""}${v.value}` : "—"));
        assert.match(row, new RegExp(shown.map((v) => v.replace(/[.*]/g, "\\$&")).join("(?: [HL])?\\s+") + "(?: [HL])?\\s*$"), `${name}: ${shown.join(" ")} in year order, in: ${row}`);
      }
      for (const title of ["HbA1c（%）", "血圧（mmHg）", "BMI（kg/m²）"]) assert.ok(text.includes(title), `the ${title} chart`);
      made.set(database.name, { ...(made.get(database.name) ?? { drug: Buffer.alloc(0) }), checkup: pdf });
    });

    test("the 薬剤情報・診療情報 PDF lists three years of his drugs newest first, then his operations", async () => {
      const pdf = await drugInfoPdf({ person, history, asOf: AT, withTreatments: true });
      const files = renderPages(pdf, `demo-drug-info-${database.name}`);
      const pages = pagesText(pdf);
      assert.equal(files.length, pages.length, "every page rendered");
      const text = pages.join("\n");
      const months = [...text.matchAll(/^\s*(\d{4})年(\d{1,2})月\s*$/gm)].map((m) => Number(m[1]) * 100 + Number(m[2]));
      assert.deepEqual(months, [...new Set(history.drugs.map((d) => Number(d.month)))].sort((a, b) => b - a), "one band per month of the history, newest first");
      for (const o of history.operations) assert.ok(text.includes(o.name), `the operation ${o.name}`);
      made.set(database.name, { ...(made.get(database.name) ?? { checkup: Buffer.alloc(0) }), drug: pdf });
    });
  });
}

describe("the demo person's PDFs on every database", { skip }, () => {
  test("are the same bytes", () => {
    const all = [...made.values()];
    for (const other of all.slice(1)) {
      assert.ok(other.drug.equals(all[0]!.drug), "the same 薬剤情報 PDF");
      assert.ok(other.checkup.equals(all[0]!.checkup), "the same 特定健診 PDF");
    }
  });
});
