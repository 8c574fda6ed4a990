// The subsidy office's page (/office/) in Chromium, on the demo data with the clock at 2021-04-01:
// the demo's examiner signs in, sees the queue oldest first, opens a case beside the engine's calculation
// (reasons and sources), decides it (the notice's PDF offered) and sends another back, a reason
// required (E9503 shown without one); a vendor registers its facilities and uploads a batch whose
// refused lines are listed by line, field and code. The screens are kept as
// test-output/screens/office-*.png; docs/images/office-examiner.png and office-vendor.png are
// copies made by hand, so a test run leaves the repository unchanged.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { DEMO_FACILITIES, DEMO_OFFICE, DEMO_STAFF } from "../../src/seed/demo.ts";
import { apply, type SubsidyCase } from "../../src/services/subsidy-office.ts";
import { browserSkipReason, launchChromium, screenshot } from "./browser.ts";
import { startDemoServer, type DemoServer } from "./demo-server.ts";

const skip = browserSkipReason();
const NOW = new Date("2021-04-01T09:30:00+09:00");

/** A facility's administrator applying for the 2020 fund (10/10 of the cost below the limit). */
async function applyFor(server: DemoServer, facility: (typeof DEMO_FACILITIES)[number], cost: number): Promise<SubsidyCase> {
  const admin = DEMO_STAFF.find((s) => s.facility === facility.code && s.administrator)!;
  const [row] = await server.db.query<{ account_id: number }>("select account_id from staff_accounts where medical_institution_code = $1 and login_id = $2", [facility.code, admin.loginId]);
  const project = { program: "fund-2020", cost, readerAppliedOn: "2021-01-10", completedOn: "2021-03-01", readers: 1 };
  return apply(server.db, { facilityCode: facility.code, program: "fund-2020", profile: { kind: facility.kind, projects: [project] } }, { role: "facility", accountId: row!.account_id, name: admin.displayName, facilityCode: facility.code }, NOW);
}

describe("the subsidy office's page", { skip }, () => {
  let server: DemoServer;
  let browser: Browser;
  const cases: SubsidyCase[] = [];

  before(async () => {
    server = await startDemoServer(() => NOW);
    browser = await launchChromium();
    cases.push(await applyFor(server, DEMO_FACILITIES[0], 2_000_000), await applyFor(server, DEMO_FACILITIES[2], 500_000));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(loginId: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1024, height: 1400 } });
    await page.goto(`${server.url}/office/`);
    await page.getByLabel("ログインID").fill(loginId);
    await page.getByLabel("パスワード").fill(DEMO_OFFICE.find((a) => a.loginId === loginId)!.password);
    await page.getByRole("button", { name: "サインイン" }).click();
    await page.locator("#who").waitFor();
    return page;
  }

  test("an examiner decides a case beside the engine's calculation, and sends another back with its reason", async () => {
    const page = await signIn("shinsa");
    assert.equal(await page.locator("#account-role").innerText(), "支払基金 審査担当");
    await page.locator("#queue").waitFor();
    const queued = await page.locator("#queue tbody tr").allInnerTexts();
    assert.deepEqual(queued.map((r) => Number(r.split("\t")[0])), cases.map((c) => c.caseId), "oldest first");
    assert.match(queued[0]!, /オンシ総合病院[\s\S]*2,000,000円/);
    await page.locator("#queue tbody tr").first().getByRole("button", { name: "審査" }).click();
    await page.locator("#exam-title", { hasText: "申請中" }).waitFor();
    const calculation = await page.locator("#exam-calculation").innerText();
    assert.ok(calculation.includes((cases[0]!.calculation as { reasons: string[] }).reasons[0]!), "the engine's reasons");
    assert.match(calculation, /出典[\s\S]*実施要領/, "and its sources");
    assert.match(await page.locator("#exam-recomputed").innerText(), /同じ/);
    assert.match(await page.locator("#exam-application").innerText(), /事業費\s*2,000,000円/);
    await screenshot(page, "office-examiner", page.locator("#examiner"));
    await page.getByRole("button", { name: "交付決定", exact: true }).click();
    await page.locator("#office-message", { hasText: "交付決定しました" }).waitFor();
    await page.locator("#exam-title", { hasText: "交付決定" }).waitFor();
    assert.match(await page.locator("#exam-history").innerText(), /交付決定[\s\S]*支払基金 審査　一郎/);
    const notice = page.locator("#exam-notices a");
    assert.match(await notice.innerText(), /交付決定通知書/);
    const pdf = await page.evaluate(async (href) => (await fetch(href)).headers.get("content-type"), (await notice.getAttribute("href"))!);
    assert.equal(pdf, "application/pdf");
    assert.equal(await page.locator("#decision-form").isVisible(), false, "no decision on a decided case");
    await page.getByLabel("支払日").fill("2021-04-01");
    await page.getByRole("button", { name: "支払を記録" }).click();
    await page.locator("#exam-title", { hasText: "支払済" }).waitFor();
    assert.equal(await page.locator("#payment-form").isVisible(), false, "paid once");

    await page.locator("#queue tbody tr").first().getByRole("button", { name: "審査" }).click();
    await page.locator("#exam-title", { hasText: `案件 ${cases[1]!.caseId}` }).waitFor();
    await page.getByRole("button", { name: "差戻し" }).click();
    await page.locator("#office-message", { hasText: "E9503" }).waitFor();
    await page.locator("#decision-form").getByLabel("理由").fill("事業費の内訳を添付してください。");
    await page.getByRole("button", { name: "差戻し" }).click();
    await page.locator("#office-message", { hasText: "差し戻しました" }).waitFor();
    await page.locator("#queue-empty").waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1024, `fits 1024 px (scrollWidth ${width})`);
    await page.close();
  });

  test("a vendor registers its facilities, uploads a batch and sees each refused line's number, field and code; the examiner's API refuses it (E9651)", async () => {
    const page = await signIn("torimatome");
    assert.equal(await page.locator("#account-role").innerText(), "取りまとめ者");
    assert.equal(await page.locator("#examiner").isVisible(), false, "no queue");
    const answer = await page.evaluate(async () => (await fetch("/office/api/exam/queue")).json());
    assert.equal(answer.code, "E9651");

    await page.locator("#no-facilities").waitFor();
    await page.getByLabel("医療機関コード (1行に1つ)").fill(`${DEMO_FACILITIES[1].code}\n1234567890`);
    await page.getByRole("button", { name: "登録する" }).click();
    await page.locator("#office-message", { hasText: "登録しました" }).waitFor();
    assert.match(await page.locator("#facilities tbody").innerText(), /オンシ内科クリニック/);
    assert.match(await page.locator("#register-result").innerText(), /1234567890/, "the malformed code listed");

    const project = { program: "fund-2020", cost: 429_000, readerAppliedOn: "2021-02-01", completedOn: "2021-03-01", readers: 1 };
    const line = (facility: (typeof DEMO_FACILITIES)[number], extra: Record<string, unknown> = {}) =>
      JSON.stringify({ facilityCode: facility.code, program: "fund-2020", profile: { kind: facility.kind, projects: [{ ...project, ...extra }] } });
    const text = [line(DEMO_FACILITIES[1]), line(DEMO_FACILITIES[0]), "{not json", line(DEMO_FACILITIES[1], { cost: "高い" })].join("\n");
    await page.locator("#batch-form input[type=file]").setInputFiles({ name: "batch.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(text) });
    await page.getByRole("button", { name: "送信する" }).click();
    await page.locator("#batch-result h3").waitFor();
    const result = await page.locator("#batch-result").innerText();
    assert.match(result, /一部を受け付けました \(4行、受付 1、誤り 3\)/);
    assert.match(result, /2\t[^\n]*\tE9514/, "line 2: a facility not registered by this vendor");
    assert.match(result, /3\t/, "line 3: not JSON");
    assert.match(result, new RegExp(`受け付けた案件[\\s\\S]*1\\t\\d+\\t${DEMO_FACILITIES[1].code}\\tfund-2020`), "the case opened for line 1");
    assert.equal(await page.locator("#batches tbody tr").count(), 1, "the batch listed");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1024, `fits 1024 px (scrollWidth ${width})`);
    await screenshot(page, "office-vendor", page.locator("#vendor"));
    await page.close();
  });

  test("a wrong password is refused on the page (E2100) and no session is kept", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/office/`);
    await page.getByLabel("ログインID").fill("shinsa");
    await page.getByLabel("パスワード").fill("wrong-password-1");
    await page.getByRole("button", { name: "サインイン" }).click();
    await page.locator("#sign-in-reason", { hasText: "E2100" }).waitFor();
    assert.equal(await page.locator("#who").isVisible(), false);
    await page.close();
  });
});
