// The demo data set behind `onshi serve --demo`: named persons for each answer of 個別照会 on
// DEMO_DATE, and three facilities with known WebAPI credentials. Everything is fixed (no clock,
// no random), so the README can list DEMO_PERSONS and DEMO_FACILITIES as they are.
//
// Demo 被保険者番号 are at most 7 digits, or 8 starting with 9; generated populations use 8 digits
// from 10000000, so the demo can be loaded next to a seeded population without sharing a key.
import type { Db } from "../db/client.ts";
import { withCheckDigit } from "../domain/check-digit.ts";
import { municipalityNamed } from "../domain/municipalities.ts";
import { addDays, addYears, benefitYear, earlier, isPreschool, later } from "./calendar.ts";
import { publicCredentialHash } from "./credential.ts";
import { insurerByNumber } from "./insurers.ts";
import { copyRowSet, insertInsurers, nextIds } from "./load.ts";
import { emptyRowSet, type QualificationRow, type RowSet } from "./rows.ts";
import { DEFAULT_CONSENT_SETTINGS, type ConsentCategory } from "../domain/consent.ts";
import { findConsent, saveConsent, saveConsentSettings } from "../store/consent-store.ts";
import { setMedicalSubsidyUse } from "../services/medical-subsidy-use.ts";
import { findQualifications } from "../store/qualification-store.ts";
import { saveReferenceNumber } from "../store/reference-number-store.ts";
import { createReception, findReception, type ReceptionKind } from "../store/reception-store.ts";
import { loadDemoCards } from "./demo-cards.ts";
import type { HistoryProfile } from "../domain/history-derivation.ts";
import { hasPopulation, savePopulation } from "../store/medical-history-store.ts";
import { insertStaffAccount } from "../store/staff-store.ts";
import { insertOfficeAccount } from "../store/office-account-store.ts";
import type { StaffRole } from "../domain/staff.ts";
import type { OfficeRole } from "../domain/office.ts";
import { fillDemoDigests } from "./resolution-numbers.ts";
import { loadDemoRemoteConsents, type DemoRemoteConsent } from "./demo-remote.ts";
import { loadDemoWelfare } from "./demo-welfare.ts";
import { Treatment } from "../domain/remote-consent.ts";
import type { SubsidyCertificate } from "../domain/medical-subsidy.ts";
import { saveCertificates } from "../store/medical-subsidy-store.ts";
import { fiscalYearEndAfter } from "./subsidies.ts";
import { loadDemoUsage, type DemoUsagePlan } from "./demo-usage.ts";

/** Where the demo facilities are: 東京都千代田区 (都道府県番号, 市区町村, 全国地方公共団体コード). */
const DEMO_FACILITY_MUNICIPALITY = municipalityNamed(13, "千代田区")!;
const DEMO_PLACE = [13, DEMO_FACILITY_MUNICIPALITY.name, DEMO_FACILITY_MUNICIPALITY.code] as const;
/** Where the demo persons live (世田谷区, the city of their 国保). */
export const DEMO_ADDRESS = "東京都世田谷区世田谷4丁目21番27号";

/** The date the expected answers hold on (send QualificationConfirmationDate 20260401). */
export const DEMO_DATE = "2026-04-01";

export const DEMO_FACILITIES = [
  { code: withCheckDigit("131010001"), name: "オンシ総合病院", kind: "hospital", credential: "demo-hospital" },
  { code: withCheckDigit("131012345"), name: "オンシ内科クリニック", kind: "medical_clinic", credential: "demo-clinic" },
  { code: withCheckDigit("134010001"), name: "オンシ薬局", kind: "pharmacy", credential: "demo-pharmacy" },
] as const;

/**
 * The demo's staff accounts for the terminal page (/terminal/): every role at the hospital, and the
 * pharmacy's 薬剤師 and 事務 (a pharmacy employs no physicians). The README lists them with their
 * passwords; the first of each facility is its administrator.
 */
/**
 * The demo facilities' マイナ保険証利用率 from 2023-10 to 2025-10 (demo-usage.ts): the hospital climbs
 * from 5 % to 48 % (加算3, then 加算2), the clinic from 8 % to 70 % (past every threshold), the
 * pharmacy from 6 % to 40 %; the simulated nation beside them follows the published series.
 */
export const DEMO_USAGE_PLANS: readonly DemoUsagePlan[] = [
  { code: DEMO_FACILITIES[0].code, checks: 3000, from: 5, to: 48, outpatient: 0.85 },
  { code: DEMO_FACILITIES[1].code, checks: 800, from: 8, to: 70, outpatient: 1 },
  { code: DEMO_FACILITIES[2].code, checks: 1200, from: 6, to: 40, outpatient: 1 },
];

/** The demo facility whose 医療費助成情報 is 利用する: オンシ内科クリニック. */
export const DEMO_MEDICAL_SUBSIDY_FACILITY = DEMO_FACILITIES[1].code;

export const DEMO_STAFF: readonly { facility: string; loginId: string; displayName: string; role: StaffRole; administrator: boolean; password: string }[] = [
  { facility: DEMO_FACILITIES[0].code, loginId: "ishi", displayName: "大橋　誠一", role: "doctor", administrator: true, password: "ishi-demo-pw" },
  { facility: DEMO_FACILITIES[0].code, loginId: "shika", displayName: "北村　歯子", role: "dentist", administrator: false, password: "shika-demo-pw" },
  { facility: DEMO_FACILITIES[0].code, loginId: "yakuzaishi", displayName: "西田　薬子", role: "pharmacist", administrator: false, password: "yakuzaishi-demo-pw" },
  { facility: DEMO_FACILITIES[0].code, loginId: "kango", displayName: "南　看子", role: "nurse", administrator: false, password: "kango-demo-pw" },
  { facility: DEMO_FACILITIES[0].code, loginId: "jimu", displayName: "東　事務子", role: "clerk", administrator: false, password: "jimu-demo-pw" },
  { facility: DEMO_FACILITIES[2].code, loginId: "yakuzaishi", displayName: "薬師寺　調", role: "pharmacist", administrator: true, password: "yakuzaishi-demo-pw" },
  { facility: DEMO_FACILITIES[2].code, loginId: "jimu", displayName: "窓口　受子", role: "clerk", administrator: false, password: "jimu-demo-pw" },
];

/** The subsidy office's demo accounts (/office/): an examiner and a 取りまとめ者 (which registers its facilities on its page). */
export const DEMO_OFFICE: readonly { loginId: string; displayName: string; role: OfficeRole; password: string }[] = [
  { loginId: "shinsa", displayName: "審査　一郎", role: "examiner", password: "shinsa-demo-pw" },
  { loginId: "torimatome", displayName: "取りまとめ株式会社", role: "vendor", password: "torimatome-demo-pw" },
];

// Insurers from the seed catalogue (so a seeded database and the demo share them).
const KYOKAI_TOKYO = insurerByNumber("01130012").number; // 全国健康保険協会東京支部
const KUMIAI = insurerByNumber(withCheckDigit("0613101")).number; // 日本電機健康保険組合
const KOKUHO_SETAGAYA = insurerByNumber(withCheckDigit("13103")).number; // 世田谷区国民健康保険 (6 digits)
const KOUKI_SETAGAYA = insurerByNumber(withCheckDigit("3913103")).number; // 東京都後期高齢者医療広域連合 (世田谷区)

export type Validity = "1" | "2" | "3" | "4" | "5";

/** One 個別照会 and its answer: what a README row or a test needs. */
export interface DemoLookup {
  label: string;
  /** Who is found (several for 複数該当; null when nobody is). */
  name: string | null;
  /** Stored form: 8 digits, or 6 for 国保 (send those space-padded to 8). */
  insurerNumber: string;
  symbol: string | null;
  number: string;
  branch: string | null;
  /** YYYY-MM-DD (send it as YYYYMMDD). */
  birthdate: string;
  /** QualificationConfirmationDate (YYYY-MM-DD): DEMO_DATE unless the label says otherwise. */
  date: string;
  /** QualificationValidity: 1 有効, 2 無効, 3 無効（新しい資格あり）, 4 該当資格なし, 5 複数該当. */
  expected: Validity;
}

interface DemoQualification {
  insurer: string;
  symbol: string | null;
  number: string;
  branch: string | null;
  /** 家族 of the holder named here (被保険者氏名); otherwise the person is 本人. */
  holder?: string;
  from: string;
  until?: string;
  reason?: "01" | "02" | "03" | "99";
  ratio?: 10 | 20 | 30;
  elderly?: 20 | 30;
  limit?: { classification: "01" | "02" | "03"; flag: string };
  disease?: "1" | "2" | "3";
  /** Lookups with this qualification's key and the person's birth date. */
  lookups: { label: string; expected: Validity; date?: string }[];
}

interface DemoPerson {
  name: string;
  kana: string;
  nameOfOther?: [string, string];
  sex: 1 | 2;
  birthdate: string;
  qualifications: DemoQualification[];
}

const YAMADA = "山田　太郎";
const NAKAMURA = "中村　葵";

const PERSONS: DemoPerson[] = [
  { name: YAMADA, kana: "ヤマダ　タロウ", sex: 1, birthdate: "1980-05-15", qualifications: [
    { insurer: KYOKAI_TOKYO, symbol: "4410", number: "8001", branch: "00", from: "2015-04-01", lookups: [{ label: "資格有効 (本人)", expected: "1" }] },
  ] },
  { name: "山田　花子", kana: "ヤマダ　ハナコ", sex: 2, birthdate: "1982-08-20", qualifications: [
    { insurer: KYOKAI_TOKYO, symbol: "4410", number: "8001", branch: "01", holder: YAMADA, from: "2015-04-01", lookups: [{ label: "資格有効 (家族: 山田家の配偶者)", expected: "1" }] },
  ] },
  { name: "山田　陽翔", kana: "ヤマダ　ハルト", sex: 1, birthdate: "2021-06-01", qualifications: [
    { insurer: KYOKAI_TOKYO, symbol: "4410", number: "8001", branch: "02", holder: YAMADA, from: "2021-06-01", lookups: [{ label: "資格有効 (家族・未就学)", expected: "1" }] },
  ] },
  { name: "鈴木　一郎", kana: "スズキ　イチロウ", sex: 1, birthdate: "1975-11-03", qualifications: [
    { insurer: KOKUHO_SETAGAYA, symbol: "21", number: "900123", branch: "00", from: "2010-04-01", lookups: [{ label: "国保 (6桁の保険者番号)", expected: "1" }] },
  ] },
  { name: "金　英洙", kana: "キム　ヨンス", nameOfOther: ["金田　英夫", "カネダ　ヒデオ"], sex: 1, birthdate: "1970-10-10", qualifications: [
    { insurer: KYOKAI_TOKYO, symbol: "4410", number: "8007", branch: "00", from: "2018-04-01", lookups: [{ label: "通称あり (金田 英夫)", expected: "1" }] },
  ] },
  { name: "佐藤　健一", kana: "サトウ　ケンイチ", sex: 1, birthdate: "1968-02-29", qualifications: [
    { insurer: KUMIAI, symbol: "700", number: "8002", branch: "00", from: "2000-04-01", limit: { classification: "01", flag: "A03" },
      lookups: [{ label: "限度額適用認定 (区分ウ)", expected: "1" }] },
  ] },
  { name: "加藤　誠", kana: "カトウ　マコト", sex: 1, birthdate: "1962-07-07", qualifications: [
    { insurer: KOKUHO_SETAGAYA, symbol: "21", number: "900124", branch: "00", from: "2012-10-01", disease: "1",
      lookups: [{ label: "特定疾病 (人工透析, 自己負担 10,000円)", expected: "1" }] },
  ] },
  { name: "小林　和子", kana: "コバヤシ　カズコ", sex: 2, birthdate: "1953-09-10", qualifications: [
    { insurer: KYOKAI_TOKYO, symbol: "4410", number: "8003", branch: "00", from: "2013-04-01", elderly: 20, lookups: [{ label: "高齢受給者 (72歳, 2割)", expected: "1" }] },
  ] },
  { name: "吉田　茂", kana: "ヨシダ　シゲル", sex: 1, birthdate: "1958-01-20", qualifications: [
    { insurer: KYOKAI_TOKYO, symbol: "4410", number: "8004", branch: "00", from: "2001-04-01", until: "2026-02-11", reason: "01",
      lookups: [{ label: "資格喪失 (2026-02-10 死亡)", expected: "2" }] },
  ] },
  { name: "伊藤　三郎", kana: "イトウ　サブロウ", sex: 1, birthdate: "1990-12-24", qualifications: [
    { insurer: KYOKAI_TOKYO, symbol: "4410", number: "8005", branch: "00", from: "2013-04-01", until: "2026-03-01", reason: "03",
      lookups: [{ label: "喪失して新しい資格あり (2026-03-01 転職: 旧保険者)", expected: "3" }] },
    { insurer: KUMIAI, symbol: "700", number: "8005", branch: "00", from: "2026-03-01", lookups: [{ label: "転職先の資格", expected: "1" }] },
  ] },
  // 75th birthday on DEMO_DATE: 国保 lost that day, 後期高齢 from that day; the day before, the reverse.
  { name: "渡辺　清", kana: "ワタナベ　キヨシ", sex: 1, birthdate: "1951-04-01", qualifications: [
    { insurer: KOKUHO_SETAGAYA, symbol: "21", number: "900125", branch: "00", from: "2016-04-01", until: "2026-04-01", reason: "03", elderly: 20,
      lookups: [
        { label: "75歳到達の前日 (2026-03-31): 国保は有効", expected: "1", date: "2026-03-31" },
        { label: "75歳の誕生日: 国保は喪失 (後期高齢あり)", expected: "3" },
      ] },
    { insurer: KOUKI_SETAGAYA, symbol: null, number: "90000001", branch: null, from: "2026-04-01", ratio: 10,
      lookups: [
        { label: "75歳到達の前日 (2026-03-31): 後期高齢はまだ始まっていない", expected: "2", date: "2026-03-31" },
        { label: "75歳の誕生日: 後期高齢 (1割) が有効", expected: "1" },
      ] },
  ] },
  { name: NAKAMURA, kana: "ナカムラ　アオイ", sex: 2, birthdate: "1984-03-03", qualifications: [
    { insurer: KUMIAI, symbol: "700", number: "8006", branch: "00", from: "2012-04-01", lookups: [{ label: "資格有効 (中村家 本人)", expected: "1" }] },
  ] },
  // Twins registered under one 枝番: one key, two persons.
  ...(["中村　優:ナカムラ　ユウ", "中村　陸:ナカムラ　リク"].map((entry, i) => {
    const [name, kana] = entry.split(":") as [string, string];
    return { name, kana, sex: 1 as const, birthdate: "2015-07-07", qualifications: [
      { insurer: KUMIAI, symbol: "700", number: "8006", branch: "01", holder: NAKAMURA, from: "2015-07-07",
        lookups: i === 0 ? [{ label: "複数該当 (双子が同じ枝番で登録)", expected: "5" as const }] : [] },
    ] };
  })),
];

/**
 * The demo's 医療費助成 family in 八王子市, whose マル乳 and マル親 PMH carries from 2026-04-01 (the
 * demo date): 高橋 美咲 (her card is a demo card) holds マル親 and 東京都's 精神通院, and her daughter
 * 陽菜 (3) マル乳 and 八王子市's 小児慢性; the 精神通院 and 小児慢性 ones are designated for the hospital
 * and the pharmacy, so the clinic sees マル親 or マル乳 only. They are loaded on their own, after
 * PERSONS, so a data folder loaded before them gets them too.
 */
const TAKAHASHI = "高橋　美咲";
const SUBSIDY_FAMILY: DemoPerson[] = [
  { name: TAKAHASHI, kana: "タカハシ　ミサキ", sex: 2, birthdate: "1992-06-18", qualifications: [
    { insurer: KYOKAI_TOKYO, symbol: "4410", number: "8008", branch: "00", from: "2016-04-01", lookups: [{ label: "医療費助成の受給者証あり (マル親と精神通院)", expected: "1" }] },
  ] },
  { name: "高橋　陽菜", kana: "タカハシ　ヒナ", sex: 2, birthdate: "2022-09-15", qualifications: [
    { insurer: KYOKAI_TOKYO, symbol: "4410", number: "8008", branch: "01", holder: TAKAHASHI, from: "2022-09-15",
      lookups: [{ label: "医療費助成の受給者証あり (家族・未就学: マル乳と小児慢性)", expected: "1" }] },
  ] },
];
const SUBSIDY_FAMILY_ADDRESS = { address: "東京都八王子市本町2丁目14番6号", postNumber: "192-0066" };
const HACHIOJI = municipalityNamed(13, "八王子市")!.code;
/** 東京都's 全国地方公共団体コード (its 都道府県コード, 000 and the check digit). */
const TOKYO = "130001";

/**
 * The family's 受給者証 (a 受給者証's own fields; the person by name). マル乳 and マル親 are 八王子市's
 * published numbers; 小児慢性 is 八王子市's as a 中核市 and 精神通院 東京都's, their numbers synthetic as
 * the seed makes them (実施機関番号 105, the seed's 八王子市 国保; 000 for the prefecture), their caps
 * the tables' (小児慢性 一般所得Ⅰ; 精神通院 中間所得層2 重度かつ継続) (docs/pmh.md).
 */
export const DEMO_SUBSIDY_CERTIFICATES: readonly (Omit<SubsidyCertificate, "personId"> & { name: string })[] = [
  {
    name: "高橋　陽菜", issuerCode: HACHIOJI, historyKey: "DEMO-0001", programme: "children", orgCertificateTypeId: "maru-nyu",
    insurerNumber: "88138243", recipientNumber: "2209151", certificationName: "乳幼児医療証（マル乳）", certificationSubKey: null,
    segment: null, incomeSegment: null, additionalConditions: null, designatedMedicalInstitutions: [], alwaysReimbursement: false,
    maxCopayment: { monthly: 0 }, validFrom: "2022-09-15", validTo: fiscalYearEndAfter("2022-09-15", 6), isDeleted: false, certificationDetail: [],
  },
  {
    name: "高橋　陽菜", issuerCode: HACHIOJI, historyKey: "DEMO-0002", programme: "pediatricChronic", orgCertificateTypeId: null,
    insurerNumber: withCheckDigit("5213105"), recipientNumber: withCheckDigit("026015"), certificationName: "小児慢性特定疾病医療受給者証",
    certificationSubKey: null, segment: null, incomeSegment: "一般所得Ⅰ", additionalConditions: null,
    designatedMedicalInstitutions: [withCheckDigit("131010001"), withCheckDigit("134010001")], alwaysReimbursement: false,
    maxCopayment: { monthly: 5000 }, validFrom: "2025-10-01", validTo: "2026-09-30", isDeleted: false,
    certificationDetail: [{ label: "疾病名", value: "心室中隔欠損症" }],
  },
  {
    name: TAKAHASHI, issuerCode: TOKYO, historyKey: "DEMO-0003", programme: "mentalOutpatient", orgCertificateTypeId: null,
    insurerNumber: withCheckDigit("2113000"), recipientNumber: withCheckDigit("318204"), certificationName: "自立支援医療受給者証（精神通院）",
    certificationSubKey: null, segment: null, incomeSegment: "中間所得層2", additionalConditions: null,
    designatedMedicalInstitutions: [withCheckDigit("131010001"), withCheckDigit("134010001")], alwaysReimbursement: false,
    maxCopayment: { monthly: 10000 }, validFrom: "2025-12-01", validTo: "2026-11-30", isDeleted: false,
    certificationDetail: [{ label: "重度かつ継続", value: "該当" }],
  },
  {
    name: TAKAHASHI, issuerCode: HACHIOJI, historyKey: "DEMO-0004", programme: "singleParent", orgCertificateTypeId: "maru-oya",
    insurerNumber: "81136244", recipientNumber: "3012045", certificationName: "ひとり親家庭等医療証（マル親）", certificationSubKey: null,
    segment: null, incomeSegment: null, additionalConditions: null, designatedMedicalInstitutions: [], alwaysReimbursement: false,
    maxCopayment: {}, validFrom: "2025-08-01", validTo: "2026-07-31", isDeleted: false, certificationDetail: [],
  },
];

/** The seed the demo persons' histories are derived from. */
export const DEMO_HISTORY_SEED = 20260401;

/**
 * Demo persons whose history is fixed in part (the others' is drawn from DEMO_HISTORY_SEED alone).
 * 佐藤 健一 has the rich one the README describes: 高血圧・糖尿病・脂質異常症 treated every month, a
 * 特定健診 every year with raised HbA1c, blood pressure and LDL, and two operations. 小林 和子 has a
 * 白内障 operation; 加藤 誠's 人工透析 follows from his 特定疾病 certificate.
 */
const HISTORY_PROFILES: Readonly<Record<string, HistoryProfile>> = {
  "佐藤　健一": {
    conditions: ["hypertension", "diabetes", "dyslipidemia"],
    // メトホルミン + シタグリプチン, アムロジピン + カンデサルタン, ロスバスタチン.
    severity: { diabetes: 0.6, hypertension: 0.7, dyslipidemia: 0.3 },
    operations: [{ date: "20231114", key: "colonPolyp" }, { date: "20250610", key: "coronaryStent" }],
    alwaysCheckup: true,
  },
  "小林　和子": {
    conditions: ["hypertension", "osteoporosis"],
    severity: { hypertension: 0.2 },
    operations: [{ date: "20240917", key: "cataract" }],
    alwaysCheckup: true,
  },
  "加藤　誠": { conditions: ["hypertension"], operations: [] },
};

/** The fixed part of the history of the demo person at `offset` in the demo's person ids. */
export function demoHistoryProfile(offset: number): HistoryProfile | undefined {
  const person = PERSONS[offset];
  return person && HISTORY_PROFILES[person.name];
}

/** Every demo lookup: one per documented outcome. */
export const DEMO_PERSONS: readonly DemoLookup[] = [
  ...[...PERSONS, ...SUBSIDY_FAMILY].flatMap((p) =>
    p.qualifications.flatMap((q) =>
      q.lookups.map((l) => ({
        label: l.label,
        name: l.expected === "5" ? PERSONS.filter((o) => o.birthdate === p.birthdate && o.qualifications.some((oq) => oq.number === q.number)).map((o) => o.name).join(" / ") : p.name,
        insurerNumber: q.insurer,
        symbol: q.symbol,
        number: q.number,
        branch: q.branch,
        birthdate: p.birthdate,
        date: l.date ?? DEMO_DATE,
        expected: l.expected,
      })),
    ),
  ),
  // 該当資格なし: 山田 太郎's card with another birth date, and a number nobody holds.
  { label: "該当なし (生年月日が違う)", name: null, insurerNumber: KYOKAI_TOKYO, symbol: "4410", number: "8001", branch: "00", birthdate: "1980-05-16", date: DEMO_DATE, expected: "4" },
  { label: "該当なし (存在しない番号)", name: null, insurerNumber: KYOKAI_TOKYO, symbol: "4410", number: "8999", branch: "00", birthdate: "1980-05-15", date: DEMO_DATE, expected: "4" },
];

/** 照会番号 registered in the demo: the hospital's patient number for one person, at no other facility. */
export const DEMO_REFERENCE_NUMBERS = [{ facility: DEMO_FACILITIES[0].code, name: YAMADA, referenceNumber: "0012345" }] as const;

/** A demo person's insurance key as a message sends it (the WebAPI examples use it). */
export const DEMO_KEY = { InsurerNumber: KUMIAI, InsuredCardSymbol: "700", InsuredIdentificationNumber: "8002", InsuredBranchNumber: "00" };

/**
 * Consents of card checks at DEMO_DATE 09:00 (Japan), in force for 24 hours (so with `--now
 * 2026-04-01`), all of 佐藤 健一 (DEMO_KEY, the person with the richest history): to all four
 * viewing categories at the hospital, whose reader offers 診療情報 and 手術情報 too, and to 薬剤情報
 * and 特定健診情報 at the pharmacy (which may still not view 特定健診).
 */
export const DEMO_CONSENTS: readonly { facility: string; agreed: readonly ConsentCategory[] }[] = [
  { facility: DEMO_FACILITIES[0].code, agreed: ["pharmacists", "specificHealthCheckups", "diagnosis", "operation"] },
  { facility: DEMO_FACILITIES[2].code, agreed: ["pharmacists", "specificHealthCheckups"] },
];
export const DEMO_CONSENT_TIME = new Date(`${DEMO_DATE}T09:00:00+09:00`);

/** DEMO_KEY as a 薬剤・特定健診 request's header names it (spec §3: other element names). */
export const DEMO_CONSENT_KEY = {
  InsurerNumber: DEMO_KEY.InsurerNumber,
  InsuranceCardSymbol: DEMO_KEY.InsuredCardSymbol,
  InsuredPersonIdentificationNumber: DEMO_KEY.InsuredIdentificationNumber,
  BranchNumber: DEMO_KEY.InsuredBranchNumber,
};

/**
 * Two 受付 of the demo hospital, received on DEMO_DATE and kept as long as the data, so a download
 * can be tried without an upload first (the OpenAPI page's examples name them): a 一括照会 of one
 * person and a 照会番号一括登録 of 山田太郎's number. The worker answers them when onshi starts.
 */
export const DEMO_RECEPTIONS: readonly { kind: ReceptionKind; receptionNumber: string; rows: Record<string, string>[] }[] = [
  { kind: "muquc", receptionNumber: "20260401090000000001", rows: [{ ...DEMO_KEY, Birthdate: "19680229", LimitApplicationCertificateRelatedConsFlg: "0" }] },
  {
    kind: "muimm",
    receptionNumber: "20260401090000000002",
    rows: [{ ReferenceNumber: "0012345", InsurerNumber: KYOKAI_TOKYO, InsuredCardSymbol: "4410", InsuredIdentificationNumber: "8001", InsuredBranchNumber: "00" }],
  },
  { kind: "muonq", receptionNumber: "20260401090000000003", rows: [{ ExaminationDateFrom: "20260401", ExaminationDateTo: "20260430", MedicalTreatmentFlag: "3" }] },
  { kind: "muhvq", receptionNumber: "20260401090000000004", rows: [{ ConsentDateFrom: "20260301", ConsentDateTo: "20260331", MedicalTreatmentFlag: "2" }] },
  { kind: "mutic", receptionNumber: "20260401090000000005", rows: [{ MedicalTreatmentMonth: "202604" }] },
];

/** The demo hospital's patients who consented at home (src/seed/demo-remote.ts); the demo receptions above list them. */
export const DEMO_REMOTE_CONSENTS: readonly DemoRemoteConsent[] = [
  {
    facility: DEMO_FACILITIES[0].code,
    key: { insurerNumber: KUMIAI, insuredCardSymbol: "700", insuredIdentificationNumber: "8002", insuredBranchNumber: "00" },
    treatment: Treatment.Visit,
    consentedAt: "2026-03-25T10:00:00+09:00",
    agreed: ["pharmacists", "diagnosis"],
  },
  {
    facility: DEMO_FACILITIES[0].code,
    key: { insurerNumber: KYOKAI_TOKYO, insuredCardSymbol: "4410", insuredIdentificationNumber: "8001", insuredBranchNumber: "00" },
    treatment: Treatment.Online,
    consentedAt: "2026-03-30T20:00:00+09:00",
    examinationDate: "20260402",
    agreed: ["pharmacists"],
  },
];

/**
 * Loads the demo data once: nothing happens (false) when the demo hospital is already there. The
 * demo cards (src/seed/demo-cards.ts) follow, each issued if missing, so a database loaded before
 * they existed gets them too.
 */
export async function loadDemo(db: Db): Promise<boolean> {
  const loaded = await loadDemoData(db);
  await loadDemoPopulation(db);
  await loadDemoSubsidyFamily(db);
  // 医療扶助: a recipient with a 医療券 at the hospital and a 調剤券 at the pharmacy for DEMO_DATE.
  await loadDemoWelfare(db, {
    visit: DEMO_DATE,
    facilities: [DEMO_FACILITIES[0], DEMO_FACILITIES[2]],
    historySeed: DEMO_HISTORY_SEED,
    historyFacilities: DEMO_FACILITIES.map((f) => f.code),
  });
  await fillDemoDigests(db);
  await loadDemoCards(db);
  await loadDemoRemoteConsents(db, DEMO_REMOTE_CONSENTS);
  await loadDemoReceptions(db);
  await loadDemoConsents(db);
  await loadDemoStaff(db);
  await loadDemoOffice(db);
  await loadDemoUsage(db, DEMO_USAGE_PLANS);
  return loaded;
}

/**
 * Records the demo persons as a population (their histories' seed and the demo facilities they
 * name), also in a database loaded before histories existed.
 */
async function loadDemoPopulation(db: Db): Promise<void> {
  if (await hasPopulation(db, "demo")) return;
  // The first demo person by their card (demo numbers never meet generated ones, unlike names).
  const card = PERSONS[0]!.qualifications[0]!;
  const [first] = await db.query<{ person_id: number }>(
    "select person_id from qualifications where insurer_number = $1 and insured_identification_number = $2 and insured_branch_number = $3 order by person_id limit 1",
    [card.insurer, card.number, card.branch],
  );
  if (!first) return;
  await savePopulation(db, {
    firstPersonId: first.person_id,
    lastPersonId: first.person_id + PERSONS.length - 1,
    seed: DEMO_HISTORY_SEED,
    kind: "demo",
    facilityCodes: DEMO_FACILITIES.map((f) => f.code),
  });
}

/**
 * Loads the 医療費助成 family once (a population of its own: their histories are derived from the
 * demo seed, and offsets 0 and 1 of a demo population name no fixed history), then saves their
 * 受給者証, which changes nothing when they are there already.
 */
async function loadDemoSubsidyFamily(db: Db): Promise<void> {
  const card = SUBSIDY_FAMILY[0]!.qualifications[0]!;
  const first = await db.transaction(async (tx) => {
    // The demo hospital's row serialises concurrent loaders (loadDemoData made it).
    await tx.query("select 1 from facilities where medical_institution_code = $1 for update", [DEMO_FACILITIES[0].code]);
    const [found] = await tx.query<{ person_id: number }>(
      "select person_id from qualifications where insurer_number = $1 and insured_identification_number = $2 and insured_branch_number = $3 order by person_id limit 1",
      [card.insurer, card.number, card.branch],
    );
    if (found) return found.person_id;
    const ids = await nextIds(tx);
    await copyRowSet(tx, demoRows(SUBSIDY_FAMILY, SUBSIDY_FAMILY_ADDRESS, ids.personId, ids.qualificationId));
    await savePopulation(tx, { firstPersonId: ids.personId, lastPersonId: ids.personId + SUBSIDY_FAMILY.length - 1, seed: DEMO_HISTORY_SEED, kind: "demo", facilityCodes: DEMO_FACILITIES.map((f) => f.code) });
    return ids.personId;
  });
  const personIds = new Map(SUBSIDY_FAMILY.map((p, i) => [p.name, first + i]));
  const at = new Date(`${DEMO_DATE}T09:00:00+09:00`);
  await saveCertificates(db, DEMO_SUBSIDY_CERTIFICATES.map(({ name, ...c }) => ({ ...c, personId: personIds.get(name)! })), at);
}

/** Stores the demo consents that are missing: a card check made since is never undone. */
async function loadDemoConsents(db: Db): Promise<void> {
  // Demo 被保険者番号 are shared with no generated person (see the top of this file).
  const [sato] = await findQualifications(db, { insurerNumber: KUMIAI, insuredCardSymbol: "700", insuredIdentificationNumber: "8002", insuredBranchNumber: "00" });
  if (!sato) return;
  const personId = sato.person.personId;
  for (const c of DEMO_CONSENTS) {
    if (await findConsent(db, c.facility, personId)) continue;
    await saveConsent(db, { facilityCode: c.facility, personId, consTime: DEMO_CONSENT_TIME, agreed: new Set(c.agreed) });
  }
}

/** Creates the demo staff accounts that are missing (a database loaded before they existed gets them too). */
async function loadDemoStaff(db: Db): Promise<void> {
  const at = new Date(`${DEMO_DATE}T09:00:00+09:00`);
  for (const s of DEMO_STAFF) {
    await insertStaffAccount(db, { facilityCode: s.facility, loginId: s.loginId, displayName: s.displayName, role: s.role, administrator: s.administrator, passwordHash: publicCredentialHash(s.password), at });
  }
}

/** Creates the demo office accounts that are missing. */
async function loadDemoOffice(db: Db): Promise<void> {
  const at = new Date(`${DEMO_DATE}T09:00:00+09:00`);
  for (const a of DEMO_OFFICE) {
    await insertOfficeAccount(db, { loginId: a.loginId, displayName: a.displayName, role: a.role, passwordHash: publicCredentialHash(a.password), at });
  }
}

/** The ReceptionNumber of the demo reception of `kind`. */
export const demoReception = (kind: ReceptionKind): string => DEMO_RECEPTIONS.find((r) => r.kind === kind)!.receptionNumber;

/** Stores the demo receptions that are missing; the worker answers them like any upload. */
async function loadDemoReceptions(db: Db): Promise<void> {
  const at = new Date(`${DEMO_DATE}T09:00:00+09:00`);
  for (const r of DEMO_RECEPTIONS) {
    if (await findReception(db, r.receptionNumber)) continue;
    await createReception(db, {
      receptionNumber: r.receptionNumber,
      facilityCode: DEMO_FACILITIES[0].code,
      kind: r.kind,
      confirmationDate: r.kind === "muquc" ? DEMO_DATE.replaceAll("-", "") : undefined,
      rows: r.rows,
      receivedAt: at,
      readyAt: at,
      expiresAt: new Date("9999-12-31T00:00:00Z"),
    });
  }
}

async function loadDemoData(db: Db): Promise<boolean> {
  return db.transaction(async (tx) => {
    // The hospital row doubles as the "already loaded" mark, also against a concurrent loader.
    const [hospital, ...others] = DEMO_FACILITIES;
    const inserted = await tx.query(
      `insert into facilities (medical_institution_code, name, kind, prefecture, municipality, municipality_code, credential_hash)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing returning 1`,
      [hospital.code, hospital.name, hospital.kind, ...DEMO_PLACE, publicCredentialHash(hospital.credential)],
    );
    if (inserted.length === 0) return false;
    for (const f of others) {
      await tx.query(
        `insert into facilities (medical_institution_code, name, kind, prefecture, municipality, municipality_code, credential_hash)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
        [f.code, f.name, f.kind, ...DEMO_PLACE, publicCredentialHash(f.credential)],
      );
    }
    await saveConsentSettings(tx, hospital.code, { ...DEFAULT_CONSENT_SETTINGS, diagnosis: true, operation: true }, DEMO_CONSENT_TIME);
    // The clinic uses 医療費助成 (PMH): its reader asks, and the card check carries the 受給者証.
    await setMedicalSubsidyUse(tx, { facilityCode: DEMO_MEDICAL_SUBSIDY_FACILITY, inUse: true, by: "デモデータ" }, DEMO_CONSENT_TIME);
    await insertInsurers(tx);
    const first = await nextIds(tx);
    await copyRowSet(tx, demoRows(PERSONS, { address: DEMO_ADDRESS, postNumber: "154-0017" }, first.personId, first.qualificationId));
    for (const r of DEMO_REFERENCE_NUMBERS) {
      const personId = first.personId + PERSONS.findIndex((p) => p.name === r.name);
      const at = new Date(`${DEMO_DATE}T09:00:00+09:00`);
      await saveReferenceNumber(tx, { facilityCode: r.facility, personId, referenceNumber: r.referenceNumber, at });
    }
    return true;
  });
}

function demoRows(persons: readonly DemoPerson[], home: { address: string; postNumber: string }, firstPersonId: number, firstQualificationId: number): RowSet {
  const rows = emptyRowSet();
  let qualificationId = firstQualificationId;
  persons.forEach((p, i) => {
    const personId = firstPersonId + i;
    rows.persons.push({
      person_id: personId,
      name: p.name,
      name_kana: p.kana,
      name_of_other: p.nameOfOther?.[0] ?? null,
      name_of_other_kana: p.nameOfOther?.[1] ?? null,
      sex: p.sex,
      birthdate: p.birthdate,
      address: home.address,
      post_number: home.postNumber,
    });
    for (const q of p.qualifications) {
      const row = qualificationRow(qualificationId++, personId, p, q);
      rows.qualifications.push(row);
      const ids = { person_id: personId, qualification_id: row.qualification_id };
      const year = benefitYear(DEMO_DATE);
      if (q.elderly) {
        // Until 31 July, or until the day before the 75th birthday.
        const end = earlier(year.end, addDays(addYears(p.birthdate, 75), -1));
        rows.elderly_certificates.push({ ...ids, certificate_date: year.start, valid_start: year.start, valid_end: end, contribution_ratio: q.elderly });
      }
      if (q.limit) {
        rows.limit_certificates.push({ ...ids, classification: q.limit.classification, classification_flag: q.limit.flag, certificate_date: year.start, valid_start: year.start, valid_end: year.end, long_term_date: null });
      }
      if (q.disease) {
        rows.specific_disease_certificates.push({ ...ids, disease_category: q.disease, certificate_date: "2024-10-01", valid_start: "2024-10-01", valid_end: "2029-09-30", self_pay: 10000 });
      }
    }
  });
  return rows;
}

function qualificationRow(id: number, personId: number, p: DemoPerson, q: DemoQualification): QualificationRow {
  const kind = insurerByNumber(q.insurer).kind;
  const lastDay = q.until ? addDays(q.until, -1) : DEMO_DATE;
  const year = benefitYear(lastDay);
  const expiration =
    kind === "kouki" ? year.end : kind === "kokuho" ? earlier(year.end, addDays(addYears(p.birthdate, 75), -1)) : null;
  return {
    qualification_id: id,
    person_id: personId,
    insurer_number: q.insurer,
    insured_card_classification: "01",
    insured_card_symbol: q.symbol,
    insured_identification_number: q.number,
    insured_branch_number: q.branch,
    personal_family_classification: q.holder ? 2 : 1,
    insured_name: q.holder ?? p.name,
    qualification_date: q.from,
    disqualification_date: q.until ?? null,
    reason_of_loss: q.reason ?? null,
    // 国保 and 後期高齢 cards are renewed every 1 August (as in generated populations).
    card_issuance_date: expiration ? later(q.from, year.start) : q.from,
    card_valid_date: expiration ? later(q.from, year.start) : q.from,
    card_expiration_date: expiration,
    partial_contribution_ratio: q.ratio ?? null,
    preschool: isPreschool(p.birthdate, lastDay),
  };
}
