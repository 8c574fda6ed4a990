// The monthly マイナ保険証利用率 notice as a PDF (docs/usage.md 「お知らせ」): A4, Japanese, drawn
// with the helpers every onshi PDF shares (pdf-sheet.ts: PDFKit, the embedded Noto Sans JP). It
// shows the view model of usage-notice.ts as it is and decides nothing; its dates are the notice's
// issue day, so the same notice gives the same bytes whenever it is made.
import { FACILITY_KIND_LABELS } from "../domain/facility-code.ts";
import { monthText, yenOrUnknown } from "../subsidy/engine.ts";
import { CONTENT_WIDTH, MARGIN, Sheet, type Column, type Row } from "./pdf-sheet.ts";
import type { BasisRates, NoticeGroup, RateView, UsageNotice } from "./usage-notice.ts";
import { BASIS_LABELS, type Basis } from "./usage-rates.ts";

/** What each basis divides, as the notice words it. */
const BASIS_TERMS: Record<Basis, { numerator: string; denominator: string; unit: [string, string] }> = {
  receipt: { numerator: "マイナ保険証利用人数 (名寄せ後)", denominator: "レセプト件数", unit: ["人", "件"] },
  outpatient: { numerator: "マイナ保険証利用人数 (名寄せ後)", denominator: "外来レセプト件数", unit: ["人", "件"] },
  online: { numerator: "マイナ保険証利用件数", denominator: "オンライン資格確認件数", unit: ["件", "件"] },
};
/** The order the notice lists the bases in: the receipt basis decides the 医療DX推進体制整備加算. */
const ORDER: readonly Basis[] = ["receipt", "outpatient", "online"];

const count = (n: number) => n.toLocaleString("ja-JP");
/** A rate as shown: its percentage, or 不明 (never 0 % for an unknown). */
export const rateText = (rate: RateView | null | undefined): string => (rate ? rate.percent : "不明");
const verdict = (eligible: boolean | null) => (eligible === true ? "対象" : eligible === false ? "対象外" : "判定できない");
const slashDate = (iso: string) => iso.replaceAll("-", "/");

export async function usageNoticePdf(notice: UsageNotice): Promise<Buffer> {
  const { facility, month } = notice;
  const subject = `${facility.name}（医療機関コード ${facility.code}） ${facility.prefectureName}・${facility.kindLabel}`;
  const sheet = new Sheet("マイナ保険証利用率のお知らせ", subject, new Date(`${notice.issuedOn}T00:00:00+09:00`), `マイナ保険証利用率のお知らせ ${monthText(month)}診療分 ${facility.name}`);
  sheet.note(
    `${monthText(month)}診療分のマイナ保険証利用率をお知らせします（${slashDate(notice.issuedOn)} 発行）。レセプト件数ベースの利用率は、審査を経たレセプト件数がそろう診療月の2か月後の11日にお知らせしています。利用率は小数第3位を四捨五入して表示しています（判定には正確な分数を使います）。`,
    9,
  );

  sheet.heading(`1. 貴施設の利用率（${monthText(month)}診療分）`);
  sheet.table(
    [
      { header: "利用率の基準", width: 140 },
      { header: "分子", width: 160 },
      { header: "分母", width: 135 },
      { header: "利用率", width: CONTENT_WIDTH - 435, align: "right" },
    ],
    ORDER.map((basis) => ownRow(notice, basis)),
    { fontSize: 9 },
  );
  sheet.note("不明: レセプト件数が登録されていない（未登録）か、分母が0のため、利用率がありません（0%ではありません）。");
  const m = notice.figures.byMethod;
  sheet.note(
    `内訳: マイナ保険証 顔認証 ${count(m.card_face)}件・暗証番号 ${count(m.card_pin)}件・目視 ${count(m.card_visual)}件、保険証の記号番号等 ${count(m.insurance_number)}件、照会番号 ${count(m.reference_number)}件。一括照会 ${count(m.bulk_row)}件は来院時の確認ではないため、どの基準にも含めていません。`,
  );

  sheet.heading(`2. 全国・${facility.prefectureName}の${facility.kindLabel}との比較`);
  sheet.table(
    [
      { header: "", width: 155 },
      { header: "施設数", width: 60, align: "right" },
      ...ORDER.map((b) => ({ header: BASIS_LABELS[b], width: (CONTENT_WIDTH - 215) / 3, align: "right" as const })),
    ],
    [
      { cells: [{ text: "貴施設", bold: true }, "", ...ORDER.map((b) => ({ text: rateText(notice.rates[b]), bold: true }))] },
      groupRow(`全国の${facility.kindLabel}`, notice.kindNation),
      groupRow(`${facility.prefectureName}の${facility.kindLabel}`, notice.kindPrefecture),
    ],
    { fontSize: 9 },
  );
  if (notice.ranks.length === 0) sheet.note(`全国の${facility.kindLabel}の中での位置: 利用率が不明のため、お知らせできません。`);
  for (const r of notice.ranks) {
    sheet.note(`全国の${facility.kindLabel}の中での位置（${BASIS_LABELS[r.basis]}）: ${r.label}（利用率のある ${count(r.ranked)} 施設のうち、貴施設より高い施設 ${count(r.above)}）`, 9);
  }

  sheet.heading("3. 医療DX推進体制整備加算への反映");
  sheet.note(
    `この診療月の利用率は、次の算定月の区分の判定に使われます。算定月ごとに、使える診療月の利用率のうち最も高いものが使われます。マイナポータルの医療情報等に基づく相談の体制と電子処方箋の体制はonshiの記録にないため、あるものとして利用率による区分を示しています（電子処方箋の体制がない医科・歯科は加算4〜6になります）。`,
  );
  sheet.table(
    [
      { header: "算定月", width: 58 },
      { header: "使える診療月", width: 150 },
      { header: "使う利用率", width: 95 },
      { header: "利用率による区分", width: CONTENT_WIDTH - 303 },
    ],
    notice.dx.map(
      (d): Row => ({
        cells: [
          monthText(d.month),
          d.window.map((w) => `${monthText(w.month)} ${w.basis === "receipt" ? "レセプト" : "オンライン"}${d.pending.includes(w.month) ? "（未確定）" : ""}`).join("\n"),
          d.rateUsed ? `${monthText(d.rateUsed.month)} ${d.rateUsed.percent}` : "なし",
          { text: d.tier + (d.pending.length > 0 ? `\n（未確定の月: ${d.pending.map(monthText).join("・")}）` : ""), bold: true },
        ],
      }),
    ),
    { fontSize: 8 },
  );
  sheet.note("レセプト: レセプト件数ベース、オンライン: オンライン資格確認件数ベース。未確定の月の利用率がより高ければ、区分が上がることがあります。");
  for (const d of notice.dx) {
    const thresholds = d.reasons.filter((r) => /^加算[1-6]/.test(r));
    if (thresholds.length > 0) sheet.note(`${monthText(d.month)}: ${thresholds.join(" ／ ")}`, 7);
  }
  if (notice.dx.length > 0) sheet.note(`根拠: ${notice.dx[0]!.source}`, 7);

  sheet.heading("4. 補助金・支援金");
  if (notice.subsidies.length === 0) sheet.note("この診療月の利用率で判定が変わる補助金・支援金はありません（発行日時点）。", 9);
  else {
    sheet.table(
      [
        { header: "補助金・支援金", width: 150 },
        { header: "判定", width: 60 },
        { header: "金額", width: 75, align: "right" },
        { header: "理由", width: CONTENT_WIDTH - 285 },
      ],
      notice.subsidies.map((s) => ({ cells: [s.name, verdict(s.eligible), yenOrUnknown(s.amount), s.reasons.join("\n")] })),
      { fontSize: 7 },
    );
  }

  sheet.heading(`5. 過去${notice.history.length}か月の推移`);
  // The chart as the 「利用率の推移」 draws it, scaled to the page's width.
  const size = /<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"/.exec(notice.chart);
  const chartHeight = Math.round((CONTENT_WIDTH * Number(size?.[2] ?? 300)) / Number(size?.[1] ?? 760));
  sheet.ensure(chartHeight + 8);
  sheet.svg(notice.chart, MARGIN.left, sheet.y, CONTENT_WIDTH, chartHeight);
  sheet.y += chartHeight + 8;
  const kind = `全国の${FACILITY_KIND_LABELS[facility.kind]}`;
  const historyColumns: Column[] = [
    { header: "診療月", width: 65 },
    ...["貴施設", kind, "全国"].flatMap((who) => [
      { header: `${who}\nレセプト`, width: (CONTENT_WIDTH - 65) / 6, align: "right" as const },
      { header: `${who}\nオンライン`, width: (CONTENT_WIDTH - 65) / 6, align: "right" as const },
    ]),
  ];
  sheet.table(
    historyColumns,
    notice.history.map((h) => ({ cells: [monthText(h.month), ...[h.facility, h.kind, h.nation].flatMap((r) => [rateText(r.receipt), rateText(r.online)])] })),
    { fontSize: 8 },
  );
  sheet.note("レセプト: レセプト件数ベース、オンライン: オンライン資格確認件数ベース。不明はレセプト件数の登録がない月、または分母が0の月です。");
  return sheet.finish();
}

function ownRow(notice: UsageNotice, basis: Basis): Row {
  const f = notice.figures;
  const terms = BASIS_TERMS[basis];
  const numerator = basis === "online" ? f.cardUses : f.cardPersons;
  const denominator = basis === "online" ? f.onlineChecks : basis === "receipt" ? f.receipts : f.outpatientReceipts;
  const rate = notice.rates[basis];
  return {
    cells: [
      { text: BASIS_LABELS[basis], bold: basis === "receipt" },
      `${count(numerator)}${terms.unit[0]}\n${terms.numerator}`,
      `${denominator === null ? "未登録" : `${count(denominator)}${terms.unit[1]}`}\n${terms.denominator}`,
      { text: rateText(rate), bold: true },
    ],
  };
}

function groupRow(label: string, group: NoticeGroup | null): Row {
  const rates: Partial<BasisRates> = group?.rates ?? {};
  return { cells: [label, group ? count(group.facilities) : "—", ...ORDER.map((b) => rateText(rates[b]))] };
}
