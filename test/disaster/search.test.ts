// The disaster search on each database, over the demo data (facilities in 千代田区, persons in
// 世田谷区): refused outside the period and the area, both search modes with what people type
// (any width, kana or kanji, 通称), one bounded page at a time, and a code for each bad field.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { DEMO_FACILITIES, loadDemo } from "../../src/seed/demo.ts";
import { declareDisaster } from "../../src/services/disaster.ts";
import { DISASTER_PAGE_SIZE, readDisasterSearch, searchForDisaster, type TypedDisasterSearch } from "../../src/services/disaster-search.ts";
import { testDatabases } from "../support/databases.ts";

const HOSPITAL = DEMO_FACILITIES[0].code;
const CHIYODA = "131016";
const SETAGAYA = "131121";
const START = new Date("2026-03-31T15:00:00Z"); // 2026-04-01 00:00 JST
const END = new Date("2026-04-07T15:00:00Z"); // the end of 2026-04-07 JST
const DURING = new Date("2026-04-02T01:00:00Z");
const refusal = (code: string) => (error: unknown) => error instanceof OqsError && error.code === code;
const YAMADA_CARD: TypedDisasterSearch = { insurer: "01130012", symbol: "4410", number: "8001", birthdate: "19800515" };

describe("disaster search input", () => {
  test("each mode's required fields, and a code for each bad one", () => {
    const cases: [TypedDisasterSearch, string][] = [
      [{}, "E8212"],
      [{ insurer: "01130012", birthdate: "19800515" }, "E8212"], // no 番号
      [{ name: "山田太郎", birthdate: "19800515" }, "E8212"], // no 性別
      [{ ...YAMADA_CARD, insurer: "01130013" }, "E8213"], // check digit
      [{ ...YAMADA_CARD, number: "8".repeat(39) }, "E8214"],
      [{ ...YAMADA_CARD, branch: "1" }, "E8214"],
      [{ ...YAMADA_CARD, birthdate: "19800230" }, "E8215"],
      [{ name: "山".repeat(51), birthdate: "19800515", sex: "1" }, "E8216"],
      [{ name: "山田太郎", birthdate: "19800515", sex: "3" }, "E8217"],
      [{ name: "山田太郎", birthdate: "19800515", sex: "1", address: "東".repeat(101) }, "E8218"],
      [{ ...YAMADA_CARD, page: 51 }, "E8221"],
      [{ ...YAMADA_CARD, page: "0" }, "E8221"],
    ];
    for (const [typed, code] of cases) assert.throws(() => readDisasterSearch(typed), refusal(code), JSON.stringify(typed));
  });

  test("what is typed is read in the stored form", () => {
    const card = readDisasterSearch({ insurer: "０１１３００１２", symbol: "４４１０", number: "８００１", birthdate: "1980/05/15" });
    assert.deepEqual(card.criteria, { birthdate: "1980-05-15", insurerNumber: "01130012", symbol: "4410", number: "8001" }, "full-width digits, a slashed date");
    assert.deepEqual(readDisasterSearch({ name: "ﾔﾏﾀﾞ ﾀﾛｳ", birthdate: "1980-05-15", sex: "男" }).criteria.fullKana, "ヤマダタロウ", "half-width kana");
    assert.deepEqual(readDisasterSearch({ name: "やまだ　たろう", birthdate: "1980-05-15", sex: "1" }).criteria.fullKana, "ヤマダタロウ", "hiragana");
    assert.deepEqual(readDisasterSearch({ name: "山田 太郎", birthdate: "1980-05-15", sex: "1" }).criteria.fullName, "山田太郎", "kanji, spaces left out");
  });
});

for (const database of testDatabases()) {
  describe(`disaster search on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadDemo(db);
      await declareDisaster(db, { name: "千代田区の災害", municipalities: [CHIYODA], from: "2026-04-01", to: "2026-04-07", by: "保険局 山田" }, new Date("2026-03-31T00:00:00Z"));
      await declareDisaster(db, { name: "世田谷区の災害", municipalities: [SETAGAYA], from: "2026-05-01", to: "2026-05-07", by: "保険局 山田" }, new Date("2026-03-31T00:00:00Z"));
    });
    after(async () => db.close());

    const search = (at: Date, typed: TypedDisasterSearch) => searchForDisaster(db, { facilityCode: HOSPITAL, at, search: typed });
    const names = async (typed: TypedDisasterSearch) => (await search(DURING, typed)).matches.map((m) => m.name);

    test("refused outside the period, at its edges, and outside the area; a bad input outside is refused as outside", async () => {
      await assert.rejects(search(new Date(START.getTime() - 1), YAMADA_CARD), refusal("E8210"), "1 ms before the start");
      assert.equal((await search(START, YAMADA_CARD)).matches.length, 1, "at the start");
      assert.equal((await search(new Date(END.getTime() - 1), YAMADA_CARD)).matches.length, 1, "1 ms before the end");
      await assert.rejects(search(END, YAMADA_CARD), refusal("E8210"), "at the end");
      await assert.rejects(search(new Date("2026-05-02T00:00:00Z"), YAMADA_CARD), refusal("E8210"), "a declaration for 世田谷区 does not open 千代田区's facilities");
      await assert.rejects(search(END, {}), refusal("E8210"), "unusable outside, whatever is typed");
      await assert.rejects(searchForDisaster(db, { facilityCode: "9999999999", at: DURING, search: YAMADA_CARD }), refusal("E8210"), "an unknown facility");
    });

    test("by the card's keys: the qualification to check with", async () => {
      const page = await search(DURING, { insurer: "０１１３００１２", symbol: "４４１０", number: "８００１", birthdate: "1980-05-15" });
      assert.equal(page.declaration.name, "千代田区の災害", "under the declaration in force");
      assert.deepEqual(
        page.matches.map((m) => [m.name, m.insurerNumber, m.symbol, m.number, m.branch]),
        [["山田　太郎", "01130012", "4410", "8001", "00"]],
        "保険者番号・記号・番号・枝番",
      );
      assert.deepEqual(await names({ ...YAMADA_CARD, birthdate: "19800516" }), [], "another birth date finds nobody");
      assert.deepEqual(await names({ insurer: "01130012", number: "8001", birthdate: "19800515" }), ["山田　太郎"], "without the 記号");
    });

    test("by name, birth date and sex, in kana of any width or kanji, and by 通称; the address narrows", async () => {
      const yamada = { birthdate: "19800515", sex: "1" };
      for (const name of ["ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ", "やまだたろう", "山田太郎", "山田　太郎", "山田 太郎"]) {
        assert.deepEqual(await names({ ...yamada, name }), ["山田　太郎"], name);
      }
      assert.deepEqual(await names({ ...yamada, name: "山田太郎", sex: "2" }), [], "the other sex");
      assert.deepEqual(await names({ ...yamada, name: "ヤマダ" }), [], "the whole name, not a prefix");
      assert.deepEqual(await names({ name: "金田英夫", birthdate: "19701010", sex: "1" }), ["金　英洙"], "通称");
      assert.deepEqual(await names({ name: "ｶﾈﾀﾞ ﾋﾃﾞｵ", birthdate: "19701010", sex: "1" }), ["金　英洙"], "通称カナ");
      assert.deepEqual(await names({ ...yamada, name: "山田太郎", address: "世田谷区世田谷４丁目" }), ["山田　太郎"], "a part of the address, full-width digits");
      assert.deepEqual(await names({ ...yamada, name: "山田太郎", address: "東京都 世田谷区" }), ["山田　太郎"], "spaces ignored");
      assert.deepEqual(await names({ ...yamada, name: "山田太郎", address: "大阪市" }), [], "another address");
      assert.deepEqual(await names({ ...yamada, name: "山田太郎", address: "%" }), [], "no wildcard");
    });

    test("one page of 20 at a time, saying whether more matched", async () => {
      const [row] = await db.query<{ next: number }>("select max(person_id) + 1 as next from persons");
      const next = Number(row!.next);
      for (let i = 0; i < DISASTER_PAGE_SIZE + 1; i++) {
        await db.query(
          "insert into persons (person_id, name, name_kana, sex, birthdate, address) values ($1, '災害　花子', 'サイガイ　ハナコ', 2, '1990-01-01', '東京都千代田区1番')",
          [next + i],
        );
        await db.query(
          `insert into qualifications (qualification_id, person_id, insurer_number, insured_card_classification, insured_card_symbol,
             insured_identification_number, insured_branch_number, personal_family_classification, insured_name, qualification_date)
           values ($1 + 900000, $1, '01130012', '01', '9999', $2, '00', 1, '災害　花子', '2020-04-01')`,
          [next + i, String(90000 + i)],
        );
      }
      const hanako = { name: "災害花子", birthdate: "19900101", sex: "2" };
      const first = await search(DURING, hanako);
      assert.equal(first.matches.length, DISASTER_PAGE_SIZE, "a full page");
      assert.equal(first.more, true, "more matched");
      const second = await search(DURING, { ...hanako, page: 2 });
      assert.equal(second.matches.length, 1, "the rest");
      assert.equal(second.more, false, "nothing after");
      const ids = new Set([...first.matches, ...second.matches].map((m) => m.personId));
      assert.equal(ids.size, DISASTER_PAGE_SIZE + 1, "each one once across the pages");
    });
  });
}
