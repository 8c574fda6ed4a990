// Qualification histories of a household. A worker (本人) and dependants (家族) share one 記号・番号
// with distinct 枝番 for each period of coverage; a period ends for everyone on a job change
// (the new one starts the same day, reason 03) or when the 本人 of 被用者保険 turns 75 (the others
// then join 国保 under the head as 擬制世帯主). Each person also loses their own qualification on
// their 75th birthday (reason 03, 後期高齢 from that day) or the day after death (reason 01).
// Only qualifications still held after `historyStart` are kept, as OQS holds no older history.
import { addDays, addYears, ageOn, earlier, later } from "./calendar.ts";
import { withCheckDigit } from "../domain/check-digit.ts";
import { employeeInsurer, kokuhoOf, koukiOf, welfareOfficeOf, type EmployeeKind, type Insurer } from "./insurers.ts";
import type { Household, Member } from "./people.ts";
import type { Random } from "./random.ts";

/** 後期高齢者医療 began on 2008-04-01: the then over-75s joined it that day. */
export const LATE_ELDERLY_START = "2008-04-01";

export interface CoverageContext {
  r: Random;
  today: string;
  historyStart: string;
}

/** One qualification to write: who, under which key, from when until when (exclusive). */
export interface Stay {
  member: Member;
  insurer: Insurer;
  /** Shared by the members of one period; the number itself is given out when rows are written. */
  card: Card;
  branch: string | null;
  family: 1 | 2;
  holderName: string;
  from: string;
  until: string | null;
  reason: string | null;
  /** 医療扶助 (生活保護): the city's 福祉事務所 in the insurer's place, the 受給者番号 as the number. */
  medicalAssistance?: true;
}

export interface Card {
  symbol: string | null;
  number?: string;
}

interface Period {
  insurer: Insurer;
  from: string;
  until: string | null;
  reason: string | null;
  members: Member[];
  holderName: string;
}

const birthday75 = (m: Member) => addYears(m.person.birthdate, 75);

type Kind = EmployeeKind | "kokuho";
// Who insures a household, by the holder's age (roughly the national shares: 協会けんぽ 32 %,
// 組合 22 %, 共済 7 %, 国保 21 %, 後期高齢 15 % of all insured).
const EMPLOYERS: readonly (readonly [Kind, number])[] = [["kyokai", 55], ["kumiai", 30], ["kyosai", 15]];
const KINDS_UNDER_60: readonly (readonly [Kind, number])[] = [["kyokai", 42], ["kumiai", 28], ["kyosai", 9], ["other", 1], ["kokuho", 20]];
const KINDS_60_64: readonly (readonly [Kind, number])[] = [["kyokai", 33], ["kumiai", 18], ["kyosai", 6], ["kokuho", 43]];
const KINDS_65_74: readonly (readonly [Kind, number])[] = [["kyokai", 18], ["kumiai", 8], ["kyosai", 3], ["kokuho", 71]];

function insurerOf(r: Random, household: Household, kind: Kind): Insurer {
  return kind === "kokuho" ? kokuhoOf(household.prefecture, household.city, r) : employeeInsurer(kind, household.prefecture, r);
}

/** The stays of every member of the household that OQS would still hold. */
export function householdStays(ctx: CoverageContext, household: Household): Stay[] {
  const { r, today } = ctx;
  const [head, ...others] = household.members;
  const spouse = others.find((m) => m.role === "spouse");
  // A working spouse under 65 has their own 被用者保険 instead of being the head's 家族.
  const spouseWorks = spouse !== undefined && ageOn(spouse.person.birthdate, today) < 65 && r.chance(0.3);
  const units = spouseWorks ? [[head!, ...others.filter((m) => m !== spouse)], [spouse!]] : [[head!, ...others]];
  const stays: Stay[] = [];
  const outOfInsurance = new Set<Member>();
  units.forEach((unit, i) => {
    for (const period of unitPeriods(ctx, household, unit, i > 0, outOfInsurance)) stays.push(...periodStays(ctx, period));
  });
  for (const m of household.members) {
    if (!outOfInsurance.has(m) && birthday75(m) <= today) stays.push(lateElderlyStay(ctx, household, m));
  }
  stays.push(...assistedStays(household, stays));
  return stays.filter((s) => s.until === null || s.until > ctx.historyStart);
}

/** The periods of coverage of a 本人 and their dependants. */
function unitPeriods(ctx: CoverageContext, household: Household, unit: Member[], mustWork: boolean, out: Set<Member>): Period[] {
  const { r, today, historyStart } = ctx;
  const holder = unit[0]!;
  const holderName = holder.person.name;
  const ageForKind = Math.min(74, ageOn(holder.person.birthdate, today));
  const kind = r.weighted(mustWork ? EMPLOYERS : ageForKind < 60 ? KINDS_UNDER_60 : ageForKind < 65 ? KINDS_60_64 : KINDS_65_74);

  // The holder leaves this coverage on their 75th birthday, if it has come.
  const turns75 = birthday75(holder) <= today ? birthday75(holder) : null;
  const lastDay = turns75 ? addDays(turns75, -1) : today;
  const start = r.day(earlier(later(addYears(holder.person.birthdate, 18), addYears(today, -35)), lastDay), lastDay);
  const periods: Period[] = [];
  let current: Omit<Period, "until" | "reason"> = { insurer: insurerOf(r, household, kind), from: start, members: unit, holderName };

  const eventFrom = later(historyStart, addDays(start, 30));
  if (eventFrom <= lastDay) {
    const changeChance = kind === "kokuho" ? 0 : ageForKind < 60 ? 0.08 : 0.15;
    if (r.chance(changeChance)) {
      // 転職 (or, from 60, retirement into 国保): lost on the day the next one starts.
      const day = r.day(eventFrom, lastDay);
      const retires = ageOn(holder.person.birthdate, day) >= 60 && r.chance(0.6);
      let next = insurerOf(r, household, retires ? "kokuho" : r.weighted(EMPLOYERS));
      if (next.number === current.insurer.number) next = insurerOf(r, household, "kokuho");
      periods.push({ ...current, until: day, reason: "03" });
      current = { insurer: next, from: day, members: unit, holderName };
    } else if (unit.length === 1 && !turns75 && r.chance(0.01)) {
      // 生活保護受給開始 (02) or moving abroad (99): lost with no newer insurance; 生活保護 brings
      // 医療扶助 from the same day (assistedStays).
      const day = r.day(eventFrom, lastDay);
      periods.push({ ...current, until: day, reason: r.chance(0.4) ? "02" : "99" });
      out.add(holder);
      return periods;
    }
  }
  if (current.insurer.kind === "kokuho" || !turns75) {
    // 国保 goes on for the others after the head's 75th birthday (each leaves at their own).
    periods.push({ ...current, until: null, reason: null });
  } else {
    // 被用者保険 ends for the whole family when the 本人 turns 75: the dependants join 国保.
    periods.push({ ...current, until: turns75, reason: "03" });
    const dependants = unit.slice(1).filter((m) => birthday75(m) > turns75);
    if (dependants.length > 0) {
      periods.push({ insurer: insurerOf(r, household, "kokuho"), from: turns75, until: null, reason: null, members: dependants, holderName });
    }
  }
  return periods;
}

/** Each member's part of a period, from their birth and until their 75th birthday (deaths come later). */
function periodStays(ctx: CoverageContext, period: Period): Stay[] {
  const { r, today } = ctx;
  const card: Card = { symbol: symbolFor(r, period.insurer) };
  const branches = new Map<Member, string>();
  const stays: Stay[] = [];
  period.members.forEach((m, i) => {
    const twin = m.sharesBranchWith && branches.get(m.sharesBranchWith);
    const branch = twin ?? String(i).padStart(2, "0");
    branches.set(m, branch);
    const from = later(period.from, m.person.birthdate);
    let until = period.until;
    let reason = period.reason;
    const b75 = birthday75(m);
    if (b75 <= today && (until === null || b75 < until)) {
      until = b75;
      reason = "03";
    }
    if (until !== null && from >= until) return;
    stays.push({ member: m, insurer: period.insurer, card, branch, family: i === 0 ? 1 : 2, holderName: period.holderName, from, until, reason });
  });
  return stays;
}

/**
 * 医療扶助 for each member whose insurance ended with 生活保護受給開始 (02), from that day. Drawn
 * from nothing random, so the rest of the population is the same with or without it; the
 * 受給者番号 is the person id's last 6 digits with its 検証番号 (unique within an office while a
 * population holds fewer than a million persons).
 */
function assistedStays(household: Household, stays: readonly Stay[]): Stay[] {
  return stays
    .filter((s) => s.reason === "02")
    .map((s) => ({
      member: s.member,
      insurer: welfareOfficeOf(household.city),
      card: { symbol: null, number: withCheckDigit(String(s.member.person.person_id % 1_000_000).padStart(6, "0")) },
      branch: null,
      family: 1,
      holderName: s.member.person.name,
      from: s.until!,
      until: null,
      reason: null,
      medicalAssistance: true,
    }));
}

function lateElderlyStay(ctx: CoverageContext, household: Household, m: Member): Stay {
  const from = later(birthday75(m), LATE_ELDERLY_START);
  return {
    member: m,
    insurer: koukiOf(household.city),
    // 後期高齢 numbers are personal: no 記号, no 枝番.
    card: { symbol: null },
    branch: null,
    family: 1,
    holderName: m.person.name,
    from,
    until: null,
    reason: null,
  };
}

const KOKUHO_SYMBOLS = ["01", "02", "03", "11", "12", "21", "22", "31", "41", "51"];

function symbolFor(r: Random, insurer: Insurer): string | null {
  switch (insurer.kind) {
    case "kokuho":
      return r.pick(KOKUHO_SYMBOLS);
    case "kyokai":
      return String(r.int(1_000_000, 99_999_999));
    case "kumiai":
      return String(r.int(1, 9999));
    default:
      return String(r.int(10, 999));
  }
}

/** Deaths: a person's last qualification ends the day after death (reason 01). */
export function applyDeaths(ctx: CoverageContext, household: Household, stays: Stay[]): void {
  const { r, today, historyStart } = ctx;
  const multi = household.members.length > 1;
  for (const m of household.members) {
    const age = ageOn(m.person.birthdate, today);
    const p = age < 40 ? 0.0005 : age < 65 ? 0.003 : age < 75 ? 0.01 : age < 85 ? 0.03 : 0.08;
    if (!r.chance(p)) continue;
    const own = stays.filter((s) => s.member === m);
    const last = own[own.length - 1];
    if (!last || last.until !== null) continue;
    // The head of a family on 被用者保険 or 国保 stays alive here: their death would end the others' cover too.
    if (m.role === "head" && multi && last.insurer.kind !== "kouki") continue;
    const from = later(later(last.from, historyStart), addYears(today, -2));
    if (from >= today) continue;
    const death = r.day(from, addDays(today, -1));
    last.until = addDays(death, 1);
    last.reason = "01";
  }
}
