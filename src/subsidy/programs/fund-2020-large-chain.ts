// fund-2020: is a pharmacy a 大型チェーン薬局? Seed 002 第4 (l.1191–1213): as at the end of February of
// 当年, add up over the group's 保険薬局 each one's prescriptions per month —
//   (1) designated since 前年2月末日 or earlier: receptions 前年3月1日〜当年2月末日 ÷ 12 (l.1205–1207);
//   (2) newly designated 前年3月1日〜当年1月末日: receptions from the month after the designation month
//       to 当年2月 ÷ that number of months (l.1209–1213);
//   (3) a re-licence with retroactive designation counts the record before it (l.1215–): the caller gives
//       the original designation date and record.
// Reading of the threshold: 第3の2 (l.1169) defines the term as 月4万回「以上」 but 第4 judges whether the
// sum「超える」4万回 (l.1193, l.1201). The two differ only at exactly 40,000, so that case answers null with
// both citations instead of picking one. Sums are kept exact (fractions over 27,720 = lcm(1..12)).
import { formatSource, type ResultBuilder, type Source } from "../engine.ts";
import type { FacilityProfile, GroupPharmacy } from "../profile.ts";

/** A month the rule needs and `prescriptions` lacks is unknown, never 0. */
export type { GroupPharmacy };

export interface PharmacyCount {
  name?: string;
  rule: "(1)" | "(2)" | null;
  months: number | null;
  receptions: number | null;
  /** Per-month value, rounded to 2 decimals for display; the decision uses the exact fraction. */
  perMonth: number | null;
  reason: string;
}

export interface LargeChainAnswer {
  year: number;
  largeChain: boolean | null;
  /** Sum of the known per-month values (display, 2 decimals). */
  knownPerMonth: number;
  pharmacies: PharmacyCount[];
  reasons: string[];
  sources: string[];
}

const THRESHOLD = 40_000;
const LCM = 27_720; // lcm(1..12): every per-month value is an integer multiple of 1/27720

const SRC = {
  definition: { document: "online-shikaku-2020", line: 1169, ref: "第3の2 大型チェーン薬局 (グループで処方箋の受付が月4万回以上)" },
  judge: { document: "online-shikaku-2020", line: 1199, ref: "第4 当年2月末日時点、グループ内の保険薬局ごとの1月当たり受付回数の合計が4万回を超えるか" },
  continuing: { document: "online-shikaku-2020", line: 1205, ref: "第4(1) 前年3月1日〜当年2月末日の受付回数 ÷ 12" },
  newly: { document: "online-shikaku-2020", line: 1209, ref: "第4(2) 指定月の翌月〜当年2月末日の受付回数 ÷ 月数" },
} satisfies Record<string, Source>;

const lastDayOfFebruary = (year: number) => `${year}-02-${new Date(Date.UTC(year, 2, 0)).getUTCDate()}`;
const monthKey = (year: number, month: number) => `${year}-${String(month).padStart(2, "0")}`;

/** Months from (year, month) to February of `endYear`, inclusive, as YYYY-MM keys. */
function monthsThroughFebruary(year: number, month: number, endYear: number): string[] {
  const keys: string[] = [];
  for (let y = year, m = month; y < endYear || (y === endYear && m <= 2); m === 12 ? ((m = 1), y++) : m++) keys.push(monthKey(y, m));
  return keys;
}

function countOne(p: GroupPharmacy, year: number): { count: PharmacyCount; scaled: bigint | null } {
  const base = { name: p.name };
  let rule: "(1)" | "(2)";
  let months: string[];
  if (p.designatedOn <= lastDayOfFebruary(year - 1)) {
    rule = "(1)";
    months = monthsThroughFebruary(year - 1, 3, year);
  } else if (p.designatedOn <= `${year}-01-31`) {
    rule = "(2)";
    const [y, m] = p.designatedOn.split("-").map(Number) as [number, number];
    months = m === 12 ? monthsThroughFebruary(y + 1, 1, year) : monthsThroughFebruary(y, m + 1, year);
  } else {
    const reason = `${p.designatedOn} の指定は第4(1)(2)のいずれにも当たらず、数え方は公表されていない`;
    return { count: { ...base, rule: null, months: null, receptions: null, perMonth: null, reason }, scaled: null };
  }
  const absent = months.filter((k) => p.prescriptions[k] === undefined);
  if (absent.length > 0) {
    const reason = `第4${rule} に必要な ${absent.join(", ")} の受付回数がありません`;
    return { count: { ...base, rule, months: months.length, receptions: null, perMonth: null, reason }, scaled: null };
  }
  const receptions = months.reduce((s, k) => s + p.prescriptions[k]!, 0);
  const divisor = rule === "(1)" ? 12 : months.length;
  const perMonth = Math.round((receptions / divisor) * 100) / 100;
  const reason = `第4${rule}: ${months[0]}〜${months[months.length - 1]} の ${receptions} 回 ÷ ${divisor} = ${perMonth} 回/月`;
  return {
    count: { ...base, rule, months: divisor, receptions, perMonth, reason },
    scaled: BigInt(receptions) * BigInt(LCM / divisor),
  };
}

/** The 第4 determination for the group as at the end of February of `year` (当年). */
export function largeChainByPrescriptions(year: number, pharmacies: readonly GroupPharmacy[]): LargeChainAnswer {
  const counts = pharmacies.map((p) => countOne(p, year));
  const known = counts.reduce((s, c) => s + (c.scaled ?? 0n), 0n);
  const unknown = counts.some((c) => c.scaled === null);
  const limit = BigInt(THRESHOLD) * BigInt(LCM);
  const knownPerMonth = Math.round((Number(known) / LCM) * 100) / 100;
  const reasons = counts.map((c) => `${c.count.name ?? "薬局"}: ${c.count.reason}`);
  let largeChain: boolean | null;
  if (known > limit) {
    largeChain = true; // unknown pharmacies can only add to the sum
    reasons.push(`合計 ${knownPerMonth} 回/月 (判明分) が4万回を超えるため大型チェーン薬局です`);
  } else if (unknown) {
    largeChain = null;
    reasons.push(`判明分の合計 ${knownPerMonth} 回/月; 受付回数の分からない薬局があるため判定できません`);
  } else if (known < limit) {
    largeChain = false;
    reasons.push(`合計 ${knownPerMonth} 回/月 が4万回未満のため大型チェーン薬局ではありません`);
  } else {
    largeChain = null;
    reasons.push("合計がちょうど4万回/月: 第3の2 は「以上」、第4 は「超える」で、どちらに当たるか公表されていない");
  }
  const sources = [SRC.definition, SRC.judge, ...(counts.some((c) => c.count.rule === "(1)") ? [SRC.continuing] : []), ...(counts.some((c) => c.count.rule === "(2)") ? [SRC.newly] : [])].map(formatSource);
  return { year, largeChain, knownPerMonth, pharmacies: counts.map((c) => c.count), reasons, sources };
}

/**
 * 当年 of 第4 for a date: 第4 follows 調剤基本料's 施設基準, whose determination as at the end of
 * February of a year holds from 1 April of that year to 31 March of the next — so a date in
 * January to March looks back to the previous year's determination (a reading: the 実施要領 does not
 * say which date of the subsidy the determination is for; the callers pass the reader or
 * application date).
 */
export function determinationYear(date: string): number {
  const [year, month] = date.split("-").map(Number) as [number, number];
  return month >= 4 ? year : year - 1;
}

/**
 * Is the profile's pharmacy a 大型チェーン薬局 on `date`? The stated `largeChainPharmacy` when given,
 * else 第4 over `pharmacyGroup`, else unknown (`missing` names the fields). Reasons and sources are
 * written into the builder; the answer is true / false / null.
 */
export function judgeLargeChain(profile: FacilityProfile, date: string, b: ResultBuilder): boolean | null {
  if (profile.largeChainPharmacy !== undefined) return profile.largeChainPharmacy;
  if (profile.pharmacyGroup === undefined) {
    b.cannotTell("薬局は大型チェーン薬局 (グループで処方箋の受付が月4万回以上) かどうかで補助額が変わります", SRC.definition, ["largeChainPharmacy", "pharmacyGroup"]);
    return null;
  }
  const answer = largeChainByPrescriptions(determinationYear(date), profile.pharmacyGroup);
  b.note(`大型チェーン薬局の判定 (第4、${answer.year}年2月末日時点、${date} に適用): ${answer.largeChain === null ? "判定できない" : answer.largeChain ? "該当" : "非該当"}`);
  for (const reason of answer.reasons) b.note(`  ${reason}`);
  for (const s of answer.sources) if (!b.sources.includes(s)) b.sources.push(s);
  if (answer.largeChain === null) b.cannotTell("大型チェーン薬局かどうか判定できないため、補助額が決まりません");
  return answer.largeChain;
}
