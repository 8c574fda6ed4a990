// The terminal page's 「利用率のお知らせ」 screen (#screen-usage-notice): the signed-in facility's
// monthly マイナ保険証利用率 notice, chosen by 診療月, shown as the server made it (the figures are
// the server's; the page only lays them out) and downloaded as the same notice's PDF.
import { API, api } from "./terminal-api.js";
import { $, el, failure, row, table } from "./terminal-dom.js";
import { monthText, showChart } from "./usage-chart.js";

const BASES = [
  ["receipt", "レセプト件数ベース", "マイナ保険証利用人数 (名寄せ後)", "レセプト件数"],
  ["outpatient", "外来レセプト件数ベース", "マイナ保険証利用人数 (名寄せ後)", "外来レセプト件数"],
  ["online", "オンライン資格確認件数ベース", "マイナ保険証利用件数", "オンライン資格確認件数"],
];
const rate = (r) => (r ? r.percent : "不明");
const count = (n) => (n === null || n === undefined ? "未登録" : n.toLocaleString("ja-JP"));
const num = (text) => el("td", text, "num");

let facilityCode;

function message(text) {
  $("#notice-message").textContent = text;
  $("#notice-message").hidden = !text;
}

/** Opens the screen: the months whose notice is issued, newest first, and the newest notice. */
export async function openNoticeScreen() {
  message("");
  try {
    const { facilityCode: code, months } = await api("GET", "/usage-notices");
    facilityCode = code;
    const select = $("#notice-month");
    const chosen = select.value;
    select.replaceChildren(...months.map((m) => Object.assign(el("option", `${monthText(m)}診療分`), { value: m })));
    if (months.includes(chosen)) select.value = chosen;
    await showNotice(select.value);
  } catch (error) {
    message(failure(error));
  }
}

async function showNotice(month) {
  message("");
  const link = $("#notice-pdf");
  link.href = `${API}/usage-notices/${facilityCode}/${month}/pdf`;
  try {
    render(await api("GET", `/usage-notices/${facilityCode}/${month}`));
  } catch (error) {
    $("#notice").replaceChildren();
    message(failure(error));
  }
}

$("#notice-month").addEventListener("change", (event) => showNotice(event.target.value).catch(() => {}));

function render(n) {
  const f = n.facility;
  const own = table(
    ["利用率の基準", "分子", "分母", "利用率"],
    BASES.map(([basis, label, numerator, denominator]) => {
      const figures = n.figures;
      const top = basis === "online" ? figures.cardUses : figures.cardPersons;
      const bottom = basis === "online" ? figures.onlineChecks : basis === "receipt" ? figures.receipts : figures.outpatientReceipts;
      const tr = row([label, `${numerator} ${count(top)}`, `${denominator} ${count(bottom)}`]);
      tr.append(num(rate(n.rates[basis])));
      return tr;
    }),
  );
  own.id = "notice-rates";
  const groupRow = (label, g) => {
    const tr = row([label]);
    tr.append(num(g ? count(g.facilities) : "—"), ...BASES.map(([b]) => num(rate(g?.rates[b]))));
    return tr;
  };
  const ownRow = row(["貴施設"]);
  ownRow.append(num(""), ...BASES.map(([b]) => num(rate(n.rates[b]))));
  const comparison = table(["", "施設数", ...BASES.map(([, label]) => label)], [ownRow, groupRow(`全国の${f.kindLabel}`, n.kindNation), groupRow(`${f.prefectureName}の${f.kindLabel}`, n.kindPrefecture)]);
  comparison.id = "notice-comparison";
  const ranks = n.ranks.map((r) => el("p", `全国の${f.kindLabel}の中での位置 (${BASES.find(([b]) => b === r.basis)[1]}): ${r.label} (利用率のある ${count(r.ranked)} 施設のうち、より高い施設 ${count(r.above)})`));
  const dx = table(
    ["算定月", "使える診療月", "使う利用率", "利用率による区分"],
    n.dx.map((d) =>
      row([
        monthText(d.month),
        d.window.map((w) => `${monthText(w.month)}${d.pending.includes(w.month) ? " (未確定)" : ""}`).join("、"),
        d.rateUsed ? `${monthText(d.rateUsed.month)} ${d.rateUsed.percent}` : "なし",
        `${d.tier}${d.pending.length > 0 ? ` — ${d.pending.map(monthText).join("・")}の利用率の確定で変わることがあります` : ""}`,
      ]),
    ),
  );
  dx.id = "notice-dx";
  const subsidies =
    n.subsidies.length === 0
      ? [el("p", "この診療月の利用率で判定が変わる補助金・支援金はありません (発行日時点)。", "hint")]
      : [table(["補助金・支援金", "判定", "理由"], n.subsidies.map((s) => row([s.name, s.eligible === true ? "対象" : s.eligible === false ? "対象外" : "判定できない", s.reasons.join(" ")])))];
  const chart = el("figure", "", "usage-chart");
  showChart(chart, n.chart, `${f.name} (${f.kindLabel}) ${monthText(n.history[0].month)}〜${monthText(n.month)}`);
  const history = table(
    ["診療月", "貴施設 レセプト", "貴施設 オンライン", `全国の${f.kindLabel} レセプト`, `全国の${f.kindLabel} オンライン`, "全国 レセプト", "全国 オンライン"],
    n.history.map((h) => {
      const tr = row([monthText(h.month)]);
      tr.append(...[h.facility, h.kind, h.nation].flatMap((r) => [num(rate(r.receipt)), num(rate(r.online))]));
      return tr;
    }),
  );
  $("#notice").replaceChildren(
    el("p", `${f.name} (${f.code}) ・ ${monthText(n.month)}診療分 ・ ${n.issuedOn.replaceAll("-", "/")} 発行`),
    el("h3", "貴施設の利用率"),
    own,
    el("h3", `全国・${f.prefectureName}の${f.kindLabel}との比較`),
    comparison,
    ...ranks,
    el("h3", "医療DX推進体制整備加算への反映"),
    el("p", "算定月ごとに、使える診療月の利用率のうち最も高いものが使われます。マイナポータルの相談体制と電子処方箋の体制はあるものとして、利用率による区分を示しています。", "hint"),
    dx,
    el("h3", "補助金・支援金"),
    ...subsidies,
    el("h3", `過去${n.history.length}か月の推移`),
    chart,
    history,
  );
}
