// The engine's shared pieces: yen arithmetic with its stated rounding, three-valued eligibility,
// sources, the run over programs, and a program data file that contradicts itself (E9105/E9106).
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyRate, calculate, formatSource, inWindow, ProgramDataError, ResultBuilder, truncateTo, type ProgramModule } from "../../src/subsidy/engine.ts";
import { documentName } from "../../src/subsidy/documents.ts";
import { readProgramFile, loadPrograms, PROGRAM_IDS } from "../../src/subsidy/program-data.ts";
import { fund2020Program } from "../../src/subsidy/programs/fund-2020.ts";
import { parseParameters } from "../../src/subsidy/parameters.ts";

test("applyRate floors to whole yen, exactly, even for large costs", () => {
  assert.equal(applyRate(429_000, [3, 4]), 321_750);
  assert.equal(applyRate(100_001, [3, 4]), 75_000);
  assert.equal(applyRate(9_007_199_254_740_991, [1, 1]), 9_007_199_254_740_991);
  assert.equal(applyRate(9_007_199_254_740_991, [1, 2]), 4_503_599_627_370_495);
});

test("truncateTo cuts below the unit (1,000円未満切り捨て, seed 002 l.1187)", () => {
  assert.equal(truncateTo(1_050_500, 1000), 1_050_000);
  assert.equal(truncateTo(999, 1000), 0);
  assert.equal(truncateTo(321_000, 1000), 321_000);
});

test("inWindow is inclusive at both ends; null is open-ended", () => {
  assert.equal(inWindow("2021-03-31", "2020-08-01", "2021-03-31"), true);
  assert.equal(inWindow("2021-04-01", "2020-08-01", "2021-03-31"), false);
  assert.equal(inWindow("2020-07-31", "2020-08-01", null), false);
  assert.equal(inWindow("2099-01-01", "2020-08-01", null), true);
});

test("ResultBuilder: a failure beats an unknown; unknown gives null; amount 0 when not eligible", () => {
  const ok = new ResultBuilder("p").note("ok", { ref: "r" });
  assert.deepEqual(ok.build(5), { program: "p", eligible: true, amount: 5, reasons: ["ok"], sources: ["r"] });
  const unknown = new ResultBuilder("p", 2).cannotTell("?", { document: "online-shikaku-2020", line: 1, ref: "x" }, "cost");
  assert.deepEqual(unknown.build(null), { program: "p", project: 2, eligible: null, amount: null, reasons: ["?"], sources: [`${documentName("online-shikaku-2020")} l.1 x`], missing: ["cost"] });
  const failed = new ResultBuilder("p").cannotTell("?").fail("no");
  assert.equal(failed.build(100).eligible, false);
  assert.equal(failed.build(100).amount, 0);
});

test("formatSource names the document by its public title, publisher and date with the line, or the address", () => {
  assert.equal(
    formatSource({ document: "online-shikaku-2020", line: 1461, lineTo: 1463, ref: "別表1-1" }),
    "「医療機関及び薬局における「オンライン資格確認」の開始について (導入の手引き、医療提供体制設備整備交付金実施要領を含む)」(厚生労働省, 2020年 (実施要領 2020-07-03 保連発0703第1号、2020-09-09 改正)) l.1461–1463 別表1-1",
  );
  assert.equal(formatSource({ url: "https://example.jp/", ref: "[V] 上限" }), "https://example.jp/ [V] 上限");
  assert.equal(formatSource({ ref: "[MISSING] 公表されていない" }), "[MISSING] 公表されていない");
});

test("calculate runs every program, or only the one asked for", () => {
  const fake = (id: string): ProgramModule => ({ id, name: id, evaluate: () => [new ResultBuilder(id).build(1)] });
  const out = calculate({ kind: "hospital" }, "2024-01-01", [fake("a"), fake("b")]);
  assert.deepEqual(out.results.map((r) => r.program), ["a", "b"]);
  assert.deepEqual(calculate({ kind: "hospital" }, "2024-01-01", [fake("a"), fake("b")], "b").results.map((r) => r.program), ["b"]);
});

test("every program id has a data file that loads", () => {
  assert.deepEqual(loadPrograms().map((p) => p.id), [...PROGRAM_IDS]);
});

const fresh = (): any => structuredClone(readProgramFile("fund-2020"));
const refused = (data: unknown, code: string, text: RegExp) =>
  assert.throws(() => fund2020Program(parseParameters(data, "fund-2020.json")), (e: unknown) => e instanceof ProgramDataError && e.code === code && text.test(e.message));

test("a data file without a source, with a float rate or a bad date is refused (E9105), naming the entry", () => {
  const noSource = fresh();
  delete noSource.parameters["rate.hospital-1"].values[0].source;
  refused(noSource, "E9105", /parameters\.rate\.hospital-1\.values\[0\]\.source/);
  const floatRate = fresh();
  floatRate.parameters["rate.clinic-or-pharmacy"].values[0].value = 0.75;
  refused(floatRate, "E9105", /rate/);
  const badDate = fresh();
  badDate.parameters.measure.values[1].to = "2021-02-30";
  refused(badDate, "E9105", /measure\.values\[1\]\.to/);
  const missingRow = fresh();
  missingRow.parameters["rate.large-chain-pharmacy"].values.splice(2, 1);
  refused(missingRow, "E9105", /large-chain-pharmacy/);
  const floatYen = fresh();
  floatYen.parameters["projectCost.hospital-1"].values[0].value = 2101000.5;
  refused(floatYen, "E9105", /projectCost/);
});

test("two measures of one priority whose windows meet: E9106 naming both (no silent pick)", () => {
  const data = fresh();
  data.parameters.measure.values[2].from = "2021-03-31"; // now meets the 10/10 window's last day
  refused(data, "E9106", /full-2020 と revision-2022/);
});
