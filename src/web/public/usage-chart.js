// What the two マイナ保険証利用率 pages share (the terminal's 「利用率の推移」 and the public /usage/):
// the chart arrives as SVG text drawn by the server (Vega), put into the page as it is; the same
// numbers below it as a table, for who would rather read them or copy them.
import { el, row, table } from "./terminal-dom.js";

/** Replaces the figure's content with the server's SVG (parsed as SVG, never as HTML). */
export function showChart(figure, svgText, caption) {
  const svg = new DOMParser().parseFromString(svgText, "image/svg+xml").documentElement;
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", caption);
  figure.replaceChildren(document.importNode(svg, true), el("figcaption", caption, "hint"));
}

/** YYYY-MM as 2025年4月. */
export const monthText = (month) => `${month.slice(0, 4)}年${Number(month.slice(5))}月`;

/** A rate as the table shows it: 45.12%, or 不明 (no records or no receipts that month). */
export const rateText = (rate) => rate?.text ?? "不明";

/** The lines' numbers month by month: a row per month, a column per line. */
export function linesTable(lines) {
  const months = lines[0]?.points.map((p) => p.month) ?? [];
  const rows = months.map((month, i) => {
    const tr = row([monthText(month)]);
    for (const line of lines) tr.append(el("td", rateText(line.points[i].rate), "num"));
    return tr;
  });
  return table(["診療月", ...lines.map((l) => l.label)], rows);
}
