// The patient's own device (/home-consent), in Chromium, on the demo data: an オンライン診療 consent
// to the demo hospital with the simulated card and its PIN is recorded for the card's holder with its
// booked day, the hospital's bulk search then lists the holder, an unregistered card is refused with
// its code and message, and a withdrawal ends the consent. Screen under test-output/screens/home-consent.png.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { DEMO_FACILITIES } from "../../src/seed/demo.ts";
import { DEMO_CARDS } from "../../src/seed/demo-cards.ts";
import { searchRemoteConsents } from "../../src/store/remote-consent-store.ts";
import { browserSkipReason, launchChromium, screenshot } from "./browser.ts";
import { startDemoServer, type DemoServer } from "./demo-server.ts";

const skip = browserSkipReason();
const HOSPITAL = DEMO_FACILITIES[0];
const HOLDER = DEMO_CARDS.find((c) => c.cardId === "DE00000000000001")!; // 山田　太郎, registered, certificate valid
const UNREGISTERED = DEMO_CARDS.find((c) => c.state === "unregistered")!;
const BOOKED = { treatment: "3" as const, by: "examination" as const, from: "20260403", to: "20260403" };

describe("the consent at home on the patient's own device", { skip }, () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 560, height: 820 } })).newPage();
    await page.goto(`${server.url}/home-consent?facility=${HOSPITAL.code}`);
    await page.getByText(`${HOSPITAL.name} (医療機関コード ${HOSPITAL.code}) への同意`).waitFor();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("an オンライン診療 consent with the card and its PIN is recorded with its booked day, and the hospital's search lists the holder", async () => {
    await page.getByLabel("オンライン診療").check();
    await page.getByLabel("受診予定日").fill("2026-04-03");
    await page.getByLabel("診療情報").check();
    await page.getByLabel("カード").selectOption(HOLDER.cardId);
    await page.getByRole("button", { name: "同意を登録する" }).click();
    const result = page.locator("#result.ok");
    await result.waitFor();
    assert.deepEqual(await result.locator("p").allInnerTexts(), [
      `${HOSPITAL.name} へのオンライン診療の同意を登録しました。`,
      "受診予定日: 2026年4月3日",
      "有効期間: 2026年4月1日 から 2026年4月3日 まで",
      "提供する情報: 薬剤情報・診療情報",
    ]);
    await screenshot(page, "home-consent");
    const listed = await searchRemoteConsents(server.db, HOSPITAL.code, BOOKED, "20260401");
    assert.equal(listed.length, 1, "the hospital's オンライン診療 search by the booked day lists one person");
  });

  test("an unregistered card is refused with its code and message, and records nothing", async () => {
    await page.getByLabel("カード").selectOption(UNREGISTERED.cardId);
    await page.getByRole("button", { name: "同意を登録する" }).click();
    const error = page.locator("#result.error");
    await error.waitFor();
    assert.match(await error.innerText(), /利用登録されていません.*\(E8803\)/);
    assert.equal((await searchRemoteConsents(server.db, HOSPITAL.code, BOOKED, "20260401")).length, 1);
  });

  test("a withdrawal ends the holder's consent", async () => {
    await page.getByLabel("カード").selectOption(HOLDER.cardId);
    await page.getByRole("button", { name: "同意を取り消す" }).click();
    await page.getByText("オンライン診療の同意を取り消しました。").waitFor();
    assert.equal((await searchRemoteConsents(server.db, HOSPITAL.code, BOOKED, "20260401")).length, 0);
  });
});
