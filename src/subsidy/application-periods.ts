// When each programme takes applications at the office, and by when its work must be complete:
// read from the programme data files where they hold it (fund-2020's 第14 with the FAQ's later
// deadlines, the 2024 and 2025 改修 windows), with each value's source. A value no document
// publishes is null and said to be unknown, never guessed; an application is then accepted with
// that said, for the examiner to judge (docs/subsidy-office.md, 読み方).
import type { CaseKind } from "./case-states.ts";
import { formatSource, NOT_PUBLISHED } from "./engine.ts";
import { parseParameters, type ProgramParameters } from "./parameters.ts";
import { readProgramFile } from "./program-data.ts";
import type { Project } from "./profile.ts";

/** A dated limit and where it comes from; `date` null: 公表されていない. */
export interface DatedLimit {
  date: string | null;
  source: string;
}

export interface ApplicationPeriod {
  program: string;
  kind: CaseKind;
  /** Set when the office takes no such application for the programme (E9511): why, and the source. */
  notHere?: DatedLimit & { reason: string };
  from?: DatedLimit;
  to?: DatedLimit;
  /** The work's completion window, when the programme sets one. */
  completedFrom?: DatedLimit;
  completeBy?: DatedLimit;
  /** 第8 1 and its successors: the application comes after all the work is complete. */
  afterCompletion?: DatedLimit & { date: null };
}

const files = new Map<string, ProgramParameters>();
function params(file: string): ProgramParameters {
  let p = files.get(file);
  if (!p) files.set(file, (p = parseParameters(readProgramFile(file), `${file}.json`)));
  return p;
}

/** The parameter's one value (or its last dated one) as a limit; 公表されていない → null. */
function limit(file: string, name: string): DatedLimit {
  const values = params(file).get<string>(name).values;
  const v = values[values.length - 1]!;
  return { date: v.value === NOT_PUBLISHED ? null : (v.value as string), source: formatSource(v.source) };
}

function rule(file: string, name: string): DatedLimit & { date: null } {
  return { date: null, source: limit(file, name).source };
}

const SUPPORT_2024: DatedLimit = {
  date: null,
  source: formatSource({ document: "support-measures-2024", line: 453, ref: "(注) 利用率が5%を超えた時点で申請条件を満たす; 申請の期間は記載がない" }),
};
const DX_ADDITION: DatedLimit & { reason: string } = {
  date: null,
  reason: "医療DX推進体制整備加算・医療情報取得加算は診療報酬の算定で、補助金の申請はありません",
  source: limit("dx-addition", "addedFrom").source,
};
const READERS_FROM_FUND_ONLY: DatedLimit & { reason: string } = {
  date: null,
  reason: "顔認証付きカードリーダーの提供申請は 2020年の医療情報化支援基金 (fund-2020) だけのものです",
  source: limit("fund-2020", "readerApplicationsFrom").source,
};

/**
 * The period of `program`'s applications of `kind`. fund-2020's deadlines depend on the project's
 * 猶予届 類型 (deferralType), which the project states.
 */
export function applicationPeriod(program: string, kind: CaseKind, project: Project = { program }): ApplicationPeriod {
  const base = { program, kind };
  if (kind === "reader_request") {
    if (program !== "fund-2020") return { ...base, notHere: READERS_FROM_FUND_ONLY };
    // 第14 opens the provision requests in 2020-08 and names no last day for them.
    return { ...base, from: limit("fund-2020", "readerApplicationsFrom"), to: { date: null, source: limit("fund-2020", "readerApplicationsFrom").source } };
  }
  switch (program) {
    case "fund-2020": {
      const type = project.deferralType === undefined ? "none" : String(project.deferralType);
      return {
        ...base,
        from: limit("fund-2020", "subsidyApplicationsFrom"),
        to: limit("fund-2020", `applyBy.${type}`),
        completeBy: limit("fund-2020", `completeBy.${type}`),
        afterCompletion: rule("fund-2020", "applyAfterCompletion"),
      };
    }
    case "support-2024-h1":
    case "support-2024-h2":
      return { ...base, from: SUPPORT_2024, to: SUPPORT_2024 };
    case "lump-sum-2024": {
      const noApplication = limit("lump-sum-2024", "noApplication");
      return { ...base, notHere: { ...noApplication, date: null, reason: "集中取組月間の一時金は申請不要で、支払基金が支払います" } };
    }
    case "reader-expansion-2024": {
      const deadline = limit("reader-expansion-2024", "applicationDeadline");
      return { ...base, from: { date: null, source: deadline.source }, to: deadline };
    }
    case "modification-da-2024":
      return {
        ...base,
        from: limit("modification-da-2024", "appliedFrom"),
        to: limit("modification-da-2024", "appliedTo"),
        completedFrom: limit("modification-da-2024", "completedFrom"),
        completeBy: limit("modification-da-2024", "completeBy"),
        afterCompletion: rule("modification-da-2024", "applyAfterCompletion"),
      };
    case "modification-mhlw-2024": {
      const note = limit("modification-mhlw-2024", "applicationNote");
      return { ...base, notHere: { date: null, reason: "厚生労働省の改修補助は都道府県に申請します", source: note.source } };
    }
    case "modification-2025":
      return {
        ...base,
        from: limit("modification-2025", "appliedFrom"),
        to: limit("modification-2025", "appliedTo"),
        completedFrom: limit("modification-2025", "completedFrom"),
        afterCompletion: rule("modification-2025", "applyAfterCompletion"),
      };
    case "dx-addition":
      return { ...base, notHere: DX_ADDITION };
    default:
      throw new RangeError(`no application period for ${program}`);
  }
}

export type PeriodRefusal =
  | { code: "E9511"; detail: string }
  | { code: "E9509"; detail: string }
  | { code: "E9510"; detail: string }
  | { code: "E9516"; detail: string };

/**
 * Why an application made on `appliedOn` is refused, if it is: not taken here (E9511), outside the
 * period (E9509), before the work is complete (E9510, 第8 1) or completed after the deadline (E9516).
 * Unknown limits refuse nothing; `unknownLimits` lists them.
 */
export function periodRefusal(period: ApplicationPeriod, appliedOn: string, project: Project): PeriodRefusal | undefined {
  if (period.notHere) return { code: "E9511", detail: `${period.notHere.reason} (${period.notHere.source})` };
  if (period.from?.date && appliedOn < period.from.date) return { code: "E9509", detail: `申請の受付は ${period.from.date} から (${period.from.source})` };
  if (period.to?.date && appliedOn > period.to.date) return { code: "E9509", detail: `申請の期限は ${period.to.date} (${period.to.source})` };
  if (period.afterCompletion) {
    if (project.completedOn === undefined) return { code: "E9510", detail: `completedOn が未入力です (${period.afterCompletion.source})` };
    if (project.completedOn > appliedOn) return { code: "E9510", detail: `完了日 ${project.completedOn} が申請日 ${appliedOn} より後です (${period.afterCompletion.source})` };
  }
  if (period.completeBy?.date && project.completedOn !== undefined && project.completedOn > period.completeBy.date) {
    return { code: "E9516", detail: `完了の期限は ${period.completeBy.date} (${period.completeBy.source})` };
  }
  return undefined;
}

/** The limits of the period no document publishes, as sentences for the case's record. */
export function unknownLimits(period: ApplicationPeriod): string[] {
  const named: [string, DatedLimit | undefined][] = [
    ["申請の受付開始日", period.from],
    ["申請の期限", period.to],
    ["事業の完了期限", period.completeBy],
  ];
  return named.filter(([, l]) => l !== undefined && l.date === null).map(([what, l]) => `${what}は${NOT_PUBLISHED} (${l!.source})`);
}
