// The pages as files (served, labels shared with the server, nothing else reachable) and in the
// browser (the kiosk signs in as the demo hospital; a wrong credential is said so in Japanese).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { CONSENT_CATEGORIES } from "../../src/domain/consent.ts";
import Fastify from "fastify";
import { DEMO_DATE, DEMO_FACILITIES } from "../../src/seed/demo.ts";
import { DEMO_CARDS, demoCardState } from "../../src/seed/demo-cards.ts";
import { registerWebPages } from "../../src/web/plugin.ts";
import { browserSkipReason, launchChromium, screenshot } from "./browser.ts";
import { startDemoServer, type DemoServer } from "./demo-server.ts";

describe("the web pages", () => {
  let server: DemoServer;
  before(async () => {
    server = await startDemoServer();
  });
  after(() => server.close());

  test("/reader, /card-users and /usage/ are Japanese HTML pages loading their modules", async () => {
    for (const [path, script] of [["/reader", "/web/reader.js"], ["/card-users", "/web/card-users.js"], ["/usage/", "/web/usage.js"]] as const) {
      const res = await fetch(server.url + path);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
      const html = await res.text();
      assert.match(html, /<html lang="ja">/);
      assert.ok(html.includes(`src="${script}"`), "html.includes(`src=\"${script}\"`)");
      const js = await fetch(server.url + script);
      assert.equal(js.status, 200);
      assert.match(js.headers.get("content-type") ?? "", /javascript/);
    }
  });

  test("/ is a Japanese page linking the kiosk, the 利用者リスト, the terminal, the home-consent page, the usage page, the subsidy office's page and the OpenAPI page, with the OQS root, the demo credentials and each card's state at the server's clock", async () => {
    const res = await fetch(`${server.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html; charset=utf-8/);
    const html = await res.text();
    assert.match(html, /<html lang="ja">/);
    const links = [...html.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(links, [
      ["/reader", "カードリーダー (受付機)"],
      ["/card-users", "利用者リスト (受付)"],
      ["/terminal/", "資格確認端末 閲覧画面 (職員)"],
      ["/home-consent", "居宅での同意 (患者の端末: オンライン診療・訪問診療)"],
      ["/usage/", "マイナ保険証利用率 (全国・都道府県・施設の種類)"],
      ["/office/", "補助金事務 (取りまとめ者・支払基金)"],
      ["/docs", "WebAPI (OpenAPI)"],
    ]);
    for (const [href] of links) assert.equal((await fetch(server.url + href!)).status, 200, href);
    assert.ok(html.includes(`<code>${server.oqsRoot}</code>`), "html.includes(`<code>${server.oqsRoot}</code>`)");
    assert.match(html, /端末の医療機関が未設定のため/);
    for (const f of DEMO_FACILITIES) assert.ok(html.includes(`<tr><td><code>${f.code}</code></td><td><code>${f.credential}</code></td>`), f.code);
    const demoDay = new Date(`${DEMO_DATE}T09:30:00+09:00`);
    for (const c of DEMO_CARDS) assert.ok(html.includes(`<td><code>${c.cardId}</code></td><td>${c.name}</td><td>${demoCardState(c, demoDay)}</td>`), c.cardId);
    assert.match(html, /状態はサーバの時計の日付 2026-04-01 のもの/);
    assert.match(html, /電子証明書の期限切れから3か月以内: 資格確認のみ \(E7050\)/);
  });

  test("/ without --demo shows no credentials; with the folder gateway it lists req, res and face; paths are escaped", async () => {
    const app = Fastify();
    const root = "/srv/oqs<b>&";
    await registerWebPages(app, { oqs: { root, gateway: { facility: "1310100019", req: `${root}/req`, res: `${root}/res`, face: `${root}/face` } } });
    const html = (await app.inject({ method: "GET", url: "/" })).body;
    await app.close();
    assert.match(html, /端末の医療機関 1310100019 の要求ファイルに応答します。/);
    for (const folder of ["req", "res", "face"]) assert.ok(html.includes(`<code>/srv/oqs&#60;b&#62;&#38;/${folder}</code>`), folder);
    assert.ok(!html.includes("<b>"), "!html.includes(\"<b>\")");
    assert.doesNotMatch(html, /デモ|demo-hospital|DE0000/);
  });

  test("the 利用者リスト's old address /reception redirects to /card-users", async () => {
    const res = await fetch(`${server.url}/reception`, { redirect: "manual" });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get("location"), "/card-users");
  });

  test("the pages' labels and demo facility are the server's own", async () => {
    const source = await (await fetch(`${server.url}/web/shared.js`)).text();
    const shared = await import(`data:text/javascript,${encodeURIComponent(source)}`);
    for (const [name, category] of Object.entries(CONSENT_CATEGORIES)) assert.equal(shared.CONSENT_LABELS[name], category.label);
    assert.equal(shared.DEMO_FACILITY.code, DEMO_FACILITIES[0].code);
    assert.equal(shared.DEMO_FACILITY.credential, DEMO_FACILITIES[0].credential);
  });

  test("nothing outside the pages' folder is served, and unknown files get the server's 404", async () => {
    for (const path of ["/web/../../package.json", "/web/%2e%2e/plugin.ts", "/web/nope.js", "/web/"]) {
      const res = await fetch(server.url + path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(await res.text(), /"dependencies"|registerWebPages/, path);
    }
  });

  test("the pages (the start page too) are not listed in the OpenAPI document", async () => {
    const paths = Object.keys((await (await fetch(`${server.url}/docs/json`)).json()).paths);
    assert.ok(paths.length > 0, "paths.length > 0");
    assert.deepEqual(paths.filter((p) => p === "/" || p === "/reader" || p === "/card-users" || p === "/reception" || p.startsWith("/web")), []);
  });
});

const skip = browserSkipReason();

describe("the pages in Chromium", { skip }, () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the kiosk opens on 「マイナンバーカードを置いてください」, signed in as the demo hospital", async () => {
    const page = await browser.newPage({ viewport: { width: 1320, height: 600 } });
    await page.goto(`${server.url}/reader`);
    await page.getByRole("heading", { name: "マイナンバーカードを置いてください" }).waitFor();
    await page.getByText(`医療機関コード ${DEMO_FACILITIES[0].code}`).waitFor();
    const kept = await page.evaluate(() => JSON.parse(sessionStorage.getItem("onshi.facility") ?? "null"));
    assert.equal(kept.code, DEMO_FACILITIES[0].code);
    assert.equal(typeof kept.token, "string");
    await screenshot(page, "reader-01-insert");
    await page.close();
  });

  test("the 利用者リスト opened while the server cannot be reached connects once it can", async () => {
    const page = await browser.newPage();
    let refused = 0;
    await page.route("**/onshi-api/card-users", (route) => (refused++ === 0 ? route.abort("connectionrefused") : route.continue()));
    await page.goto(`${server.url}/card-users`);
    await page.getByText("接続できません", { exact: true }).waitFor();
    await page.getByText("リアルタイムで更新中").waitFor();
    assert.equal(await page.locator("#facility-message").isVisible(), false);
    assert.equal(refused, 2);
    await page.close();
  });

  test("the 利用者リスト's live stream carries the token in the Authorization header, never in a URL", async () => {
    const page = await browser.newPage();
    const requests: { url: string; authorization?: string }[] = [];
    page.on("request", (r) => requests.push({ url: r.url(), authorization: r.headers().authorization }));
    await page.goto(`${server.url}/card-users`);
    await page.getByText("リアルタイムで更新中").waitFor();
    const token: string = await page.evaluate(() => JSON.parse(sessionStorage.getItem("onshi.facility")!).token);
    const stream = requests.find((r) => new URL(r.url).pathname === "/onshi-api/card-users/stream");
    assert.ok(stream, "the stream was opened");
    assert.equal(stream.authorization, token);
    for (const r of requests) {
      assert.ok(!r.url.includes(token), r.url);
      assert.doesNotMatch(r.url, /access_token/);
    }
    await page.close();
  });

  test("a wrong credential is refused with the server's Japanese message", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/reader`);
    await page.getByRole("heading", { name: "マイナンバーカードを置いてください" }).waitFor();
    await page.locator("#facility-settings summary").click();
    await page.getByLabel("認証情報").fill("wrong");
    await page.getByRole("button", { name: "接続" }).click();
    await page.getByText("接続できません: ").waitFor();
    assert.match(await page.locator("#facility-message").innerText(), /認証/);
    await page.close();
  });
});
