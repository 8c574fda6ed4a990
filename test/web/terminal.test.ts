// The terminal page in Chromium, one role at a time, on the demo data: 佐藤 健一 has checked in at
// the hospital with consent to all four categories. A 医師 opens 薬剤・特定健診 (table and charts)・
// 診療・手術 and downloads the PDF; a 薬剤師 cannot open 特定健診; a 事務 opens nothing but checks a
// qualification; a session left idle past its limit is sent back to sign-in. Screens are kept under
// test-output/screens/terminal-*.png; the README's docs/images/terminal.png is a copy of
// terminal-doctor-checkups.png made by hand, as reader-flow.png is, so a test run leaves the
// repository unchanged.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { SESSION_IDLE_MS } from "../../src/domain/staff.ts";
import { DEMO_DATE, DEMO_FACILITIES, DEMO_KEY, DEMO_STAFF } from "../../src/seed/demo.ts";
import { appendCardUser } from "../../src/store/card-user-store.ts";
import { browserSkipReason, launchChromium, screenshot } from "./browser.ts";
import { startDemoServer, type DemoServer } from "./demo-server.ts";

const skip = browserSkipReason();
const HOSPITAL = DEMO_FACILITIES[0].code;
const START = new Date(`${DEMO_DATE}T09:30:00+09:00`);

describe("the terminal page, for each role", { skip }, () => {
  let server: DemoServer;
  let browser: Browser;
  let clock = START;

  const account = (loginId: string) => {
    const found = DEMO_STAFF.find((s) => s.facility === HOSPITAL && s.loginId === loginId);
    assert.ok(found, `the demo has no ${loginId} at the hospital`);
    return found;
  };

  async function signIn(loginId: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1024, height: 1120 }, acceptDownloads: true });
    await page.goto(`${server.url}/terminal/`);
    await page.getByLabel("医療機関コード").fill(HOSPITAL);
    await page.getByLabel("ログインID").fill(loginId);
    await page.getByLabel("パスワード").fill(account(loginId).password);
    await page.getByRole("button", { name: "サインイン" }).click();
    await page.locator("#who").waitFor();
    assert.equal(await page.locator("#staff-role").textContent(), { ishi: "医師", yakuzaishi: "薬剤師", jimu: "事務" }[loginId], loginId);
    return page;
  }

  async function openSato(page: Page) {
    await page.locator("#patients tbody tr", { hasText: "佐藤　健一" }).getByRole("button", { name: "開く" }).click();
    await page.locator("#patient-name", { hasText: "佐藤　健一" }).waitFor();
  }

  const tab = (page: Page, name: string) => page.getByRole("tab", { name });

  before(async () => {
    server = await startDemoServer(() => clock);
    // 佐藤 健一's card check at the hospital this morning (the demo holds his consent from 09:00).
    const [sato] = await server.db.query<{ person_id: number }>("select person_id from persons where name = '佐藤　健一'");
    assert.ok(sato, "the demo has 佐藤 健一");
    await appendCardUser(server.db, HOSPITAL, DEMO_DATE, Number(sato.person_id), {
      checkedAt: new Date(`${DEMO_DATE}T09:00:00+09:00`).toISOString(), method: "face", name: "佐藤　健一", kanaName: "サトウ　ケンイチ", birthdate: "1968-02-29", sex: "1",
      insurerNumber: DEMO_KEY.InsurerNumber, insuredCardSymbol: DEMO_KEY.InsuredCardSymbol, insuredIdentificationNumber: DEMO_KEY.InsuredIdentificationNumber,
      insuredBranchNumber: DEMO_KEY.InsuredBranchNumber, qualificationValidity: "1",
      consent: { pharmacists: true, specificHealthCheckups: true, diagnosis: true, operation: true }, faceFile: "demo",
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a 医師 sees 薬剤, 特定健診 (table and three charts), 診療 and 手術, and downloads the 薬剤情報 PDF", async () => {
    const page = await signIn("ishi");
    await page.locator("#patients tbody tr").first().waitFor();
    await screenshot(page, "terminal-patients");
    await openSato(page);
    for (const name of ["薬剤情報", "特定健診情報", "診療情報", "手術情報"]) assert.equal(await tab(page, name).isEnabled(), true, name);

    assert.ok((await page.locator("#medical tbody tr").count()) > 0, "drug lines shown");
    await screenshot(page, "terminal-doctor-drugs");

    await tab(page, "特定健診情報").click();
    await page.locator("#medical .charts canvas").first().waitFor();
    assert.equal(await page.locator("#medical .charts canvas").count(), 3, "HbA1c, 血圧, BMI charts");
    assert.match(await page.locator("#medical table").innerText(), /ＨｂＡ１ｃ/);
    assert.ok((await page.locator("#medical td.out").count()) > 0, "out-of-range values are marked");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1024, `fits 1024 px (scrollWidth ${width})`);
    await screenshot(page, "terminal-doctor-checkups");

    await tab(page, "診療情報").click();
    await page.locator("#medical th", { hasText: "診療行為" }).waitFor();
    assert.ok((await page.locator("#medical tbody tr").count()) > 0, "treatments shown");
    await tab(page, "手術情報").click();
    await page.locator("#medical th", { hasText: "手術日" }).waitFor();
    assert.ok((await page.locator("#medical tbody tr").count()) > 0, "operations shown");

    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#pdf-drugs").click()]);
    assert.equal(download.suggestedFilename(), "yakuzai.pdf");
    const pdf = await readFile((await download.path())!);
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-", "a PDF");

    const audit = await server.db.query<{ n: number }>("select count(*)::int as n from audit_records");
    assert.equal(audit[0]!.n, 5, `the four categories and the PDF are recorded (${audit[0]!.n} records)`);
    await page.close();
  });

  test("a 薬剤師 opens 薬剤・診療・手術 but not 特定健診, and has no 特定健診 PDF", async () => {
    const page = await signIn("yakuzaishi");
    await openSato(page);
    assert.equal(await tab(page, "特定健診情報").isDisabled(), true, "特定健診 closed to a 薬剤師");
    assert.equal(await tab(page, "特定健診情報").getAttribute("title"), "この職種では閲覧できません");
    for (const name of ["薬剤情報", "診療情報", "手術情報"]) assert.equal(await tab(page, name).isEnabled(), true, name);
    assert.equal(await page.locator("#pdf-checkups").isHidden(), true, "no 特定健診 PDF");
    assert.ok((await page.locator("#medical tbody tr").count()) > 0, "drug lines shown");
    await screenshot(page, "terminal-pharmacist");
    const direct = await page.evaluate(async () => (await fetch("/terminal/api/patients/1/medical/specificHealthCheckups")).json());
    assert.equal(direct.code, "E2105", "the server refuses it too");
    await page.close();
  });

  test("a 事務 opens no medical information but checks a qualification", async () => {
    const page = await signIn("jimu");
    await openSato(page);
    for (const name of ["薬剤情報", "特定健診情報", "診療情報", "手術情報"]) assert.equal(await tab(page, name).isDisabled(), true, name);
    assert.match((await page.locator("#medical-message").textContent()) ?? "", /この職種では/);
    await screenshot(page, "terminal-clerk-patient");

    await page.getByRole("button", { name: "資格確認", exact: true }).click();
    const form = page.locator("#qualification-form");
    await form.getByLabel("保険者番号").fill(DEMO_KEY.InsurerNumber);
    await form.getByLabel("記号").fill(DEMO_KEY.InsuredCardSymbol);
    await form.getByLabel("番号", { exact: true }).fill(DEMO_KEY.InsuredIdentificationNumber);
    await form.getByLabel("枝番").fill(DEMO_KEY.InsuredBranchNumber);
    await form.getByLabel("生年月日").fill("19680229");
    await form.getByRole("button", { name: "照会" }).click();
    await page.locator("#qualification-result", { hasText: "資格の有効性: 有効" }).waitFor();
    assert.match(await page.locator("#qualification-result").innerText(), /佐藤　健一/);
    await screenshot(page, "terminal-clerk-qualification");
    await page.close();
  });

  test("a session left idle past its limit is sent back to sign-in with the reason", async () => {
    const page = await signIn("ishi");
    clock = new Date(START.getTime() + SESSION_IDLE_MS + 60_000);
    try {
      await page.getByRole("button", { name: "更新" }).click();
      await page.locator("#sign-in").waitFor();
      assert.match((await page.locator("#sign-in-reason").textContent()) ?? "", /サインアウトしました/);
      assert.equal(await page.locator("#app").isHidden(), true, "nothing of the patient list stays on screen");
      await screenshot(page, "terminal-expired");
    } finally {
      clock = START;
    }
    await page.close();
  });
});
