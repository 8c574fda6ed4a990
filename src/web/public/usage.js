// The public /usage/ page: the nation's マイナ保険証利用率 month by month on both bases and by kind
// (charts drawn by the server), and a month's prefectures in a table ordered by the count-basis
// rate, re-sorted by any column. Published statistics: no sign-in, group totals only.
import { $, el, failure } from "./terminal-dom.js";
import { linesTable, monthText, rateText, showChart } from "./usage-chart.js";

const API = "/usage/api";

async function get(path) {
  const res = await fetch(API + path);
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw Object.assign(new Error(body?.message ?? `サーバがエラーを返しました (HTTP ${res.status})。`), { code: body?.code });
  return body;
}

function message(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

async function loadNational(query) {
  message("#national-message", "");
  try {
    const answer = await get(`/national${query}`);
    const form = $("#national-form");
    form.from.value = answer.from;
    form.to.value = answer.to;
    const span = `${monthText(answer.from)}〜${monthText(answer.to)}`;
    showChart($("#national-chart"), answer.nation.svg, `全国 ${span}`);
    showChart($("#kinds-chart"), answer.kinds.svg, `施設の種類別 ${span}`);
    $("#national-numbers").replaceChildren(linesTable([...answer.nation.lines, ...answer.kinds.lines]));
    $("#national-work").hidden = false;
  } catch (error) {
    $("#national-work").hidden = true;
    message("#national-message", failure(error));
  }
}

// ---- the prefecture table -------------------------------------------------------------------

let prefectures;
/** The column sorted on and its direction; null: the server's order (count basis, highest first). */
let sorting = null;

/** The table's columns: a header, a cell and a sort key (a rate's value; unknown rates sort last either way). */
function columns(kinds) {
  const rate = (pick) => (r) => { const x = pick(r); return x ? x.numerator / x.denominator : null; };
  return [
    { header: "都道府県", text: (r) => r.name, key: (r) => r.prefecture },
    { header: "施設数", text: (r) => r.facilities.toLocaleString("ja-JP"), key: (r) => r.facilities, num: true },
    { header: "件数ベース", text: (r) => rateText(r.rates.online), key: rate((r) => r.rates.online), num: true },
    { header: "レセプト件数ベース", text: (r) => rateText(r.rates.receipt), key: rate((r) => r.rates.receipt), num: true },
    ...kinds.flatMap((k) => [
      { header: `${k.label} 件数`, text: (r) => rateText(r.kinds[k.kind]?.online ?? null), key: rate((r) => r.kinds[k.kind]?.online), num: true },
      { header: `${k.label} レセプト`, text: (r) => rateText(r.kinds[k.kind]?.receipt ?? null), key: rate((r) => r.kinds[k.kind]?.receipt), num: true },
    ]),
  ];
}

function renderPrefectures() {
  const cols = columns(prefectures.kinds);
  const rows = [...prefectures.rows];
  if (sorting) {
    const { key } = cols[sorting.column];
    rows.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      if (x == null || y == null) return (x == null ? 1 : 0) - (y == null ? 1 : 0);
      return sorting.descending ? y - x : x - y;
    });
  }
  const head = document.createElement("tr");
  cols.forEach((c, i) => {
    const th = el("th");
    const button = el("button", c.header, "sort");
    button.type = "button";
    button.addEventListener("click", () => {
      sorting = { column: i, descending: sorting?.column === i ? !sorting.descending : i !== 0 };
      renderPrefectures();
    });
    th.append(button);
    const active = sorting ? sorting.column === i : i === 2;
    if (active) th.setAttribute("aria-sort", !sorting || sorting.descending ? "descending" : "ascending");
    head.append(th);
  });
  $("#prefectures thead").replaceChildren(head);
  $("#prefectures tbody").replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement("tr");
      for (const c of cols) tr.append(el("td", c.text(r), c.num ? "num" : ""));
      return tr;
    }),
  );
  $("#prefectures").hidden = rows.length === 0;
  $("#prefecture-none").hidden = rows.length > 0;
}

async function loadPrefectures(query) {
  message("#prefecture-message", "");
  try {
    prefectures = await get(`/prefectures${query}`);
    sorting = null;
    $("#prefecture-form").month.value = prefectures.month;
    renderPrefectures();
  } catch (error) {
    $("#prefectures").hidden = true;
    message("#prefecture-message", failure(error));
  }
}

$("#national-form").addEventListener("submit", (event) => {
  event.preventDefault();
  loadNational(`?${new URLSearchParams({ from: event.target.from.value, to: event.target.to.value })}`);
});
$("#prefecture-form").addEventListener("submit", (event) => {
  event.preventDefault();
  loadPrefectures(`?${new URLSearchParams({ month: event.target.month.value })}`);
});

loadNational("");
loadPrefectures("");
