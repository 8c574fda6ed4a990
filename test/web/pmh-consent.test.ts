// 医療費助成 at the kiosk and the 利用者リスト, in Chromium, on the demo data: at the demo clinic
// (医療費助成情報 利用する) the reader asks 「医療費助成の各種受給者証を利用しますか。」; agreed, the
// check's face result and the reception's list carry the card holder's 受給者証 valid there that day
// (高橋　美咲's マル親; her 精神通院 is designated for the hospital and the pharmacy, so not shown);
// refused, the list shows none. Screens under test-output/screens/pmh-*.png (the README's
// docs/images/pmh-consent.png is copied from pmh-consent.png by hand).
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { DEMO_DATE, DEMO_FACILITIES, DEMO_MEDICAL_SUBSIDY_FACILITY, DEMO_STAFF, DEMO_SUBSIDY_CERTIFICATES } from "../../src/seed/demo.ts";
import { DEMO_CARDS } from "../../src/seed/demo-cards.ts";
import { browserSkipReason, launchChromium, screenshot } from "./browser.ts";
import { startDemoServer, type DemoServer } from "./demo-server.ts";

const skip = browserSkipReason();
const CLINIC = DEMO_FACILITIES.find((f) => f.code === DEMO_MEDICAL_SUBSIDY_FACILITY)!;
const HOLDER = DEMO_CARDS.find((c) => c.cardId === "DE00000000000007")!; // 高橋　美咲, registered
const QUESTION = "医療費助成の各種受給者証を利用しますか。";
/** The holder's 受給者証 on the demo date: those the clinic may be shown, and those designated elsewhere. */
const HELD = DEMO_SUBSIDY_CERTIFICATES.filter((c) => c.name === HOLDER.name && c.validFrom <= DEMO_DATE && (c.validTo === null || DEMO_DATE <= c.validTo));
const AT_CLINIC = HELD.filter((c) => c.designatedMedicalInstitutions.length === 0 || c.designatedMedicalInstitutions.includes(CLINIC.code));
const ELSEWHERE = HELD.filter((c) => !AT_CLINIC.includes(c));

describe("医療費助成 at the kiosk and in the 利用者リスト", { skip }, () => {
  let server: DemoServer;
  let browser: Browser;
  let kiosk: Page;
  let reception: Page;

  /** A page of the clinic (its facility kept in the tab, as the settings form keeps it). */
  async function clinicPage(path: string, width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    await context.addInitScript((f) => sessionStorage.setItem("onshi.facility", JSON.stringify(f)), { code: CLINIC.code, credential: CLINIC.credential });
    const page = await context.newPage();
    await page.goto(`${server.url}${path}`);
    return page;
  }

  /** One check of the holder by face, answering 医療費助成 as asked and every other screen with its default. */
  async function check(agreeSubsidy: boolean, shotName?: string): Promise<string[]> {
    await kiosk.getByRole("button", { name: `${HOLDER.name} のカードを置く` }).click();
    await kiosk.getByRole("button", { name: "顔認証", exact: true }).click();
    const asked: string[] = [];
    const question = kiosk.locator("#consent-question");
    await question.waitFor();
    while (await kiosk.locator("[data-screen=consent]").isVisible()) {
      const text = await question.innerText();
      asked.push(text);
      if (text === QUESTION) {
        assert.equal(await kiosk.locator("#consent-note").innerText(), "利用すると、受給者証を出さなくても、医療費助成を受けられます。");
        if (!agreeSubsidy) await kiosk.getByRole("radio", { name: "同意しない" }).click();
        if (shotName) await screenshot(kiosk, shotName, kiosk.locator(".kiosk"));
      }
      const n = asked.length;
      await kiosk.getByRole("button", { name: "次へ" }).click();
      await kiosk.waitForFunction(
        (k) => document.querySelector("#consent-step")?.textContent?.startsWith(`同意の確認 ${k + 1}`) || document.querySelector(".kiosk")?.getAttribute("data-showing") !== "consent",
        n,
      );
    }
    await kiosk.getByRole("button", { name: "電子処方箋" }).click();
    await kiosk.getByRole("heading", { name: "受付が完了しました" }).waitFor();
    await kiosk.getByRole("button", { name: "最初に戻る" }).click();
    return asked;
  }

  async function rows(count: number) {
    await reception.locator("#users tbody tr").nth(count - 1).waitFor();
    return reception.locator("#users tbody tr");
  }

  before(async () => {
    assert.ok(AT_CLINIC.length > 0 && ELSEWHERE.length > 0, "the demo holder has 受給者証 for the clinic and for elsewhere");
    server = await startDemoServer();
    browser = await launchChromium();
    reception = await clinicPage("/card-users", 1500, 520);
    await reception.getByText("リアルタイムで更新中").waitFor();
    kiosk = await clinicPage("/reader", 1320, 600);
    await kiosk.getByRole("heading", { name: "マイナンバーカードを置いてください" }).waitFor();
    await kiosk.locator("#cards li").first().waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("agreed: the reader asked, and the face result and the list carry the 受給者証 valid there that day", async () => {
    const asked = await check(true, "pmh-consent");
    assert.equal(asked.at(-1), QUESTION, "the clinic's reader asks 医療費助成, last");
    const row = (await rows(1)).first();
    const cell = row.locator("td.subsidies");
    await cell.getByText(AT_CLINIC[0]!.certificationName).waitFor();
    const text = await cell.innerText();
    for (const c of AT_CLINIC) assert.match(text, new RegExp(`${c.certificationName}\\n公費 ${c.insurerNumber} / 受給者 ${c.recipientNumber} / .*${c.validFrom}〜${c.validTo}`));
    for (const c of ELSEWHERE) assert.doesNotMatch(text, new RegExp(c.insurerNumber), `${c.certificationName} is for other facilities`);
    assert.equal(await cell.locator("div").count(), AT_CLINIC.length);
    const [face] = (await readdir(join(server.oqsRoot, "face"))).filter((f) => f.includes(CLINIC.code));
    assert.ok(face, "the clinic's face result was written");
    const xml = await readFile(join(server.oqsRoot, "face", face), "utf8");
    for (const c of AT_CLINIC) assert.match(xml, new RegExp(`<PublicExpenseNumber>${c.insurerNumber}</PublicExpenseNumber>`));
    for (const c of ELSEWHERE) assert.doesNotMatch(xml, new RegExp(c.insurerNumber));
    await screenshot(reception, "pmh-card-users");
  });

  test("refused: nothing is carried, and the list shows none, as for a patient without 受給者証", async () => {
    await check(false);
    const latest = (await rows(2)).first();
    assert.equal(await latest.locator("td.subsidies").innerText(), "—");
    assert.doesNotMatch(await latest.locator("td.consent").innerText(), /医療費助成/);
    const faces = (await readdir(join(server.oqsRoot, "face"))).sort((a, b) => a.slice(-18).localeCompare(b.slice(-18)));
    const texts = await Promise.all(faces.map((f) => readFile(join(server.oqsRoot, "face", f), "utf8")));
    assert.equal(texts.filter((t) => t.includes("PublicExpenseCertificateList")).length, 1, "only the agreed check carries them");
    await screenshot(reception, "pmh-card-users-refused");
  });

  test("the terminal's 環境設定: the hospital's administrator turns 医療費助成情報 on, recorded with the account; a clerk only reads it", async () => {
    const hospital = DEMO_FACILITIES[0].code;
    const signIn = async (loginId: string) => {
      const staff = DEMO_STAFF.find((s) => s.facility === hospital && s.loginId === loginId)!;
      const page = await browser.newPage({ viewport: { width: 1024, height: 640 } });
      await page.goto(`${server.url}/terminal/`);
      await page.getByLabel("医療機関コード").fill(hospital);
      await page.getByLabel("ログインID").fill(loginId);
      await page.getByLabel("パスワード").fill(staff.password);
      await page.getByRole("button", { name: "サインイン" }).click();
      await page.locator("#who").waitFor();
      await page.getByRole("button", { name: "環境設定" }).click();
      await page.locator("#subsidy-use", { hasText: /利用/ }).waitFor();
      return { page, staff };
    };
    const { page, staff } = await signIn("ishi");
    assert.equal(await page.locator("#subsidy-use").innerText(), "利用しない");
    assert.ok(await page.getByRole("button", { name: "利用しない", exact: true }).isDisabled(), "the state in force cannot be chosen again");
    await page.getByRole("button", { name: "利用する", exact: true }).click();
    await page.locator("#subsidy-use", { hasText: /^利用する$/ }).waitFor();
    const who = `${staff.displayName.normalize("NFKC")} (ishi)`;
    assert.match(await page.locator("#subsidy-accepted").innerText(), new RegExp(`利用規約への同意: .* ${who.replace(/[()]/g, "\\$&")}`));
    assert.match(await page.locator("#subsidy-changes tbody").innerText(), new RegExp(`利用する\\t${who.replace(/[()]/g, "\\$&")}`));
    await screenshot(page, "pmh-terminal-settings", page.locator("#screen-settings"));
    const clerk = (await signIn("jimu")).page;
    assert.equal(await clerk.locator("#subsidy-use").innerText(), "利用する");
    assert.ok(await clerk.locator("#subsidy-actions").isHidden(), "no buttons for a clerk");
    await clerk.getByText("変更できるのは管理者のアカウントだけです。").waitFor();
  });
});
