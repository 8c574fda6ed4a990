// Reading a PDF as a person's viewer does, with Debian's poppler-utils: pages to PNG (pdftoppm),
// text (pdftotext), fonts (pdffonts), page count (pdfinfo). Installed by scripts/ensure-poppler.sh
// when missing; without it the PDF tests skip with the reason, except on CI where they fail.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const PDF_SCREENS_DIR = join(ROOT, "test-output/pdf");

const have = () => ["pdftoppm", "pdftotext", "pdffonts", "pdfinfo"].every((tool) => spawnSync(tool, ["-v"]).error === undefined);

export function popplerSkipReason(): string | undefined {
  if (!have()) spawnSync("bash", [join(ROOT, "scripts/ensure-poppler.sh")], { stdio: "inherit" });
  if (have()) return undefined;
  if (process.env.CI) throw new Error("CI では PDF のテストが必須ですが、poppler-utils (pdftoppm, pdftotext, pdffonts) をインストールできませんでした。");
  return "poppler-utils をインストールできないため、PDF のテストを skip します (scripts/ensure-poppler.sh を root で実行してください)。";
}

/** Runs `tool` on the PDF written to a temporary file; returns its standard output. */
function onFile(pdf: Buffer, run: (file: string, dir: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "onshi-pdf-"));
  try {
    const file = join(dir, "in.pdf");
    writeFileSync(file, pdf);
    return run(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of each page, laid out as on the page (`pdftotext -layout`), pages split at form feeds. */
export function pagesText(pdf: Buffer): string[] {
  const text = onFile(pdf, (file) => execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"], { encoding: "utf8" }));
  return text.split("\f").slice(0, -1);
}

export function pageCount(pdf: Buffer): number {
  const info = onFile(pdf, (file) => execFileSync("pdfinfo", [file], { encoding: "utf8" }));
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

export interface FontRow {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
}

export function fonts(pdf: Buffer): FontRow[] {
  const out = onFile(pdf, (file) => execFileSync("pdffonts", [file], { encoding: "utf8" }));
  return out
    .split("\n")
    .slice(2)
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const m = /^(\S+)\s+(.+?)\s{2,}\S+\s+(yes|no)\s+(yes|no)\s+(yes|no)/.exec(line);
      return { name: m?.[1] ?? line, type: m?.[2] ?? "", embedded: m?.[3] === "yes", subset: m?.[4] === "yes" };
    });
}

/** Renders every page to test-output/pdf/<name>-<n>.png (pdftoppm, 100 dpi); returns the files. */
export function renderPages(pdf: Buffer, name: string): string[] {
  mkdirSync(PDF_SCREENS_DIR, { recursive: true });
  for (const old of readdirSync(PDF_SCREENS_DIR)) if (old.startsWith(`${name}-`)) rmSync(join(PDF_SCREENS_DIR, old));
  onFile(pdf, (file) => execFileSync("pdftoppm", ["-r", "100", "-png", file, join(PDF_SCREENS_DIR, name)], { encoding: "utf8" }));
  return readdirSync(PDF_SCREENS_DIR)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith(".png"))
    .sort((a, b) => Number(/-(\d+)\.png$/.exec(a)?.[1]) - Number(/-(\d+)\.png$/.exec(b)?.[1]))
    .map((f) => join(PDF_SCREENS_DIR, f));
}

/** Width and height of a PNG (its IHDR), or undefined when the bytes are not a PNG. */
export function pngSize(file: string): { width: number; height: number } | undefined {
  const bytes = readFileSync(file);
  if (!bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** An A4 page's height over its width. */
export const A4_RATIO = 841.89 / 595.28;

/** Every page is a PNG of an A4 portrait page. */
export function assertPages(files: string[], count: number): void {
  assert.equal(files.length, count, "one PNG per page");
  for (const file of files) {
    const size = pngSize(file);
    assert.ok(size, `${file} is a PNG`);
    assert.ok(Math.abs(size.height / size.width - A4_RATIO) < 0.01, `${file} is an A4 portrait page (${size.width}×${size.height})`);
  }
}

/** Every font of the PDF is an embedded subset of Noto Sans JP. */
export function assertJapaneseFontEmbedded(pdf: Buffer): void {
  const list = fonts(pdf);
  assert.ok(list.length > 0, "the PDF lists its fonts");
  for (const f of list) {
    assert.match(f.name, /^[A-Z]{6}\+NotoSansJP-(Regular|Bold)$/, `${f.name} is a subset of Noto Sans JP`);
    assert.ok(f.embedded && f.subset, `${f.name} is embedded as a subset`);
  }
}
