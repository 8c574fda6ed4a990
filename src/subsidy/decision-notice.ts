// The decision notice (交付決定通知書) of the 実施要領's 第9: "別紙様式３により顔認証付きカードリーダーの
// 提供及び補助金の交付の決定を通知する" (seed 002, l.1373–1377), sent electronically (第8 4). Pure: the
// notice's content from a decided case; src/services/decision-notice-pdf.ts draws it.
//
// Readings (also in docs/subsidy-office.md):
// - 様式3 itself is not in the published extract (the 実施要領 names it, the form is not reproduced),
//   so its content is the list read from the text: the facility, the programme, the readers
//   provided, the amount decided, and the conditions 第5 1 says the 支払基金 "次の条件を付すこと"
//   (l.1229–1285), each condition with its line; with what 第10–第12 let follow a decision
//   (取消し, 返還, 延滞金) as notes, since the facility must know them before it accepts the money.
// - A reduced amount names the amount applied for and the examiner's reason beside the amount decided.
// - The later programmes (2024 支援金, 一時金, 増設, 改修) publish no conditions of their own in the
//   seeds: their notices state the decision and say that no condition is published, never borrow
//   fund-2020's.
import type { CaseKind } from "./case-states.ts";
import { formatSource, yenText } from "./engine.ts";

const at = (line: number, lineTo: number, ref: string) => formatSource({ document: "online-shikaku-2020", line, lineTo, ref });
const clause = (text: string, line: number, lineTo: number, ref: string): NoticeClause => ({ text, ref: `実施要領${ref}（l.${line}–${lineTo}）`, source: at(line, lineTo, ref) });

export const NOTICE_SOURCES = {
  decision: at(1367, 1377, "第9 交付等の決定及び通知 (別紙様式３)"),
  electronic: at(1359, 1363, "第8 4 通知は電磁的方法"),
};

export interface NoticeClause {
  text: string;
  /** The clause and its lines, short (the notice names the document once). */
  ref: string;
  source: string;
}

/** 第5 1's conditions, as attached to every decision of the 2020 fund. */
const FUND_2020_CONDITIONS: readonly NoticeClause[] = [
  clause("健康保険法による被保険者証等として個人番号カードを利用できる環境（顔認証付きカードリーダーの活用を含む。）を整備しなければならないこと。", 1235, 1241, "第5 1(1)"),
  clause("事業により取得し、又は効用の増加した機械及び器具については、減価償却資産の耐用年数等に関する省令で定める期間を経過するまで、支払基金の理事長の承認を受けないで、この顔認証付きカードリーダーの提供及び補助金の交付の目的に反して使用し、譲渡し、交換し、貸し付け、担保に供し、又は廃棄してはならないこと。", 1243, 1251, "第5 1(2)"),
  clause("支払基金の理事長の承認を受けて（２）に定めた財産を処分することにより収入があった場合には、その収入の全部又は一部を支払基金に納付させることがあること。", 1253, 1255, "第5 1(3)"),
  clause("事業により取得し、又は効用の増加した財産については、事業完了後においても善良な管理者の注意をもって管理するとともに、その効率的な運営を図らなければならないこと。", 1257, 1261, "第5 1(4)"),
  clause("事業に係る収入、支出及び顔認証付きカードリーダーの受領台数等を明らかにした帳簿を備え、証拠書類を整理し、事業完了の日の属する年度の終了後５年間（取得した財産がある場合は、その財産処分が完了する日又は耐用年数を経過する日のいずれか遅い日まで）保管しなければならないこと。", 1263, 1279, "第5 1(5)"),
  clause("（１）～（５）の条件に違反した場合は、顔認証付きカードリーダーの提供に要した費用相当額（減価償却（５年）に応じた残額）及び補助金の全部又は一部を支払基金に返納させることがあること。", 1281, 1285, "第5 1(6)"),
];

/** What may follow the decision (第10–第12), told with it. */
const FUND_2020_NOTES: readonly NoticeClause[] = [
  clause("他の目的への使用、決定の内容・条件・法令への違反、又は算定の基礎となる資料の故意若しくは重大な過失による事実と異なる報告があったときは、決定の全部又は一部を取り消すことがあります。", 1381, 1393, "第10 決定の取消し"),
  clause("取り消した部分について既に提供・交付されているときは、期限を定めて、顔認証付きカードリーダーの提供に要した費用相当額（減価償却（５年）に応じた残額）及び補助金の返還を命じます。", 1397, 1405, "第11 返還"),
  clause("返還の期限までに返還しなかったときは、補助金の受領の日から返還の日までの日数に応じ、年3.0％（法定利率の変動があった場合はその利率、365日当たり）の延滞金を納付していただきます。納付額は、返還すべき補助金の額に達するまで、まず延滞金に充てます。", 1409, 1427, "第12 延滞金"),
];

/** The conditions and notes of a programme's notice: only what its documents publish. */
export function noticeClauses(program: string): { conditions: readonly NoticeClause[]; notes: readonly NoticeClause[] } {
  return program === "fund-2020" ? { conditions: FUND_2020_CONDITIONS, notes: FUND_2020_NOTES } : { conditions: [], notes: [] };
}

export interface DecisionNoticeInput {
  noticeNumber: string;
  issuedOn: string;
  facility: { code: string; name: string };
  program: { id: string; name: string };
  kind: CaseKind;
  /** The day the (last) application was made. */
  appliedOn: string;
  requestedYen: number | null;
  requestedReaders: number | null;
  decidedYen: number;
  decidedReaders: number | null;
  /** The examiner's reason when the decision is below what was applied for. */
  reason?: string | null;
  /** The engine's sources for the amount (the calculation the examiner saw). */
  sources: readonly string[];
}

export interface NoticeItem {
  label: string;
  value: string;
}

export interface DecisionNotice {
  title: string;
  noticeNumber: string;
  issuedOn: string;
  addressee: string;
  issuer: string;
  body: string;
  items: NoticeItem[];
  conditions: readonly NoticeClause[];
  notes: readonly NoticeClause[];
  /** Why the notice says what it says: 第9, 第8 4 and the engine's sources. */
  sources: string[];
}

/** "2026-12-06" → "2026年12月6日". */
export function dateText(iso: string): string {
  return `${iso.slice(0, 4)}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
}

const READER_UNIT = "台";

export function decisionNotice(input: DecisionNoticeInput): DecisionNotice {
  const readerRequest = input.kind === "reader_request";
  const what = readerRequest ? "顔認証付きカードリーダーの提供" : input.program.id === "fund-2020" ? "補助金の交付" : "交付";
  const items: NoticeItem[] = [
    { label: "医療機関等", value: `${input.facility.name}（医療機関コード ${input.facility.code}）` },
    { label: "事業", value: input.program.name },
    { label: "申請日", value: dateText(input.appliedOn) },
  ];
  if (readerRequest) {
    items.push({ label: "提供する顔認証付きカードリーダー", value: `${input.decidedReaders ?? 0}${READER_UNIT}` });
    if (input.requestedReaders !== null && input.requestedReaders !== input.decidedReaders) items.push({ label: "申請台数", value: `${input.requestedReaders}${READER_UNIT}` });
  } else {
    items.push({ label: "交付決定額", value: yenText(input.decidedYen) });
    if (input.requestedYen !== null && input.requestedYen !== input.decidedYen) items.push({ label: "申請額", value: yenText(input.requestedYen) });
    if (input.decidedReaders !== null) items.push({ label: "提供を受けた顔認証付きカードリーダー", value: `${input.decidedReaders}${READER_UNIT}` });
  }
  if (input.reason) items.push({ label: "申請と異なる決定の理由", value: input.reason });
  const { conditions, notes } = noticeClauses(input.program.id);
  return {
    title: readerRequest ? "顔認証付きカードリーダー提供決定通知書" : "補助金交付決定通知書",
    noticeNumber: input.noticeNumber,
    issuedOn: input.issuedOn,
    addressee: `${input.facility.name} 殿`,
    issuer: "社会保険診療報酬支払基金理事長",
    body: `${dateText(input.appliedOn)}付けで申請のあった${input.program.name}の${what}について、審査の結果、下記のとおり決定したので通知します。${conditions.length > 0 ? "この決定には、下記の条件を付します。" : ""}`,
    items,
    conditions,
    notes,
    sources: [NOTICE_SOURCES.decision, NOTICE_SOURCES.electronic, ...input.sources.filter((s) => s !== NOTICE_SOURCES.decision)],
  };
}

/** A notice's number: one per decision (case and transition), so it never collides nor changes. */
export function noticeNumber(caseId: number, seq: number, issuedOn: string): string {
  return `支基補第${issuedOn.slice(0, 4)}-${caseId}-${seq}号`;
}
