// Prefectures in JIS X 0401 order (= 都道府県番号) with their population (10,000s, about 2020) and
// a few municipalities each with the first three digits of their 郵便番号, for addresses whose
// city, postal code and 国保/後期高齢 insurer agree.
export interface City {
  name: string;
  postPrefix: string;
  /** 保険者別番号 of the city's 国保 and 後期高齢 (3 digits, 101 upwards). */
  code: string;
}

export interface Prefecture {
  code: number;
  name: string;
  population: number;
  cities: readonly City[];
}

const TABLE = `
北海道 522 札幌市中央区:060 旭川市:070 函館市:040
青森県 124 青森市:030 弘前市:036 八戸市:031
岩手県 121 盛岡市:020 一関市:021 奥州市:023
宮城県 230 仙台市青葉区:980 石巻市:986 大崎市:989
秋田県 96 秋田市:010 横手市:013 大館市:017
山形県 107 山形市:990 鶴岡市:997 酒田市:998
福島県 183 福島市:960 郡山市:963 いわき市:970
茨城県 287 水戸市:310 つくば市:305 日立市:317
栃木県 193 宇都宮市:320 小山市:323 足利市:326
群馬県 194 前橋市:371 高崎市:370 太田市:373
埼玉県 734 さいたま市浦和区:330 川越市:350 所沢市:359 川口市:332
千葉県 628 千葉市中央区:260 船橋市:273 柏市:277 市川市:272
東京都 1405 千代田区:100 新宿区:160 世田谷区:154 練馬区:176 八王子市:192 大田区:144
神奈川県 924 横浜市中区:231 川崎市川崎区:210 相模原市中央区:252 藤沢市:251
新潟県 220 新潟市中央区:951 長岡市:940 上越市:943
富山県 103 富山市:930 高岡市:933 射水市:934
石川県 113 金沢市:920 白山市:924 小松市:923
福井県 77 福井市:910 坂井市:919 越前市:915
山梨県 81 甲府市:400 甲斐市:400 笛吹市:406
長野県 205 長野市:380 松本市:390 上田市:386
岐阜県 198 岐阜市:500 大垣市:503 各務原市:504
静岡県 363 静岡市葵区:420 浜松市中央区:430 富士市:416
愛知県 754 名古屋市中区:460 豊田市:471 岡崎市:444 一宮市:491
三重県 177 津市:514 四日市市:510 鈴鹿市:513
滋賀県 141 大津市:520 草津市:525 長浜市:526
京都府 258 京都市中京区:604 宇治市:611 亀岡市:621
大阪府 884 大阪市北区:530 堺市堺区:590 東大阪市:577 豊中市:560
兵庫県 547 神戸市中央区:650 姫路市:670 西宮市:662 尼崎市:660
奈良県 132 奈良市:630 橿原市:634 生駒市:630
和歌山県 92 和歌山市:640 田辺市:646 橋本市:648
鳥取県 55 鳥取市:680 米子市:683 倉吉市:682
島根県 67 松江市:690 出雲市:693 浜田市:697
岡山県 189 岡山市北区:700 倉敷市:710 津山市:708
広島県 280 広島市中区:730 福山市:720 呉市:737
山口県 134 山口市:753 下関市:750 宇部市:755
徳島県 72 徳島市:770 阿南市:774 鳴門市:772
香川県 95 高松市:760 丸亀市:763 坂出市:762
愛媛県 133 松山市:790 今治市:794 新居浜市:792
高知県 69 高知市:780 南国市:783 四万十市:787
福岡県 514 福岡市中央区:810 北九州市小倉北区:802 久留米市:830
佐賀県 81 佐賀市:840 唐津市:847 鳥栖市:841
長崎県 131 長崎市:850 佐世保市:857 諫早市:854
熊本県 174 熊本市中央区:860 八代市:866 天草市:863
大分県 112 大分市:870 別府市:874 中津市:871
宮崎県 107 宮崎市:880 都城市:885 延岡市:882
鹿児島県 159 鹿児島市:890 霧島市:899 鹿屋市:893
沖縄県 147 那覇市:900 沖縄市:904 うるま市:904
`;

export const PREFECTURES: readonly Prefecture[] = TABLE.trim()
  .split("\n")
  .map((line, i) => {
    const [name, population, ...cities] = line.split(" ");
    return {
      code: i + 1,
      name: name!,
      population: Number(population),
      cities: cities.map((entry, j) => {
        const [city, postPrefix] = entry.split(":");
        return { name: city!, postPrefix: postPrefix!, code: String(101 + j) };
      }),
    };
  });

/** The prefecture's name (東京都) of its 都道府県番号 1–47; the number itself for any other. */
export const prefectureName = (code: number): string => PREFECTURES[code - 1]?.name ?? String(code);

/** [prefecture, weight] pairs for Random.weighted: households are spread like the population. */
export const PREFECTURE_WEIGHTS = PREFECTURES.map((p) => [p, p.population] as const);

export const TOWNS = ["本町", "中央", "栄町", "緑町", "旭町", "幸町", "末広町", "若葉", "桜木町", "東町", "西町", "南町", "北町", "元町", "新町", "花園", "曙町", "昭和町", "大手町", "宮前"];
export const BUILDINGS = ["コーポ", "ハイツ", "メゾン", "レジデンス", "グランハイム", "パークハウス"];

/** The municipality's 国保 or 後期高齢 drops the ward: 札幌市中央区 → 札幌市. */
export function municipalityOf(city: City): string {
  return city.name.replace(/^(.+?市).+区$/, "$1");
}
