// The monthly マイナ保険証利用率 notice as its facility reads it, on each database: every page an
// A4 PNG (kept under test-output/pdf/usage-notice-*.png) and its text read back by poppler holding
// the notice's own figures (the rates service's, as test/usage/usage-notice.test.ts holds), the
// tier of each 算定月, the 12 months; an unknown rate printed 不明, never 0 %; Noto Sans JP embedded;
// the same notice gives the same bytes.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Db } from "../../src/db/client.ts";
import { usageNotice } from "../../src/services/usage-notice.ts";
import { usageNoticePdf } from "../../src/services/usage-notice-pdf.ts";
import { monthText } from "../../src/subsidy/engine.ts";
import { testDatabases } from "../support/databases.ts";
import { LAST, X, loadNoticeFixture } from "../usage/notice-fixture.ts";
import { assertJapaneseFontEmbedded, assertPages, pageCount, pagesText, popplerSkipReason, renderPages } from "./poppler.ts";

const skip = popplerSkipReason();
const ISSUED = new Date("2025-08-11T09:00:00+09:00");

/** Text as pdftotext lays it out, with runs of spaces and line ends as one space (cells wrap). */
const flat = (pages: string[]) => pages.join("\n").replace(/\s+/g, " ");

for (const database of testDatabases()) {
  describe(`the usage notice PDF on ${database.name}`, { skip }, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadNoticeFixture(db, 300);
    });
    after(() => db.close());

    test("its pages hold the notice's figures: the facility's rates and counts, its kind's, its rank, each 算定月's tier and the 12 months", async () => {
      const notice = await usageNotice(db, X, LAST, ISSUED);
      const pdf = await usageNoticePdf(notice);
      const count = pageCount(pdf);
      assertPages(renderPages(pdf, `usage-notice-${database.name}`), count);
      assertJapaneseFontEmbedded(pdf);
      const pages = pagesText(pdf);
      const text = flat(pages);
      pages.forEach((page, i) => {
        assert.match(page, /マイナ保険証利用率のお知らせ/, `page ${i + 1} is headed`);
        assert.match(page, /テスト内科クリニック（医療機関コード 1310000011） 東京都・医科診療所/, `page ${i + 1} names the facility`);
        assert.match(page, /作成日時 2025\/08\/11 00:00/, `page ${i + 1} is dated the issue day, not the time it was made`);
      });
      assert.match(text, /2025年6月診療分/);
      assert.match(text, /レセプト件数ベース 300人 1,000件 30\.00% マイナ保険証利用人数 \(名寄せ後\) レセプト件数/, "the receipt basis with its numerator and denominator");
      assert.match(text, /オンライン資格確認件数ベース 100件 1,000件 10\.00% マイナ保険証利用件数 オンライン資格確認件数/);
      for (const basis of ["receipt", "outpatient", "online"] as const) {
        assert.ok(text.includes(notice.kindNation!.rates[basis]!.percent), `the national ${basis} rate ${notice.kindNation!.rates[basis]!.percent}`);
        assert.ok(text.includes(notice.kindPrefecture!.rates[basis]!.percent), `the prefecture's ${basis} rate ${notice.kindPrefecture!.rates[basis]!.percent}`);
      }
      assert.match(text, new RegExp(`全国の医科診療所 ${notice.kindNation!.facilities} ${notice.kindNation!.rates.receipt!.percent.replace(".", "\\.")}`));
      for (const rank of notice.ranks) assert.ok(text.includes(`${rank.label}（利用率のある ${rank.ranked} 施設のうち、貴施設より高い施設 ${rank.above}）`), `rank on ${rank.basis}`);
      for (const d of notice.dx) assert.ok(text.includes(`${monthText(d.month)} `) && text.includes(d.tier), `算定月 ${d.month}: ${d.tier}`);
      assert.match(text, /医療DX推進体制整備加算2 \(11点\)/);
      assert.match(text, /2025年11月 2025年6月 レセプト 2025年6月 30\.00% 少なくとも医療DX推進体制整備加算3 /);
      assert.match(text, /（未確定の月: 2025年7月・2025年8月）/, "the months still open for 算定 2025-11");
      for (const h of notice.history) assert.ok(text.includes(`${monthText(h.month)} ${h.facility.receipt!.percent} ${h.facility.online!.percent}`), `${h.month} in the history table`);
      assert.match(text, /テスト内科クリニック マイナ保険証利用率の推移 \(医科診療所\)/, "the chart of the 12 months, with its title");
      for (const line of ["当施設・レセプト件数ベース", "医科診療所 (全国)・オンライン資格確認件数ベース", "全国・レセプト件数ベース"]) assert.ok(text.includes(line), `the chart's legend names ${line}`);
      assert.match(text, new RegExp(`${count}\\s*/\\s*${count}`), "numbered");
    });

    test("a month without receipts prints the receipt bases 不明, never 0 %", async () => {
      await db.query("delete from usage_receipts where medical_institution_code = $1 and month = '2025-05-01'", [X]);
      const notice = await usageNotice(db, X, "2025-05", ISSUED);
      assert.equal(notice.rates.receipt, null);
      const text = flat(pagesText(await usageNoticePdf(notice)));
      assert.match(text, / レセプト件数ベース 100人 未登録 不明 /);
      assert.match(text, /外来レセプト件数ベース 100人 未登録 不明 /);
      assert.match(text, /オンライン資格確認件数ベース 100件 1,000件 10\.00%/, "the count basis is still known");
      assert.match(text, /貴施設 不明 不明 10\.00%/);
      assert.doesNotMatch(text, / 0\.00%/, "never 0 % for an unknown rate");
    });

    test("the same notice gives the same bytes, whenever it is made", async () => {
      const first = await usageNoticePdf(await usageNotice(db, X, LAST, ISSUED));
      const later = await usageNoticePdf(await usageNotice(db, X, LAST, new Date("2026-01-15T12:00:00+09:00")));
      assert.ok(first.equals(later), "byte for byte");
    });
  });
}
