// What the terminal page's screens share to build their parts: elements, table rows, dates as shown.
export const SEX = { 1: "男", 2: "女", 3: "未設定" };

export const $ = (selector) => document.querySelector(selector);

export const el = (tag, text, className) => Object.assign(document.createElement(tag), { textContent: text ?? "", ...(className ? { className } : {}) });

const wrap = (node) => {
  const td = document.createElement("td");
  td.append(node);
  return td;
};

/** A table row: text cells, or nodes (a button, a name with its カナ) wrapped in a cell. */
export const row = (cells) => {
  const tr = document.createElement("tr");
  tr.append(...cells.map((c) => (c instanceof Node ? wrap(c) : el("td", c))));
  return tr;
};

export const table = (headers, rows) => {
  const t = document.createElement("table");
  const head = document.createElement("tr");
  head.append(...headers.map((h) => el("th", h)));
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  tbody.append(...rows);
  t.append(thead, tbody);
  return t;
};

/** YYYYMMDD or YYYY-MM-DD as YYYY/MM/DD. */
export const ymd = (d) => {
  const digits = d?.replaceAll("-", "");
  return digits && digits.length === 8 ? `${digits.slice(0, 4)}/${digits.slice(4, 6)}/${digits.slice(6)}` : d ?? "";
};
export const ym = (m) => (m && m.length === 6 ? `${m.slice(0, 4)}年${Number(m.slice(4))}月` : m ?? "");
export const jstTime = (iso) => new Date(iso).toLocaleString("ja-JP", { timeZone: "Asia/Tokyo", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** A refusal as the page shows it: the message and its code. */
export const failure = (error) => `${error.message}${error.code ? ` (${error.code})` : ""}`;
