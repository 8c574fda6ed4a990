// 受給者証 of 医療費助成 for a synthetic household, from the entities that take part in PMH on the
// population's date only (the participation registry, src/domain/pmh-participation.ts): the
// municipality where the household lives (a 行政区's 指定都市) for こども, ひとり親 and 障害者, and
// its prefecture for 難病, 小児慢性 and 精神通院. 八王子市's published certificates (マル乳, マル子,
// マル青, マル親) are used as published; elsewhere the numbers are synthetic (docs/pmh.md): a
// municipality's 実施機関番号 is its 国保's 保険者別番号 and a prefecture's is 000 (the rule of
// 更生医療's numbering), and local programmes take 東京都's 法別番号 (88 こども, 81 ひとり親) or
// onshi's own (80 障害者). The draws come from a stream of their own, so the persons and
// qualifications of a seed are the same with or without them.
import { withCheckDigit } from "../domain/check-digit.ts";
import type { MaxCopayment } from "../domain/medical-subsidy.ts";
import { capOf, CERTIFICATE_RULES, KNOWN_CERTIFICATES, type CapKind, type KnownCertificate } from "../domain/medical-subsidy-rules.ts";
import { municipalityNamed } from "../domain/municipalities.ts";
import { municipalityCheckDigit } from "../domain/municipality-code.ts";
import { participationOn, pmhProgramme, type PmhProgrammeKey } from "../domain/pmh-participation.ts";
import { addDays, addYears, ageOn } from "./calendar.ts";
import type { Household, Member } from "./people.ts";
import type { City } from "./places.ts";
import type { Random } from "./random.ts";
import type { SubsidyRow } from "./rows.ts";

/** Synthetic 法別番号 of local programmes (set by each prefecture; 東京都's where known). */
const LOCAL_LAW_NUMBERS: Partial<Record<PmhProgrammeKey, string>> = { children: "88", singleParent: "81", disabilities: "80" };
const SYNTHETIC_LOCAL = Object.keys(LOCAL_LAW_NUMBERS) as PmhProgrammeKey[];
/** Names of the synthetic local certificates (the national ones take the programme's full name). */
const LOCAL_NAMES: Partial<Record<PmhProgrammeKey, string>> = {
  children: "子ども医療費受給者証",
  singleParent: "ひとり親家庭等医療費受給者証",
  disabilities: "心身障害者医療費受給者証",
};
/** Synthetic こども医療費助成 covers children to the 31 March after legally turning 15 (中学校卒業まで). */
const CHILDREN_TO = 15;

/** Shares of persons holding each prefecture programme (about the national numbers of recipients per person). */
const PREFECTURE_PROGRAMMES: readonly { programme: PmhProgrammeKey; chance: number; ages: [number, number] }[] = [
  { programme: "intractableDisease", chance: 0.008, ages: [18, 120] },
  { programme: "pediatricChronic", chance: 0.006, ages: [0, 17] },
  { programme: "mentalOutpatient", chance: 0.018, ages: [6, 120] },
];
const DISABILITIES_CHANCE = 0.01;
const SINGLE_PARENT_CHANCE = 0.7;
/** Income bands by their index in the cap table (生活保護 … 上位所得 / 一定所得以上), weighted. */
const BANDS = [[0, 3], [1, 8], [2, 14], [3, 35], [4, 28], [5, 12]] as const;
const CAP_KINDS: readonly (readonly [CapKind, number])[] = [["general", 80], ["severe", 19], ["ventilator", 1]];

export interface SubsidyContext {
  r: Random;
  today: string;
  updatedAt: string;
  /** What a city's households may hold, worked out once per city (the answers depend on `today` only). */
  places?: Map<City, Place>;
}

/** Takes part on the date (and, for a programme, is not known not to). */
function takesPart(code: string, date: string, programme?: PmhProgrammeKey): boolean {
  return participationOn(code, date).answer === "yes" && (programme === undefined || participationOn(code, date, programme).answer !== "no");
}

/** The 31 March after legally turning `age` (the day before the birthday). */
export function fiscalYearEndAfter(birthdate: string, age: number): string {
  const legal = addDays(addYears(birthdate, age), -1);
  const year = Number(legal.slice(0, 4)) + (legal.slice(5) <= "03-31" ? 0 : 1);
  return `${year}-03-31`;
}

/** A year's certificate applied for some day in the last year. */
function oneYear(r: Random, today: string): [string, string] {
  const from = r.day(addDays(addYears(today, -1), 1), today);
  return [from, addDays(addYears(from, 1), -1)];
}

interface Place {
  /** The municipality issuing its certificates (a 行政区's 指定都市), when it takes part. */
  municipal?: { code: string; known: readonly KnownCertificate[]; synthetic: ReadonlySet<PmhProgrammeKey> };
  prefecture: { code: string; programmes: readonly (typeof PREFECTURE_PROGRAMMES)[number][] };
  /** 都道府県番号, 2 digits. */
  pref2: string;
  /** The municipality's 実施機関番号: its 国保's 保険者別番号. */
  agency: string;
}

function placeOf(ctx: SubsidyContext, household: Household): Place {
  ctx.places ??= new Map();
  let place = ctx.places.get(household.city);
  if (place) return place;
  const { today } = ctx;
  const pref2 = String(household.prefecture.code).padStart(2, "0");
  const five = `${pref2}000`;
  const prefectureCode = five + municipalityCheckDigit(five);
  const found = municipalityNamed(household.prefecture.code, household.city.name);
  const code = found ? (found.city ?? found.code) : undefined;
  const known = KNOWN_CERTIFICATES.filter((c) => c.issuerCode === code && takesPart(c.issuerCode, today, c.programme));
  // A programme the municipality publishes its own certificates of is not made up.
  const synthetic = new Set(SYNTHETIC_LOCAL.filter((p) => code !== undefined && takesPart(code, today, p) && !KNOWN_CERTIFICATES.some((c) => c.issuerCode === code && c.programme === p)));
  place = {
    ...(code !== undefined && takesPart(code, today) ? { municipal: { code, known, synthetic } } : {}),
    prefecture: { code: prefectureCode, programmes: takesPart(prefectureCode, today) ? PREFECTURE_PROGRAMMES.filter((p) => takesPart(prefectureCode, today, p.programme)) : [] },
    pref2,
    agency: household.city.code,
  };
  ctx.places.set(household.city, place);
  return place;
}

type Fields = Omit<SubsidyRow, "history_key" | "person_id" | "updated_at" | "recipient_number">;

/** A row of the person's `n`th certificate. historyKey: the person's id and n, unique whatever populations a database holds. */
function certificate(ctx: SubsidyContext, personId: number, n: number, fields: Fields, national: boolean): SubsidyRow {
  const { r } = ctx;
  return {
    ...fields,
    history_key: `S${personId}-${n}`,
    person_id: personId,
    // 7 digits: a national number's last is its 検証番号.
    recipient_number: national ? withCheckDigit(String(r.int(0, 999_999)).padStart(6, "0")) : String(r.int(0, 9_999_999)).padStart(7, "0"),
    updated_at: ctx.updatedAt,
  };
}

/** A synthetic local certificate: its cap differs by municipality and was not looked up, so none is given. */
function localFields(place: Place, code: string, programme: PmhProgrammeKey, [validFrom, validTo]: [string, string]): Fields {
  return {
    issuer_code: code,
    programme,
    org_certificate_type_id: null,
    insurer_number: withCheckDigit(LOCAL_LAW_NUMBERS[programme]! + place.pref2 + place.agency),
    certification_name: LOCAL_NAMES[programme]!,
    income_segment: null,
    max_copayment_monthly: null,
    max_copayment_per_visit: null,
    valid_from: validFrom,
    valid_to: validTo,
  };
}

export function addSubsidyCertificates(ctx: SubsidyContext, household: Household, members: readonly Member[], out: SubsidyRow[]): void {
  const { r, today } = ctx;
  const place = placeOf(ctx, household);
  const municipal = place.municipal;
  if (!municipal && place.prefecture.programmes.length === 0) return;
  const singleParent = !household.members.some((m) => m.role === "spouse") && household.members.some((m) => m.role === "child" && ageOn(m.person.birthdate, today) < 18);
  for (const member of members) {
    const { person } = member;
    const age = ageOn(person.birthdate, today);
    let n = 0;
    if (municipal) {
      for (const c of municipal.known) {
        const period = knownPeriod(c, person.birthdate, today, r, member.role, singleParent);
        if (!period) continue;
        const fields: Fields = { issuer_code: municipal.code, programme: c.programme, org_certificate_type_id: c.orgCertificateTypeId, insurer_number: r.pick(c.insurerNumbers), certification_name: c.certificationName, income_segment: null, ...capColumns(c.maxCopayment ?? {}), valid_from: period[0], valid_to: period[1] };
        out.push(certificate(ctx, person.person_id, ++n, fields, false));
      }
      // From 16 the 31 March after legally turning 15 is past: only younger ones need the date.
      const childrenEnd = age <= CHILDREN_TO && municipal.synthetic.has("children") ? fiscalYearEndAfter(person.birthdate, CHILDREN_TO) : undefined;
      if (childrenEnd !== undefined && today <= childrenEnd) out.push(certificate(ctx, person.person_id, ++n, localFields(place, municipal.code, "children", [person.birthdate, childrenEnd]), false));
      if (municipal.synthetic.has("singleParent") && singleParent && member.role === "head" && r.chance(SINGLE_PARENT_CHANCE)) out.push(certificate(ctx, person.person_id, ++n, localFields(place, municipal.code, "singleParent", oneYear(r, today)), false));
      if (municipal.synthetic.has("disabilities") && age >= 18 && r.chance(DISABILITIES_CHANCE)) out.push(certificate(ctx, person.person_id, ++n, localFields(place, municipal.code, "disabilities", oneYear(r, today)), false));
    }

    for (const p of place.prefecture.programmes) {
      if (age < p.ages[0] || age > p.ages[1] || !r.chance(p.chance)) continue;
      const rule = CERTIFICATE_RULES[p.programme];
      const band = rule.caps!.bands[r.weighted(BANDS)]!;
      // A band outside the programme holds a certificate only as 重度かつ継続, and a kind the
      // table has no column for (精神通院's 人工呼吸器) falls back to it too.
      let cap = capOf(p.programme, band.incomeSegment, r.weighted(CAP_KINDS));
      if (typeof cap === "string") cap = capOf(p.programme, band.incomeSegment, "severe");
      if (typeof cap === "string") continue;
      const [from, to] = oneYear(r, today);
      const fields: Fields = {
        issuer_code: place.prefecture.code,
        programme: p.programme,
        org_certificate_type_id: null,
        insurer_number: withCheckDigit(rule.lawNumbers![0]! + place.pref2 + "000"),
        certification_name: `${pmhProgramme(p.programme).fullName}受給者証`,
        income_segment: band.incomeSegment,
        ...capColumns(cap),
        valid_from: from,
        valid_to: to,
      };
      out.push(certificate(ctx, person.person_id, ++n, fields, true));
    }
  }
}

function capColumns(cap: MaxCopayment): Pick<SubsidyRow, "max_copayment_monthly" | "max_copayment_per_visit"> {
  return { max_copayment_monthly: cap.monthly ?? null, max_copayment_per_visit: cap.perVisit ?? null };
}

/** The period of a published certificate for this member, or none: by age, or (ひとり親) the household's head. */
function knownPeriod(c: KnownCertificate, birthdate: string, today: string, r: Random, role: Member["role"], singleParent: boolean): [string, string] | undefined {
  if (c.ages) {
    const from = c.ages.fromFiscalYearAfter === undefined ? birthdate : addDays(fiscalYearEndAfter(birthdate, c.ages.fromFiscalYearAfter), 1);
    const to = fiscalYearEndAfter(birthdate, c.ages.toFiscalYearEndAfter);
    return from <= today && today <= to ? [from, to] : undefined;
  }
  return singleParent && role === "head" && r.chance(SINGLE_PARENT_CHANCE) ? oneYear(r, today) : undefined;
}
