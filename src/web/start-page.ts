// GET /: a small Japanese page that says what this server offers and where: the kiosk, the
// 利用者リスト, the OpenAPI page, the OQS folders in use and, with --demo, the demo credentials
// and cards (each card's state at the server's clock, as a tap would answer it now).
import type { Clock } from "../clock.ts";
import { jstDate, yyyymmddToIso } from "../domain/dates.ts";
import { DEMO_FACILITIES } from "../seed/demo.ts";
import { DEMO_CARDS, DEMO_PIN, demoCardState } from "../seed/demo-cards.ts";

export interface StartPage {
  /** The OQS root; its folders are listed when the folder gateway answers (facility: the terminal's). */
  oqs?: { root: string; gateway?: { facility: string; req: string; res: string; face: string } };
  /** The server's clock, when the demo data is loaded (the demo credentials are shown then only). */
  demo?: { now: Clock };
}

/** The OpenAPI page @fastify/swagger-ui serves (src/http/server.ts). */
const OPENAPI_PAGE = "/docs";

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function startPageHtml(page: StartPage, pages: { reader: string; cardUsers: string; terminal: string; homeConsent: string; usage: string; office: string }): string {
  const sections = [
    `<section><h2>画面</h2><ul>
  <li><a href="${pages.reader}">カードリーダー (受付機)</a></li>
  <li><a href="${pages.cardUsers}">利用者リスト (受付)</a></li>
  <li><a href="${pages.terminal}">資格確認端末 閲覧画面 (職員)</a></li>
  <li><a href="${pages.homeConsent}">居宅での同意 (患者の端末: オンライン診療・訪問診療)</a></li>
  <li><a href="${pages.usage}">マイナ保険証利用率 (全国・都道府県・施設の種類)</a></li>
  <li><a href="${pages.office}">補助金事務 (取りまとめ者・支払基金)</a></li>
  <li><a href="${OPENAPI_PAGE}">WebAPI (OpenAPI)</a></li>
</ul></section>`,
  ];
  if (page.oqs) sections.push(foldersSection(page.oqs));
  if (page.demo) sections.push(demoSection(page.demo.now()));
  return `<!doctype html>
<html lang="ja">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>onshi</title>
  <link rel="stylesheet" href="/web/style.css">
</head>
<body class="start-page">
  <main>
    <h1>onshi <small>オンライン資格確認等システムのオープンな実装</small></h1>
    ${sections.join("\n    ")}
  </main>
</body>
</html>
`;
}

function foldersSection(oqs: NonNullable<StartPage["oqs"]>): string {
  const gateway = oqs.gateway;
  const rows = gateway
    ? `<tr><th>要求 (req)</th><td><code>${escape(gateway.req)}</code></td></tr>
  <tr><th>応答 (res)</th><td><code>${escape(gateway.res)}</code></td></tr>
  <tr><th>顔認証 (face)</th><td><code>${escape(gateway.face)}</code></td></tr>`
    : "";
  const state = gateway
    ? `端末の医療機関 ${escape(gateway.facility)} の要求ファイルに応答します。`
    : "端末の医療機関が未設定のため、要求ファイルには応答しません (onshi serve --facility CODE で指定)。";
  return `<section><h2>連携フォルダ</h2><p>${state}</p><table>
  <tr><th>フォルダ</th><td><code>${escape(oqs.root)}</code></td></tr>
  ${rows}
</table></section>`;
}

function demoSection(now: Date): string {
  const facilities = DEMO_FACILITIES.map((f) => `<tr><td><code>${f.code}</code></td><td><code>${escape(f.credential)}</code></td><td>${escape(f.name)}</td></tr>`).join("\n  ");
  const cards = DEMO_CARDS.map((c) => `<tr><td><code>${c.cardId}</code></td><td>${escape(c.name)}</td><td>${escape(demoCardState(c, now))}</td></tr>`).join("\n  ");
  return `<section><h2>デモの医療機関</h2><table>
  <tr><th>医療機関コード</th><th>認証情報</th><th>名称</th></tr>
  ${facilities}
</table></section>
    <section><h2>デモのマイナンバーカード</h2><p>暗証番号はすべて <code>${DEMO_PIN}</code>。状態はサーバの時計の日付 ${yyyymmddToIso(jstDate(now))} のもの。</p><table>
  <tr><th>カードID</th><th>氏名</th><th>状態</th></tr>
  ${cards}
</table></section>`;
}
