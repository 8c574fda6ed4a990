// The public documents the subsidy programs are read from, by the id a source names them with
// (src/subsidy/programs/*.json `sources`, and the 実施要領 clauses of late-interest.ts and
// reader-return.ts). Every citation shows the document's public title, publisher and date, then
// the line of its text the value stands on (the documents are PDFs without page markers in their
// text, so a line of the text is the finest place that can be named).

export interface PublicDocument {
  title: string;
  publisher: string;
  /** As precise as the document itself dates it. */
  date: string;
}

export const DOCUMENTS = {
  "online-shikaku-2020": {
    title: "医療機関及び薬局における「オンライン資格確認」の開始について (導入の手引き、医療提供体制設備整備交付金実施要領を含む)",
    publisher: "厚生労働省",
    date: "2020年 (実施要領 2020-07-03 保連発0703第1号、2020-09-09 改正)",
  },
  "support-measures-2024": {
    title: "マイナ保険証利用促進のための医療機関等への補助等の支援策について",
    publisher: "厚生労働省",
    date: "2024年",
  },
  "campaign-2024": {
    title: "「マイナ保険証利用促進集中取組月間」と利用促進のためのツール・一時金について",
    publisher: "厚生労働省保険局",
    date: "2024年4月",
  },
  "pmh-leaflet-2024": {
    title: "PMH (医療費助成)・マイナンバーカードの診察券利用に係る補助金リーフレット",
    publisher: "デジタル庁・厚生労働省",
    date: "2024年",
  },
  "pmh-leaflet-2025": {
    title: "医療費助成の受給者証及び診察券のマイナンバーカードへの一体化に関する補助金周知用リーフレットの更新について (事務連絡と令和7年度のリーフレット)",
    publisher: "厚生労働省",
    date: "2025年",
  },
} as const satisfies Record<string, PublicDocument>;

export type DocumentId = keyof typeof DOCUMENTS;

export function isDocumentId(id: unknown): id is DocumentId {
  return typeof id === "string" && Object.hasOwn(DOCUMENTS, id);
}

/** 「title」(publisher, date): how a citation names its document. */
export function documentName(id: DocumentId): string {
  const d: PublicDocument = DOCUMENTS[id];
  return `「${d.title}」(${d.publisher}, ${d.date})`;
}
