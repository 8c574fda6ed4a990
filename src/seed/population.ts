// A deterministic synthetic population, generated household by household so that a million
// persons never sit in memory at once. Everything is drawn from one seeded Random in a fixed
// order: the same options give the same rows, byte for byte.
import { addDays, addYears, benefitYear, earlier, isPreschool, later } from "./calendar.ts";
import { addCertificates } from "./certificates.ts";
import { applyDeaths, householdStays, type CoverageContext, type Stay } from "./coverage.ts";
import { makeHousehold, type Member } from "./people.ts";
import { Random } from "./random.ts";
import { emptyRowSet, type QualificationRow, type RowSet } from "./rows.ts";
import { MEDICAL_ASSISTANCE_CARD_CLASSIFICATION } from "../domain/welfare.ts";
import { addSubsidyCertificates, type SubsidyContext } from "./subsidies.ts";

/** "Today" of a population unless told otherwise, so that a seed gives the same rows on any day. */
export const DEFAULT_REFERENCE_DATE = "2026-04-01";
/** OQS began in 2021: qualifications lost more than this many years before today are not kept. */
export const HISTORY_YEARS = 5;
/**
 * Generated 被保険者番号 are 8 digits from 10000000 up, so they never meet the demo's (shorter,
 * or starting with 9) as long as a database holds fewer than 80 million qualifications.
 */
export const FIRST_GENERATED_NUMBER = 10_000_000;

export interface PopulationOptions {
  persons: number;
  seed: number;
  /** "Today" for the population (YYYY-MM-DD): ages, histories and certificates are relative to it. */
  referenceDate?: string;
  firstPersonId?: number;
  firstQualificationId?: number;
  /**
   * Where the 被保険者番号 counter starts (added to FIRST_GENERATED_NUMBER). Each number carries at
   * least one qualification, so starting at the largest qualification id present keeps the numbers
   * of an appended population apart from earlier ones. Defaults to firstQualificationId - 1.
   */
  firstNumber?: number;
}

/** The population one household at a time. */
export function* generatePopulation(options: PopulationOptions): Generator<RowSet> {
  const g = new PopulationGenerator(options);
  while (g.personsMade < options.persons) {
    const rows = emptyRowSet();
    g.household(rows, options.persons - g.personsMade);
    yield rows;
  }
}

/** The population in batches of at least `batchPersons` persons (whole households). */
export function* populationBatches(options: PopulationOptions, batchPersons: number): Generator<RowSet> {
  const g = new PopulationGenerator(options);
  while (g.personsMade < options.persons) {
    const rows = emptyRowSet();
    while (rows.persons.length < batchPersons && g.personsMade < options.persons) g.household(rows, options.persons - g.personsMade);
    yield rows;
  }
}

class PopulationGenerator {
  personsMade = 0;
  private personId: number;
  private nextQualificationId: number;
  private nextNumber: number;
  private readonly ctx: CoverageContext;
  private readonly subsidies: SubsidyContext;

  constructor(options: PopulationOptions) {
    const today = options.referenceDate ?? DEFAULT_REFERENCE_DATE;
    this.ctx = { r: new Random(options.seed), today, historyStart: addYears(today, -HISTORY_YEARS) };
    // A stream of its own (see subsidies.ts).
    this.subsidies = { r: new Random((options.seed * 31 + 0x504d48) % Number.MAX_SAFE_INTEGER), today, updatedAt: `${today}T00:00:00+09:00` };
    this.personId = options.firstPersonId ?? 1;
    this.nextQualificationId = options.firstQualificationId ?? 1;
    this.nextNumber = FIRST_GENERATED_NUMBER + (options.firstNumber ?? this.nextQualificationId - 1);
  }

  nextPersonId(): number {
    return this.personId++;
  }

  /** One household of at most `room` persons, with its qualifications and certificates. */
  household(out: RowSet, room: number): void {
    const { r } = this.ctx;
    const household = makeHousehold(r, this.ctx.today, room, this);
    const stays = householdStays(this.ctx, household);
    applyDeaths(this.ctx, household, stays);
    const members = household.members;
    if (members.length < room && r.chance(0.0007)) this.duplicate(members, stays);
    for (const m of members) out.persons.push(m.person);
    this.personsMade += members.length;
    // Qualification ids run person by person, oldest qualification first.
    stays.sort((a, b) => a.member.person.person_id - b.member.person.person_id || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    for (const stay of stays) this.write(stay, out);
    // 受給者証 for the members insured today (a 受給者証 is used with the insurance).
    const insured = new Set(stays.filter((s) => s.until === null).map((s) => s.member));
    addSubsidyCertificates(this.subsidies, household, members.filter((m) => insured.has(m)), out.medical_subsidy_certificates);
  }

  /**
   * A data-entry duplicate: the same person registered twice (two person ids) under one key, as
   * happens when an insurer enters a 資格取得届 twice. Their key answers 複数該当.
   */
  private duplicate(members: Member[], stays: Stay[]): void {
    const current = stays.filter((s) => s.until === null && s.insurer.kind !== "kouki");
    if (current.length === 0) return;
    const original = this.ctx.r.pick(current);
    const copy: Member = { person: { ...original.member.person, person_id: this.nextPersonId() }, role: original.member.role };
    members.push(copy);
    stays.push({ ...original, member: copy });
  }

  private write(stay: Stay, out: RowSet): void {
    const { r, today } = this.ctx;
    const person = stay.member.person;
    const kind = stay.insurer.kind;
    stay.card.number ??= String(this.nextNumber++);
    const lastDay = stay.until === null ? today : earlier(addDays(stay.until, -1), today);
    // 医療扶助 has no card (its 医療券 are monthly) and no 高齢受給者証・限度額 certificates.
    const card = stay.medicalAssistance ? { issuance: null, valid: null, expiration: null } : cardDates(r, stay, lastDay, today);
    const ratio = kind === "kouki" ? lateElderlyRatio(r, lastDay) : null;
    const row: QualificationRow = {
      qualification_id: this.nextQualificationId++,
      person_id: person.person_id,
      insurer_number: stay.insurer.number,
      insured_card_classification: stay.medicalAssistance ? MEDICAL_ASSISTANCE_CARD_CLASSIFICATION : "01",
      insured_card_symbol: stay.card.symbol,
      insured_identification_number: stay.card.number,
      insured_branch_number: stay.branch,
      personal_family_classification: stay.family,
      insured_name: stay.holderName,
      qualification_date: stay.from,
      disqualification_date: stay.until,
      reason_of_loss: stay.reason,
      card_issuance_date: card.issuance,
      card_valid_date: card.valid,
      card_expiration_date: card.expiration,
      partial_contribution_ratio: ratio,
      preschool: isPreschool(person.birthdate, lastDay),
    };
    out.qualifications.push(row);
    if (stay.until === null && !stay.medicalAssistance) addCertificates(r, today, row, person.birthdate, kind === "kouki", out);
  }
}

/**
 * 被用者保険 cards are issued a few days after acquisition and do not expire. 国保 and 後期高齢
 * cards are renewed every 1 August and expire on 31 July (国保 at the latest the day before the
 * 75th birthday); the card shown is the one of the year of the qualification's last day.
 */
function cardDates(r: Random, stay: Stay, lastDay: string, today: string): { issuance: string; valid: string; expiration: string | null } {
  const kind = stay.insurer.kind;
  if (kind !== "kokuho" && kind !== "kouki") {
    return { issuance: earlier(addDays(stay.from, r.int(3, 14)), today), valid: stay.from, expiration: null };
  }
  const year = benefitYear(lastDay);
  const valid = later(stay.from, year.start);
  const issuance = valid === stay.from ? earlier(addDays(stay.from, r.int(0, 7)), today) : addDays(year.start, -r.int(7, 25));
  const beforeLateElderly = addDays(addYears(stay.member.person.birthdate, 75), -1);
  return { issuance, valid, expiration: kind === "kokuho" ? earlier(year.end, beforeLateElderly) : year.end };
}

const LATE_ELDERLY_RATIOS = [[10, 70], [20, 22], [30, 8]] as const;

/** 後期高齢 負担割合: 1割 for most, 3割 for 現役並み所得者, 2割 (from October 2022) for some. */
function lateElderlyRatio(r: Random, on: string): number {
  return on >= "2022-10-01" ? r.weighted(LATE_ELDERLY_RATIOS) : r.chance(0.92) ? 10 : 30;
}
