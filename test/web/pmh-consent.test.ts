// 医療費助成 at the kiosk and the 利用者リスト, in Chromium: at the demo clinic (医療費助成情報 利用する)
// the reader asks 「医療費助成の各種受給者証を利用しますか。」; agreed, the check's face result and the
// reception's list carry the patient's 受給者証 valid that day; refused, the list shows none. The
// 受給者証 are registered here as a municipality's upload would (saveCertificates) for the holder
// of a registered demo card. Screens under test-output/screens/pmh-*.png (the README's
// docs/images/pmh-consent.png is copied from pmh-consent.png by hand).
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { SubsidyCertificate } from "../../src/domain/medical-subsidy.ts";
import { DEMO_FACILITIES, DEMO_MEDICAL_SUBSIDY_FACILITY } from "../../src/seed/demo.ts";
import { DEMO_CARDS } from "../../src/seed/demo-cards.ts";
import { saveCertificates } from "../../src/store/medical-subsidy-store.ts";
import { browserSkipReason, launchChromium, screenshot } from "./browser.ts";
import { startDemoServer, type DemoServer } from "./demo-server.ts";

const skip = browserSkipReason();
const CLINIC = DEMO_FACILITIES.find((f) => f.code === DEMO_MEDICAL_SUBSIDY_FACILITY)!;
const HOLDER = DEMO_CARDS.find((c) => c.cardId === "DE00000000000001")!; // 山田　太郎, registered
const QUESTION = "医療費助成の各種受給者証を利用しますか。";

const certificate = (over: Partial<SubsidyCertificate> & Pick<SubsidyCertificate, "personId">): SubsidyCertificate => ({
  issuerCode: "130001", // 東京都: in the registry, so taking part on the demo date
  historyKey: "demo-nanbyo",
  programme: "intractableDisease",
  orgCertificateTypeId: null,
  insurerNumber: "54136015",
  recipientNumber: "0000018",
  certificationName: "特定医療費（指定難病）受給者証",
  certificationSubKey: null,
  segment: null,
  incomeSegment: "一般所得Ⅰ",
  additionalConditions: null,
  designatedMedicalInstitutions: [],
  alwaysReimbursement: false,
  maxCopayment: { monthly: 10_000 },
  validFrom: "2025-10-01",
  validTo: "2026-09-30",
  isDeleted: false,
  certificationDetail: [],
  ...over,
});

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
    server = await startDemoServer();
    const [person] = await server.db.query<{ person_id: number }>("select person_id from persons where name = $1", [HOLDER.name]);
    assert.ok(person, `the demo data holds ${HOLDER.name}`);
    const personId = Number(person.person_id);
    await saveCertificates(
      server.db,
      [
        certificate({ personId }),
        // 世田谷区 (where the demo family lives) is in the registry too; a local programme's number has no check digit.
        certificate({
          personId,
          issuerCode: "131121",
          historyKey: "demo-maru-sho",
          programme: "disabilities",
          insurerNumber: "80137011",
          recipientNumber: "S-20417",
          certificationName: "心身障害者医療費助成 受給者証（マル障）",
          incomeSegment: null,
          maxCopayment: { perVisit: 0 },
          validFrom: "2025-08-01",
          validTo: "2026-07-31",
        }),
        // Designated to another facility only: never shown at the clinic.
        certificate({ personId, historyKey: "demo-elsewhere", designatedMedicalInstitutions: [DEMO_FACILITIES[0].code] }),
      ],
      new Date("2026-03-01T00:00:00Z"),
    );
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
    await cell.getByText("特定医療費（指定難病）受給者証").waitFor();
    const text = await cell.innerText();
    assert.match(text, /特定医療費（指定難病）受給者証\n公費 54136015 \/ 受給者 0000018 \/ 上限 月 10,000円 \/ 2025-10-01〜2026-09-30/);
    assert.match(text, /心身障害者医療費助成 受給者証（マル障）\n公費 80137011 \/ 受給者 S-20417 \/ 上限 1回 0円 \/ 2025-08-01〜2026-07-31/);
    assert.equal(await cell.locator("div").count(), 2, "the record designated to another facility is not shown");
    const [face] = (await readdir(join(server.oqsRoot, "face"))).filter((f) => f.includes(CLINIC.code));
    assert.ok(face, "the clinic's face result was written");
    const xml = await readFile(join(server.oqsRoot, "face", face), "utf8");
    // Oldest first, as the store orders them (by validFrom).
    assert.match(xml, /<PublicExpenseCertificateList>\s*<PublicExpenseCertificateInfo>\s*<PublicExpenseNumber>80137011<\/PublicExpenseNumber>/);
    assert.match(xml, /<\/PublicExpenseCertificateInfo>\s*<PublicExpenseCertificateInfo>\s*<PublicExpenseNumber>54136015<\/PublicExpenseNumber>/);
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
});
