// The usage charts (src/services/usage-charts.ts): what each line holds, month by month, on both
// databases; what the SVG shows (every line named in Japanese in the legend, the known 加算
// thresholds as bands with their labels, no band for an unknown cell); the prefecture table's order.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Db } from "../../src/db/client.ts";
import { byRateDescending, facilityRateChart, lineLabel, nationalRateCharts, prefectureRates, rateChartSpec, rateChartSvg, type RateLine } from "../../src/services/usage-charts.ts";
import { thresholdSteps } from "../../src/subsidy/dx-threshold-bands.ts";
import type { Ratio } from "../../src/subsidy/usage-rate.ts";
import { testDatabases } from "../support/databases.ts";
import { CHART_FACILITIES, loadUsageChartFixture } from "../support/usage-chart-fixture.ts";

const r = (numerator: number, denominator: number): Ratio => ({ numerator, denominator });
/** A line's rates in month order, as [numerator, denominator] or null. */
const rates = (lines: RateLine[], owner: string, basis: "online" | "receipt") => {
  const line = lines.find((l) => l.owner === owner && l.basis === basis);
  assert.ok(line, `a line of ${owner} on ${basis}`);
  return line.points.map((p) => (p.rate ? [p.rate.numerator, p.rate.denominator] : null));
};
/** The text of every <text> element of an SVG. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe("the chart as drawn (no database)", () => {
  const months = ["2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08"];
  const line = (owner: string, basis: "online" | "receipt", values: (number | null)[]): RateLine => ({ owner, basis, points: months.map((month, i) => ({ month, rate: values[i] === null ? null : r(values[i]!, 100) })) });

  test("every line is named in Japanese in the legend, owner and basis; colour by owner, dash by basis", async () => {
    const lines = [line("当施設", "online", [30, 35, 40, 42, 50, 55]), line("当施設", "receipt", [20, null, 30, 33, 40, 41]), line("全国", "online", [25, 26, 27, 28, 29, 30])];
    const spec = rateChartSpec({ title: "テスト", months, lines });
    const scales = Object.fromEntries((spec.scales ?? []).map((s) => [s.name, s as { domain: string[]; range: unknown[] }]));
    assert.deepEqual(scales.colour!.domain, ["当施設・オンライン資格確認件数ベース", "当施設・レセプト件数ベース", "全国・オンライン資格確認件数ベース"]);
    assert.equal(scales.colour!.range[0], scales.colour!.range[1], "one owner, one colour");
    assert.notEqual(scales.colour!.range[0], scales.colour!.range[2], "another owner, another colour");
    assert.deepEqual(scales.dash!.range, [[], [6, 3], []], "solid for the count basis, dashed for the receipt basis");
    const svg = await rateChartSvg({ title: "テスト", months, lines });
    for (const l of lines) assert.ok(texts(svg).includes(lineLabel(l)), `the legend names ${lineLabel(l)}`);
    assert.ok(svg.startsWith("<svg"), "an SVG document");
  });

  test("bands: the known thresholds of the kind with their labels; 調剤's unknown cells are not drawn", async () => {
    const lines = [line("当施設", "online", [30, 35, 40, 42, 50, 55])];
    const hospital = texts(await rateChartSvg({ title: "病院", months, lines, thresholds: thresholdSteps("hospital", months[0]!, months.at(-1)!) }));
    // data 2025-03〜06 → 算定 2025-06〜09 (45/30/15); 2025-07〜 → 算定 2025-10〜 (60/40/25).
    for (const label of ["加算1・4 45%以上", "加算2・5 30%以上", "加算3・6 15%以上", "加算1・4 60%以上", "加算2・5 40%以上", "加算3・6 25%以上"]) assert.ok(hospital.includes(label), `病院: ${label}`);
    const pharmacy = texts(await rateChartSvg({ title: "薬局", months, lines, thresholds: thresholdSteps("pharmacy", months[0]!, months.at(-1)!) }));
    assert.deepEqual(pharmacy.filter((t) => t.startsWith("加算")), ["加算1 45%以上"], "調剤: only 加算1 45% (data 2025-01〜06) is published");
  });

  test("a month without a rate is a gap in the line, not 0 %", () => {
    const spec = rateChartSpec({ title: "テスト", months, lines: [line("当施設", "receipt", [20, null, 30, 33, 40, 41])] });
    const points = (spec.data![0] as { values: { month: string; percent: number | null }[] }).values;
    assert.deepEqual(points.map((p) => p.percent), [20, null, 30, 33, 40, 41]);
  });

  test("the exact order: highest rate first, unknown last", () => {
    const list = [null, r(1, 3), r(2, 6), r(1, 2), null, r(0, 5)];
    assert.deepEqual([...list].sort(byRateDescending), [r(1, 2), r(1, 3), r(2, 6), r(0, 5), null, null]);
  });
});

for (const database of testDatabases()) {
  describe(`the usage charts' data on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadUsageChartFixture(db);
    });
    after(() => db.close());

    test("a facility's chart: its own months, the nation's and its kind's, on both bases, gaps where unknown", async () => {
      const chart = await facilityRateChart(db, CHART_FACILITIES.sapporo.code, "2025-01", "2025-03");
      assert.ok(chart, "the facility is registered");
      assert.deepEqual(chart.months, ["2025-01", "2025-02", "2025-03"]);
      assert.deepEqual(chart.lines.map((l) => `${l.owner}/${l.basis}`), ["当施設/online", "当施設/receipt", "全国/online", "全国/receipt", "病院 (全国)/online", "病院 (全国)/receipt"]);
      assert.deepEqual(rates(chart.lines, "当施設", "online"), [[30, 100], [45, 100], null]);
      assert.deepEqual(rates(chart.lines, "当施設", "receipt"), [[25, 100], [40, 100], null]);
      // 2025-01 nation: (30 + 10 + 60) / 300; receipts only of those that uploaded them: (25 + 50) / 200.
      assert.deepEqual(rates(chart.lines, "全国", "online"), [[100, 300], [45, 100], null]);
      assert.deepEqual(rates(chart.lines, "全国", "receipt"), [[75, 200], [40, 100], null]);
      // Hospitals: 札幌 and 千代田 (no receipts).
      assert.deepEqual(rates(chart.lines, "病院 (全国)", "online"), [[40, 200], [45, 100], null]);
      assert.deepEqual(rates(chart.lines, "病院 (全国)", "receipt"), [[25, 100], [40, 100], null]);
      assert.deepEqual(chart.thresholds, thresholdSteps("hospital", "2025-01", "2025-03"));
      assert.ok(texts(chart.svg).includes("札幌テスト病院 マイナ保険証利用率の推移 (病院)"), "titled with the facility and its kind");
    });

    test("an unregistered facility has no chart; bad months are E8940, a reversed span E8941", async () => {
      assert.equal(await facilityRateChart(db, "0110113719", "2025-01", "2025-03"), undefined);
      await assert.rejects(facilityRateChart(db, CHART_FACILITIES.sapporo.code, "2025-13", "2025-03"), { code: "E8940" });
      await assert.rejects(facilityRateChart(db, CHART_FACILITIES.sapporo.code, "2025-03", "2025-01"), { code: "E8941" });
    });

    test("the national charts: the nation on both bases, each kind on both bases", async () => {
      const charts = await nationalRateCharts(db, "2025-01", "2025-02");
      assert.deepEqual(rates(charts.nation.lines, "全国", "online"), [[100, 300], [45, 100]]);
      assert.deepEqual(charts.kinds.lines.map((l) => `${l.owner}/${l.basis}`), ["病院/online", "病院/receipt", "医科診療所/online", "医科診療所/receipt", "歯科診療所/online", "歯科診療所/receipt", "薬局/online", "薬局/receipt"]);
      assert.deepEqual(rates(charts.kinds.lines, "薬局", "online"), [[60, 100], null]);
      assert.deepEqual(rates(charts.kinds.lines, "歯科診療所", "online"), [null, null], "a kind without records is unknown, not 0 %");
      assert.ok(texts(charts.kinds.svg).includes("薬局・レセプト件数ベース"), "the kinds' legend");
    });

    test("the prefecture table: highest count-basis rate first, each kind's rates beside", async () => {
      const rows = await prefectureRates(db, "2025-01");
      // 北海道 30 / 100 against 東京都 (10 + 60) / 200 = 35 %.
      assert.deepEqual(rows.map((row) => [row.name, row.facilities, row.rates.online]), [["東京都", 2, r(70, 200)], ["北海道", 1, r(30, 100)]]);
      assert.deepEqual(rows[0]!.kinds.pharmacy?.online, r(60, 100));
      assert.deepEqual(rows[0]!.kinds.hospital?.receipt, null, "the 東京都 hospital uploaded no receipts");
      assert.deepEqual(await prefectureRates(db, "2024-01"), [], "a month without records");
    });
  });
}
