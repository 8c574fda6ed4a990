// What onshi's PDFs share (the 薬剤情報・特定健診情報 PDFs of medical-pdf.ts, the マイナ保険証利用率
// notice of usage-notice-pdf.ts): A4, Japanese, every page headed with its title, a line saying
// whose document it is and when it was made, numbered x / y at the foot.
// - PDFKit draws (maintained, MIT; it subsets and embeds the font through fontkit). The fonts are
//   parsed once per process by fontkit and handed to each document: parsing a 5 MB font per PDF
//   would cost about 300 ms each.
// - The font is Noto Sans JP (SIL Open Font License 1.1: embedding, subsetting and redistribution
//   allowed) as TrueType from the npm package @expo-google-fonts/noto-sans-jp: read from
//   node_modules, never downloaded at run time. TrueType rather than the OpenType/CFF cut of other
//   packages because fontkit's glyf subsetting is its well-trodden path.
// - Charts are Vega specs rendered to SVG without a browser (renderer "none") and placed with
//   svg-to-pdfkit, so no chart is hand-drawn.
// Nothing varies between runs but what the input says: the PDF's dates are `asOf`, the file ID is
// derived from them, the font subset's tag from its position.
import { createRequire } from "node:module";
import * as fontkit from "fontkit";
import PDFDocument from "pdfkit";
import SVGtoPDF from "svg-to-pdfkit";
import { parse, View, type Spec } from "vega";
import { jstTimestamp } from "../domain/dates.ts";

const FONT_FILES = {
  regular: "@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf",
  bold: "@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf",
} as const;
type FontName = keyof typeof FONT_FILES;
let fonts: Record<FontName, fontkit.Font> | undefined;
/** The fonts, parsed on the first PDF (a server that makes none never reads them). */
function loadFonts(): Record<FontName, fontkit.Font> {
  const resolve = createRequire(import.meta.url).resolve;
  fonts ??= { regular: fontkit.openSync(resolve(FONT_FILES.regular)) as fontkit.Font, bold: fontkit.openSync(resolve(FONT_FILES.bold)) as fontkit.Font };
  return fonts;
}

// A4 in points, and the frame every page draws in.
export const PAGE = { width: 595.28, height: 841.89 };
export const MARGIN = { left: 40, right: 40, top: 36, bottom: 44 };
export const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;
const CELL_PAD = 3;
const INK = "#000000";
const RULE = "#c4c4c4";
const GROUP_RULE = "#555555";
const HEAD_FILL = "#e6e6e6";

type Doc = InstanceType<typeof PDFDocument>;

export interface Cell {
  text: string;
  bold?: boolean;
  align?: "left" | "right" | "center";
}
export interface Column {
  header: string;
  width: number;
  align?: "left" | "right" | "center";
}
export interface Row {
  /** One cell per column, or a single cell across the whole table (a group's title). */
  cells: (Cell | string)[];
  fill?: string;
  /** Draws a heavier rule above the row (a new record or group). */
  groupStart?: boolean;
  /** Keeps this many following rows on the same page (a group's title with its first record). */
  keepWithNext?: number;
}

/** One PDF being drawn: the document, its title and header line (for each page's header), the cursor. */
export class Sheet {
  readonly doc: Doc;
  y = 0;

  /** `subject`: the line under the title saying whose document it is; `infoTitle`: the PDF's Title. */
  constructor(
    private readonly title: string,
    private readonly subject: string,
    private readonly asOf: Date,
    infoTitle: string,
  ) {
    this.doc = new PDFDocument({
      size: "A4",
      // Our own frame (MARGIN): PDFKit's margins at 0 so it never starts a page by itself.
      margin: 0,
      bufferPages: true,
      autoFirstPage: false,
      lang: "ja-JP",
      displayTitle: true,
      info: { Title: infoTitle, Author: "onshi", Creator: "onshi", Producer: "onshi (PDFKit)", CreationDate: asOf, ModDate: asOf },
    });
    // PDFKit takes a parsed fontkit font as well as a file (its factory checks for `layout`); its
    // typings list only files and bytes.
    for (const [name, font] of Object.entries(loadFonts())) this.doc.registerFont(name, font as unknown as Buffer);
    this.newPage();
  }

  newPage(): void {
    this.doc.addPage({ size: "A4", margin: 0 });
    const { doc } = this;
    doc.fillColor(INK).font("bold").fontSize(15).text(this.title, MARGIN.left, MARGIN.top, { width: CONTENT_WIDTH, lineBreak: false });
    doc.font("regular").fontSize(8).text(`作成日時 ${jstMinuteText(this.asOf)}`, MARGIN.left, MARGIN.top + 4, { width: CONTENT_WIDTH, align: "right", lineBreak: false });
    doc.fontSize(10).text(this.subject, MARGIN.left, MARGIN.top + 24, { width: CONTENT_WIDTH, lineBreak: false });
    const ruleY = MARGIN.top + 40;
    doc.moveTo(MARGIN.left, ruleY).lineTo(PAGE.width - MARGIN.right, ruleY).lineWidth(0.8).strokeColor(INK).stroke();
    this.y = ruleY + 8;
  }

  /** Moves to a new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.y + height > BOTTOM) this.newPage();
  }

  heading(text: string, size = 11): void {
    this.ensure(size + 30);
    this.doc.font("bold").fontSize(size).fillColor(INK).text(text, MARGIN.left, this.y, { width: CONTENT_WIDTH, lineBreak: false });
    this.y += size + 6;
  }

  note(text: string, size = 8): void {
    this.doc.font("regular").fontSize(size);
    const h = this.doc.heightOfString(text, { width: CONTENT_WIDTH });
    this.ensure(h + 4);
    // A new page's header leaves its own font and size set.
    this.doc.font("regular").fontSize(size).fillColor(INK).text(text, MARGIN.left, this.y, { width: CONTENT_WIDTH });
    this.y += h + 4;
  }

  /**
   * A table that continues across pages, repeating its header rows; a row never splits, and a row
   * with `keepWithNext` moves to the next page with the rows it keeps.
   */
  table(columns: readonly Column[], rows: readonly Row[], options: { fontSize?: number; headerRows?: readonly Row[] } = {}): void {
    const size = options.fontSize ?? 8;
    const header: Row[] = [{ cells: columns.map((c) => ({ text: c.header, bold: true, align: c.align })) }, ...(options.headerRows ?? [])].map((r) => ({ ...r, fill: HEAD_FILL }));
    const measured = (list: readonly Row[]) => list.map((row) => ({ row, height: this.rowHeight(columns, row, size) }));
    const head = measured(header);
    const body = measured(rows);
    const headHeight = head.reduce((sum, r) => sum + r.height, 0);
    const drawHeader = () => head.forEach((r) => this.drawRow(columns, r.row, r.height, size));
    this.ensure(headHeight + (body[0]?.height ?? 0));
    drawHeader();
    body.forEach(({ row, height }, i) => {
      const kept = body.slice(i, i + 1 + (row.keepWithNext ?? 0)).reduce((sum, r) => sum + r.height, 0);
      if (this.y + kept > BOTTOM) {
        this.newPage();
        drawHeader();
      }
      this.drawRow(columns, row, height, size);
    });
    this.y += 8;
  }

  /**
   * An SVG (a rendered chart) at x, y scaled to width × height, its text in the sheet's fonts. The
   * root's own width and height are set to the box (its viewBox keeps the drawing's coordinates):
   * svg-to-pdfkit draws at the root's size, not the box's.
   */
  svg(svg: string, x: number, y: number, width: number, height: number): void {
    const fitted = svg.replace(/^(<svg\b[^>]*?)\swidth="[^"]*"\s+height="[^"]*"/, `$1 width="${width}" height="${height}"`);
    SVGtoPDF(this.doc, fitted, x, y, { width, height, fontCallback: (_family: string, bold: boolean) => (bold ? "bold" : "regular") });
  }

  /** The width each cell of a row is laid out in: its column's, or the table's for a single cell. */
  private widths(columns: readonly Column[], row: Row): number[] {
    return row.cells.length === 1 && columns.length > 1 ? [columns.reduce((sum, c) => sum + c.width, 0)] : columns.map((c) => c.width);
  }

  private rowHeight(columns: readonly Column[], row: Row, size: number): number {
    const { doc } = this;
    const widths = this.widths(columns, row);
    return row.cells.reduce<number>((h, c, i) => {
      const cell = asCell(c);
      doc.font(cell.bold ? "bold" : "regular").fontSize(size);
      return Math.max(h, doc.heightOfString(cell.text || " ", { width: widths[i]! - 2 * CELL_PAD, lineGap: 0 }) + 2 * CELL_PAD);
    }, size + 2 * CELL_PAD);
  }

  private drawRow(columns: readonly Column[], row: Row, height: number, size: number): void {
    const { doc } = this;
    const widths = this.widths(columns, row);
    const right = MARGIN.left + CONTENT_WIDTH;
    if (row.fill) doc.rect(MARGIN.left, this.y, CONTENT_WIDTH, height).fill(row.fill);
    let x = MARGIN.left;
    row.cells.forEach((c, i) => {
      const cell = asCell(c);
      doc.font(cell.bold ? "bold" : "regular").fontSize(size).fillColor(INK);
      doc.text(cell.text, x + CELL_PAD, this.y + CELL_PAD, { width: widths[i]! - 2 * CELL_PAD, align: cell.align ?? columns[i]?.align ?? "left", lineGap: 0 });
      x += widths[i]!;
    });
    doc.moveTo(MARGIN.left, this.y).lineTo(right, this.y).lineWidth(row.groupStart ? 0.6 : 0.3).strokeColor(row.groupStart ? GROUP_RULE : RULE).stroke();
    this.y += height;
    doc.moveTo(MARGIN.left, this.y).lineTo(right, this.y).lineWidth(0.3).strokeColor(RULE).stroke();
  }

  /** Numbers every page "x / y" at its foot and returns the finished file. */
  async finish(): Promise<Buffer> {
    const { doc } = this;
    const { start, count } = doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      doc.font("regular").fontSize(8).fillColor(INK).text(`${i - start + 1} / ${count}`, MARGIN.left, PAGE.height - MARGIN.bottom + 16, { width: CONTENT_WIDTH, align: "center", lineBreak: false });
    }
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve, reject) => {
      doc.on("end", resolve);
      doc.on("error", reject);
    });
    doc.end();
    await ended;
    return Buffer.concat(chunks);
  }
}

/** An instant as Japan reads it, to the minute: 2026/12/06 09:30. */
export function jstMinuteText(at: Date): string {
  const t = jstTimestamp(at);
  return `${t.slice(0, 4)}/${t.slice(4, 6)}/${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}`;
}

const asCell = (c: Cell | string): Cell => (typeof c === "string" ? { text: c } : c);

/** A Vega spec rendered to SVG without a browser (renderer "none"). */
export async function vegaSvg(spec: Spec): Promise<string> {
  const view = new View(parse(spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
