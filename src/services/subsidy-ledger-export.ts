// The 補助金台帳 exported (第13: 「電磁的記録により作成及び保存」): a facility's entries and the totals
// per 年度 as CSV (UTF-8 with a BOM, so that a spreadsheet reads the Japanese, RFC 4180 quoting, CRLF)
// and as a PDF drawn with the helpers every onshi PDF shares (pdf-sheet.ts). Both show the views of
// subsidy-ledger.ts as they are and decide nothing.
import { yenText } from "../subsidy/engine.ts";
import { CONTENT_WIDTH, Sheet, jstMinuteText, type Column, type Row } from "./pdf-sheet.ts";
import type { FacilityLedgerView, LedgerTotalsView, SumsLine } from "./subsidy-ledger.ts";

/**
 * One CSV field: quoted when it holds a comma, quote or line break; text that a spreadsheet would
 * run as a formula (=, +, -, @ first) is prefixed with ' — numbers are written as numbers.
 */
function field(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const csv = (rows: (string | number | null)[][]) => `\uFEFF${rows.map((r) => r.map(field).join(",")).join("\r\n")}\r\n`;

export const LEDGER_CSV_HEADER = ["記録番号", "医療機関コード", "案件番号", "制度", "年度", "区分", "日付", "金額(円)", "台数", "訂正対象の記録番号", "備考", "記録者の区分", "記録者", "記録日時"];

export function ledgerCsv(view: FacilityLedgerView): string {
  return csv([
    LEDGER_CSV_HEADER,
    ...view.entries.map((e) => [e.entryId, e.facilityCode, e.caseId, e.program, e.fiscalYear, e.label, e.onDate, e.yen, e.readers, e.corrects, e.note, e.actorRole, e.actorName, jstMinuteText(e.recordedAt)]),
  ]);
}

const SUM_HEADER = ["医療機関数", "カードリーダー配付台数", "交付決定額(円)", "支払額(円)", "取消額(円)", "取消台数", "返還命令額(円)", "返還額(円)", "延滞金(円)", "処分承認台数"];
const sumCells = (s: SumsLine) => [s.facilities, s.readersDistributed, s.decidedYen, s.paidYen, s.cancelledYen, s.cancelledReaders, s.returnOrderedYen, s.returnedYen, s.interestYen, s.disposedReaders];

export const TOTALS_CSV_HEADER = ["年度", "制度", "制度名", ...SUM_HEADER];

export function totalsCsv(view: LedgerTotalsView): string {
  return csv([TOTALS_CSV_HEADER, ...view.rows.map((r) => [r.fiscalYear, r.program ?? "", r.programName, ...sumCells(r)])]);
}

const yen = (n: number) => yenText(n);
const SUM_COLUMNS: Column[] = [
  { header: "制度", width: 131 },
  { header: "配付台数", width: 40, align: "right" },
  { header: "交付決定", width: 62, align: "right" },
  { header: "支払", width: 62, align: "right" },
  { header: "取消", width: 56, align: "right" },
  { header: "返還命令", width: 56, align: "right" },
  { header: "返還", width: 56, align: "right" },
  { header: "延滞金", width: CONTENT_WIDTH - 131 - 40 - 62 * 2 - 56 * 3, align: "right" },
];
const sumRow = (s: SumsLine): Row => ({
  cells: [{ text: s.programName, bold: s.program === null }, `${s.readersDistributed}台${s.cancelledReaders === 0 ? "" : `\n(取消 ${Math.abs(s.cancelledReaders)}台)`}`, yen(s.decidedYen), yen(s.paidYen), yen(s.cancelledYen), yen(s.returnOrderedYen), yen(s.returnedYen), yen(s.interestYen)],
  groupStart: s.program === null,
});

export async function ledgerPdf(view: FacilityLedgerView): Promise<Buffer> {
  const { facility } = view;
  const sheet = new Sheet("補助金台帳", `${facility.name}（医療機関コード ${facility.code}） ${facility.kindLabel}`, new Date(`${view.asOf}T00:00:00+09:00`), `補助金台帳 ${facility.name} ${view.asOf}`);
  sheet.note(`${view.asOf} 現在の記録です。台帳は追記のみで、訂正は訂正の記録として追加されます。根拠: ${view.source}`, 8);

  sheet.heading("1. 制度ごとの合計");
  sheet.table(SUM_COLUMNS, view.sums.map(sumRow), { fontSize: 7 });
  sheet.note("取消・訂正の記録は負の金額になることがあります。訂正は訂正対象の記録の区分に合算しています。");

  sheet.heading("2. 記録");
  if (view.entries.length === 0) sheet.note("記録はありません。", 9);
  else {
    sheet.table(
      [
        { header: "番号", width: 32, align: "right" },
        { header: "日付", width: 56 },
        { header: "区分", width: 70 },
        { header: "案件", width: 32, align: "right" },
        { header: "制度", width: 70 },
        { header: "金額", width: 66, align: "right" },
        { header: "台数", width: 30, align: "right" },
        { header: "備考・記録者", width: CONTENT_WIDTH - 356 },
      ],
      view.entries.map((e) => ({
        cells: [
          String(e.entryId),
          e.onDate,
          e.corrects === null ? e.label : `${e.label} (No.${e.corrects} ${e.correctsLabel ?? ""})`,
          e.caseId === null ? "" : String(e.caseId),
          e.program,
          yen(e.yen),
          String(e.readers),
          [e.note, `${e.actorName} ${jstMinuteText(e.recordedAt)}`].filter(Boolean).join("\n"),
        ],
      })),
      { fontSize: 7 },
    );
  }

  const r = view.retention;
  sheet.heading("3. 帳簿等の保管期限 (第5 1(5))");
  sheet.note(r.keepUntil === null ? `保管期限: 不明 — ${r.reasons.join(" ")}` : `保管期限: ${r.keepUntil} まで（${r.discardableFrom} から廃棄できます）`, 9);
  for (const p of r.projects) sheet.note(`案件 ${p.caseId}（${p.program}）: ${p.keepUntil ?? "不明"} — ${p.reasons.join(" ")}`, 7);
  sheet.note(`根拠: ${r.sources.join(" ／ ")}`, 7);
  sheet.note(`読み: ${r.readings.join(" ")}`, 7);
  return sheet.finish();
}

export async function totalsPdf(view: LedgerTotalsView, asOf: Date): Promise<Buffer> {
  const range = `${view.fromYear ?? "最初"}年度〜${view.toYear ?? "最新"}年度${view.program ? ` ${view.program}` : ""}`;
  const sheet = new Sheet("補助金台帳 年度別・制度別集計", range, asOf, `補助金台帳 集計 ${range}`);
  sheet.note(`厚生労働大臣への報告に用いる集計です。訂正は訂正対象の記録の年度・制度・区分に合算しています。根拠: ${view.source}`, 8);
  const years = [...new Set(view.rows.map((r) => r.fiscalYear))];
  if (years.length === 0) sheet.note("記録はありません。", 9);
  for (const year of years) {
    sheet.heading(year === null ? "全年度" : `${year}年度`);
    const rows = view.rows.filter((r) => r.fiscalYear === year);
    sheet.table(SUM_COLUMNS, rows.map(sumRow), { fontSize: 7 });
    const all = rows.find((r) => r.program === null);
    if (all) sheet.note(`医療機関数 ${all.facilities}、処分承認 ${all.disposedReaders}台`, 7);
  }
  return sheet.finish();
}
