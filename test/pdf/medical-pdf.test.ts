// The 薬剤情報 and 特定健診 PDFs as a clinician gets them (issue 13 item 3): every page rendered to
// PNG (kept under test-output/pdf/) and its text read back by poppler, so what is checked is what
// a viewer shows — months newest first, 電子処方箋 marked, the HbA1c row's values in year order,
// out-of-range marks, every page headed and numbered, the Japanese font embedded as a subset.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { OqsError } from "../../src/errors/catalogue.ts";
import { checkupPdf, drugInfoPdf, MAX_PDF_ROWS } from "../../src/services/medical-pdf.ts";
import { AS_OF, BMI, checkups, DIASTOLIC, HBA1C, medicalHistory, PERSON, SYSTOLIC } from "../support/medical-history-fixture.ts";
import { A4_RATIO, assertJapaneseFontEmbedded, assertPages, fonts, pageCount, pagesText, pngSize, popplerSkipReason, renderPages } from "./poppler.ts";

const skip = popplerSkipReason();

/** Every page names the person and the time it was made, and is numbered n / count. */
function assertHeadedAndNumbered(pages: string[]): void {
  pages.forEach((page, i) => {
    assert.match(page, /氏名 山田 太郎（ヤマダ タロウ）/, `page ${i + 1} names the patient`);
    assert.match(page, /生年月日 1958\/03\/04（66歳）/, `page ${i + 1} gives the birth date and age`);
    assert.match(page, /性別 男/, `page ${i + 1} gives the sex`);
    assert.match(page, /作成日時 2024\/09\/20 10:30/, `page ${i + 1} says when it was made (Japan time)`);
    assert.match(page, new RegExp(`\\b${i + 1}\\s*/\\s*${pages.length}\\s*$`), `page ${i + 1} is numbered ${i + 1} / ${pages.length}`);
  });
}


describe("the 薬剤情報 PDF", { skip }, () => {
  test("lists three years of drugs month by month, newest first, 電子処方箋 marked, on numbered A4 pages", async () => {
    const pdf = await drugInfoPdf({ person: PERSON, history: medicalHistory(), asOf: AS_OF, withTreatments: false });
    const pages = pagesText(pdf);
    const count = pageCount(pdf);
    assert.equal(pages.length, count, "pdftotext reads every page");
    assert.ok(count >= 3 && count <= 12, `three years of three drugs fill a few pages, not ${count}`);
    assertPages(renderPages(pdf, "drug-info"), count);
    assertHeadedAndNumbered(pages);
    assertJapaneseFontEmbedded(pdf);

    const text = pages.join("\n");
    const months = [...text.matchAll(/(\d{4})年(\d{1,2})月/g)].map((m) => Number(m[1]) * 100 + Number(m[2]));
    assert.equal(months.length, 37, "every month from 2021-09 to 2024-09 has its band (35 receipts, 2 of 電子処方箋)");
    assert.deepEqual(months, [...months].sort((a, b) => b - a), "months run newest first");
    assert.equal(months[0], 202409, "the newest month comes first");

    // ◆処方 and ◆調剤 only in the two months of 電子処方箋, before the first receipt month.
    const firstReceipt = text.indexOf("レセプト", text.indexOf("2024年7月"));
    for (const mark of ["◆処方", "◆調剤"]) {
      const at = [...text.matchAll(new RegExp(mark, "g"))].map((m) => m.index!);
      assert.equal(at.filter((i) => i > text.indexOf("2024年9月")).length, 2, `${mark} marks one record in each of September and August`);
      assert.ok(at.every((i) => i < firstReceipt), `${mark} appears only before the receipt months`);
    }
    const firstPage = pages[0]!;
    const line = firstPage.split("\n").find((l) => l.includes("メトグルコ錠250mg") && l.includes("◆処方"));
    assert.ok(line, "the 電子処方箋 record's first drug shares the line with its mark");
    assert.match(line, /9\/10\s+◆処方\s+みなと内科クリニック\s+メトグルコ錠250mg\s+4錠\s+1日2回朝夕食後\s+28/, "date, mark, facility, drug, dose, usage and days in column order");
    assert.doesNotMatch(text, /診療情報|手術情報/, "FileCategory 1 holds the drugs only");
  });

  test("with treatments (FileCategory 3) adds the 診療情報 and 手術情報 after the drugs, newest first", async () => {
    const pdf = await drugInfoPdf({ person: PERSON, history: medicalHistory(), asOf: AS_OF, withTreatments: true });
    const pages = pagesText(pdf);
    assertPages(renderPages(pdf, "drug-info-treatments"), pages.length);
    assertHeadedAndNumbered(pages);
    const text = pages.join("\n");
    const drugs = text.indexOf("2021年9月");
    const treatments = text.indexOf("診療情報\n");
    const operations = text.indexOf("手術情報\n");
    assert.ok(drugs > 0 && treatments > drugs && operations > treatments, "drugs, then 診療情報, then 手術情報");
    const treatmentDays = [...text.slice(treatments, operations).matchAll(/(\d{4})\/(\d{2})\/(\d{2})/g)].map((m) => m[0]);
    assert.deepEqual(treatmentDays, ["2024/03/05", "2022/11/09", "2022/11/08", "2022/06/14"], "treatments newest first");
    assert.match(text.slice(operations), /2022\/11\/08\s+東京中央病院\s+内視鏡的大腸ポリープ・粘膜切除術/, "the operation with its day and facility");
    assert.match(text.slice(treatments, operations), /画像診断/, "the 診療行為 class is shown");
  });

  test("an empty history says so rather than printing an empty table", async () => {
    const pdf = await drugInfoPdf({ person: PERSON, history: { drugs: [], checkups: [], treatments: [], operations: [] }, asOf: AS_OF, withTreatments: true });
    const text = pagesText(pdf).join("\n");
    for (const none of ["該当する薬剤情報はありません", "該当する診療情報はありません", "該当する手術情報はありません"]) assert.ok(text.includes(none), `says: ${none}`);
    assert.equal(pageCount(pdf), 1, "one page");
  });
});

describe("the 特定健診 PDF", { skip }, () => {
  test("shows five years side by side, out-of-range values marked, a reference column and three trend charts", async () => {
    const pdf = await checkupPdf({ person: PERSON, checkups: checkups(), asOf: AS_OF });
    const pages = pagesText(pdf);
    assert.equal(pageCount(pdf), 1, "five check-ups fit one page");
    assertPages(renderPages(pdf, "checkup"), 1);
    assertHeadedAndNumbered(pages);
    assertJapaneseFontEmbedded(pdf);
    assert.ok(fonts(pdf).some((f) => f.name.endsWith("NotoSansJP-Bold")), "out-of-range values are bold");

    const lines = pages[0]!.split("\n");
    const row = (label: string) => lines.find((l) => l.trimStart().startsWith(label)) ?? "";
    assert.match(row("検査項目"), /2020年\s+2021年\s+2022年\s+2023年\s+2024年/, "years left to right, oldest first");
    // HbA1c above 5.5 every year: each value marked * and H, in year order, after its reference range.
    const hba1c = row("HbA1c");
    assert.match(hba1c, new RegExp(`5\\.5 以下\\s+%\\s+${HBA1C.map((v) => `\\*${v.replace(".", "\\.")} H`).join("\\s+")}\\s*$`), `the HbA1c row: ${hba1c}`);
    // Blood pressure: in range values unmarked, out-of-range ones marked, in year order.
    const mark = (v: string, high: number) => (Number(v) > high ? `\\*${v} H` : v);
    assert.match(row("収縮期血圧"), new RegExp(`129 以下\\s+mmHg\\s+${SYSTOLIC.map((v) => mark(v, 129)).join("\\s+")}\\s*$`), "the systolic row");
    assert.match(row("拡張期血圧"), new RegExp(`84 以下\\s+mmHg\\s+${DIASTOLIC.map((v) => mark(v, 84)).join("\\s+")}\\s*$`), "the diastolic row");
    assert.match(row("BMI"), new RegExp(`18\\.5–24\\.9\\s+kg/m2\\s+${BMI.map((v) => `\\*${v.replace(".", "\\.")} H`).join("\\s+")}\\s*$`), "the BMI row");
    assert.match(row("HDLコレステロール"), /40 以上\s+mg\/dL\s+48\s+47\s+46\s+45\s+44\s*$/, "a lower limit, all in range");
    assert.match(row("尿糖"), /－\s+－\s+－\s+\*＋\s+\*＋\s*$/, "a coded answer shows its label, marked when abnormal");

    const text = pages[0]!;
    const charts = text.indexOf("経年変化");
    assert.ok(charts > text.indexOf("尿蛋白"), "the charts follow the table");
    for (const title of ["HbA1c（%）", "血圧（mmHg）", "BMI（kg/m²）", "収縮期", "拡張期"]) assert.ok(text.indexOf(title, charts) > charts, `the charts show ${title}`);
    // Each chart labels its points: the HbA1c values appear again under 経年変化.
    for (const v of HBA1C) assert.ok(text.indexOf(v, charts) > charts, `the HbA1c chart labels ${v}`);
  });

  test("keeps the latest five check-ups of more, and says so when there are none", async () => {
    const seven = [...checkups(), ...checkups().slice(0, 2).map((c) => ({ ...c, date: `${Number(c.date.slice(0, 4)) - 5}${c.date.slice(4)}` }))];
    const text = pagesText(await checkupPdf({ person: PERSON, checkups: seven, asOf: AS_OF }))[0]!;
    assert.match(text, /2020年\s+2021年\s+2022年\s+2023年\s+2024年/, "2015 and 2016 are left out");
    assert.doesNotMatch(text, /2015年|2016年/, "no older year");
    const none = pagesText(await checkupPdf({ person: PERSON, checkups: [], asOf: AS_OF })).join("");
    assert.ok(none.includes("該当する特定健診情報はありません"), "an empty list says so");
  });
});

describe("the PDFs' input and output", () => {
  test("are byte for byte the same for the same input; only asOf's dates differ between times", async () => {
    const input = { person: PERSON, checkups: checkups(), asOf: AS_OF };
    const [a, b] = [await checkupPdf(input), await checkupPdf(input)];
    assert.ok(a.equals(b), "the same check-up PDF twice");
    const history = medicalHistory();
    const drug = () => drugInfoPdf({ person: PERSON, history, asOf: AS_OF, withTreatments: true });
    assert.ok((await drug()).equals(await drug()), "the same drug PDF twice");
    const later = await checkupPdf({ ...input, asOf: new Date(AS_OF.getTime() + 60_000) });
    assert.ok(!later.equals(a), "another time makes another file");
    const dateOf = (pdf: Buffer) => /\(D:(\d{14})Z\)/.exec(pdf.toString("latin1"))?.[1];
    assert.equal(dateOf(a), "20240920013000", "the PDF's creation date is asOf (UTC)");
  });

  test("refuse a person the PDF cannot print, and a history over the row limit, with coded errors", async () => {
    const bad = { ...PERSON, birthdate: "19581304" };
    await assert.rejects(drugInfoPdf({ person: bad, history: medicalHistory(), asOf: AS_OF, withTreatments: false }), (e: unknown) => e instanceof OqsError && e.code === "E9301" && e.message.includes("birthdate"));
    await assert.rejects(checkupPdf({ person: { ...PERSON, sex: 4 as 1 }, checkups: [], asOf: AS_OF }), (e: unknown) => e instanceof OqsError && e.code === "E9301" && e.message.includes("sex"));
    await assert.rejects(checkupPdf({ person: PERSON, checkups: [], asOf: new Date(Number.NaN) }), (e: unknown) => e instanceof OqsError && e.code === "E9301");
    const record = medicalHistory().drugs[0]!;
    const huge = { drugs: Array.from({ length: Math.ceil((MAX_PDF_ROWS + 1) / record.drugs.length) }, () => record), checkups: [], treatments: [], operations: [] };
    const started = performance.now();
    await assert.rejects(drugInfoPdf({ person: PERSON, history: huge, asOf: AS_OF, withTreatments: false }), (e: unknown) => e instanceof OqsError && e.code === "E9300");
    assert.ok(performance.now() - started < 1000, "refused before drawing anything");
  });
});

describe("the README's PDF pictures", () => {
  test("are PNG pages of the PDFs, shown in the README", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const name of ["drug-info", "checkup"]) {
      const file = new URL(`../../docs/images/${name}-pdf.png`, import.meta.url);
      const size = pngSize(file.pathname);
      assert.ok(size, `docs/images/${name}-pdf.png is a PNG`);
      assert.ok(Math.abs(size.height / size.width - A4_RATIO) < 0.01, `docs/images/${name}-pdf.png is a whole A4 page`);
    }
    assert.match(readme, /## 薬剤情報・特定健診情報のPDF[\s\S]*!\[[^\]]+\]\(docs\/images\/(checkup|drug-info)-pdf\.png\)/, "the README's section shows a page");
  });
});
