// The decision notice (src/subsidy/decision-notice.ts) as a PDF, drawn with the helpers every onshi
// PDF shares (pdf-sheet.ts). It shows the notice as it is and decides nothing; its dates are the
// issue day, so one notice gives the same bytes whenever it is drawn.
import { dateText, type DecisionNotice, type NoticeClause } from "../subsidy/decision-notice.ts";
import { CONTENT_WIDTH, Sheet } from "./pdf-sheet.ts";

const CIRCLED = ["（１）", "（２）", "（３）", "（４）", "（５）", "（６）", "（７）", "（８）", "（９）"];

export async function decisionNoticePdf(notice: DecisionNotice): Promise<Buffer> {
  const sheet = new Sheet(notice.title, `${notice.noticeNumber}　${dateText(notice.issuedOn)}`, new Date(`${notice.issuedOn}T00:00:00+09:00`), `${notice.title} ${notice.noticeNumber}`);
  sheet.note(notice.addressee, 11);
  sheet.note(notice.issuer, 10);
  sheet.note(notice.body, 10);
  sheet.heading("記");
  sheet.table(
    [
      { header: "項目", width: 190 },
      { header: "内容", width: CONTENT_WIDTH - 190 },
    ],
    notice.items.map((item) => ({ cells: [{ text: item.label, bold: true }, item.value] })),
    { fontSize: 9 },
  );
  clauses(sheet, "条件", notice.conditions, "この事業について公表されている条件はありません。");
  clauses(sheet, "留意事項", notice.notes);
  sheet.heading("根拠", 9);
  for (const source of notice.sources) sheet.note(source, 7);
  return sheet.finish();
}

function clauses(sheet: Sheet, title: string, list: readonly NoticeClause[], none?: string): void {
  if (list.length === 0 && none === undefined) return;
  sheet.heading(title);
  if (list.length === 0) sheet.note(none!, 9);
  // One note per clause, its line under it: a page never parts a clause from its source.
  list.forEach((clause, i) => sheet.note(`${CIRCLED[i] ?? `(${i + 1})`} ${clause.text}\n根拠: ${clause.ref}`, 8));
}
