// The terminal page's 環境設定 screen (#screen-settings): the facility's 医療費助成情報 (利用する /
// 利用しない), when and by whom it was last accepted, and its changes. Every role sees it; only the
// facility's administrator may change it (the server refuses others: E8602).
import { api } from "./terminal-api.js";
import { $, failure, row } from "./terminal-dom.js";

const when = (iso) => new Date(iso).toLocaleString("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "short", timeStyle: "short" });

function message(text) {
  $("#settings-message").textContent = text;
  $("#settings-message").hidden = !text;
}

function render(view) {
  $("#subsidy-use").textContent = view.label;
  $("#subsidy-accepted").textContent = view.acceptedAt ? `(利用規約への同意: ${when(view.acceptedAt)} ${view.acceptedBy})` : "";
  for (const button of document.querySelectorAll("#subsidy-actions button")) button.disabled = String(view.inUse) === button.dataset.use;
  $("#subsidy-changes tbody").replaceChildren(...view.changes.map((c) => row([when(c.changedAt), c.label, c.changedBy])));
  $("#subsidy-changes").hidden = view.changes.length === 0;
}

/** Opens the screen for the signed-in account: the buttons only for an administrator. */
export async function openSettingsScreen(account) {
  message("");
  $("#subsidy-actions").hidden = !account.administrator;
  $("#subsidy-admin-only").hidden = account.administrator;
  try {
    render(await api("GET", "/settings/medical-subsidy"));
  } catch (error) {
    message(failure(error));
  }
}

for (const button of document.querySelectorAll("#subsidy-actions button")) {
  button.addEventListener("click", async () => {
    message("");
    try {
      render(await api("POST", "/settings/medical-subsidy", { use: button.dataset.use === "true" }));
    } catch (error) {
      message(failure(error));
    }
  });
}
