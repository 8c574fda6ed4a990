// The 医療費助成 (PMH) participation registry: the prefectures and municipalities that take part, or
// plan to by the end of FY R7, in the online check of 受給者証, as 厚生労働省's list of 2025-10 gives
// them (pmh-data/participants.json, each figure with its line in the text). The list says who, and
// per programme type how many, but not which entity takes which type nor which year each joined
// (the red and blue marks were lost): those cells stay unknown, and participationOn answers
// "unknown" with its reason rather than guessing. docs/pmh.md explains the readings.
import { OqsError } from "../errors/catalogue.ts";
import { isoToYyyymmdd, isValidYyyymmdd, yyyymmddToIso } from "./dates.ts";
import { municipalityCodeProblem } from "./municipality-code.ts";
import { MUNICIPALITIES } from "./municipalities.ts";
import data from "./pmh-data/participants.json" with { type: "json" };

export type PmhLevel = "prefecture" | "municipality";

export const PMH_LEVEL_LABELS: Readonly<Record<PmhLevel, string>> = { prefecture: "都道府県", municipality: "市区町村" };

export type PmhProgrammeKey =
  | "mentalOutpatient"
  | "rehabilitation"
  | "childRehabilitation"
  | "longTermCare"
  | "intractableDisease"
  | "pediatricChronic"
  | "disabledChildOutpatient"
  | "disabledChildResidential"
  | "prematureInfant"
  | "tuberculosis"
  | "pandemicInfluenza"
  | "newInfectiousDisease"
  | "hepatitis"
  | "liverCancer"
  | "specifiedDisease"
  | "children"
  | "disabilities"
  | "singleParent"
  | "otherLocal";

/** How many entities of one level take part in a programme type, and whether the type starts in R7. */
export interface PmhProgrammeCount {
  count: number;
  /** The 【R7～】 mark: the type is taken on from FY R7 (2025-04-01). */
  fromR7: boolean;
  source: string;
}

export interface PmhProgramme {
  key: PmhProgrammeKey;
  /** The column heading of the list (こども, 精神通院, …). */
  name: string;
  fullName: string;
  kind: "公費負担医療" | "地方単独医療費助成";
  /** The law or 予算事業 it stands on; null for the 地方単独 types. */
  law: string | null;
  prefectures?: PmhProgrammeCount;
  municipalities?: PmhProgrammeCount;
  /** The 実施主体 the list names; null where it names none (予算事業, 地方単独). */
  implementers: string[] | null;
  implementersSource: string;
}

export interface PmhEntity {
  level: PmhLevel;
  /** 全国地方公共団体コード, 6 digits with the check digit. */
  code: string;
  name: string;
  /** The entity's own 都道府県 (itself for a prefecture). */
  prefecture: string;
  /** What the text prints where onshi reads another name (a glyph lost in the text). */
  textReads?: string;
  /** Its line in the text. */
  source: string;
}

/** A date known from a public source, which beats the reading of the list. */
export interface PmhKnownDate {
  code: string;
  from: string;
  /** The types it is known for; null when the source names none. */
  programmes: PmhProgrammeKey[] | null;
  /** The date the entity itself starts (no participation before it), not only these types. */
  startsEntity: boolean;
  what: string;
  url: string;
}

export type PmhAnswer = "yes" | "no" | "unknown";

export interface Participation {
  answer: PmhAnswer;
  /** Why, in Japanese, naming the fact or the reading it stands on. */
  reason: string;
  /** Where it stands: a line of the text, a public URL, or both. */
  source: string;
  /** From this date on the answer is yes, when that date is known (or bounded: the end of R7). */
  yesFrom?: string;
}

const TEXT = data.text;
/** The 2024 leaflet's 概要: 令和5年度から … PMH の試行版の開発と実証事業を実施. */
const PMH_BEGINS = "003_adf505141d0aa237.txt:153";
const line = (n: number) => `${TEXT}:${n}`;

export const PMH_REGISTRY = {
  title: data.title,
  publisher: data.publisher,
  asOf: data.asOf,
  document: data.document,
  fiscalYears: data.fiscalYears,
  cumulative: data.cumulative,
  operatingOctober2025: data.operatingOctober2025,
  modifications: data.modifications,
  marks: data.marks,
  namedMunicipalities: data.namedMunicipalities,
  codes: data.codes,
} as const;

export const PMH_PROGRAMMES = data.programmes as readonly PmhProgramme[];
export const PMH_KNOWN_DATES = data.knownDates as readonly PmhKnownDate[];

export const PMH_PARTICIPANTS: readonly PmhEntity[] = [
  ...data.prefectures.entities.map((p) => ({ level: "prefecture" as const, code: p.code, name: p.name, prefecture: p.name, source: data.prefectures.source })),
  ...data.municipalities.entities.map((m) => ({
    level: "municipality" as const,
    code: m.code,
    name: m.name,
    prefecture: m.prefecture,
    ...("textReads" in m ? { textReads: m.textReads } : {}),
    source: line(m.line),
  })),
];

const BY_CODE = new Map(PMH_PARTICIPANTS.map((e) => [e.code, e]));
const LISTED: Readonly<Record<PmhLevel, number>> = {
  prefecture: data.prefectures.entities.length,
  municipality: data.municipalities.entities.length,
};
/** The 47 都道府県 (onshi's table of municipalities has places in each). */
const PREFECTURE_NAMES = new Set(MUNICIPALITIES.map((m) => m.prefecture));

/** PMH 先行実施 began in FY R5: no entity took part before (the 2024 leaflet's 概要, the list's first column). */
const PMH_START = data.fiscalYears.R5.from;
/** The reading: an entity on the list takes part by the end of R7 at the latest. */
const END_OF_R7 = data.fiscalYears.R7.to;
const R7_START = data.fiscalYears.R7.from;
/** No prefecture took part in R5 (the cumulative R5 column prints 0 prefectures). */
const FIRST_PREFECTURE_YEAR = data.fiscalYears.R6.from;

/** The date as YYYY-MM-DD, from YYYY-MM-DD or YYYYMMDD; E8400 when it is no real date. */
export function pmhDate(value: string): string {
  const compact = /^\d{4}-\d{2}-\d{2}$/.test(value) ? isoToYyyymmdd(value) : value;
  if (!isValidYyyymmdd(compact)) throw new OqsError("E8400", value);
  return yyyymmddToIso(compact);
}

/** The programme type named by its key or its Japanese name (こども, 精神通院, …); E8402 otherwise. */
export function pmhProgramme(keyOrName: string): PmhProgramme {
  const text = keyOrName.normalize("NFKC").trim();
  const found = PMH_PROGRAMMES.find((p) => p.key === text || p.name === text || p.fullName === text);
  if (!found) throw new OqsError("E8402", keyOrName);
  return found;
}

/** A 都道府県 name as the entities carry it; E8401 for a name that is none. */
export function pmhPrefecture(name: string): string {
  const text = name.normalize("NFKC").trim();
  if (!PREFECTURE_NAMES.has(text)) throw new OqsError("E8401", name);
  return text;
}

/** The listed entity with this 全国地方公共団体コード; undefined when the list does not name it, E8403 for no code. */
export function pmhEntity(code: string): PmhEntity | undefined {
  if (municipalityCodeProblem(code) !== undefined) throw new OqsError("E8403", code);
  return BY_CODE.get(code);
}

export interface PmhFilter {
  prefecture?: string;
  level?: PmhLevel;
  /** Entities of a level that counts this type (which of them take part is unknown). */
  programme?: PmhProgrammeKey;
}

/** The listed entities, prefectures first, each level in the list's order. */
export function pmhParticipants(filter: PmhFilter = {}): PmhEntity[] {
  const programme = filter.programme === undefined ? undefined : pmhProgramme(filter.programme);
  return PMH_PARTICIPANTS.filter(
    (e) =>
      (filter.prefecture === undefined || e.prefecture === filter.prefecture) &&
      (filter.level === undefined || e.level === filter.level) &&
      (programme === undefined || (countAt(programme, e.level)?.count ?? 0) > 0),
  );
}

export function countAt(programme: PmhProgramme, level: PmhLevel): PmhProgrammeCount | undefined {
  return level === "prefecture" ? programme.prefectures : programme.municipalities;
}

/** The 20 指定都市: the cities onshi's table of municipalities lists with their 行政区. */
const DESIGNATED_CITIES = new Set(MUNICIPALITIES.flatMap((m) => (m.city ? [m.city] : [])));

/** A type whose only municipal 実施主体 is the 指定都市 (精神通院, 難病): no other municipality runs it. */
const onlyDesignatedCities = (p: PmhProgramme) => p.implementers !== null && p.implementers.filter((i) => i !== "都道府県").join() === "指定都市";

/** Whether the list's 実施主体 let an entity of this level run the type at all (unknown 実施主体: maybe). */
function mayRun(p: PmhProgramme, level: PmhLevel): boolean {
  if (p.implementers === null) return true;
  return level === "prefecture" ? p.implementers.includes("都道府県") : p.implementers.some((i) => i !== "都道府県");
}

const listed = (e: PmhEntity) => `${e.prefecture}${e.level === "municipality" ? e.name : ""}`;

/**
 * Whether an entity takes part in PMH on a date, for one programme type or for any. Facts known
 * from a public source come first; then what the list itself settles; the rest is unknown.
 */
export function participationOn(entityOrCode: PmhEntity | string, date: string, programmeKey?: PmhProgrammeKey): Participation {
  const on = pmhDate(date);
  const programme = programmeKey === undefined ? undefined : pmhProgramme(programmeKey);
  const entity = typeof entityOrCode === "string" ? pmhEntity(entityOrCode) : entityOrCode;
  if (entity === undefined) return notListed(on);
  return programme === undefined ? entityOn(entity, on) : programmeOn(entity, on, programme);
}

function notListed(on: string): Participation {
  return on <= END_OF_R7
    ? { answer: "no", reason: `令和7年10月時点の参加・参加予定の一覧 (令和7年度末まで) に載っていない`, source: `${line(70)}, ${line(105)}-155` }
    : { answer: "unknown", reason: "令和8年度以降の参加は一覧にない", source: line(15) };
}

function entityOn(entity: PmhEntity, on: string): Participation {
  const known = PMH_KNOWN_DATES.filter((k) => k.code === entity.code).sort((a, b) => a.from.localeCompare(b.from));
  const first = known[0];
  if (first && on >= first.from) return { answer: "yes", reason: `${first.what} (${first.from})`, source: first.url, yesFrom: first.from };
  const start = known.find((k) => k.startsEntity);
  if (start) return { answer: "no", reason: `${start.what}: それより前は参加していない`, source: start.url, yesFrom: first!.from };
  const yesFrom = first?.from ?? END_OF_R7;
  if (on < PMH_START) return { answer: "no", reason: "PMH の先行実施は令和5年度に始まった", source: `${line(44)}, ${PMH_BEGINS}`, yesFrom };
  if (entity.level === "prefecture" && on < FIRST_PREFECTURE_YEAR)
    return { answer: "no", reason: "令和5年度に参加した都道府県は0", source: line(45), yesFrom };
  if (on >= END_OF_R7)
    return { answer: "yes", reason: `${listed(entity)}は一覧に載っている: 遅くとも令和7年度末 (${END_OF_R7}) までに参加する (onshi の読み方)`, source: entity.source, yesFrom };
  return {
    answer: "unknown",
    reason: `${listed(entity)}は一覧に載っているが、参加した年度 (令和5〜7年度) を示す赤字・青字は本文から失われている`,
    source: `${entity.source}, ${line(entity.level === "prefecture" ? 72 : 125)}`,
    yesFrom,
  };
}

function programmeOn(entity: PmhEntity, on: string, programme: PmhProgramme): Participation {
  const level = PMH_LEVEL_LABELS[entity.level];
  const count = countAt(programme, entity.level);
  if (count === undefined || count.count === 0) {
    const source = count?.source ?? programme.implementersSource;
    if (!mayRun(programme, entity.level)) return { answer: "no", reason: `${programme.name}の実施主体は${programme.implementers!.join("・")}: ${level}ではない`, source };
    return on <= END_OF_R7
      ? { answer: "no", reason: `${programme.name}に参加する${level}は令和7年度末までの一覧にない`, source }
      : { answer: "unknown", reason: `${programme.name}に参加する${level}は令和7年度末までの一覧になく、令和8年度以降は一覧にない`, source };
  }
  if (entity.level === "municipality" && onlyDesignatedCities(programme) && !DESIGNATED_CITIES.has(entity.code))
    return { answer: "no", reason: `${programme.name}の実施主体は${programme.implementers!.join("・")}: ${entity.name}は指定都市でない`, source: programme.implementersSource };
  const known = PMH_KNOWN_DATES.find((k) => k.code === entity.code && k.programmes?.includes(programme.key));
  if (known)
    return on >= known.from
      ? { answer: "yes", reason: `${known.what} (${known.from})`, source: known.url, yesFrom: known.from }
      : { answer: "no", reason: `${known.what}: それより前は${programme.name}で利用していない`, source: known.url, yesFrom: known.from };
  if (count.fromR7 && on < R7_START)
    return { answer: "no", reason: `${programme.name}は【R7～】: 令和7年度から`, source: count.source };
  const whole = entityOn(entity, on);
  if (whole.answer === "no") return { answer: "no", reason: whole.reason, source: whole.source };
  const ofLevel = LISTED[entity.level];
  if (count.count >= ofLevel) return whole;
  return {
    answer: "unknown",
    reason: `${programme.name}に参加する${level}は${count.count} (一覧の${ofLevel}のうち): どの${level}かは一覧にない`,
    source: count.source,
  };
}
