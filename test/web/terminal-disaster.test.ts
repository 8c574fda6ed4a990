// The terminal page's 災害時医療情報閲覧 screen in Chromium, on the demo data (the demo facilities are
// in 千代田区). Without a declaration the screen says so and offers no search; under one naming 千代田区
// a 医師 finds 佐藤 健一 by his 保険者番号等 and by his name in 半角カナ, must choose the consent, and
// downloads his 薬剤情報 PDF, recorded in the audit log as disaster access; a 事務 searches but opens
// nothing; once the declaration is ended the same search is refused with its code. Screens are kept
// under test-output/screens/terminal-disaster-*.png; docs/images/terminal-disaster.png is a copy of
// terminal-disaster-search.png made by hand, so a test run leaves the repository unchanged.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { municipalityNamed } from "../../src/domain/municipalities.ts";
import { DEMO_DATE, DEMO_FACILITIES, DEMO_KEY, DEMO_STAFF } from "../../src/seed/demo.ts";
import { declareDisaster, endDisaster } from "../../src/services/disaster.ts";
import { browserSkipReason, launchChromium, screenshot } from "./browser.ts";
import { startDemoServer, type DemoServer } from "./demo-server.ts";

const skip = browserSkipReason();
const HOSPITAL = DEMO_FACILITIES[0].code;
const START = new Date(`${DEMO_DATE}T09:30:00+09:00`);
const CHIYODA = municipalityNamed(13, "千代田区")!.code;

describe("the terminal page's 災害時医療情報閲覧 screen", { skip }, () => {
  let server: DemoServer;
  let browser: Browser;
  let declarationId = 0;

  async function openScreen(loginId: string): Promise<Page> {
    const account = DEMO_STAFF.find((s) => s.facility === HOSPITAL && s.loginId === loginId);
    assert.ok(account, `the demo has no ${loginId} at the hospital`);
    const page = await browser.newPage({ viewport: { width: 1024, height: 900 }, acceptDownloads: true });
    await page.goto(`${server.url}/terminal/`);
    await page.getByLabel("医療機関コード").fill(HOSPITAL);
    await page.getByLabel("ログインID").fill(loginId);
    await page.getByLabel("パスワード").fill(account.password);
    await page.getByRole("button", { name: "サインイン" }).click();
    await page.locator("#who").waitFor();
    await page.getByRole("button", { name: "災害時医療情報閲覧" }).click();
    await page.locator("#disaster-status:not(:empty)").waitFor();
    return page;
  }

  const screen = (page: Page) => page.locator("#screen-disaster");

  async function searchByCard(page: Page) {
    const form = page.locator("#disaster-card-form");
    await form.getByLabel("保険者番号").fill(DEMO_KEY.InsurerNumber);
    await form.getByLabel("記号").fill(DEMO_KEY.InsuredCardSymbol);
    await form.getByLabel("番号", { exact: true }).fill(DEMO_KEY.InsuredIdentificationNumber);
    await form.getByLabel("枝番").fill(DEMO_KEY.InsuredBranchNumber);
    await form.getByLabel("生年月日").fill("19680229");
    await form.getByRole("button", { name: "検索" }).click();
  }

  const satoRow = (page: Page) => page.locator("#disaster-matches tbody tr", { hasText: "佐藤　健一" });

  before(async () => {
    server = await startDemoServer(() => START);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("without a declaration the screen says so and offers no search", async () => {
    const page = await openScreen("ishi");
    assert.match((await page.locator("#disaster-status").textContent()) ?? "", /宣言中の災害はありません/);
    assert.equal(await page.locator("#disaster-work").isHidden(), true, "no search without a declaration");
    await screenshot(page, "terminal-disaster-none");
    await page.close();
  });

  test("under a declaration a 医師 finds the patient both ways, must choose the consent, and downloads the 薬剤情報 PDF, audited as disaster access", async () => {
    ({ id: declarationId } = await declareDisaster(server.db, { name: "令和8年4月 千代田区大雨", municipalities: [CHIYODA], from: DEMO_DATE, to: "2026-04-07", by: "保険局 テスト" }, START));
    const page = await openScreen("ishi");
    assert.match((await page.locator("#disaster-status").textContent()) ?? "", /令和8年4月 千代田区大雨 \(2026\/04\/01 〜 2026\/04\/07\)/);

    await searchByCard(page);
    await satoRow(page).waitFor();
    assert.match(await satoRow(page).innerText(), new RegExp(`${DEMO_KEY.InsurerNumber}`));

    // A view without a consent chosen is not sent.
    await satoRow(page).getByRole("button", { name: "薬剤情報", exact: true }).click();
    assert.match((await page.locator("#disaster-message").textContent()) ?? "", /同意.*を選んでください/);
    const before = await server.db.query<{ n: number }>("select count(*)::int as n from audit_records");
    assert.equal(before[0]!.n, 0, "nothing viewed yet");

    await page.getByLabel("同意あり (口頭)").check();
    const [download] = await Promise.all([page.waitForEvent("download"), satoRow(page).getByRole("button", { name: "薬剤情報", exact: true }).click()]);
    assert.equal(download.suggestedFilename(), "disaster-drugs.pdf");
    const pdf = await readFile((await download.path())!);
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-", "a PDF");
    assert.equal(await page.getByLabel("同意あり (口頭)").isChecked(), false, "the consent is asked again for the next view");
    const audit = await server.db.query<{ basis: string; consent: string }>(
      "select body::jsonb -> 'basis' ->> 'kind' as basis, body::jsonb -> 'basis' ->> 'consent' as consent from audit_records",
    );
    assert.deepEqual(audit, [{ basis: "disaster", consent: "oral" }]);

    // By name in 半角カナ, with the sex chosen.
    await page.getByRole("tab", { name: "氏名、住所等による検索" }).click();
    const byName = page.locator("#disaster-name-form");
    assert.equal(await page.locator("#disaster-card-form").isHidden(), true, "one way of searching at a time");
    await byName.getByLabel("氏名 (漢字またはカナ)").fill("ｻﾄｳ ｹﾝｲﾁ");
    await byName.getByLabel("生年月日").fill("1968-02-29");
    await byName.getByLabel("性別").selectOption("1");
    await byName.getByRole("button", { name: "検索" }).click();
    await satoRow(page).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1024, `fits 1024 px (scrollWidth ${width})`);
    await screenshot(page, "terminal-disaster-search", screen(page));

    // A birth date that is not a date: the server's refusal, with its code.
    await byName.getByLabel("生年月日").fill("19680230");
    await byName.getByRole("button", { name: "検索" }).click();
    await page.locator("#disaster-message", { hasText: "E8215" }).waitFor();
    assert.equal(await page.locator("#disaster-matches").isHidden(), true, "no stale matches under a refusal");
    await page.close();
  });

  test("a 事務 searches but every document is closed to the role", async () => {
    const page = await openScreen("jimu");
    await searchByCard(page);
    await satoRow(page).waitFor();
    for (const name of ["薬剤情報", "薬剤情報・診療情報", "特定健診情報"]) {
      const button = satoRow(page).getByRole("button", { name, exact: true });
      assert.equal(await button.isDisabled(), true, name);
      assert.equal(await button.getAttribute("title"), "この職種では閲覧できません", name);
    }
    await page.close();
  });

  test("once the declaration has ended the same search is refused with E8210", async () => {
    const page = await openScreen("ishi");
    await endDisaster(server.db, { id: declarationId, by: "保険局 テスト" }, START);
    await searchByCard(page);
    await page.locator("#disaster-message", { hasText: "E8210" }).waitFor();
    assert.equal(await page.locator("#disaster-matches").isHidden(), true, "no matches shown");
    await screenshot(page, "terminal-disaster-ended", screen(page));
    await page.close();
  });
});
