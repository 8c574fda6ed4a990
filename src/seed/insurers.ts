// The insurers of a synthetic population: a fixed catalogue, the same for every seed, covering
// every kind of the insurers.kind check with numbers whose 検証番号 is right. 8 digits = 法別番号
// + 都道府県番号 + 保険者別番号 3 + 検証番号; 国保 has 6 (no 法別番号). 法別: 01 協会けんぽ,
// 02 船員保険, 06 健保組合, 31 国家公務員, 32 地方公務員, 33 警察, 34 公立学校・私学 共済, 39 後期高齢.
import { withCheckDigit } from "../domain/check-digit.ts";
import { PREFECTURES, municipalityOf, type City, type Prefecture } from "./places.ts";
import type { Random } from "./random.ts";

export type InsurerKind = "kyokai" | "kumiai" | "kyosai" | "kokuho" | "kouki" | "other";
/** 被用者保険: the kinds where a worker is 本人 and dependants are 家族. */
export type EmployeeKind = "kyokai" | "kumiai" | "kyosai" | "other";

export interface Insurer {
  number: string;
  name: string;
  kind: InsurerKind;
  prefecture: number;
}

const pp = (code: number) => String(code).padStart(2, "0");
const short = (p: Prefecture) => p.name.replace(/[都府県]$/, "");

/** 健康保険組合 of fictional companies: [company, 都道府県番号 of the head office]. */
const COMPANIES: readonly (readonly [string, number])[] = [
  ["日本電機", 13], ["東都製薬", 13], ["大和物産", 27], ["富士通商", 13], ["関東運輸", 11], ["中央化学", 23],
  ["みらい銀行", 13], ["さくら商事", 14], ["北斗建設", 1], ["瀬戸内海運", 34], ["西日本食品", 40], ["東北電工", 4],
  ["あおば生命", 4], ["浪速精機", 27], ["京阪紡績", 26], ["中部自動車部品", 23], ["信州精密", 20], ["北陸アルミ", 16],
  ["九州鉄道サービス", 40], ["湘南情報システム", 14], ["みちのく百貨店", 2], ["瀬戸内造船", 38], ["南国観光", 46], ["琉球通信", 47],
];

/** Nation-wide 共済 (法別 31/34) and 国保組合 (6 digits, 保険者別 3xx). */
const NATIONAL: readonly Insurer[] = [
  { number: withCheckDigit("3113001"), name: "財務省共済組合", kind: "kyosai", prefecture: 13 },
  { number: withCheckDigit("3113002"), name: "文部科学省共済組合", kind: "kyosai", prefecture: 13 },
  { number: withCheckDigit("3113003"), name: "防衛省共済組合", kind: "kyosai", prefecture: 13 },
  { number: withCheckDigit("3413002"), name: "日本私立学校振興・共済事業団", kind: "kyosai", prefecture: 13 },
  { number: withCheckDigit("0213001"), name: "全国健康保険協会船員保険部", kind: "other", prefecture: 13 },
  { number: withCheckDigit("13301"), name: "東京都医師国民健康保険組合", kind: "kokuho", prefecture: 13 },
  { number: withCheckDigit("13302"), name: "全国土木建築国民健康保険組合", kind: "kokuho", prefecture: 13 },
  { number: withCheckDigit("27301"), name: "大阪府歯科医師国民健康保険組合", kind: "kokuho", prefecture: 27 },
];

function catalogue(): Insurer[] {
  const list: Insurer[] = [];
  for (const p of PREFECTURES) {
    const code = pp(p.code);
    list.push({ number: withCheckDigit(`01${code}001`), name: `全国健康保険協会${short(p)}支部`, kind: "kyokai", prefecture: p.code });
    list.push({ number: withCheckDigit(`32${code}001`), name: `地方職員共済組合${p.name}支部`, kind: "kyosai", prefecture: p.code });
    list.push({ number: withCheckDigit(`33${code}001`), name: `警察共済組合${p.name}支部`, kind: "kyosai", prefecture: p.code });
    list.push({ number: withCheckDigit(`34${code}001`), name: `公立学校共済組合${short(p)}支部`, kind: "kyosai", prefecture: p.code });
    for (const city of p.cities) {
      list.push({ number: withCheckDigit(`${code}${city.code}`), name: `${municipalityOf(city)}国民健康保険`, kind: "kokuho", prefecture: p.code });
      list.push({ number: withCheckDigit(`39${code}${city.code}`), name: `${p.name}後期高齢者医療広域連合`, kind: "kouki", prefecture: p.code });
      // 医療扶助: the city's 福祉事務所 (法別番号 12; the city's 保険者別番号 stands in for its 実施機関番号).
      list.push({ number: withCheckDigit(`12${code}${city.code}`), name: `${municipalityOf(city)}福祉事務所`, kind: "other", prefecture: p.code });
    }
  }
  COMPANIES.forEach(([company, prefecture], i) => {
    list.push({ number: withCheckDigit(`06${pp(prefecture)}${String(101 + i)}`), name: `${company}健康保険組合`, kind: "kumiai", prefecture });
  });
  return [...list, ...NATIONAL];
}

export const INSURERS: readonly Insurer[] = catalogue();

const byNumber = new Map(INSURERS.map((i) => [i.number, i]));
const ofKind = (kind: InsurerKind, prefecture?: number) => INSURERS.filter((i) => i.kind === kind && (prefecture === undefined || i.prefecture === prefecture));
const KUMIAI = ofKind("kumiai");
const KYOSAI_NATIONAL = NATIONAL.filter((i) => i.kind === "kyosai");
const SEAMEN = NATIONAL.find((i) => i.kind === "other")!;
// Per-prefecture lists, built once: the generator asks for them for every household.
const KUMIAI_BY_PREF = new Map(PREFECTURES.map((p) => [p.code, ofKind("kumiai", p.code)]));
const KYOSAI_BY_PREF = new Map(PREFECTURES.map((p) => [p.code, ofKind("kyosai", p.code)]));
const KYOKAI_BY_PREF = new Map(PREFECTURES.map((p) => [p.code, ofKind("kyokai", p.code)[0]!]));
const UNIONS_BY_PREF = new Map(PREFECTURES.map((p) => [p.code, NATIONAL.filter((i) => i.kind === "kokuho" && i.prefecture === p.code)]));
const KOKUHO_BY_CITY = new Map<City, Insurer>(PREFECTURES.flatMap((p) => p.cities.map((c) => [c, insurerByNumber(withCheckDigit(`${pp(p.code)}${c.code}`))] as const)));
const KOUKI_BY_CITY = new Map<City, Insurer>(PREFECTURES.flatMap((p) => p.cities.map((c) => [c, insurerByNumber(withCheckDigit(`39${pp(p.code)}${c.code}`))] as const)));
const WELFARE_BY_CITY = new Map<City, Insurer>(PREFECTURES.flatMap((p) => p.cities.map((c) => [c, insurerByNumber(withCheckDigit(`12${pp(p.code)}${c.code}`))] as const)));
/** The 福祉事務所 of every city: registered as offices wherever the catalogue is loaded. */
export const WELFARE_OFFICES: readonly Insurer[] = [...WELFARE_BY_CITY.values()];

export function insurerByNumber(number: string): Insurer {
  const insurer = byNumber.get(number);
  if (!insurer) throw new Error(`保険者番号 ${number} はカタログにありません`);
  return insurer;
}

/** The 国保 of the city the household lives in (or, for a few, a 国保組合). */
export function kokuhoOf(p: Prefecture, city: City, r: Random): Insurer {
  const unions = UNIONS_BY_PREF.get(p.code)!;
  if (unions.length > 0 && r.chance(0.05)) return r.pick(unions);
  return KOKUHO_BY_CITY.get(city)!;
}

export function koukiOf(city: City): Insurer {
  return KOUKI_BY_CITY.get(city)!;
}

/** The 福祉事務所 of the city, which decides its residents' 医療扶助. */
export function welfareOfficeOf(city: City): Insurer {
  return WELFARE_BY_CITY.get(city)!;
}

/** An employer's insurer for someone living in the prefecture. */
export function employeeInsurer(kind: EmployeeKind, p: Prefecture, r: Random): Insurer {
  switch (kind) {
    case "kyokai":
      return KYOKAI_BY_PREF.get(p.code)!;
    case "kumiai": {
      const near = KUMIAI_BY_PREF.get(p.code)!;
      return near.length > 0 && r.chance(0.6) ? r.pick(near) : r.pick(KUMIAI);
    }
    case "kyosai":
      return r.chance(0.2) ? r.pick(KYOSAI_NATIONAL) : r.pick(KYOSAI_BY_PREF.get(p.code)!);
    case "other":
      return SEAMEN;
  }
}
