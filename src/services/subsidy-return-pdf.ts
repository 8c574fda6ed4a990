// A facility's 返還・延滞金の明細 as a PDF (docs/subsidy-office.md 「取消し・返還・延滞金」): A4,
// Japanese, drawn with the helpers every onshi PDF shares (pdf-sheet.ts). It shows the statement
// of subsidy-returns.ts as it is and decides nothing; its date is the statement's day, so the same
// statement gives the same bytes whenever it is made.
import { yenOrUnknown, yenText } from "../subsidy/engine.ts";
import { CONTENT_WIDTH, Sheet, type Row } from "./pdf-sheet.ts";
import type { ReturnStatement, StatementCase } from "./subsidy-returns.ts";

const slash = (iso: string | null) => (iso ?? "—").replaceAll("-", "/");

export async function returnStatementPdf(statement: ReturnStatement): Promise<Buffer> {
  const { facility, at } = statement;
  const sheet = new Sheet("補助金の取消し・返還・延滞金の明細", `${facility.name}（医療機関コード ${facility.code}） ${slash(at)} 現在`, new Date(`${at}T00:00:00+09:00`), `返還・延滞金の明細 ${facility.name} ${at}`);
  const t = statement.totals;
  sheet.table(
    [
      { header: "返還を命じた額", width: CONTENT_WIDTH / 4, align: "right" },
      { header: "納付済み", width: CONTENT_WIDTH / 4, align: "right" },
      { header: "未返還の額", width: CONTENT_WIDTH / 4, align: "right" },
      { header: "未納の延滞金", width: CONTENT_WIDTH / 4, align: "right" },
    ],
    [{ cells: [yenText(t.ordered), yenText(t.paid), yenText(t.principalOutstanding), yenOrUnknown(t.interestDue)].map((text) => ({ text, bold: true })) }],
    { fontSize: 10 },
  );
  if (statement.cases.length === 0) sheet.note("取消し・返還の対象となった案件はありません。", 9);
  for (const c of statement.cases) caseSection(sheet, c);
  sheet.heading("読み方");
  for (const r of statement.readings) sheet.note(`・${r}`, 7);
  return sheet.finish();
}

function caseSection(sheet: Sheet, c: StatementCase): void {
  sheet.heading(`案件 ${c.caseId}  ${c.program}  状態: ${c.stateLabel}`);
  sheet.note(`交付決定 ${c.decidedYen === null ? "—" : yenText(c.decidedYen)}・${c.decidedReaders ?? 0}台、支払 ${c.paidYen === null ? "—" : yenText(c.paidYen)}（${slash(c.paidOn)}）`, 9);
  if (c.cancellations.length > 0) {
    sheet.table(
      [
        { header: "取消しの日", width: 70 },
        { header: "金額", width: 80, align: "right" },
        { header: "台数", width: 40, align: "right" },
        { header: "取消しの理由 (第10)", width: CONTENT_WIDTH - 190 },
      ],
      c.cancellations.map((x): Row => ({ cells: [slash(x.on), yenText(x.yen), `${x.readers}`, x.ground + (x.afterPayment ? "" : "（支払前: 返還の対象外）")] })),
    );
  }
  if (!c.order) return;
  const o = c.order;
  sheet.note(`返還命令 (第11) ${slash(o.orderedOn)}、期限 ${slash(o.deadline)}: 補助金 ${yenText(o.subsidyYen)} + カードリーダーの残額 ${yenText(o.readerYen)} = ${yenText(o.total)}。延滞金の起算日 (補助金の受領の日): ${slash(o.receivedOn)}`, 9);
  const b = c.balance;
  if (!b) return;
  const late = b.standing === "overdue" || b.standing === "settled";
  if (b.lateInterest.payments.length > 0) {
    sheet.table(
      [
        { header: "納付の日", width: 70 },
        { header: "納付額", width: 80, align: "right" },
        { header: "延滞金へ", width: 75, align: "right" },
        { header: "返還額へ", width: 75, align: "right" },
        { header: "充当", width: CONTENT_WIDTH - 300 },
      ],
      b.lateInterest.payments.map((p): Row => (late ? { cells: [slash(p.on), yenText(p.yen), yenText(p.toInterest), yenText(p.toPrincipal), p.reason] } : { cells: [slash(p.on), yenText(p.yen), "—", "—", "期限前の納付"] })),
    );
  }
  if (late) {
    sheet.table(
      [
        { header: "期間", width: 140 },
        { header: "日数", width: 40, align: "right" },
        { header: "元本", width: 80, align: "right" },
        { header: "延滞金", width: 70, align: "right" },
        { header: "計算", width: CONTENT_WIDTH - 330 },
      ],
      b.lateInterest.periods.map((p): Row => ({ cells: [`${slash(p.from)}〜${slash(p.to)}`, `${p.days}`, yenText(p.principal), yenText(p.interest), p.reason] })),
      { fontSize: 7 },
    );
  }
  sheet.note(`${slash(b.at)} 現在: 未返還 ${yenText(b.principalOutstanding)}、未納の延滞金 ${yenOrUnknown(b.interestDue)}${b.interestIfLate ? `（期限までに返還しない場合、${slash(b.at)} までの延滞金は ${yenText(b.interestIfLate)}）` : ""}`, 9);
  for (const r of b.reasons) sheet.note(r, 7);
}
