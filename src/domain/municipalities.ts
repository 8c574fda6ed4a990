// 全国地方公共団体コード of every municipality onshi's data names: the cities of the synthetic
// population's addresses (src/seed/places.ts), the demo's facilities and persons, and the 指定都市
// whose 行政区 those are (a declaration may name the city: it covers every ward). Real codes, not
// onshi's own; a 行政区 is not a 地方公共団体 but has a code in the same list.
//
// Each line: 都道府県, then code:name, a 行政区 followed by <code of its 指定都市.

export const MUNICIPALITY_SOURCE = {
  title: "全国地方公共団体コード (都道府県コード及び市区町村コード)",
  publisher: "総務省",
  url: "https://www.soumu.go.jp/denshijiti/code.html",
  /** The list as of 2024-01-01 (浜松市中央区 is the ward of that date's reorganisation). */
  asOf: "2024-01-01",
  /**
   * Every code below, name and code together, was checked against a copy of this list as of
   * 平成30年10月1日 (both sheets: the 団体 and the 政令指定都市 with their 行政区), published in a public
   * repository (github.com/Vantrieu2000/base-source-react, apps/react-app/src/app/utils/constants/
   * CityAndDistrict.ts), and the check digit rule against the rule as the list states it. The ones
   * that copy could not confirm are listed here.
   */
  checkedAgainst: "全国地方公共団体コード 平成30年10月1日現在 (public copy)",
  unconfirmed: {
    // 浜松市 reorganised its wards on 2024-01-01 (中央区・浜名区・天竜区); the 2018 copy has the old ones.
    "221384": "浜松市中央区: a ward created after the copy checked against",
  },
} as const;

const TABLE = `
北海道 011002:札幌市 011011:札幌市中央区<011002 012041:旭川市 012025:函館市
青森県 022012:青森市 022021:弘前市 022039:八戸市
岩手県 032018:盛岡市 032093:一関市 032158:奥州市
宮城県 041009:仙台市 041017:仙台市青葉区<041009 042021:石巻市 042153:大崎市
秋田県 052019:秋田市 052035:横手市 052043:大館市
山形県 062014:山形市 062031:鶴岡市 062049:酒田市
福島県 072010:福島市 072036:郡山市 072044:いわき市
茨城県 082015:水戸市 082201:つくば市 082023:日立市
栃木県 092011:宇都宮市 092088:小山市 092029:足利市
群馬県 102016:前橋市 102024:高崎市 102059:太田市
埼玉県 111007:さいたま市 111074:さいたま市浦和区<111007 112011:川越市 112089:所沢市 112038:川口市
千葉県 121002:千葉市 121011:千葉市中央区<121002 122041:船橋市 122173:柏市 122033:市川市
東京都 131016:千代田区 131041:新宿区 131121:世田谷区 131202:練馬区 132012:八王子市 131113:大田区
神奈川県 141003:横浜市 141046:横浜市中区<141003 141305:川崎市 141313:川崎市川崎区<141305 141500:相模原市 141526:相模原市中央区<141500 142051:藤沢市
新潟県 151009:新潟市 151033:新潟市中央区<151009 152021:長岡市 152226:上越市
富山県 162019:富山市 162027:高岡市 162116:射水市
石川県 172014:金沢市 172103:白山市 172031:小松市
福井県 182010:福井市 182109:坂井市 182095:越前市
山梨県 192015:甲府市 192104:甲斐市 192112:笛吹市
長野県 202011:長野市 202029:松本市 202037:上田市
岐阜県 212016:岐阜市 212024:大垣市 212130:各務原市
静岡県 221007:静岡市 221015:静岡市葵区<221007 221309:浜松市 221384:浜松市中央区<221309 222101:富士市
愛知県 231002:名古屋市 231061:名古屋市中区<231002 232114:豊田市 232025:岡崎市 232033:一宮市
三重県 242012:津市 242021:四日市市 242071:鈴鹿市
滋賀県 252018:大津市 252069:草津市 252034:長浜市
京都府 261009:京都市 261041:京都市中京区<261009 262048:宇治市 262064:亀岡市
大阪府 271004:大阪市 271276:大阪市北区<271004 271403:堺市 271411:堺市堺区<271403 272272:東大阪市 272035:豊中市
兵庫県 281000:神戸市 281107:神戸市中央区<281000 282014:姫路市 282049:西宮市 282022:尼崎市
奈良県 292010:奈良市 292052:橿原市 292095:生駒市
和歌山県 302015:和歌山市 302066:田辺市 302031:橋本市
鳥取県 312011:鳥取市 312029:米子市 312037:倉吉市
島根県 322016:松江市 322032:出雲市 322024:浜田市
岡山県 331007:岡山市 331015:岡山市北区<331007 332020:倉敷市 332038:津山市
広島県 341002:広島市 341011:広島市中区<341002 342076:福山市 342025:呉市
山口県 352039:山口市 352012:下関市 352021:宇部市
徳島県 362018:徳島市 362042:阿南市 362026:鳴門市
香川県 372013:高松市 372021:丸亀市 372030:坂出市
愛媛県 382019:松山市 382027:今治市 382051:新居浜市
高知県 392014:高知市 392049:南国市 392103:四万十市
福岡県 401307:福岡市 401331:福岡市中央区<401307 401005:北九州市 401064:北九州市小倉北区<401005 402036:久留米市
佐賀県 412015:佐賀市 412023:唐津市 412031:鳥栖市
長崎県 422011:長崎市 422029:佐世保市 422045:諫早市
熊本県 431001:熊本市 431010:熊本市中央区<431001 432024:八代市 432156:天草市
大分県 442011:大分市 442020:別府市 442038:中津市
宮崎県 452017:宮崎市 452025:都城市 452033:延岡市
鹿児島県 462012:鹿児島市 462187:霧島市 462039:鹿屋市
沖縄県 472018:那覇市 472115:沖縄市 472131:うるま市
`;

export interface Municipality {
  /** 6 digits with the check digit. */
  code: string;
  /** 都道府県名 (東京都, 大阪府, …). */
  prefecture: string;
  /** 市区町村名 as the list writes it; a 行政区 with its city (札幌市中央区). */
  name: string;
  /** For a 行政区: the code of its 指定都市. */
  city?: string;
}

export const MUNICIPALITIES: readonly Municipality[] = TABLE.trim()
  .split("\n")
  .flatMap((line) => {
    const [prefecture, ...entries] = line.split(" ");
    return entries.map((entry) => {
      const [code, rest] = entry.split(":") as [string, string];
      const [name, city] = rest.split("<") as [string, string | undefined];
      return { code, prefecture: prefecture!, name, ...(city ? { city } : {}) };
    });
  });

const BY_CODE = new Map(MUNICIPALITIES.map((m) => [m.code, m]));

export function municipalityByCode(code: string): Municipality | undefined {
  return BY_CODE.get(code);
}

/** The municipality whose 都道府県 and name an address starts with; the ward rather than its city. */
export function municipalityOfAddress(address: string): Municipality | undefined {
  const text = address.normalize("NFKC").replace(/\s/g, "");
  let best: Municipality | undefined;
  for (const m of MUNICIPALITIES) {
    if (text.startsWith(m.prefecture + m.name) && (!best || m.name.length > best.name.length)) best = m;
  }
  return best;
}

/** The municipality a facility of this 都道府県番号 names as its 市区町村 (a ward before its city). */
export function municipalityNamed(prefectureCode: number, name: string): Municipality | undefined {
  const text = name.normalize("NFKC").replace(/\s/g, "");
  const prefix = String(prefectureCode).padStart(2, "0");
  return MUNICIPALITIES.find((m) => m.code.startsWith(prefix) && m.name === text);
}

/**
 * The codes a declaration may name to cover a place with this code: the code itself and, for a
 * 行政区, its 指定都市 (a declaration for 札幌市 covers 札幌市中央区, not the reverse).
 */
export function codesCovering(code: string): string[] {
  const city = BY_CODE.get(code)?.city;
  return city ? [code, city] : [code];
}
