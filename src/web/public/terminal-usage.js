// The terminal page's 「利用率の推移」 screen (#screen-usage): the signed-in facility's マイナ保険証
// 利用率 month by month on both bases, against the nation's and its kind's, with the 医療DX推進体制
// 整備加算 thresholds of its kind as bands. The server answers for the session's facility only.
import { api } from "./terminal-api.js";
import { $, failure, row, table } from "./terminal-dom.js";
import { linesTable, monthText, showChart } from "./usage-chart.js";

function message(text) {
  $("#usage-message").textContent = text;
  $("#usage-message").hidden = !text;
}

async function load(query) {
  message("");
  try {
    const chart = await api("GET", `/usage/chart${query}`);
    const form = $("#usage-form");
    form.from.value = chart.from;
    form.to.value = chart.to;
    showChart($("#usage-chart"), chart.svg, `${chart.facility.name} (${chart.facility.kindLabel}) ${monthText(chart.from)}〜${monthText(chart.to)}`);
    $("#usage-numbers").replaceChildren(linesTable(chart.lines));
    $("#usage-thresholds").replaceChildren(
      table(["区分", "診療月 (データ)", "算定月", "基準", "出典"], chart.thresholds.map((t) => row([t.label, `${monthText(t.from)}〜${monthText(t.to)}`, `${monthText(t.calculationFrom)}〜${monthText(t.calculationTo)}`, t.text, t.source]))),
    );
    $("#usage-work").hidden = false;
  } catch (error) {
    $("#usage-work").hidden = true;
    message(failure(error));
  }
}

/** Opens the screen on the latest months with records (the server's choice). */
export function openUsageScreen() {
  return load("");
}

$("#usage-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  load(`?${new URLSearchParams({ from: form.from.value, to: form.to.value })}`).catch(() => {});
});
