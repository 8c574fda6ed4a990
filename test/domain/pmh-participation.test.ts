// The PMH participation registry (issue 14 item 1): the data's counts against the totals 厚生労働省's
// list of 2025-10 prints (each with its line), the 全国地方公共団体コード of every entity, the filters,
// and participationOn at each boundary of the facts and readings it stands on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { OqsError, type ErrorCode } from "../../src/errors/catalogue.ts";
import { municipalityCodeProblem } from "../../src/domain/municipality-code.ts";
import { MUNICIPALITIES } from "../../src/domain/municipalities.ts";
import {
  PMH_KNOWN_DATES,
  PMH_PARTICIPANTS,
  PMH_PROGRAMMES,
  PMH_REGISTRY,
  participationOn,
  pmhEntity,
  pmhParticipants,
  pmhPrefecture,
  pmhProgramme,
  type PmhAnswer,
  type PmhProgrammeKey,
} from "../../src/domain/pmh-participation.ts";

const prefectures = PMH_PARTICIPANTS.filter((e) => e.level === "prefecture");
const municipalities = PMH_PARTICIPANTS.filter((e) => e.level === "municipality");

test("the entities add up to the totals the list prints: 625 = 41 + 584, with 585 municipalities named", () => {
  const r7 = PMH_REGISTRY.cumulative.R7;
  assert.deepEqual([r7.entities, r7.prefectures, r7.municipalities], [625, 41, 584], "l.44-46, R7 column");
  assert.equal(r7.entities, r7.prefectures + r7.municipalities, "625 = 41 + 584");
  assert.equal(prefectures.length, r7.prefectures, "the 41 prefectures named on l.70");
  // The text names one municipality more than it counts; every name is a distinct real one, so all are kept.
  assert.equal(municipalities.length, 585, "municipalities named on l.105-123 and l.132-155");
  assert.deepEqual([PMH_REGISTRY.namedMunicipalities.named, PMH_REGISTRY.namedMunicipalities.printed], [municipalities.length, r7.municipalities]);
});

test("the yearly figures agree with one another as the list prints them", () => {
  const { cumulative: c, modifications: m, marks, operatingOctober2025: op } = PMH_REGISTRY;
  for (const fy of ["R5", "R6", "R7"] as const) {
    assert.equal(c[fy].entities, c[fy].prefectures + c[fy].municipalities, `cumulative ${fy}`);
    assert.equal(m[fy].entities, m[fy].prefectures + m[fy].municipalities, `modifications ${fy}`);
  }
  assert.deepEqual([c.R5.entities, c.R6.entities, c.R7.entities], [5, 183, 625], "l.44");
  assert.deepEqual([m.R5.entities, m.R6.entities, m.R7.entities], [5, 180, 481], "l.51");
  assert.equal(c.R6.prefectures + marks.prefectures.newInR7, c.R7.prefectures, "22 + 19 red = 41");
  assert.equal(c.R6.municipalities + marks.municipalities.newInR7, c.R7.municipalities, "161 + 423 red = 584");
  assert.equal(m.R7Split.newlyJoining, marks.prefectures.newInR7 + marks.municipalities.newInR7, "442 = 19 + 423 (l.55)");
  assert.equal(m.R7Split.continuingFromR6, marks.prefectures.continuingWithModification + marks.municipalities.continuingWithModification, "39 = 17 + 22");
  assert.equal(m.R7.entities, m.R7Split.newlyJoining + m.R7Split.continuingFromR6, "481 = 442 + 39");
  assert.equal(m.R7.prefectures, marks.prefectures.newInR7 + marks.prefectures.continuingWithModification, "36 = 19 + 17");
  assert.equal(m.R7.municipalities, marks.municipalities.newInR7 + marks.municipalities.continuingWithModification, "445 = 423 + 22");
  assert.deepEqual([op.entities, op.prefectures, op.municipalities], [c.R6.entities, c.R6.prefectures, c.R6.municipalities], "operating in 2025-10 = the R6 total (l.183)");
  assert.equal(PMH_REGISTRY.marks.perEntity, "unknown", "which entity bore which colour is not in the text");
});

/** The counts per programme type as the list prints them: prefectures l.62, municipalities l.83 and l.88. */
const PRINTED: Record<PmhProgrammeKey, [number | undefined, number | undefined]> = {
  mentalOutpatient: [40, 4],
  rehabilitation: [undefined, 277],
  childRehabilitation: [undefined, 266],
  longTermCare: [undefined, 108],
  intractableDisease: [31, 2],
  pediatricChronic: [31, 17],
  disabledChildOutpatient: [undefined, 90],
  disabledChildResidential: [9, 2],
  prematureInfant: [undefined, 25],
  tuberculosis: [5, 7],
  pandemicInfluenza: [1, 0],
  newInfectiousDisease: [1, 0],
  hepatitis: [13, undefined],
  liverCancer: [7, undefined],
  specifiedDisease: [5, undefined],
  children: [undefined, 523],
  disabilities: [undefined, 485],
  singleParent: [undefined, 506],
  otherLocal: [3, 149],
};

/** The types marked 【R7～】 (l.60-61, l.82, l.87). */
const FROM_R7 = ["longTermCare", "disabledChildOutpatient", "disabledChildResidential", "pandemicInfluenza", "newInfectiousDisease", "hepatitis", "liverCancer", "specifiedDisease"];

test("each programme type's counts and 【R7～】 marks are the printed ones, and no count exceeds the entities listed", () => {
  assert.deepEqual(PMH_PROGRAMMES.map((p) => p.key).sort(), Object.keys(PRINTED).sort());
  for (const p of PMH_PROGRAMMES) {
    assert.deepEqual([p.prefectures?.count, p.municipalities?.count], PRINTED[p.key], p.name);
    for (const c of [p.prefectures, p.municipalities]) if (c) assert.equal(c.fromR7, FROM_R7.includes(p.key), `${p.name} 【R7～】`);
    assert.ok((p.prefectures?.count ?? 0) <= prefectures.length, `${p.name}: at most the 41 prefectures`);
    assert.ok((p.municipalities?.count ?? 0) <= municipalities.length, `${p.name}: at most the municipalities named`);
    assert.match(`${p.implementersSource} ${p.prefectures?.source ?? ""} ${p.municipalities?.source ?? ""}`, /004_72f0a6c76ceebc81\.txt:\d+/, `${p.name} cites its line`);
  }
  assert.equal(pmhProgramme("こども").municipalities?.count, 523, "こども 523 (l.88)");
  assert.deepEqual(pmhProgramme("更生医療").implementers, ["市区町村"], "l.92");
  assert.deepEqual(pmhProgramme("小児慢性").implementers, ["都道府県", "指定都市", "中核市", "児相設置市"], "l.94");
  assert.equal(pmhProgramme("肝炎").implementers, null, "the list names no 実施主体 for the 予算事業");
});

test("every entity has a valid, unique 全国地方公共団体コード in its own prefecture, agreeing with the codes onshi already holds", () => {
  const codes = new Set<string>();
  const prefix = new Map(prefectures.map((p) => [p.name, p.code.slice(0, 2)]));
  for (const e of PMH_PARTICIPANTS) {
    assert.equal(municipalityCodeProblem(e.code), undefined, `${e.name} ${e.code}`);
    assert.ok(!codes.has(e.code), `${e.code} once`);
    codes.add(e.code);
    if (e.level === "prefecture") assert.match(e.code, /^\d{2}000\d$/, e.name);
    else if (prefix.has(e.prefecture)) assert.equal(e.code.slice(0, 2), prefix.get(e.prefecture), `${e.prefecture}${e.name}`);
  }
  const shared = MUNICIPALITIES.filter((m) => codes.has(m.code));
  assert.ok(shared.length >= 30, `the two tables share many codes (${shared.length})`);
  for (const m of shared) {
    const e = pmhEntity(m.code)!;
    assert.deepEqual([e.prefecture, e.name], [m.prefecture, m.name], m.code);
  }
  assert.equal(pmhEntity("010006")?.name, "北海道");
  assert.equal(pmhEntity("131016"), undefined, "千代田区 is not on the list");
});

test("names the text lost a glyph of are read as the real ones, and say what the text prints", () => {
  const reads = PMH_PARTICIPANTS.filter((e) => e.textReads !== undefined).map((e) => `${e.textReads}→${e.name}`);
  assert.deepEqual(reads, ["長瀬町→長瀞町", "鎌ヶ谷市→鎌ケ谷市", "荊田町→苅田町"]);
  for (const name of ["長瀞町", "鎌ケ谷市", "苅田町"]) assert.ok(name in PMH_REGISTRY.codes.readings, `the reading of ${name} is written down`);
});

test("the filters: by prefecture, level and programme type (the entities of a level that counts it)", () => {
  const tokyo = pmhParticipants({ prefecture: "東京都" });
  assert.equal(tokyo.length, 1 + 31, "東京都 and its 31 municipalities (l.117)");
  assert.deepEqual(tokyo.slice(0, 2).map((e) => e.name), ["東京都", "江東区"]);
  assert.equal(pmhParticipants({ prefecture: "新潟県" }).length, 2, "新潟県 itself is not listed, two of its municipalities are");
  assert.equal(pmhParticipants({ level: "prefecture" }).length, 41);
  assert.equal(pmhParticipants({ programme: "rehabilitation" }).length, 585, "更生医療: municipalities only");
  assert.equal(pmhParticipants({ programme: "hepatitis" }).length, 41, "肝炎: prefectures only");
  assert.equal(pmhParticipants({ programme: "pandemicInfluenza" }).length, 41, "新型インフル: no municipality counted (0)");
  assert.equal(pmhParticipants({ programme: "children", prefecture: "北海道" }).length, 66);
  assert.deepEqual(pmhParticipants({ programme: "otherLocal", level: "prefecture" }).length, 41);
});

/** [entity code, date, programme, expected answer, what it shows]. */
const CASES: [string, string, PmhProgrammeKey | undefined, PmhAnswer, string][] = [
  ["452025", "2024-03-22", undefined, "no", "都城市 the day before its pilot"],
  ["452025", "2024-03-23", undefined, "yes", "都城市 from its pilot"],
  ["132012", "2026-03-31", undefined, "no", "八王子市 starts 2026-04-01: the known date beats the end-of-R7 reading"],
  ["132012", "2026-04-01", undefined, "yes", "八王子市 from its start"],
  ["132012", "2026-04-01", "children", "yes", "八王子市 マル乳・マル子・マル青"],
  ["132012", "2026-04-01", "singleParent", "yes", "八王子市 マル親"],
  ["132012", "2026-04-01", "disabilities", "unknown", "八王子市, a type its source does not name"],
  ["132012", "2026-03-31", "disabilities", "no", "before 八王子市 starts at all"],
  ["230006", "2025-03-31", undefined, "unknown", "愛知県 before FY2025: other types unknown"],
  ["230006", "2025-04-01", undefined, "yes", "愛知県 from FY2025"],
  ["230006", "2025-03-31", "intractableDisease", "no", "愛知県 難病 before FY2025"],
  ["230006", "2025-04-01", "intractableDisease", "yes", "愛知県 難病 from FY2025"],
  ["230006", "2025-04-01", "pediatricChronic", "yes", "愛知県 小児慢性 from FY2025"],
  ["012076", "2023-03-31", undefined, "no", "帯広市 before PMH began (R5)"],
  ["012076", "2023-04-01", undefined, "unknown", "帯広市 in R5: its year was in the lost colours"],
  ["012076", "2026-03-30", undefined, "unknown", "帯広市 the day before the end of R7"],
  ["012076", "2026-03-31", undefined, "yes", "帯広市 by the end of R7 (the reading)"],
  ["012076", "2026-04-01", "children", "unknown", "which municipalities take こども is not in the text"],
  ["012076", "2026-03-31", "hepatitis", "no", "肝炎 is counted for prefectures only"],
  ["012076", "2026-04-01", "hepatitis", "unknown", "肝炎 in R8: its 実施主体 are not in the list, a municipality may join"],
  ["012076", "2026-03-31", "pandemicInfluenza", "no", "新型インフル: 0 municipalities"],
  ["012076", "2026-04-01", "pandemicInfluenza", "unknown", "新型インフル in R8: 保健所設置市 may join"],
  ["010006", "2030-01-01", "rehabilitation", "no", "更生医療 is the 市区町村's: never a prefecture's"],
  ["012076", "2026-04-01", "mentalOutpatient", "no", "精神通院 is run by 都道府県 and 指定都市: 帯広市 is none"],
  ["041009", "2026-04-01", "mentalOutpatient", "unknown", "仙台市 is a 指定都市: one of the 4?"],
  ["041009", "2026-04-01", "intractableDisease", "unknown", "難病 likewise (2 of the listed 指定都市)"],
  ["012076", "2026-04-01", "intractableDisease", "no", "難病 is not 帯広市's to run"],
  ["012076", "2026-04-01", "pediatricChronic", "unknown", "小児慢性 also has 中核市 and 児相設置市, which onshi has no list of"],
  ["010006", "2024-03-31", undefined, "no", "北海道 in R5: no prefecture took part in R5"],
  ["010006", "2024-04-01", undefined, "unknown", "北海道 in R6"],
  ["010006", "2026-03-31", undefined, "yes", "北海道 by the end of R7"],
  ["010006", "2025-03-31", "hepatitis", "no", "肝炎 is 【R7～】"],
  ["010006", "2025-04-01", "hepatitis", "unknown", "13 of 41 prefectures take 肝炎"],
  ["010006", "2026-04-01", "rehabilitation", "no", "更生医療 is counted for municipalities only"],
  ["151009", "2026-03-31", undefined, "no", "新潟市 is not on the list"],
  ["151009", "2026-04-01", undefined, "unknown", "R8 joins are not in the list"],
  ["151009", "2026-04-01", "children", "unknown", "not listed, after R7"],
];

test("participationOn answers yes / no / unknown at each boundary, with its reason and source", () => {
  for (const [code, date, programme, expected, what] of CASES) {
    const p = participationOn(code, date, programme);
    assert.equal(p.answer, expected, `${what}: ${p.reason}`);
    assert.ok(p.reason.length > 0 && p.source.length > 0, `${what} says why and where`);
  }
  assert.equal(participationOn("132012", "20260401").answer, "yes", "YYYYMMDD is accepted too");
  assert.equal(participationOn(pmhEntity("012076")!, "2026-03-31").yesFrom, "2026-03-31", "the latest date it takes part from");
  assert.equal(participationOn("452025", "2024-03-01").yesFrom, "2024-03-23");
});

test("the types only 指定都市 run among municipalities count no more than the 指定都市 listed", () => {
  const designated = municipalities.filter((e) => ["041009", "111007", "141003", "221309", "231002", "271004", "271403", "331007", "431001"].includes(e.code));
  assert.equal(designated.length, 9, "仙台・さいたま・横浜・浜松・名古屋・大阪・堺・岡山・熊本");
  for (const key of ["mentalOutpatient", "intractableDisease"] as const) {
    assert.ok(pmhProgramme(key).municipalities!.count <= designated.length, key);
    const open = municipalities.filter((e) => participationOn(e, "2026-04-01", key).answer !== "no");
    assert.deepEqual(open.map((e) => e.code).sort(), designated.map((e) => e.code).sort(), `${key}: only the listed 指定都市 remain possible`);
  }
});

test("the known dates name listed entities and programme types", () => {
  for (const k of PMH_KNOWN_DATES) {
    assert.ok(pmhEntity(k.code), `${k.code} is listed`);
    for (const p of k.programmes ?? []) assert.equal(pmhProgramme(p).key, p);
    assert.match(k.url, /^https:\/\//, k.what);
  }
});

function code(run: () => unknown): ErrorCode | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof OqsError) return error.code;
    throw error;
  }
  return undefined;
}

test("bad input is refused with its code: date, prefecture, programme type, entity code", () => {
  assert.equal(code(() => participationOn("012076", "2026-02-30")), "E8400", "no such day");
  assert.equal(code(() => participationOn("012076", "2026/04/01")), "E8400", "another format");
  assert.equal(code(() => participationOn("012076", "")), "E8400", "empty");
  assert.equal(code(() => pmhPrefecture("東京")), "E8401", "not a prefecture's full name");
  assert.equal(pmhPrefecture("東京都"), "東京都");
  assert.equal(pmhPrefecture("高知県"), "高知県", "a prefecture with nothing listed is still one");
  assert.deepEqual(pmhParticipants({ prefecture: pmhPrefecture("高知県") }), []);
  assert.equal(code(() => pmhParticipants({ programme: "foo" as PmhProgrammeKey })), "E8402", "no such type");
  assert.equal(code(() => participationOn("012076", "2026-04-01", "こどもx" as PmhProgrammeKey)), "E8402");
  assert.equal(pmhProgramme(" こども ").key, "children", "the Japanese name, spaces trimmed");
  assert.equal(code(() => participationOn("12345", "2026-04-01")), "E8403", "five digits");
  assert.equal(code(() => participationOn("132013", "2026-04-01")), "E8403", "a wrong check digit");
  assert.equal(code(() => pmhEntity("13201a")), "E8403", "not digits");
});
