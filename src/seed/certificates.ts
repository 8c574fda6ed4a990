// Certificates attached to a qualification held today: 高齢受給者証 (ages 70–74, not 後期高齢),
// 限度額適用認定 (適用区分 A01–A06 under 70, B01–B10 from 70) and 特定疾病療養受療証. 高齢受給者
// and 限度額 run in 1 August–31 July years; last year's is kept for some, so that an expired
// certificate can be seen next to the current one.
import { addDays, addYears, ageOn, benefitYear, elderlyStart, earlier, firstOfNextMonth, later } from "./calendar.ts";
import type { Random } from "./random.ts";
import type { DiseaseRow, ElderlyRow, LimitRow, QualificationRow, RowSet } from "./rows.ts";

type Flags = readonly (readonly [string, number])[];
const UNDER_70: Flags = [["A01", 4], ["A02", 9], ["A03", 52], ["A04", 22], ["A05", 11], ["A06", 2]];
/** From 70 the flag agrees with the 負担割合: 3割 is 現役並み; 2割 is 一般 (一般Ⅱ for 後期高齢). */
const ACTIVE_INCOME: Flags = [["B01", 1], ["B02", 1], ["B03", 2]];
const FROM_70_GENERAL: Flags = [["B04", 40], ["B05", 28], ["B06", 16], ["B07", 2], ["B08", 2]];
const LATE_ELDERLY_20: Flags = [["B09", 1]];
const LATE_ELDERLY_10: Flags = [["B10", 35], ["B05", 20], ["B06", 12], ["B07", 1], ["B08", 1]];
/** 低所得 / 住民税非課税 flags come with 標準負担額減額 (classification 02, a few 03). */
const CATEGORIES = [["1", 92], ["2", 7], ["3", 1]] as const;
const REDUCED = new Set(["A05", "A06", "B05", "B06", "B07", "B08"]);

export function addCertificates(r: Random, today: string, q: QualificationRow, birthdate: string, lateElderly: boolean, out: RowSet): void {
  const age = ageOn(birthdate, today);
  const year = benefitYear(today);
  const previous = benefitYear(addDays(year.start, -1));
  const ids = { person_id: q.person_id, qualification_id: q.qualification_id };

  // 負担割合 from 70: on the 後期高齢 card itself, otherwise on the 高齢受給者証.
  let ratio = q.partial_contribution_ratio ?? 0;
  if (!lateElderly && age >= 70) {
    // Valid from the month after the 70th birthday until the day before the 75th.
    const lastDay = addDays(addYears(birthdate, 75), -1);
    ratio = r.chance(0.1) ? 30 : 20;
    const years = r.chance(0.5) ? [previous, year] : [year];
    for (const y of years) {
      const start = later(later(elderlyStart(birthdate), y.start), q.qualification_date);
      const end = earlier(y.end, lastDay);
      if (start <= end) out.elderly_certificates.push({ ...ids, certificate_date: start, valid_start: start, valid_end: end, contribution_ratio: ratio as 20 | 30 } satisfies ElderlyRow);
    }
  }

  if (r.chance(age < 18 ? 0.01 : age < 40 ? 0.015 : age < 70 ? 0.04 : 0.06)) {
    const flag = r.weighted(age < 70 ? UNDER_70 : ratio === 30 ? ACTIVE_INCOME : !lateElderly ? FROM_70_GENERAL : ratio === 20 ? LATE_ELDERLY_20 : LATE_ELDERLY_10);
    const reduced = REDUCED.has(flag);
    const classification = reduced ? (r.chance(0.1) ? "03" : "02") : "01";
    const years = r.chance(0.15) ? [previous, year] : [year];
    for (const y of years) {
      // Applied for some time in the year (never before the qualification); valid to 31 July.
      const from = later(y.start, q.qualification_date);
      const to = earlier(y.end, today);
      if (from > to) continue;
      const start = r.day(from, to);
      // 長期入院該当: more than 90 inpatient days in 12 months at 区分Ⅱ/オ.
      const longTerm = (flag === "A05" || flag === "B05") && r.chance(0.1) ? firstOfNextMonth(r.day(start, to)) : null;
      out.limit_certificates.push({
        ...ids,
        classification,
        classification_flag: flag,
        certificate_date: start,
        valid_start: start,
        valid_end: y.end,
        long_term_date: longTerm !== null && longTerm <= y.end ? longTerm : null,
      } satisfies LimitRow);
    }
  }

  if (r.chance(age < 20 ? 0.0005 : 0.003)) {
    const category = r.weighted(CATEGORIES);
    const start = r.day(later(q.qualification_date, addYears(today, -4)), today);
    out.specific_disease_certificates.push({
      ...ids,
      disease_category: category,
      certificate_date: start,
      valid_start: start,
      valid_end: addDays(addYears(start, 5), -1),
      // 人工透析 of an under-70 上位所得者 costs 20,000 yen a month; everything else 10,000.
      self_pay: category === "1" && age < 70 && r.chance(0.15) ? 20000 : 10000,
    } satisfies DiseaseRow);
  }
}
