// The terminal page's 「利用率のお知らせ」 screen in Chromium, on the demo data (its usage to 2025-10)
// and four months after it for the demo hospital and three other hospitals (two in 東京都, one in 大阪府). On 2026-04-01 a
// 事務 sees the latest notice (2026年1月診療分: February's is issued on 2026-04-11) with the
// server's figures, chooses another month,
// and downloads the PDF of the notice shown; a month not issued is not offered. The screen is kept
// as test-output/screens/terminal-usage-notice.png; docs/images/terminal-usage-notice.png is a copy
// made by hand, so a test run leaves the repository unchanged.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { Db } from "../../src/db/client.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import { DEMO_DATE, DEMO_FACILITIES, DEMO_STAFF } from "../../src/seed/demo.ts";
import { usageNotice } from "../../src/services/usage-notice.ts";
import { usageNoticePdf } from "../../src/services/usage-notice-pdf.ts";
import { addMonths } from "../../src/subsidy/usage-rate.ts";
import { browserSkipReason, launchChromium, screenshot } from "./browser.ts";
import { startDemoServer, type DemoServer } from "./demo-server.ts";

const skip = browserSkipReason();
const HOSPITAL = DEMO_FACILITIES[0].code;
const START = new Date(`${DEMO_DATE}T09:30:00+09:00`);

/**
 * The months after the demo's own (its usage ends with 2025-10): 2025-11 to 2026-02, the demo
 * hospital's card use rising from 50 % to 59 % of its checks and its persons from 48 % to 57 % of its
 * receipts, and three other hospitals holding steady.
 */
async function loadMonths(db: Db): Promise<void> {
  const others = [
    [withCheckDigit("131234561"), "東京テスト記念病院", 13, 0.4, 0.35],
    [withCheckDigit("131234562"), "東京テスト中央病院", 13, 0.25, 0.3],
    [withCheckDigit("271234563"), "大阪テスト病院", 27, 0.3, 0.28],
  ] as const;
  for (const [code, name, prefecture] of others) await db.query("insert into facilities (medical_institution_code, name, kind, prefecture) values ($1, $2, 'hospital', $3)", [code, name, prefecture]);
  for (let i = 0, m = "2025-11"; m <= "2026-02"; i++, m = addMonths(m, 1)) {
    const rows: [string, number, number][] = [[HOSPITAL, 0.5 + i * 0.03, 0.48 + i * 0.03], ...others.map(([code, , , online, receipt]) => [code, online, receipt] as [string, number, number])];
    for (const [code, online, receipt] of rows) {
      await db.query("insert into usage_month_totals (medical_institution_code, month, card_face, insurance_number, card_persons) values ($1, $2, $3, $4, $5)", [code, `${m}-01`, Math.round(online * 2000), 2000 - Math.round(online * 2000), Math.round(receipt * 1500)]);
      await db.query("insert into usage_receipts values ($1, $2, 1500, 1200, now())", [code, `${m}-01`]);
    }
  }
}

describe("the terminal page's 利用率のお知らせ screen", { skip }, () => {
  let server: DemoServer;
  let browser: Browser;

  before(async () => {
    server = await startDemoServer(() => START);
    await loadMonths(server.db);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openScreen(): Promise<Page> {
    const account = DEMO_STAFF.find((s) => s.facility === HOSPITAL && s.loginId === "jimu")!;
    const page = await browser.newPage({ viewport: { width: 1024, height: 1400 }, acceptDownloads: true });
    await page.goto(`${server.url}/terminal/`);
    await page.getByLabel("医療機関コード").fill(HOSPITAL);
    await page.getByLabel("ログインID").fill(account.loginId);
    await page.getByLabel("パスワード").fill(account.password);
    await page.getByRole("button", { name: "サインイン" }).click();
    await page.locator("#who").waitFor();
    await page.getByRole("button", { name: "利用率のお知らせ" }).click();
    await page.locator("#notice-rates").waitFor();
    return page;
  }

  test("a 事務 sees the latest notice with the server's figures, chooses another month and downloads its PDF", async () => {
    const page = await openScreen();
    const months = await page.locator("#notice-month option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    assert.equal(months[0], "2026-01", "the latest notice on 2026-04-01 is January's");
    assert.ok(!months.includes("2026-02"), "February's notice is issued on 2026-04-11, so it is not offered yet");

    const latest = await usageNotice(server.db, HOSPITAL, "2026-01", START);
    const rates = await page.locator("#notice-rates tbody tr").allInnerTexts();
    assert.match(rates[0]!, new RegExp(`レセプト件数ベース[\\s\\S]*${latest.figures.cardPersons.toLocaleString("ja-JP")}[\\s\\S]*${latest.rates.receipt!.percent}`));
    assert.match(rates[2]!, new RegExp(`オンライン資格確認件数ベース[\\s\\S]*${latest.rates.online!.percent}`));
    const comparison = await page.locator("#notice-comparison").innerText();
    assert.ok(comparison.includes(`全国の病院\t${latest.kindNation!.facilities}\t${latest.kindNation!.rates.receipt!.percent}`), comparison);
    assert.ok(comparison.includes(`東京都の病院\t${latest.kindPrefecture!.facilities}`), comparison);
    const dx = await page.locator("#notice-dx tbody tr").allInnerTexts();
    assert.equal(dx.length, latest.dx.length);
    latest.dx.forEach((d, i) => assert.ok(dx[i]!.includes(d.tier), `${d.month}: ${d.tier} in «${dx[i]}»`));
    assert.ok(await page.locator("#notice figure svg").count() === 1, "the 12 months' chart is shown");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1024, `fits 1024 px (scrollWidth ${width})`);
    await screenshot(page, "terminal-usage-notice", page.locator("#screen-usage-notice"));

    await page.locator("#notice-month").selectOption("2025-12");
    await page.locator("#notice p", { hasText: "2025年12月診療分" }).waitFor();
    const december = await usageNotice(server.db, HOSPITAL, "2025-12", START);
    assert.match(await page.locator("#notice-rates tbody tr").first().innerText(), new RegExp(december.rates.receipt!.percent));
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "PDF をダウンロード" }).click()]);
    assert.equal(download.suggestedFilename(), `usage-notice-${HOSPITAL}-2025-12.pdf`);
    const pdf = await readFile((await download.path())!);
    assert.ok(pdf.equals(await usageNoticePdf(december)), "the PDF of the notice shown");
    await page.close();
  });
});
