// What a user of a generated population relies on: the same seed gives the same rows, keys are
// well formed, households and histories hang together, and every validity outcome occurs.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { hasValidCheckDigit } from "../../src/domain/check-digit.ts";
import { addDays, addYears, ageOn, dayNumber } from "../../src/seed/calendar.ts";
import { INSURERS, insurerByNumber } from "../../src/seed/insurers.ts";
import { PREFECTURES } from "../../src/seed/places.ts";
import { DEFAULT_REFERENCE_DATE, HISTORY_YEARS, generatePopulation, populationBatches, type PopulationOptions } from "../../src/seed/population.ts";
import { COLUMNS, TABLE_ORDER, copyLine, emptyRowSet, type QualificationRow, type RowSet } from "../../src/seed/rows.ts";

const TODAY = DEFAULT_REFERENCE_DATE;
const KANA_NAME = /^[ァ-ヶー]+　[ァ-ヶー]+$/;
const EMPLOYEE_KINDS = new Set(["kyokai", "kumiai", "kyosai", "other"]);

function collect(options: PopulationOptions): RowSet {
  const all = emptyRowSet();
  for (const household of generatePopulation(options)) {
    for (const table of TABLE_ORDER) (all[table] as object[]).push(...household[table]);
  }
  return all;
}

/** A hash of each table's COPY text, over all batches. */
function digest(batches: Iterable<RowSet>): string {
  const hashes = TABLE_ORDER.map(() => createHash("sha256"));
  for (const rows of batches) TABLE_ORDER.forEach((table, i) => rows[table].forEach((row) => hashes[i]!.update(copyLine(table, row as never))));
  return hashes.map((h) => h.digest("hex")).join(" ");
}

/** The day a child stops being 未就学, derived independently: 1 April after legally turning 6. */
function schoolEntry(birthdate: string): string {
  const legallySix = addDays(addYears(birthdate, 6), -1);
  const year = Number(legallySix.slice(0, 4));
  return `${legallySix.slice(5) <= "03-31" ? year : year + 1}-04-01`;
}

describe("determinism", () => {
  test("the same seed gives byte-identical rows; another seed does not", () => {
    const a = digest(generatePopulation({ persons: 5000, seed: 7 }));
    assert.equal(digest(generatePopulation({ persons: 5000, seed: 7 })), a);
    assert.notEqual(digest(generatePopulation({ persons: 5000, seed: 8 })), a);
  });

  test("batching does not change the rows", () => {
    assert.equal(digest(populationBatches({ persons: 5000, seed: 7 }, 777)), digest(generatePopulation({ persons: 5000, seed: 7 })));
  });

  test("the reference date is a parameter, not the clock", () => {
    const rows = collect({ persons: 3000, seed: 7, referenceDate: "2030-01-01" });
    assert.notEqual(digest([rows]), digest(generatePopulation({ persons: 3000, seed: 7 })));
    for (const q of rows.qualifications) {
      // 医療扶助 (A1) has no card, so no card dates.
      assert.ok(q.qualification_date <= "2030-01-01" && (q.card_issuance_date ?? "") <= "2030-01-01", "q.qualification_date <= \"2030-01-01\" && q.card_issuance_date <= \"2030-01-01\"");
      assert.ok(q.disqualification_date === null || q.disqualification_date <= "2030-01-01", "q.disqualification_date === null || q.disqualification_date <= \"2030-01-01\"");
    }
    assert.ok(rows.persons.every((p) => p.birthdate <= "2030-01-01"), "rows.persons.every((p) => p.birthdate <= \"2030-01-01\")");
  });
});

describe("insurer catalogue", () => {
  test("every number has a valid 検証番号, is unique, and its 法別番号 fits its kind", () => {
    assert.equal(new Set(INSURERS.map((i) => i.number)).size, INSURERS.length);
    for (const i of INSURERS) {
      assert.ok(hasValidCheckDigit(i.number), i.number);
      assert.ok(i.prefecture >= 1 && i.prefecture <= 47, "i.prefecture >= 1 && i.prefecture <= 47");
      const prefix = i.number.slice(0, 2);
      if (i.kind === "kokuho") assert.equal(i.number.length, 6, i.name);
      else assert.equal(i.number.length, 8, i.name);
      if (i.kind === "kyokai") assert.equal(prefix, "01");
      if (i.kind === "kumiai") assert.equal(prefix, "06");
      if (i.kind === "kyosai") assert.ok(["31", "32", "33", "34"].includes(prefix), i.number);
      if (i.kind === "kouki") assert.equal(prefix, "39");
      // 都道府県番号 follows the 法別番号 (or leads, for 国保).
      assert.equal(Number(i.kind === "kokuho" ? i.number.slice(0, 2) : i.number.slice(2, 4)), i.prefecture, i.number);
    }
  });

  test("covers every kind of the schema's check, every prefecture, and 協会けんぽ東京 is 01130012", () => {
    assert.deepEqual(new Set(INSURERS.map((i) => i.kind)), new Set(["kyokai", "kumiai", "kyosai", "kokuho", "kouki", "other"]));
    assert.deepEqual(new Set(INSURERS.filter((i) => i.kind === "kyokai").map((i) => i.prefecture)).size, 47);
    assert.equal(insurerByNumber("01130012").name, "全国健康保険協会東京支部");
    assert.equal(PREFECTURES.length, 47);
  });
});

describe("a population of 40,000", () => {
  let rows: RowSet;
  const birth = new Map<number, string>();
  const byPerson = new Map<number, QualificationRow[]>();
  const byCard = new Map<string, QualificationRow[]>();

  before(() => {
    rows = collect({ persons: 40_000, seed: 1, firstPersonId: 101, firstQualificationId: 201 });
    for (const p of rows.persons) birth.set(p.person_id, p.birthdate);
    for (const q of rows.qualifications) {
      byPerson.set(q.person_id, [...(byPerson.get(q.person_id) ?? []), q]);
      const card = `${q.insurer_number}|${q.insured_card_symbol}|${q.insured_identification_number}`;
      byCard.set(card, [...(byCard.get(card) ?? []), q]);
    }
  });

  test("ids are consecutive from the first ids given, and every qualification has its person", () => {
    assert.equal(rows.persons.length, 40_000);
    rows.persons.forEach((p, i) => assert.equal(p.person_id, 101 + i));
    rows.qualifications.forEach((q, i) => assert.equal(q.qualification_id, 201 + i));
    for (const q of rows.qualifications) assert.ok(birth.has(q.person_id), "birth.has(q.person_id)");
    assert.equal(byPerson.size, 40_000, "every person holds at least one qualification");
  });

  test("every qualification names a catalogue insurer, card classification 01 (A1 for 医療扶助 under a 福祉事務所)", () => {
    for (const q of rows.qualifications) {
      assert.ok(hasValidCheckDigit(q.insurer_number), "hasValidCheckDigit(q.insurer_number)");
      insurerByNumber(q.insurer_number);
      assert.equal(q.insured_card_classification, q.insurer_number.length === 8 && q.insurer_number.startsWith("12") ? "A1" : "01", q.insurer_number);
    }
    const kinds = new Set(rows.qualifications.map((q) => insurerByNumber(q.insurer_number).kind));
    assert.deepEqual(kinds, new Set(["kyokai", "kumiai", "kyosai", "kokuho", "kouki", "other"]));
  });

  test("persons: names with full-width readings, 通称 for some, ages 0 to 100, postal codes", () => {
    const ages = new Set<number>();
    for (const p of rows.persons) {
      assert.match(p.name, /^\S+　\S+$/);
      assert.match(p.name_kana, KANA_NAME, p.name_kana);
      assert.equal(p.name_of_other === null, p.name_of_other_kana === null);
      if (p.name_of_other_kana !== null) assert.match(p.name_of_other_kana, KANA_NAME);
      assert.ok(p.sex === 1 || p.sex === 2, "p.sex === 1 || p.sex === 2");
      assert.match(p.post_number, /^[0-9]{3}-[0-9]{4}$/);
      const prefecture = PREFECTURES.find((pr) => p.address.startsWith(pr.name));
      assert.ok(prefecture, p.address);
      assert.ok(prefecture.cities.some((c) => p.address.startsWith(prefecture.name + c.name) && p.post_number.startsWith(c.postPrefix)), p.address);
      ages.add(ageOn(p.birthdate, TODAY));
    }
    assert.ok(rows.persons.some((p) => p.name_of_other !== null), "some persons have a 通称");
    assert.ok(Math.min(...ages) === 0 && Math.max(...ages) <= 100 && Math.max(...ages) >= 95, "Math.min(...ages) === 0 && Math.max(...ages) <= 100 && Math.max(...ages) >= 95");
    for (let decade = 0; decade < 100; decade += 10) assert.ok([...ages].some((a) => a >= decade && a < decade + 10), `someone in their ${decade}s`);
  });

  test("a household shares 記号・番号: one 本人 with 枝番 00, 家族 with other 枝番, the 本人's name as 被保険者氏名", () => {
    let families = 0;
    for (const [card, list] of byCard) {
      const kind = insurerByNumber(list[0]!.insurer_number).kind;
      if (kind === "kouki" || list[0]!.insured_card_classification === "A1") {
        assert.equal(new Set(list.map((q) => q.person_id)).size, 1, `後期高齢 and 医療扶助 numbers are personal: ${card}`);
        assert.ok(list.every((q) => q.insured_card_symbol === null && q.insured_branch_number === null && q.personal_family_classification === 1), "list.every((q) => q.insured_card_symbol === null && q.insured_branch_number === null && q.personal_family_c…");
        continue;
      }
      const holders = list.filter((q) => q.insured_branch_number === "00");
      // 国保 may have lost its 世帯主 to 後期高齢 before the kept history: the rest stay under
      // the 世帯主's name (擬制世帯主). 被用者保険 always shows its 本人.
      assert.ok(holders.length >= 1 || kind === "kokuho", card);
      for (const q of list) {
        assert.match(q.insured_branch_number!, /^[0-9]{2}$/);
        assert.equal(q.personal_family_classification, q.insured_branch_number === "00" ? 1 : 2, card);
        assert.equal(q.insured_name, list[0]!.insured_name, card);
      }
      if (EMPLOYEE_KINDS.has(kind)) {
        const names = new Set(holders.map((q) => rows.persons[q.person_id - 101]!.name));
        assert.deepEqual(names, new Set([list[0]!.insured_name]), `被保険者氏名 is the 本人's: ${card}`);
      }
      // Different persons have different 枝番, except for the deliberate 複数該当 (same birth date).
      const branchOwner = new Map<string, number>();
      for (const q of list) {
        const owner = branchOwner.get(q.insured_branch_number!);
        if (owner !== undefined && owner !== q.person_id) assert.equal(birth.get(owner), birth.get(q.person_id), `shared 枝番 in ${card}`);
        branchOwner.set(q.insured_branch_number!, q.person_id);
      }
      if (new Set(list.map((q) => q.person_id)).size >= 3) families++;
    }
    assert.ok(families > 100, `families of 3 or more: ${families}`);
  });

  test("a qualification lost with reason 03 is followed by another insurer's from that very day", () => {
    let jobChanges = 0;
    for (const q of rows.qualifications.filter((q) => q.reason_of_loss === "03")) {
      const next = byPerson.get(q.person_id)!.find((n) => n.qualification_date === q.disqualification_date);
      assert.ok(next, `successor of ${q.qualification_id}`);
      assert.notEqual(next.insurer_number, q.insurer_number);
      if (insurerByNumber(next.insurer_number).kind !== "kouki") jobChanges++;
    }
    assert.ok(jobChanges > 100, `job changes: ${jobChanges}`);
  });

  test("後期高齢 from exactly the 75th birthday; the earlier qualification is lost that day", () => {
    let turnovers = 0;
    for (const [personId, list] of byPerson) {
      const birthday75 = addYears(birth.get(personId)!, 75);
      for (const q of list) {
        const kind = insurerByNumber(q.insurer_number).kind;
        if (kind === "kouki") {
          assert.equal(q.qualification_date, birthday75 > "2008-04-01" ? birthday75 : "2008-04-01");
          assert.ok([10, 20, 30].includes(q.partial_contribution_ratio!), "[10, 20, 30].includes(q.partial_contribution_ratio!)");
        } else {
          assert.equal(q.partial_contribution_ratio, null, "負担割合 only for 後期高齢");
          if (birthday75 <= TODAY) assert.ok(q.disqualification_date !== null && q.disqualification_date <= birthday75, `${personId} is not insured past 75`);
          if (q.disqualification_date === birthday75 && q.reason_of_loss === "03") turnovers++;
        }
      }
      const lostOtherwise = list.some((q) => q.reason_of_loss === "02" || q.reason_of_loss === "99");
      if (birthday75 <= TODAY && !lostOtherwise) assert.ok(list.some((q) => insurerByNumber(q.insurer_number).kind === "kouki"), `${personId} is 75+`);
    }
    assert.ok(turnovers > 50, `turned 75 within the history: ${turnovers}`);
  });

  test("when a 本人 of 被用者保険 turns 75, the 家族 lose that day too", () => {
    let cases = 0;
    for (const list of byCard.values()) {
      const holder = list.find((q) => q.insured_branch_number === "00");
      if (!holder || !EMPLOYEE_KINDS.has(insurerByNumber(holder.insurer_number).kind)) continue;
      if (holder.disqualification_date !== addYears(birth.get(holder.person_id)!, 75)) continue;
      for (const q of list) assert.ok(q.disqualification_date !== null && q.disqualification_date <= holder.disqualification_date, "q.disqualification_date !== null && q.disqualification_date <= holder.disqualification_date");
      if (list.length > 1) cases++;
    }
    assert.ok(cases > 5, `families moved: ${cases}`);
  });

  test("deaths end the last qualification the day after; nothing is held after a loss without successor", () => {
    const deaths = rows.qualifications.filter((q) => q.reason_of_loss === "01");
    assert.ok(deaths.length > 20, "deaths.length > 20");
    for (const q of deaths) {
      assert.ok(q.disqualification_date! <= TODAY, "q.disqualification_date! <= TODAY");
      assert.ok(byPerson.get(q.person_id)!.every((o) => o.qualification_date < q.disqualification_date!), "no qualification after death");
    }
  });

  test("only history since OQS began is kept, and dates on a card are in order", () => {
    const historyStart = addYears(TODAY, -HISTORY_YEARS);
    for (const q of rows.qualifications) {
      if (q.disqualification_date !== null) assert.ok(q.disqualification_date > historyStart && q.disqualification_date > q.qualification_date, "q.disqualification_date > historyStart && q.disqualification_date > q.qualification_date");
      // 医療扶助 (A1) has no card; every other qualification has one.
      if (q.insured_card_classification === "A1") {
        assert.deepEqual([q.card_issuance_date, q.card_valid_date, q.card_expiration_date], [null, null, null], `${q.qualification_id}`);
        continue;
      }
      assert.ok(q.card_valid_date! >= q.qualification_date && q.card_issuance_date! <= TODAY, "q.card_valid_date >= q.qualification_date && q.card_issuance_date <= TODAY");
      if (q.card_expiration_date !== null) assert.ok(q.card_expiration_date >= q.card_valid_date!, `${q.qualification_id}`);
    }
  });

  test("未就学 is set exactly for children before the April after they turn 6", () => {
    let preschoolers = 0;
    for (const q of rows.qualifications) {
      const lastDay = q.disqualification_date === null ? TODAY : addDays(q.disqualification_date, -1);
      assert.equal(q.preschool, lastDay < schoolEntry(birth.get(q.person_id)!), `${q.person_id}`);
      if (q.preschool) preschoolers++;
    }
    assert.ok(preschoolers > 500, "preschoolers > 500");
  });

  test("certificates belong to qualifications held today and fit their holder's age", () => {
    const held = new Map(rows.qualifications.filter((q) => q.disqualification_date === null).map((q) => [q.qualification_id, q]));
    const span = (from: string, to: string) => dayNumber(to) - dayNumber(from);
    for (const e of rows.elderly_certificates) {
      const q = held.get(e.qualification_id)!;
      assert.ok(q && q.person_id === e.person_id, "q && q.person_id === e.person_id");
      assert.notEqual(insurerByNumber(q.insurer_number).kind, "kouki");
      const birthdate = birth.get(e.person_id)!;
      assert.ok(ageOn(birthdate, TODAY) >= 70 && ageOn(birthdate, TODAY) <= 74, "ageOn(birthdate, TODAY) >= 70 && ageOn(birthdate, TODAY) <= 74");
      assert.ok(e.valid_start <= e.valid_end && e.valid_end < addYears(birthdate, 75), "e.valid_start <= e.valid_end && e.valid_end < addYears(birthdate, 75)");
      assert.ok(e.contribution_ratio === 20 || e.contribution_ratio === 30, "e.contribution_ratio === 20 || e.contribution_ratio === 30");
    }
    for (const l of rows.limit_certificates) {
      const q = held.get(l.qualification_id)!;
      assert.ok(q && q.person_id === l.person_id, "q && q.person_id === l.person_id");
      assert.match(l.classification_flag, ageOn(birth.get(l.person_id)!, TODAY) < 70 ? /^A0[1-6]$/ : /^(B0[1-9]|B10)$/);
      assert.ok(["01", "02", "03"].includes(l.classification), "[\"01\", \"02\", \"03\"].includes(l.classification)");
      assert.ok(l.valid_start <= l.valid_end && span(l.valid_start, l.valid_end) < 366, "valid for at most a year");
    }
    for (const s of rows.specific_disease_certificates) {
      assert.ok(held.get(s.qualification_id)?.person_id === s.person_id, "held.get(s.qualification_id)?.person_id === s.person_id");
      assert.ok(["1", "2", "3"].includes(s.disease_category), "[\"1\", \"2\", \"3\"].includes(s.disease_category)");
      assert.ok(s.self_pay === 10000 || s.self_pay === 20000, "s.self_pay === 10000 || s.self_pay === 20000");
    }
    assert.ok(rows.elderly_certificates.length > 500 && rows.limit_certificates.length > 500 && rows.specific_disease_certificates.length > 20, "rows.elderly_certificates.length > 500 && rows.limit_certificates.length > 500 && rows.specific_disease_cer…");
    assert.ok(rows.limit_certificates.some((l) => l.valid_end < TODAY), "some expired 限度額 certificates are kept");
  });

  test("about 0.1 % of persons answer 複数該当: another person has the same key and birth date", () => {
    const persons = new Map<string, Set<number>>();
    for (const q of rows.qualifications.filter((q) => q.disqualification_date === null)) {
      const key = [q.insurer_number, q.insured_card_symbol, q.insured_identification_number, q.insured_branch_number, birth.get(q.person_id)].join("|");
      persons.set(key, (persons.get(key) ?? new Set()).add(q.person_id));
    }
    const shared = [...persons.values()].filter((s) => s.size > 1).reduce((n, s) => n + s.size, 0);
    const share = shared / rows.persons.length;
    assert.ok(share >= 0.0003 && share <= 0.004, `share ${share}`);
  });

  test("COPY lines have one field per column and escape text", () => {
    for (const table of TABLE_ORDER) {
      const row = rows[table][0]!;
      const line = copyLine(table, row as never);
      assert.ok(line.endsWith("\n"), "line.endsWith(\"\\n\")");
      assert.equal(line.slice(0, -1).split("\t").length, COLUMNS[table].length, table);
      assert.deepEqual(new Set(Object.keys(row)), new Set(COLUMNS[table]), table);
    }
    const person = { ...rows.persons[0]!, name: "a\tb\\c\nd", name_of_other: null };
    const fields = copyLine("persons", person).slice(0, -1).split("\t");
    assert.equal(fields[1], "a\\tb\\\\c\\nd");
    assert.equal(fields[3], "\\N");
  });
});
