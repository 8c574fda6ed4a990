// Debian's Chromium for the web tests, driven by playwright-core (which never downloads a browser).
// When /usr/bin/chromium is missing, the project's own script installs it; if that fails the tests
// skip with the reason, except on CI (env CI), where a missing browser is a failure.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SCREENS_DIR = join(ROOT, "test-output/screens");

/** Why the browser tests cannot run here (then they skip), or undefined when Chromium is ready. */
export function browserSkipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) {
    spawnSync("bash", [join(ROOT, "scripts/ensure-chromium.sh")], { stdio: "inherit" });
  }
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.CI) throw new Error(`CI ではブラウザテストが必須ですが、${CHROMIUM} をインストールできませんでした。`);
  return `${CHROMIUM} をインストールできないため、ブラウザテストを skip します (scripts/ensure-chromium.sh を root で実行してください)。`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM });
}

/** Keeps a picture of the page (or of one part of it) under test-output/screens/<name>.png. */
export async function screenshot(page: Page, name: string, part?: Locator): Promise<string> {
  await mkdir(SCREENS_DIR, { recursive: true });
  const path = join(SCREENS_DIR, `${name}.png`);
  await (part ?? page).screenshot({ path });
  return path;
}

/**
 * One picture of a flow: the kiosk's screens side by side (cropped to the reader's screen), then
 * the reception's list, laid out by Chromium itself. Written to test-output/screens/reader-flow.png.
 */
export async function composeFlowImage(browser: Browser, screens: string[], reception: Page): Promise<string> {
  const receptionShot = await screenshot(reception, "reception-final");
  const page = await browser.newPage({ viewport: { width: 1320, height: 400 } });
  const img = async (path: string) => `data:image/png;base64,${(await readFile(path)).toString("base64")}`;
  const tiles = await Promise.all(screens.map(async (path) => `<img src="${await img(path)}">`));
  await page.setContent(`<style>
      body { margin: 0; padding: 12px; background: #fff; display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; }
      img { width: 100%; }
      img.wide { grid-column: 1 / -1; height: 220px; object-fit: cover; object-position: 0 0; border: 1px solid #ccd; }
    </style>${tiles.join("")}<img class="wide" src="${await img(receptionShot)}">`);
  const path = join(SCREENS_DIR, "reader-flow.png");
  await page.screenshot({ path, fullPage: true });
  await page.close();
  return path;
}
