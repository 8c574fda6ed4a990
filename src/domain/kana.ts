// NameKana is 半角カナ on the wire (spec §1.2); we store 全角 and convert at the edge.
const HALF: Record<string, string> = {};
const plain = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォャュョッー・「」、。";
const halfPlain = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｬｭｮｯｰ･｢｣､｡";
for (let i = 0; i < plain.length; i++) HALF[plain[i]!] = halfPlain[i]!;
for (const [voiced, base] of [..."ガギグゲゴザジズゼゾダヂヅデドバビブベボ"].map((c, i) => [c, "カキクケコサシスセソタチツテトハヒフヘホ"[i]!])) {
  HALF[voiced!] = HALF[base!] + "ﾞ";
}
for (const [semi, base] of [..."パピプペポ"].map((c, i) => [c, "ハヒフヘホ"[i]!])) HALF[semi!] = HALF[base!] + "ﾟ";
HALF["ヴ"] = "ｳﾞ";
HALF["ヮ"] = "ﾜ";
HALF["ヰ"] = "ｲ";
HALF["ヱ"] = "ｴ";
HALF["　"] = " ";

/** Full-width katakana (and full-width spaces) to half-width; other characters unchanged. */
export function toHalfWidthKana(text: string): string {
  let out = "";
  for (const ch of text) out += HALF[ch] ?? ch;
  return out;
}

/**
 * A カナ name as a person types it, in the stored form: 全角カタカナ (半角カナ and ひらがな converted,
 * dakuten joined), words separated by one 全角 space. Undefined when anything else remains.
 */
export function storedKana(typed: string): string | undefined {
  const words = typed
    .normalize("NFKC")
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))
    .split(/\s+/)
    .filter((w) => w !== "");
  const kana = words.join("　");
  return /^[\u30A1-\u30FC]+(　[\u30A1-\u30FC]+)*$/.test(kana) ? kana : undefined;
}
