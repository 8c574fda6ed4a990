// 全国地方公共団体コード: the check digit rule on codes of the 総務省 list (both ends of the
// remainder table among them), and a table that places every address onshi's data writes.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MUNICIPALITIES, MUNICIPALITY_SOURCE, codesCovering, municipalityByCode, municipalityNamed, municipalityOfAddress } from "../../src/domain/municipalities.ts";
import { municipalityCheckDigit, municipalityCodeProblem } from "../../src/domain/municipality-code.ts";
import { DEMO_ADDRESS } from "../../src/seed/demo.ts";
import { PREFECTURES } from "../../src/seed/places.ts";

describe("全国地方公共団体コード", () => {
  test("the check digit: weights 6 5 4 3 2, 11 minus the remainder mod 11, its last digit", () => {
    // [5-digit code, remainder, check digit]: codes of the published list.
    const table: [string, number, number][] = [
      ["13101", 5, 6], // 千代田区 131016
      ["01100", 9, 2], // 札幌市 011002
      ["01213", 0, 1], // 苫小牧市 012131: remainder 0 → 11 → 1
      ["01205", 1, 0], // 室蘭市 012050: remainder 1 → 10 → 0
      ["27127", 5, 6], // 大阪市北区 271276
      ["06201", 7, 4], // 山形市 062014
    ];
    for (const [five, remainder, digit] of table) {
      const sum = [...five].reduce((s, d, i) => s + Number(d) * (6 - i), 0);
      assert.equal(sum % 11, remainder, `${five}: remainder`);
      assert.equal(municipalityCheckDigit(five), digit, `${five}: check digit`);
      assert.equal(municipalityCodeProblem(five + digit), undefined, `${five}${digit} is a code`);
      assert.equal(municipalityCodeProblem(five + ((digit + 1) % 10)), "checkDigit", `${five}: another last digit is not`);
    }
  });

  test("a code is 6 ASCII digits", () => {
    assert.equal(municipalityCodeProblem("13101"), "length", "5 digits");
    assert.equal(municipalityCodeProblem("1310166"), "length", "7 digits");
    assert.equal(municipalityCodeProblem("１３１０１６"), "digits", "full-width digits are read by the caller, not here");
    assert.equal(municipalityCodeProblem("13101a"), "digits", "a letter");
  });

  test("every code in the table has its check digit, once, in its prefecture", () => {
    const seen = new Set<string>();
    for (const m of MUNICIPALITIES) {
      assert.equal(municipalityCodeProblem(m.code), undefined, `${m.name} ${m.code}`);
      assert.ok(!seen.has(m.code), `${m.code} once`);
      seen.add(m.code);
      const prefecture = PREFECTURES[Number(m.code.slice(0, 2)) - 1]!;
      assert.equal(m.prefecture, prefecture.name, `${m.name}: 都道府県 of ${m.code}`);
      if (m.city) assert.equal(municipalityByCode(m.city)?.name, m.name.replace(/^(.+?市).+区$/, "$1"), `${m.name}: its 指定都市`);
    }
    for (const code of Object.keys(MUNICIPALITY_SOURCE.unconfirmed)) assert.ok(municipalityByCode(code), `unconfirmed ${code} is in the table`);
  });

  test("every city of the synthetic addresses and the demo's places is in the table", () => {
    for (const p of PREFECTURES) {
      for (const city of p.cities) {
        const m = municipalityOfAddress(`${p.name}${city.name}本町1丁目2番3号`);
        assert.equal(m?.name, city.name, `${p.name}${city.name}`);
        assert.equal(Number(m!.code.slice(0, 2)), p.code, `${city.name}: 都道府県コード`);
      }
    }
    assert.equal(municipalityOfAddress(DEMO_ADDRESS)?.code, "131121", "demo persons: 世田谷区");
    assert.equal(municipalityNamed(13, "千代田区")?.code, "131016", "demo facilities: 千代田区");
  });

  test("an address in a ward is placed in the ward; a declaration for its city covers it", () => {
    assert.equal(municipalityOfAddress("北海道札幌市中央区北1条西2丁目")?.code, "011011", "the ward, not 札幌市");
    assert.deepEqual(codesCovering("011011"), ["011011", "011002"], "the ward and its city");
    assert.deepEqual(codesCovering("131016"), ["131016"], "a 特別区 has no city above it");
    assert.equal(municipalityOfAddress("東京都どこか市"), undefined, "unknown stays unknown");
  });
});
