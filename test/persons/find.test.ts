// Finding persons by what the front desk knows (onshi persons find), on each database, on the demo data.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { loadDemo } from "../../src/seed/demo.ts";
import { findPersons, readPersonQuery, type TypedCriteria } from "../../src/services/person-search.ts";
import { testDatabases } from "../support/databases.ts";

for (const database of testDatabases()) {
  describe(`persons find on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadDemo(db);
    });
    after(() => db.close());

    const find = (typed: TypedCriteria) => findPersons(db, readPersonQuery(typed));
    const names = async (typed: TypedCriteria) => (await find(typed)).matches.map((m) => m.name);

    test("カナ as typed in any width or as hiragana finds by the start of the name, in カナ order", async () => {
      const family = ["山田　太郎", "山田　花子", "山田　陽翔"];
      assert.deepEqual(await names({ kana: "ヤマダ" }), family);
      assert.deepEqual(await names({ kana: "ﾔﾏﾀﾞ" }), family);
      assert.deepEqual(await names({ kana: "やまだ　は" }), ["山田　花子", "山田　陽翔"]);
      assert.deepEqual(await names({ kana: "ﾔﾏﾀﾞ ﾊﾙﾄ" }), ["山田　陽翔"]);
      assert.deepEqual(await names({ kana: "ヤマモト" }), []);
    });

    test("each match carries the keys a 資格確認 is asked with; every qualification of a person is a row", async () => {
      const [suzuki] = (await find({ birthdate: "1975-11-03" })).matches;
      assert.deepEqual(
        { ...suzuki, personId: undefined },
        {
          personId: undefined,
          name: "鈴木　一郎",
          nameKana: "スズキ　イチロウ",
          birthdate: "1975-11-03",
          sex: 1,
          address: "東京都世田谷区世田谷4丁目21番27号",
          insurerNumber: "131037",
          symbol: "21",
          number: "900123",
          branch: "00",
          personalFamilyClassification: 1,
          qualificationDate: "2010-04-01",
          disqualificationDate: null,
        },
      );
      // 伊藤 changed jobs: the new qualification first, then the lost one with its last day.
      const ito = (await find({ kana: "イトウ", birthdate: "19901224" })).matches;
      assert.deepEqual(
        ito.map((m) => [m.insurerNumber, m.number, m.disqualificationDate]),
        [["06131015", "8005", null], ["01130012", "8005", "2026-03-01"]],
      );
      // 後期高齢: no 記号 and no 枝番.
      const kouki = (await find({ number: "90000001" })).matches;
      assert.deepEqual(kouki.map((m) => [m.name, m.symbol, m.branch]), [["渡辺　清", null, null]]);
    });

    test("the card's keys narrow together; full-width digits and a space-padded 国保 number are read as typed", async () => {
      assert.deepEqual(await names({ insurer: "01130012", symbol: "4410", number: "8001", branch: "01" }), ["山田　花子"]);
      assert.deepEqual(await names({ insurer: "０１１３００１２", number: "８００１", branch: "０２" }), ["山田　陽翔"]);
      assert.deepEqual(await names({ insurer: "  131037", number: "900123" }), ["鈴木　一郎"]);
      assert.deepEqual(await names({ insurer: "01130012", number: "900123" }), []);
    });

    test("never more than the limit, and says when more matched", async () => {
      const page = await find({ insurer: "01130012", limit: "2" });
      assert.equal(page.matches.length, 2);
      assert.equal(page.more, true);
      const all = await find({ kana: "ヤマダ", limit: "3" });
      assert.deepEqual([all.matches.length, all.more], [3, false]);
      assert.equal((await find({ insurer: "01130012" })).limit, 20);
    });
  });
}

test("bad criteria are refused with their code and the flag, before any database work", () => {
  const cases: [TypedCriteria, string, RegExp][] = [
    [{}, "E9240", /--kana/],
    [{ limit: "5" }, "E9240", /--kana/],
    [{ kana: "yamada" }, "E9241", /--kana yamada/],
    [{ kana: "　" }, "E9241", /--kana/],
    [{ kana: "山田" }, "E9241", /--kana 山田/],
    [{ birthdate: "19800230" }, "E9242", /--birthdate 19800230/],
    [{ birthdate: "1980/01/01" }, "E9242", /--birthdate/],
    [{ insurer: "01130013" }, "E9243", /検証番号/],
    [{ insurer: "0113001" }, "E9243", /6桁または8桁/],
    [{ symbol: "x".repeat(39) }, "E9244", /--symbol/],
    [{ number: "" }, "E9244", /--number/],
    [{ number: "12\u000734" }, "E9244", /--number/],
    [{ branch: "1" }, "E9244", /--branch 1/],
    [{ kana: "ヤマダ", limit: "0" }, "E9245", /--limit 0/],
    [{ kana: "ヤマダ", limit: "101" }, "E9245", /--limit 101/],
    [{ kana: "ヤマダ", limit: "ten" }, "E9245", /--limit ten/],
  ];
  for (const [typed, code, named] of cases) {
    assert.throws(
      () => readPersonQuery(typed),
      (error: unknown) => error instanceof OqsError && error.code === code && named.test(error.message),
      JSON.stringify(typed),
    );
  }
});
