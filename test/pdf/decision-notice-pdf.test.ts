// The decision notice as its facility reads it: A4 pages (PNG under test-output/pdf/), Noto Sans JP
// embedded, the text read back by poppler holding the facility, programme, amounts, conditions and
// their lines; the same notice gives the same bytes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decisionNoticePdf } from "../../src/services/decision-notice-pdf.ts";
import { decisionNotice, noticeNumber } from "../../src/subsidy/decision-notice.ts";
import { assertJapaneseFontEmbedded, assertPages, pageCount, pagesText, popplerSkipReason, renderPages } from "./poppler.ts";

const skip = popplerSkipReason();
const flat = (pages: string[]) => pages.join("\n").replace(/\s+/g, " ");

const notice = decisionNotice({
  noticeNumber: noticeNumber(12, 2, "2021-03-01"),
  issuedOn: "2021-03-01",
  facility: { code: "1312345678", name: "テスト診療所" },
  program: { id: "fund-2020", name: "医療情報化支援基金" },
  kind: "application",
  appliedOn: "2021-02-01",
  requestedYen: 321_000,
  requestedReaders: null,
  decidedYen: 300_000,
  decidedReaders: 1,
  reason: "領収書の金額と異なるため",
  sources: ["別表3 診療所 3/4"],
});

describe("the decision notice PDF", { skip }, () => {
  test("holds the notice: number, date, facility, amounts, reason, the six conditions with their lines", async () => {
    const pdf = await decisionNoticePdf(notice);
    const count = pageCount(pdf);
    assertPages(renderPages(pdf, "decision-notice"), count);
    assertJapaneseFontEmbedded(pdf);
    const pages = pagesText(pdf);
    pages.forEach((page, i) => assert.match(page, /補助金交付決定通知書/, `page ${i + 1} is headed`));
    const text = flat(pages);
    assert.match(text, /支基補第2021-12-2号 2021年3月1日/);
    assert.match(text, /作成日時 2021\/03\/01 00:00/, "dated the issue day");
    assert.match(text, /テスト診療所 殿/);
    assert.match(text, /テスト診療所（医療機関コード 1312345678）/);
    assert.match(text, /交付決定額 300,000円/);
    assert.match(text, /申請額 321,000円/);
    assert.match(text, /領収書の金額と異なるため/);
    for (const [n, ref] of [["１", "第5 1\\(1\\)"], ["５", "第5 1\\(5\\)"], ["６", "第5 1\\(6\\)"]]) {
      assert.match(text, new RegExp(`（${n}）`), `condition (${n})`);
      assert.match(text, new RegExp(`根拠: 実施要領${ref}`), `its line ${ref}`);
    }
    assert.match(text, /第12 延滞金/);
    assert.match(text, new RegExp(`${count}\\s*/\\s*${count}`), "numbered");
  });

  test("the same notice gives the same bytes", async () => {
    assert.ok((await decisionNoticePdf(notice)).equals(await decisionNoticePdf(notice)), "deterministic");
  });
});
