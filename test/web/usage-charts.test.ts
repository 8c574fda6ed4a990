// The マイナ保険証利用率 charts in Chromium, on the demo data (its facilities' months and the small
// simulated nation beside them): the terminal's 「利用率の推移」 shows the signed-in facility's lines
// on both bases with the nation's and its kind's, named in the legend, and the 加算 thresholds as
// bands (a pharmacy's unpublished ones not drawn); another facility's chart cannot be asked for;
// the public /usage/ page shows the nation and the kinds, and the prefecture table ordered by the
// count-basis rate, re-sorted by a header. Screens are kept under test-output/screens/usage-*.png;
// docs/images/usage-terminal.png and usage-national.png are copies made by hand, so a test run
// leaves the repository unchanged.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { DEMO_FACILITIES, DEMO_STAFF } from "../../src/seed/demo.ts";
import { browserSkipReason, launchChromium, screenshot } from "./browser.ts";
import { startDemoServer, type DemoServer } from "./demo-server.ts";

const skip = browserSkipReason();
const [HOSPITAL, , PHARMACY] = DEMO_FACILITIES;

describe("the usage charts in the browser", { skip }, () => {
  let server: DemoServer;
  let browser: Browser;

  async function openUsage(facility: string, loginId: string): Promise<Page> {
    const account = DEMO_STAFF.find((s) => s.facility === facility && s.loginId === loginId);
    assert.ok(account, `the demo has no ${loginId} at ${facility}`);
    const page = await browser.newPage({ viewport: { width: 1024, height: 1000 } });
    await page.goto(`${server.url}/terminal/`);
    await page.getByLabel("医療機関コード").fill(facility);
    await page.getByLabel("ログインID").fill(loginId);
    await page.getByLabel("パスワード").fill(account.password);
    await page.getByRole("button", { name: "サインイン" }).click();
    await page.locator("#who").waitFor();
    await page.getByRole("button", { name: "利用率の推移" }).click();
    await page.locator("#usage-chart svg").waitFor();
    return page;
  }

  /** The texts the chart draws (legend, band labels, title, axes). */
  const chartTexts = (page: Page, figure: string) => page.locator(`${figure} svg text`).allTextContents();

  before(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the hospital's chart: its two lines, the nation's and the hospitals', named in Japanese; the 加算 bands of each period", async () => {
    const page = await openUsage(HOSPITAL.code, "jimu");
    const texts = await chartTexts(page, "#usage-chart");
    for (const owner of ["当施設", "全国", "病院 (全国)"]) {
      for (const basis of ["オンライン資格確認件数ベース", "レセプト件数ベース"]) assert.ok(texts.includes(`${owner}・${basis}`), `legend: ${owner}・${basis}`);
    }
    assert.ok(texts.includes(`${HOSPITAL.name} マイナ保険証利用率の推移 (病院)`), "titled with the facility");
    // The latest 12 months with records, 2024-11〜2025-10: data 2024-11〜12 → 算定 2025-02〜03, 2025-01〜06 → 2025-04〜09, 2025-07〜 → 2025-10〜.
    assert.deepEqual([await page.locator("#usage-form input[name=from]").inputValue(), await page.locator("#usage-form input[name=to]").inputValue()], ["2024-11", "2025-10"]);
    for (const band of ["加算1 30%以上", "加算3 10%以上", "加算1・4 45%以上", "加算2・5 30%以上", "加算3・6 15%以上", "加算1・4 60%以上", "加算3・6 25%以上"]) assert.ok(texts.includes(band), `band ${band}`);
    // Six lines drawn, each a path in the chart.
    assert.equal(await page.locator("#usage-chart svg .role-mark.rate-lines path").count(), 6);
    assert.equal(await page.locator("#usage-chart svg .role-mark.threshold-bands path").count(), 9, "three groups in three periods");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1024, `fits 1024 px (scrollWidth ${width})`);
    await screenshot(page, "usage-terminal", page.locator("#screen-usage"));
    await page.getByText("数値で見る").click();
    assert.match(await page.locator("#usage-numbers tbody tr").first().innerText(), /2024年11月\s+\d+\.\d\d%/);

    // Another span: the form asks the server again.
    await page.locator("#usage-form input[name=from]").fill("2024-01");
    await page.locator("#usage-form input[name=to]").fill("2024-06");
    await page.getByRole("button", { name: "表示" }).click();
    await page.locator("#usage-numbers tbody tr", { hasText: "2024年1月" }).waitFor({ state: "attached" });
    assert.deepEqual((await chartTexts(page, "#usage-chart")).filter((t) => t.startsWith("加算")), [], "no requirement before data 2024-07: no band");
    await page.close();
  });

  test("the pharmacy sees its own chart: 調剤's unpublished thresholds are not drawn, another facility's chart cannot be asked for", async () => {
    const page = await openUsage(PHARMACY.code, "jimu");
    const texts = await chartTexts(page, "#usage-chart");
    assert.ok(texts.includes(`${PHARMACY.name} マイナ保険証利用率の推移 (薬局)`), "the pharmacy's own chart");
    assert.ok(texts.includes("薬局 (全国)・オンライン資格確認件数ベース"), "its kind's line");
    assert.ok(!texts.some((t) => t.includes(HOSPITAL.name)), "nothing of the hospital");
    assert.deepEqual(texts.filter((t) => t.startsWith("加算")), ["加算1 30%以上", "加算2 20%以上", "加算3 10%以上", "加算1 45%以上"], "only the published 調剤 thresholds");
    await page.getByText("加算の基準と出典").click();
    assert.match(await page.locator("#usage-thresholds").innerText(), /加算2\s+2025年1月〜2025年6月\s+2025年4月〜2025年9月\s+公表されていない/);
    const answer = await page.evaluate(async (code) => {
      const res = await fetch(`/terminal/api/usage/chart?facility=${code}`);
      return { status: res.status, body: await res.json() };
    }, HOSPITAL.code);
    assert.deepEqual([answer.status, answer.body.code], [400, "E8990"]);
    await page.close();
  });

  test("the public page: the nation and the kinds on both bases, the prefecture table ordered by the count-basis rate and re-sorted by a header", async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 1400 } });
    await page.goto(`${server.url}/usage/`);
    await page.locator("#national-chart svg").waitFor();
    await page.locator("#prefectures tbody tr").first().waitFor();
    const nation = await chartTexts(page, "#national-chart");
    assert.ok(nation.includes("全国・オンライン資格確認件数ベース") && nation.includes("全国・レセプト件数ベース"), "the nation on both bases");
    const kinds = await chartTexts(page, "#kinds-chart");
    for (const kind of ["病院", "医科診療所", "歯科診療所", "薬局"]) assert.ok(kinds.includes(`${kind}・オンライン資格確認件数ベース`), `the kinds' chart names ${kind}`);
    assert.equal(await page.locator("#prefecture-form input[name=month]").inputValue(), "2025-10", "the latest month with records");

    const column = async (index: number) => (await page.locator(`#prefectures tbody tr td:nth-child(${index})`).allTextContents()).map((t) => (t === "不明" ? null : Number(t.replace(/[%,]/g, ""))));
    const rates = await column(3);
    assert.ok(rates.length >= 20, `most prefectures have simulated facilities (${rates.length})`);
    const known = rates.filter((r): r is number => r !== null);
    assert.deepEqual(known, [...known].sort((a, b) => b - a), "highest count-basis rate first");
    assert.ok(rates.indexOf(null) === -1 || rates.slice(rates.indexOf(null)).every((r) => r === null), "unknown rates last");
    assert.equal(await page.locator("#prefectures th[aria-sort=descending]").innerText(), "件数ベース");

    await page.getByRole("button", { name: "施設数" }).click();
    const counts = await column(2);
    assert.deepEqual(counts, [...counts].sort((a, b) => b! - a!), "re-sorted by 施設数, most first");
    await page.getByRole("button", { name: "施設数" }).click();
    assert.deepEqual(await column(2), [...counts].reverse().sort((a, b) => a! - b!), "and the other way");
    await page.getByRole("button", { name: "件数ベース", exact: true }).click();
    await screenshot(page, "usage-national");
    await page.close();
  });
});
