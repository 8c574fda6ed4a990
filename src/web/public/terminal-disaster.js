// The terminal page's 災害時医療情報閲覧 screen (#screen-disaster): while a declaration names the
// facility's municipality, find a patient without the card (by 保険者番号等, or by 氏名・生年月日・性別
// and 住所) and open their 薬剤・診療・特定健診 information as a PDF, choosing the consent each time.
// The server decides everything (the declaration, the role, the facility kind); the page shows its
// answers. A match is named by the opaque handle the search answered, never by a person's id.
import { api, apiFile } from "./terminal-api.js";
import { $, SEX, el, failure, row, ymd } from "./terminal-dom.js";

let offer;
let lastSearch;

const forms = { card: $("#disaster-card-form"), name: $("#disaster-name-form") };

function message(text) {
  $("#disaster-message").textContent = text;
  $("#disaster-message").hidden = !text;
}

/** Opens the screen: asks whether a declaration opens viewing here now, and shows the search if so. */
export async function openDisasterScreen() {
  message("");
  try {
    offer = await api("GET", "/disaster");
  } catch (error) {
    offer = undefined;
    $("#disaster-status").textContent = failure(error);
    $("#disaster-work").hidden = true;
    return;
  }
  const { available, declaration } = offer;
  $("#disaster-status").textContent = available
    ? `宣言中の災害: ${declaration.name} (${jstDay(Date.parse(declaration.startsAt))} 〜 ${jstDay(Date.parse(declaration.endsAt) - 1)})。マイナンバーカードなしで患者を検索し、閲覧できます。閲覧はすべて記録され、患者の閲覧履歴に表示されます。`
    : "この医療機関の地域に宣言中の災害はありません。災害時医療情報閲覧は、厚生労働省が宣言した期間・地域でのみ利用できます。";
  $("#disaster-work").hidden = !available;
  if (available) showConsents(offer.consents);
}

/** The Japan date of an instant, YYYY/MM/DD (a period's end is exclusive: the last day is the end less 1 ms). */
const jstDay = (ms) => ymd(new Date(ms + 9 * 3600_000).toISOString().slice(0, 10));

function showConsents(consents) {
  const fieldset = $("#disaster-consent");
  if (fieldset.querySelector("input")) return;
  for (const [value, label] of Object.entries(consents)) {
    const input = Object.assign(document.createElement("input"), { type: "radio", name: "disaster-consent", value });
    const choice = el("label", "", "choice");
    choice.append(input, ` ${label}`);
    fieldset.append(choice);
  }
}

for (const tab of document.querySelectorAll("#disaster-work .tabs button")) {
  tab.addEventListener("click", () => {
    for (const t of document.querySelectorAll("#disaster-work .tabs button")) t.setAttribute("aria-selected", String(t === tab));
    for (const [mode, form] of Object.entries(forms)) form.hidden = mode !== tab.dataset.mode;
    message("");
  });
}

for (const form of Object.values(forms)) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const typed = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v !== ""));
    search(typed, 1).catch(() => {});
  });
}
$("#disaster-prev").addEventListener("click", () => search(lastSearch, lastSearch.page - 1).catch(() => {}));
$("#disaster-next").addEventListener("click", () => search(lastSearch, lastSearch.page + 1).catch(() => {}));

async function search(typed, page) {
  message("");
  try {
    const answer = await api("POST", "/disaster/search", { ...typed, page });
    lastSearch = { ...typed, page: answer.page };
    showMatches(answer);
  } catch (error) {
    $("#disaster-matches").hidden = true;
    $("#disaster-pages").hidden = true;
    message(failure(error));
  }
}

function showMatches({ matches, page, more }) {
  $("#disaster-matches tbody").replaceChildren(
    ...matches.map((m) => {
      const name = el("span", m.name);
      name.append(el("small", ` ${m.nameKana}`));
      const key = [m.insurerNumber, m.symbol ?? "", m.number, m.branch ?? ""].join(" ・ ");
      const held = `${ymd(m.qualificationDate)} 〜 ${m.disqualificationDate ? ymd(m.disqualificationDate) : ""}`;
      return row([name, `${ymd(m.birthdate)} ${SEX[m.sex] ?? ""}`, m.address ?? "", key, held, documentButtons(m)]);
    }),
  );
  $("#disaster-matches").hidden = matches.length === 0;
  $("#disaster-pages").hidden = page === 1 && !more;
  $("#disaster-page").textContent = `${page} ページ目`;
  $("#disaster-prev").disabled = page <= 1;
  $("#disaster-next").disabled = !more;
  if (matches.length === 0) message("該当する患者はいません。入力を確かめてください。");
}

function documentButtons(match) {
  const span = el("span", "", "documents");
  for (const [kind, { label, allowed }] of Object.entries(offer.documents)) {
    const button = el("button", label);
    button.type = "button";
    button.disabled = !allowed;
    if (!allowed) button.title = "この職種では閲覧できません";
    button.addEventListener("click", () => view(match, kind).catch(() => {}));
    span.append(button);
  }
  return span;
}

async function view(match, kind) {
  const chosen = $("#disaster-consent input:checked");
  if (!chosen) {
    message("閲覧の前に、本人の同意 (同意あり (口頭) または 同意なし) を選んでください。");
    return;
  }
  message("");
  try {
    const pdf = await apiFile("/disaster/view", { handle: match.handle, consent: chosen.value, document: kind });
    // Asked again for the next view: the consent is chosen for each one, deliberately.
    chosen.checked = false;
    const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(pdf), download: `disaster-${kind}.pdf` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  } catch (error) {
    message(failure(error));
  }
}
