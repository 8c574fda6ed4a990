// The terminal page's 補助金 screen in Chromium, on the demo data with the clock at 2021-04-01
// (the 2020 fund's application period): the hospital's administrator applies for the fund after
// the work is complete, sees the engine's amount with its reasons and sources, resubmits it when
// an examiner sends it back, and, once decided, sees the case's 交付決定, its history, its notice,
// 補助金台帳 and statement; a 事務 has no 補助金 screen. The screen
// is kept as test-output/screens/terminal-subsidy.png; docs/images/terminal-subsidy.png is a copy
// made by hand, so a test run leaves the repository unchanged.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { DEMO_FACILITIES, DEMO_STAFF } from "../../src/seed/demo.ts";
import { findActiveOfficeAccount } from "../../src/store/office-account-store.ts";
import { decideCase, sendBackCase } from "../../src/services/subsidy-exam.ts";
import { loadPrograms } from "../../src/subsidy/program-data.ts";
import { browserSkipReason, launchChromium, screenshot } from "./browser.ts";
import { startDemoServer, type DemoServer } from "./demo-server.ts";

const skip = browserSkipReason();
const HOSPITAL = DEMO_FACILITIES[0].code;
const NOW = new Date("2021-04-01T09:30:00+09:00");

describe("the terminal page's 補助金 screen", { skip }, () => {
  let server: DemoServer;
  let browser: Browser;

  before(async () => {
    server = await startDemoServer(() => NOW);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(loginId: string): Promise<Page> {
    const account = DEMO_STAFF.find((s) => s.facility === HOSPITAL && s.loginId === loginId)!;
    const page = await browser.newPage({ viewport: { width: 1024, height: 1300 } });
    await page.goto(`${server.url}/terminal/`);
    await page.getByLabel("医療機関コード").fill(HOSPITAL);
    await page.getByLabel("ログインID").fill(account.loginId);
    await page.getByLabel("パスワード").fill(account.password);
    await page.getByRole("button", { name: "サインイン" }).click();
    await page.locator("#who").waitFor();
    return page;
  }

  test("the administrator applies, sees the engine's amount and reasons, then the examiner's decision in the case's history", async () => {
    const page = await signIn("ishi");
    await page.getByRole("button", { name: "補助金" }).click();
    await page.locator("#subsidy-no-cases").waitFor();
    assert.match(await page.locator("#apply-period").innerText(), /申請期間: 2020\/11\/01 〜 2023\/09\/30/, "the fund's period from its data");
    const form = page.locator("#apply-form");
    await form.getByLabel("制度").selectOption("fund-2020");
    await form.getByLabel("施設の種類").selectOption("hospital");
    await form.getByLabel("事業費").fill("2000000");
    await form.getByLabel("カードリーダーの申込日").fill("2021-01-10");
    await form.getByLabel("契約日").fill("2020-12-01");
    await form.getByLabel("完了日").fill("2021-03-01");
    await form.getByLabel("カードリーダーの台数").fill("1");
    await page.getByRole("button", { name: "申請する" }).click();
    await page.locator("#subsidy-message").waitFor();
    assert.match(await page.locator("#subsidy-message").innerText(), /申請しました/);
    const view = page.locator("#subsidy-case");
    await view.locator("h3", { hasText: "申請中" }).waitFor();
    const [listed] = await server.db.query<{ case_id: number; requested_yen: string; calculation: { reasons: string[] } }>(
      "select case_id, requested_yen, calculation from subsidy_cases where medical_institution_code = $1",
      [HOSPITAL],
    );
    assert.ok(listed, "one case stored");
    assert.equal(Number(listed.requested_yen), 2_000_000, "10/10 of the cost, under the limit");
    assert.ok((await view.innerText()).includes(`${Number(listed.requested_yen).toLocaleString("ja-JP")}円`), "the engine's amount shown");
    assert.ok((await view.innerText()).includes(listed.calculation.reasons[0]!), "with its reasons");
    assert.equal(await page.locator("#subsidy-cases tbody tr").count(), 1);

    // A second click on the same form is the same request (its Idempotency-Key): still one case.
    const again = await page.evaluate(async () => (await fetch("/terminal/subsidy/api/cases")).json());
    assert.equal(again.cases.length, 1, "one case");

    const { account } = (await findActiveOfficeAccount(server.db, "shinsa"))!; // the demo's examiner
    const ctx = { db: server.db, now: () => NOW, programs: loadPrograms() };
    const examiner = { role: "examiner" as const, accountId: account.accountId, name: account.displayName };
    await sendBackCase(ctx, examiner, listed.case_id, { reason: "契約書の写しを添付してください。" }, "send-back-1");
    await page.getByRole("button", { name: "補助金" }).click();
    await page.locator("#subsidy-cases tbody tr", { hasText: "差戻し" }).getByRole("button", { name: "詳細" }).click();
    assert.match(await view.locator("table").last().innerText(), /差戻し[\s\S]*契約書の写しを添付してください。/, "the reason shown");
    await page.getByRole("button", { name: "申請欄の内容で再申請する" }).click();
    await page.locator("#subsidy-message", { hasText: "再申請しました" }).waitFor();
    await view.locator("h3", { hasText: "申請中" }).waitFor();
    await decideCase(ctx, examiner, listed.case_id, { outcome: "accept" }, "decide-1");
    await page.getByRole("button", { name: "補助金" }).click();
    await page.locator("#subsidy-cases tbody tr", { hasText: "交付決定" }).getByRole("button", { name: "詳細" }).click();
    await view.locator("h3", { hasText: "交付決定" }).waitFor();
    const history = await view.locator("table").last().innerText();
    assert.match(history, /交付決定[\s\S]*支払基金 審査　一郎/, "who decided");
    const notice = page.locator("#subsidy-notices tbody tr");
    assert.equal(await notice.count(), 1, "the decision's notice");
    for (const link of [notice.getByRole("link", { name: "PDF" }), page.getByRole("link", { name: "補助金台帳 PDF" }), page.getByRole("link", { name: "返還・延滞金の明細 PDF" })]) {
      const type = await page.evaluate(async (href) => (await fetch(href)).headers.get("content-type"), (await link.getAttribute("href"))!);
      assert.equal(type, "application/pdf", `${await link.innerText()} is a PDF`);
    }
    await screenshot(page, "terminal-subsidy", page.locator("#screen-subsidy"));
    const wide = await page.evaluate(() => [...document.querySelectorAll("#app *")].filter((e) => e.getBoundingClientRect().right > 1024).slice(0, 5).map((e) => `${e.tagName}#${e.id}.${e.className}: ${e.textContent?.slice(0, 40)}`));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1024, `fits 1024 px (scrollWidth ${width}): ${wide.join(" | ")}`);
    await page.close();
  });

  test("a 事務 has no 補助金 screen, and its API refuses the account (E9515)", async () => {
    const page = await signIn("jimu");
    assert.equal(await page.getByRole("button", { name: "補助金" }).isVisible(), false, "no 補助金 button");
    const answer = await page.evaluate(async () => (await fetch("/terminal/subsidy/api/cases")).json());
    assert.equal(answer.code, "E9515");
    await page.close();
  });
});
