// Debian's Chromium for the web tests, driven by playwright-core (which never downloads a browser).
// When /usr/bin/chromium is missing, the project's own script installs it; if that fails the tests
// skip with the reason, except on CI (env CI), where a missing browser is a failure.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

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

/** Keeps a picture of the page under test-output/screens/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENS_DIR, { recursive: true });
  const path = join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
