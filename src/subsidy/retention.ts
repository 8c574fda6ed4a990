// How long a facility keeps the books of a funded project (第5 1(5) of the 医療提供体制設備整備交付金
// 実施要領, seed 002 lines 1263–1279) and whether disposing of a funded reader needs approval (第5
// 1(2), lines 1243–1251). Pure: the cases in, the dates with their reasons and sources out. The
// 実施要領 extract has no page markers, so sources give the line.
//
// Readings (each also in RETENTION_READINGS and docs/subsidy-office.md):
// - 「事業完了の日の属する年度の終了後５年間」: the 年度 is April–March; the books are kept up to and
//   including 31 March five years after the end of that 年度, and may be discarded from 1 April.
// - 「減価償却資産の耐用年数等に関する省令で定める期間」 of a reader is the 5 years 第5 1(6) names
//   (「減価償却（５年）」); the period runs from the day the reader was provided and, counted as 民法
//   第140条・第143条 count a period of years, elapses on the same calendar day 60 months later (the
//   month's last day when it has no such day), the day reader-return.ts's residual first reaches 0
//   for a whole month. A disposal on or before that day needs the 支払基金's approval (第5 1(2)).
// - 「当該財産の財産処分が完了する日」: onshi records the approval, not the disposal itself, so an
//   approved disposal's day of approval stands for it.
// - The works a subsidy (not a reader) paid for are acquired by the completion of the project and
//   their lives are at most 5 years (ソフトウェア, 電子計算機), so they end before the 年度 rule's
//   date and are not counted apart.
// - A project whose completion day is not known gives no date (unknown, never a guess), and then
//   neither does its facility: the facility's date is the latest of its projects'.
import { formatSource } from "./engine.ts";
import { SubsidyInputError, dayNumber, isoOf, requireDate } from "./input-error.ts";
import { LIFE_MONTHS, addMonths } from "./reader-return.ts";

export const RETENTION_SOURCES = {
  books: formatSource({ document: "online-shikaku-2020", line: 1263, lineTo: 1271, ref: "第5 1(5) 帳簿等の保管 (年度終了後5年間)" }),
  assets: formatSource({ document: "online-shikaku-2020", line: 1273, lineTo: 1279, ref: "第5 1(5) ただし書 (財産処分・耐用年数)" }),
  life: formatSource({ document: "online-shikaku-2020", line: 1281, lineTo: 1285, ref: "第5 1(6) 減価償却（５年）" }),
  disposal: formatSource({ document: "online-shikaku-2020", line: 1243, lineTo: 1251, ref: "第5 1(2) 財産の処分の制限" }),
  proceeds: formatSource({ document: "online-shikaku-2020", line: 1253, lineTo: 1255, ref: "第5 1(3) 処分による収入の納付" }),
};

export const RETENTION_READINGS = [
  "年度は4月〜翌年3月。事業完了の日の属する年度の終了後5年間 = その年度の翌年度から数えて5年目の3月31日まで保管し、翌日 (4月1日) から廃棄できる。",
  "カードリーダーの耐用年数は第5 1(6) の「減価償却（５年）」の5年。提供の日から数え、60か月後の応当日 (応当日がない月は末日) に経過する (民法第140条・第143条)。その日までの処分には支払基金の承認が要る。",
  "財産処分が完了する日は、onshi が記録する処分の承認の日で代える (処分そのものは記録しない)。",
  "補助金で整備したシステム等は事業完了までに取得され、耐用年数は5年以内のため、年度による日より後にはならない (別に数えない)。",
  "事業完了の日が分からない事業は日付を出さない (不明)。医療機関の日付は事業ごとの日付の最も遅い日で、不明が一つでもあれば不明。",
];

/** 年度 of a day: April–March, named by the year it starts in (2021-03-31 → 2020). */
export function fiscalYearOf(iso: string): number {
  const day = dayNumber(iso);
  if (day === null) throw new SubsidyInputError("E9131", "date", `(YYYY-MM-DD): ${iso}`);
  const year = Number(iso.slice(0, 4));
  return Number(iso.slice(5, 7)) >= 4 ? year : year - 1;
}

/** The last day of a reader's useful life (第5 1(2), 1(6)): 60 months after it was provided. */
export function lifeEndOf(providedOn: string): string {
  return isoOf(addMonths(requireDate(providedOn, "providedOn"), LIFE_MONTHS));
}

/** Whether disposing of a reader provided on `providedOn` needs approval on `on` (within its life). */
export function disposalNeedsApproval(providedOn: string, on: string): boolean {
  const day = requireDate(on, "on");
  if (day < requireDate(providedOn, "providedOn")) throw new SubsidyInputError("E9133", "on", `: 処分の日 ${on} が提供の日 ${providedOn} より前です`);
  return on <= lifeEndOf(providedOn);
}

export interface FundedReaders {
  readers: number;
  providedOn: string;
}

export interface ProjectRecords {
  caseId: number;
  program: string;
  /** 事業完了の日 (or the day a 中止・廃止 was approved); null when not known. */
  completedOn: string | null;
  readers: FundedReaders[];
  /** Days on which a disposal of this project's readers was approved. */
  disposalsApprovedOn: string[];
}

export interface ProjectRetention {
  caseId: number;
  program: string;
  /** Keep the books up to and including this day; null when the completion day is not known. */
  keepUntil: string | null;
  discardableFrom: string | null;
  reasons: string[];
}

export interface FacilityRetention {
  keepUntil: string | null;
  discardableFrom: string | null;
  projects: ProjectRetention[];
  reasons: string[];
  sources: string[];
  readings: string[];
}

const nextDay = (iso: string) => isoOf(requireDate(iso, "date") + 1);

export function projectRetention(project: ProjectRecords): ProjectRetention {
  const { caseId, program } = project;
  if (project.completedOn === null) {
    return { caseId, program, keepUntil: null, discardableFrom: null, reasons: ["事業完了の日が記録されていないため、保管期限は不明です (第5 1(5))。"] };
  }
  requireDate(project.completedOn, "completedOn");
  const fy = fiscalYearOf(project.completedOn);
  let keepUntil = `${fy + 6}-03-31`;
  const reasons = [`事業完了の日 ${project.completedOn} は ${fy}年度。年度の終了 (${fy + 1}-03-31) 後5年間、${keepUntil} まで保管 (第5 1(5))。`];
  for (const r of project.readers) {
    const end = lifeEndOf(r.providedOn);
    const later = end > keepUntil;
    reasons.push(`カードリーダー ${r.readers}台 (提供 ${r.providedOn}) の耐用年数 (5年) は ${end} に経過${later ? ` — 年度による日より遅いため ${end} まで保管` : " — 年度による日より前"} (第5 1(5) ただし書、1(6))。`);
    if (later) keepUntil = end;
  }
  for (const on of project.disposalsApprovedOn) {
    requireDate(on, "disposalsApprovedOn");
    const later = on > keepUntil;
    reasons.push(`財産処分の承認 ${on}${later ? ` — それまでの日より遅いため ${on} まで保管` : " — それまでの日より前"} (第5 1(5) ただし書)。`);
    if (later) keepUntil = on;
  }
  return { caseId, program, keepUntil, discardableFrom: nextDay(keepUntil), reasons };
}

/** The facility's date: the latest of its projects' (unknown if any is). No project: nothing to keep. */
export function facilityRetention(projects: readonly ProjectRecords[]): FacilityRetention {
  const each = projects.map(projectRetention);
  const unknown = each.some((p) => p.keepUntil === null);
  const keepUntil = unknown ? null : each.reduce<string | null>((latest, p) => (latest === null || p.keepUntil! > latest ? p.keepUntil : latest), null);
  const reasons =
    each.length === 0
      ? ["交付決定を受けた事業がないため、保管する帳簿はありません。"]
      : unknown
        ? ["事業完了の日が分からない事業があるため、医療機関としての保管期限は不明です。"]
        : [`事業ごとの保管期限のうち最も遅い ${keepUntil} まで保管し、${nextDay(keepUntil!)} から廃棄できます。`];
  return {
    keepUntil,
    discardableFrom: keepUntil === null ? null : nextDay(keepUntil),
    projects: each,
    reasons,
    sources: [RETENTION_SOURCES.books, RETENTION_SOURCES.assets, RETENTION_SOURCES.life],
    readings: RETENTION_READINGS,
  };
}
