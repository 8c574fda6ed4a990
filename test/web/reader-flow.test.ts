// The kiosk driven in Chromium through whole card checks, with the reception's 利用者リスト open
// beside it: each completed check must appear there live, without a reload. Every screen passed
// is kept under test-output/screens/; the flow's main screens are also put together into one
// picture (test-output/screens/reader-flow.png, the README's docs/images/reader-flow.png).
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { DEMO_DATE, DEMO_FACILITIES } from "../../src/seed/demo.ts";
import { DEMO_PIN } from "../../src/seed/demo-cards.ts";
import { browserSkipReason, composeFlowImage, launchChromium, screenshot } from "./browser.ts";
import { startDemoServer, type DemoServer } from "./demo-server.ts";

interface SimulatedCard {
  cardId: string;
  face: { name: string };
  certificateExpiry: string;
  registered: boolean;
  revoked: boolean;
  demo: boolean;
}

const skip = browserSkipReason();

describe("a card check at the kiosk, seen live at reception", { skip }, () => {
  let server: DemoServer;
  let browser: Browser;
  let kiosk: Page;
  let reception: Page;
  let cards: SimulatedCard[];
  /** The kiosk's screens for the README picture, by their place in the flow. */
  const flow = new Map<number, string>();
  /** Each consent screen's question and the note under it, as shown. */
  const consentScreens: { question: string; note: string }[] = [];

  const usable = (c: SimulatedCard) => !c.revoked && c.certificateExpiry >= DEMO_DATE;
  const card = (which: (c: SimulatedCard) => boolean, what: string) => {
    const found = cards.find(which);
    assert.ok(found, `the demo data has no ${what}`);
    return found;
  };

  async function shot(page: Page, name: string, flowPlace?: number) {
    await screenshot(page, name);
    if (flowPlace) flow.set(flowPlace, await screenshot(page, `flow-${flowPlace}`, page.locator(".kiosk")));
  }

  async function place(c: SimulatedCard) {
    await kiosk.getByRole("button", { name: `${c.face.name} のカードを置く` }).click();
    await kiosk.getByRole("heading", { name: "本人確認の方法を選んでください" }).waitFor();
  }

  async function enterPin(pin: string) {
    await kiosk.getByRole("heading", { name: "暗証番号 (4桁) を入力してください" }).waitFor();
    for (const digit of pin) await kiosk.locator(`[data-digit="${digit}"]`).click();
    assert.equal(await kiosk.getByLabel("暗証番号").inputValue(), pin);
    assert.equal(await kiosk.getByLabel("暗証番号").getAttribute("type"), "password");
    await kiosk.getByRole("button", { name: "確定" }).click();
  }

  /** Answers every consent screen (the defaults, except those to refuse), then the prescription. */
  async function answerConsent(prefix: string, refuse: string[] = [], prescription = "電子処方箋") {
    const question = kiosk.locator("#consent-question");
    await question.waitFor();
    let n = 0;
    while (await kiosk.locator("[data-screen=consent]").isVisible()) {
      n += 1;
      const text = await question.innerText();
      consentScreens.push({ question: text, note: await kiosk.locator("#consent-note").innerText() });
      assert.equal(await kiosk.getByRole("radio", { name: "同意する" }).getAttribute("aria-checked"), "true", "同意する is preselected");
      if (refuse.some((label) => text.startsWith(label))) await kiosk.getByRole("radio", { name: "同意しない" }).click();
      await shot(kiosk, `${prefix}-consent-${n}`, prefix === "face" && n === 1 ? 4 : undefined);
      await kiosk.getByRole("button", { name: "次へ" }).click();
      await kiosk.waitForFunction((k) => document.querySelector("#consent-step")?.textContent?.startsWith(`同意の確認 ${k + 1}`) || document.querySelector(".kiosk")?.getAttribute("data-showing") !== "consent", n);
    }
    assert.ok(n >= 1, "at least one consent question");
    await kiosk.getByRole("heading", { name: "処方箋の受け取り方法を選んでください" }).waitFor();
    await shot(kiosk, `${prefix}-prescription`, prefix === "face" ? 5 : undefined);
    await kiosk.getByRole("button", { name: prescription }).click();
  }

  async function expectDone(c: SimulatedCard, prefix: string) {
    await kiosk.getByRole("heading", { name: "受付が完了しました" }).waitFor();
    assert.match(await kiosk.locator("#done-holder").innerText(), new RegExp(c.face.name.replace(/\s|　/g, ".?")));
    await shot(kiosk, `${prefix}-done`, prefix === "face" ? 6 : undefined);
    await kiosk.getByRole("button", { name: "最初に戻る" }).click();
    await kiosk.getByRole("heading", { name: "マイナンバーカードを置いてください" }).waitFor();
  }

  /** The newest row of the 利用者リスト, once it is the expected count (it arrives over the stream). */
  async function latestRow(count: number) {
    await reception.locator("#users tbody tr").nth(count - 1).waitFor();
    assert.equal(await reception.locator("#users tbody tr").count(), count);
    const latest = reception.locator("#users tbody tr.latest");
    assert.equal(await latest.count(), 1);
    assert.equal(await reception.locator("#users tbody tr").first().getAttribute("class"), "latest", "newest first");
    return latest;
  }

  before(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
    const facility = DEMO_FACILITIES[0];
    const auth = await fetch(`${server.url}/oqs-api-pro/MSA12020/ILI12020SV01/auth`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ MedicalInstitutionCode: facility.code, Credential: facility.credential }),
    });
    const token = (await auth.json()).result.idToken;
    cards = (await (await fetch(`${server.url}/onshi-api/simulator/cards`, { headers: { authorization: token } })).json()).cards;

    reception = await (await browser.newContext({ viewport: { width: 1320, height: 520 } })).newPage();
    await reception.goto(`${server.url}/card-users`);
    await reception.getByText("リアルタイムで更新中").waitFor();
    await reception.evaluate(() => Object.assign(window, { notReloaded: true }));
    await shot(reception, "reception-01-empty");

    kiosk = await (await browser.newContext({ viewport: { width: 1320, height: 600 } })).newPage();
    await kiosk.goto(`${server.url}/reader`);
    await kiosk.getByRole("heading", { name: "マイナンバーカードを置いてください" }).waitFor();
    await kiosk.locator("#cards li").first().waitFor();
    await shot(kiosk, "reader-01-insert", 1);
  });

  after(async () => {
    if (flow.size === 6) await composeFlowImage(browser, [...flow.keys()].sort().map((k) => flow.get(k)!), reception);
    await browser?.close();
    await server?.close();
  });

  test("a registered card by face, with consent (one refused) and 電子処方箋", async () => {
    const c = card((x) => x.registered && usable(x), "registered card");
    await place(c);
    await shot(kiosk, "reader-02-method", 2);
    await kiosk.getByRole("button", { name: "顔認証", exact: true }).click();
    await answerConsent("face", ["診療情報", "手術情報", "特定健診情報"]);
    await expectDone(c, "face");

    const row = await latestRow(1);
    const text = await row.innerText();
    assert.match(text, /顔認証/);
    assert.match(text, /薬剤情報/);
    assert.doesNotMatch(text, /特定健診情報/);
    assert.match(text, /電子処方箋/);
    assert.equal((await readdir(join(server.oqsRoot, "face"))).length, 1, "the face result was written");
    await shot(reception, "reception-02-first-user");
  });

  test("a wrong PIN shows the tries left; the right one then completes", async () => {
    const c = card((x) => x.registered && usable(x) && x.demo, "registered card with a demo PIN");
    await place(c);
    await kiosk.getByRole("button", { name: "暗証番号", exact: true }).click();
    await shot(kiosk, "pin-01-entry");
    await enterPin("12");
    await kiosk.getByText("暗証番号は4桁の数字で入力してください。").waitFor();
    await enterPin("9999" /* not DEMO_PIN */);
    await kiosk.getByText("暗証番号が正しくありません。 残り 2 回").waitFor();
    assert.equal(await kiosk.getByLabel("暗証番号").inputValue(), "", "the wrong PIN is cleared");
    await shot(kiosk, "pin-02-wrong", 3);
    await enterPin(DEMO_PIN);
    await answerConsent("pin", [], "紙の処方箋");
    await expectDone(c, "pin");

    const text = await (await latestRow(2)).innerText();
    assert.match(text, /暗証番号/);
    assert.match(text, /紙の処方箋/);
    assert.match(text, new RegExp(c.face.name.replace(/\s|　/g, ".?")));
  });

  test("an unregistered card: face asks for a PIN, then 保険証利用登録, then consent", async () => {
    const c = card((x) => !x.registered && usable(x) && x.demo, "unregistered card");
    await place(c);
    await kiosk.getByRole("button", { name: "顔認証", exact: true }).click();
    await kiosk.getByRole("heading", { name: "保険証利用登録が必要です" }).waitFor();
    await shot(kiosk, "register-01-needs-pin");
    await kiosk.getByRole("button", { name: "暗証番号で本人確認する" }).click();
    await enterPin(DEMO_PIN);
    await kiosk.getByRole("heading", { name: "保険証利用登録" }).waitFor();
    await shot(kiosk, "register-02-offer");
    await kiosk.getByRole("button", { name: "登録する" }).click();
    await answerConsent("register");
    await expectDone(c, "register");
    await latestRow(3);
    await kiosk.locator(`#cards li[data-card-id="${c.cardId}"]`, { hasText: "利用登録済み" }).waitFor();
  });

  test("a face that does not match is refused with the tries left, and nothing reaches reception", async () => {
    const c = card((x) => x.registered && usable(x), "registered card");
    await kiosk.getByLabel("顔が一致する").uncheck();
    await place(c);
    await kiosk.getByRole("button", { name: "顔認証", exact: true }).click();
    await kiosk.getByText("顔認証ができませんでした。 (あと 9 回でロックされます)").waitFor();
    await shot(kiosk, "face-failed");
    assert.equal(await reception.locator("#users tbody tr").count(), 3);
    await kiosk.getByLabel("顔が一致する").check();
    await kiosk.getByRole("button", { name: "もう一度" }).click();
    await answerConsent("face-retry");
    await kiosk.getByRole("heading", { name: "受付が完了しました" }).waitFor();
    await kiosk.getByRole("button", { name: "最初に戻る" }).click();
    await latestRow(4);
  });

  test("a staff check by eye completes too", async () => {
    const c = card((x) => x.registered && usable(x), "registered card");
    await place(c);
    await kiosk.getByRole("button", { name: "職員による目視確認" }).click();
    await kiosk.getByRole("button", { name: "確認しました (職員)" }).click();
    await answerConsent("visual");
    await kiosk.getByRole("heading", { name: "受付が完了しました" }).waitFor();
    await kiosk.getByRole("button", { name: "最初に戻る" }).click();
    assert.match(await (await latestRow(5)).innerText(), /目視確認/);
  });

  test("an expired certificate in its 3-month grace: qualification only, no consent, with the warning", async () => {
    const c = card((x) => x.registered && !x.revoked && x.certificateExpiry < DEMO_DATE && x.demo, "card in the 3-month grace");
    await place(c);
    await kiosk.getByRole("button", { name: "暗証番号", exact: true }).click();
    await enterPin(DEMO_PIN);
    await kiosk.getByRole("heading", { name: "受付が完了しました" }).waitFor();
    assert.match(await kiosk.locator("#done-warning").innerText(), /3か月間は資格確認のみ/);
    await shot(kiosk, "grace-done");
    await kiosk.getByRole("button", { name: "最初に戻る" }).click();
    const row = await latestRow(6);
    assert.match(await row.locator(".warning").innerText(), /資格確認のみ/);
    assert.equal(await row.locator(".consent").innerText(), "—");
    await shot(reception, "reception-03-list");
  });

  test("a revoked card is refused with the authority's message", async () => {
    const c = card((x) => x.revoked, "revoked card");
    await place(c);
    await kiosk.getByRole("button", { name: "職員による目視確認" }).click();
    await kiosk.getByRole("button", { name: "確認しました (職員)" }).click();
    await kiosk.getByRole("heading", { name: "受付できませんでした" }).waitFor();
    assert.match(await kiosk.locator("#error-code").innerText(), /E7007/);
    await shot(kiosk, "error-revoked");
    await kiosk.getByRole("button", { name: "最初に戻る" }).click();
  });

  test("three wrong PINs lock the card, with the 市区町村 message", async () => {
    const c = card((x) => x.revoked && x.demo, "revoked card with a demo PIN");
    const wrong = "9999" /* not DEMO_PIN */;
    await place(c);
    await kiosk.getByRole("button", { name: "暗証番号", exact: true }).click();
    await enterPin(wrong);
    await kiosk.getByText("残り 2 回").waitFor();
    await enterPin(wrong);
    await kiosk.getByText("残り 1 回").waitFor();
    await enterPin(wrong);
    await kiosk.getByRole("heading", { name: "受付できませんでした" }).waitFor();
    assert.match(await kiosk.locator("#error-message").innerText(), /市区町村/);
    assert.match(await kiosk.locator("#error-code").innerText(), /E7011/);
    await shot(kiosk, "pin-locked");
    await kiosk.getByRole("button", { name: "最初に戻る" }).click();
  });

  test("ten face mismatches lock face checks; the kiosk then offers the PIN only", async () => {
    const c = [...cards].reverse().find((x) => x.registered && usable(x));
    assert.ok(c, "c");
    await kiosk.getByLabel("顔が一致する").uncheck();
    await place(c);
    await kiosk.getByRole("button", { name: "顔認証", exact: true }).click();
    for (let left = 9; left >= 1; left--) {
      await kiosk.getByText(`(あと ${left} 回でロックされます)`).waitFor();
      await kiosk.getByRole("button", { name: "もう一度" }).click();
    }
    await kiosk.getByText("顔認証がロックされています。").waitFor();
    assert.equal(await kiosk.getByRole("button", { name: "もう一度" }).isVisible(), false);
    assert.equal(await kiosk.getByRole("button", { name: "暗証番号に切り替える" }).isVisible(), true);
    await shot(kiosk, "face-locked");
    await kiosk.getByLabel("顔が一致する").check();
    await kiosk.locator(`#cards li[data-card-id="${c.cardId}"]`, { hasText: "顔認証の失敗 10 回" }).waitFor();
  });

  test("the list reconnects after losing the connection and catches up with what it missed", async () => {
    const shown = await reception.locator("#users tbody tr").count();
    await reception.context().setOffline(true);
    server.dropConnections();
    await reception.getByText("接続が切れました").waitFor();
    await shot(reception, "reception-04-lost");
    const c = card((x) => x.registered && usable(x), "registered card");
    await place(c);
    await kiosk.getByRole("button", { name: "職員による目視確認" }).click();
    await kiosk.getByRole("button", { name: "確認しました (職員)" }).click();
    await answerConsent("offline");
    await kiosk.getByRole("heading", { name: "受付が完了しました" }).waitFor();
    await kiosk.getByRole("button", { name: "最初に戻る" }).click();
    assert.equal(await reception.locator("#users tbody tr").count(), shown);
    await reception.context().setOffline(false);
    await reception.getByText("リアルタイムで更新中").waitFor();
    await latestRow(shown + 1);
  });

  test("the 限度額 and 特定疾病 consent screens say what they are for (the payment), not the past records' note", () => {
    const find = (word: string) => consentScreens.find((s) => s.question.includes(word));
    const limit = find("限度額適用認定証");
    const diseases = find("特定疾病療養受療証");
    const records = find("薬剤情報");
    assert.ok(limit && diseases && records, JSON.stringify(consentScreens));
    assert.match(limit.note, /高額療養費の自己負担限度額/);
    assert.match(diseases.note, /特定疾病の窓口でのお支払いが自己負担限度額まで/);
    assert.match(records.note, /過去の情報を診療・服薬指導などに利用します/);
  });

  test("the kiosk and its simulator panel fit a 1024-px-wide window, the consent screen's text inside the kiosk", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
    try {
      await page.goto(`${server.url}/reader`);
      await page.getByRole("heading", { name: "マイナンバーカードを置いてください" }).waitFor();
      await page.locator("#cards li").first().waitFor();
      const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      assert.ok(width.scroll <= width.client, `no sideways scrolling: ${JSON.stringify(width)}`);
      for (const part of [".kiosk", ".simulator"]) {
        const box = (await page.locator(part).boundingBox())!;
        assert.ok(box.x >= 0 && box.x + box.width <= width.client, `${part}: ${JSON.stringify(box)}`);
      }
      // The longest screen: a consent question with its note, at the kiosk's narrowest.
      const c = card((x) => x.registered && usable(x), "registered card");
      await page.getByRole("button", { name: `${c.face.name} のカードを置く` }).click();
      await page.getByRole("button", { name: "顔認証", exact: true }).click();
      await page.locator("#consent-question").waitFor();
      const kioskBox = (await page.locator(".kiosk").boundingBox())!;
      for (const part of ["#consent-question", "#consent-note", "[data-action=consent-next]"]) {
        const box = (await page.locator(part).boundingBox())!;
        assert.ok(box.y + box.height <= kioskBox.y + kioskBox.height && box.x + box.width <= kioskBox.x + kioskBox.width, `${part} inside the kiosk`);
      }
      await screenshot(page, "reader-1024");
    } finally {
      await page.context().close();
    }
  });

  test("the reception page was never reloaded", async () => {
    assert.equal(await reception.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true);
  });
});
