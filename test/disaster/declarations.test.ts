// Disaster declarations on each database: declared in Japan time, in force exactly over their
// period and area, extended and ended early with the history kept, overlapping ones, and the
// refusals of bad input.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { activeDeclarationFor, declareDisaster, endDisaster, extendDisaster, listDisasters, readDeclaration, type TypedDeclaration } from "../../src/services/disaster.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const SAPPORO = "011002";
const SAPPORO_CHUO = "011011";
const TOKUSHIMA = "362018";
const NOW = new Date("2026-03-30T00:00:00Z");
const refusal = (code: string) => (error: unknown) => error instanceof OqsError && error.code === code;
const ms = (iso: string, delta = 0) => new Date(new Date(iso).getTime() + delta);
const declaration = (over: Partial<TypedDeclaration> = {}): TypedDeclaration => ({
  name: "令和8年4月大雨",
  municipalities: [SAPPORO],
  from: "2026-04-01",
  to: "2026-04-07",
  by: "保険局 医療介護連携政策課 山田",
  ...over,
});

describe("declaration input", () => {
  test("dates are Japan time: a date from its 00:00, an end through its whole day; a minute as given", () => {
    const d = readDeclaration(declaration({ municipalities: ["011011, 011002"] }));
    assert.equal(d.startsAt.toISOString(), "2026-03-31T15:00:00.000Z", "2026-04-01 00:00 JST");
    assert.equal(d.endsAt.toISOString(), "2026-04-07T15:00:00.000Z", "the end of 2026-04-07 JST");
    assert.deepEqual(d.municipalityCodes, [SAPPORO, SAPPORO_CHUO], "comma-separated, sorted");
    const minute = readDeclaration(declaration({ from: "２０２６-04-01T09:30", to: "20260401" }));
    assert.equal(minute.startsAt.toISOString(), "2026-04-01T00:30:00.000Z", "09:30 JST, full-width digits read");
    assert.equal(minute.endsAt.toISOString(), "2026-04-01T15:00:00.000Z", "YYYYMMDD as well");
  });

  test("each bad field has its code", () => {
    const cases: [Partial<TypedDeclaration>, string][] = [
      [{ name: " " }, "E8200"],
      [{ name: "x".repeat(101) }, "E8200"],
      [{ municipalities: ["011003"] }, "E8201"], // check digit
      [{ municipalities: ["01100"] }, "E8201"],
      [{ municipalities: ["172049"] }, "E8202"], // 輪島市: a real code, not in onshi's table
      [{ municipalities: [] }, "E8209"],
      [{ municipalities: Array.from({ length: 301 }, (_, i) => String(100000 + i)) }, "E8209"],
      [{ from: "2026-02-30" }, "E8203"],
      [{ to: "2026-04-07T24:00" }, "E8203"],
      [{ from: "2026-04-08" }, "E8204"],
      [{ from: "2026-04-07T12:00", to: "2026-04-07T12:00" }, "E8204"],
      [{ by: "" }, "E8205"],
      [{ by: "a\u0007" }, "E8205"],
    ];
    for (const [over, code] of cases) assert.throws(() => readDeclaration(declaration(over)), refusal(code), JSON.stringify(over));
  });
});

for (const database of testDatabases()) {
  describe(`disaster declarations on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
      await db.query("update facilities set municipality_code = $2 where medical_institution_code = $1", [FACILITY.code, SAPPORO_CHUO]);
      await db.query("update facilities set municipality_code = $2 where medical_institution_code = $1", [OTHER_FACILITY.code, TOKUSHIMA]);
    });
    after(async () => db.close());

    test("in force from its first instant to just before its end, in its area only", async () => {
      const d = await declareDisaster(db, declaration(), NOW);
      assert.equal(d.declaredBy, "保険局 医療介護連携政策課 山田", "who declared is kept");
      assert.equal(d.declaredAt.toISOString(), NOW.toISOString(), "when");
      const start = "2026-03-31T15:00:00Z";
      const end = "2026-04-07T15:00:00Z";
      assert.equal(await activeDeclarationFor(db, FACILITY.code, ms(start, -1)), undefined, "1 ms before the start");
      assert.equal((await activeDeclarationFor(db, FACILITY.code, ms(start)))?.id, d.id, "at the start");
      assert.equal((await activeDeclarationFor(db, FACILITY.code, ms(end, -1)))?.id, d.id, "1 ms before the end");
      assert.equal(await activeDeclarationFor(db, FACILITY.code, ms(end)), undefined, "at the end");
      // 札幌市 covers its ward; 徳島市 is outside; an unknown place and an unknown facility are in no area.
      assert.equal(await activeDeclarationFor(db, OTHER_FACILITY.code, ms(start)), undefined, "another municipality");
      await db.query("update facilities set municipality_code = null where medical_institution_code = $1", [OTHER_FACILITY.code]);
      assert.equal(await activeDeclarationFor(db, OTHER_FACILITY.code, ms(start)), undefined, "a facility of unknown place");
      await db.query("update facilities set municipality_code = $2 where medical_institution_code = $1", [OTHER_FACILITY.code, TOKUSHIMA]);
      assert.equal(await activeDeclarationFor(db, "9999999999", ms(start)), undefined, "no such facility");
    });

    test("a declaration naming the ward covers the ward; one naming a ward does not cover its city", async () => {
      const ward = await declareDisaster(db, declaration({ name: "区のみ", municipalities: [SAPPORO_CHUO], from: "2027-01-01", to: "2027-01-02" }), NOW);
      assert.equal((await activeDeclarationFor(db, FACILITY.code, new Date("2027-01-01T00:00:00Z")))?.id, ward.id, "the ward itself");
      await db.query("update facilities set municipality_code = $2 where medical_institution_code = $1", [OTHER_FACILITY.code, SAPPORO]);
      assert.equal(await activeDeclarationFor(db, OTHER_FACILITY.code, new Date("2027-01-01T00:00:00Z")), undefined, "a facility placed at the city level");
      await db.query("update facilities set municipality_code = $2 where medical_institution_code = $1", [OTHER_FACILITY.code, TOKUSHIMA]);
    });

    test("extend keeps the history and moves the end; only later, only before it has ended", async () => {
      const d = await declareDisaster(db, declaration({ name: "延長する宣言", municipalities: [TOKUSHIMA], from: "2026-05-01", to: "2026-05-07" }), NOW);
      const extended = await extendDisaster(db, { id: d.id, to: "2026-05-14", by: "保険局 佐藤" }, new Date("2026-05-06T00:00:00Z"));
      assert.equal(extended.endsAt.toISOString(), "2026-05-14T15:00:00.000Z", "through 2026-05-14 JST");
      assert.deepEqual(
        extended.changes.map((c) => [c.kind, c.changedBy, c.previousEnd.toISOString(), c.newEnd.toISOString()]),
        [["extend", "保険局 佐藤", "2026-05-07T15:00:00.000Z", "2026-05-14T15:00:00.000Z"]],
        "the extension is kept",
      );
      assert.equal((await activeDeclarationFor(db, OTHER_FACILITY.code, new Date("2026-05-10T00:00:00Z")))?.id, d.id, "in force in the added days");
      await assert.rejects(extendDisaster(db, { id: d.id, to: "2026-05-14", by: "保険局 佐藤" }, NOW), refusal("E8207"), "not later");
      await assert.rejects(extendDisaster(db, { id: d.id, to: "2026-06-30", by: "保険局 佐藤" }, new Date("2026-05-20T00:00:00Z")), refusal("E8208"), "after its end");
      await assert.rejects(extendDisaster(db, { id: 999999, to: "2026-06-30", by: "保険局 佐藤" }, NOW), refusal("E8206"), "no such declaration");
    });

    test("end closes it at the instant given (now by default); ended is ended", async () => {
      const d = await declareDisaster(db, declaration({ name: "早期終了", municipalities: [TOKUSHIMA], from: "2026-06-01", to: "2026-06-30" }), NOW);
      const endAt = new Date("2026-06-10T03:00:00Z");
      const ended = await endDisaster(db, { id: d.id, by: "保険局 鈴木" }, endAt);
      assert.equal(ended.endsAt.toISOString(), endAt.toISOString(), "ends now");
      assert.equal(ended.changes.at(-1)?.kind, "end", "recorded as an early end");
      assert.equal(await activeDeclarationFor(db, OTHER_FACILITY.code, endAt), undefined, "not in force from the end");
      assert.equal((await activeDeclarationFor(db, OTHER_FACILITY.code, ms(endAt.toISOString(), -1)))?.id, d.id, "in force until then");
      await assert.rejects(endDisaster(db, { id: d.id, by: "保険局 鈴木" }, endAt), refusal("E8208"), "already ended");
      const future = await declareDisaster(db, declaration({ name: "取り消し", municipalities: [TOKUSHIMA], from: "2026-08-01", to: "2026-08-07" }), NOW);
      const cancelled = await endDisaster(db, { id: future.id, by: "保険局 鈴木", at: "2026-07-01" }, NOW);
      assert.equal(cancelled.endsAt.getTime(), cancelled.startsAt.getTime(), "ended before it began: an empty period");
      assert.equal(await activeDeclarationFor(db, OTHER_FACILITY.code, new Date("2026-08-02T00:00:00Z")), undefined, "never in force");
    });

    test("overlapping declarations: the one ending last answers, the other takes over when it ends", async () => {
      const first = await declareDisaster(db, declaration({ name: "台風A", municipalities: [TOKUSHIMA], from: "2026-09-01", to: "2026-09-10" }), NOW);
      const second = await declareDisaster(db, declaration({ name: "台風B", municipalities: [TOKUSHIMA, SAPPORO], from: "2026-09-05", to: "2026-09-20" }), NOW);
      const at = new Date("2026-09-06T00:00:00Z");
      assert.equal((await activeDeclarationFor(db, OTHER_FACILITY.code, at))?.id, second.id, "the one that ends last");
      await endDisaster(db, { id: second.id, by: "保険局 鈴木" }, at);
      assert.equal((await activeDeclarationFor(db, OTHER_FACILITY.code, at))?.id, first.id, "the other one still holds");
      const listed = await listDisasters(db, { now: at, all: false });
      assert.ok(listed.some((d) => d.id === first.id) && !listed.some((d) => d.id === second.id), "list: in force or to come");
      const all = await listDisasters(db, { now: at, all: true });
      assert.ok(all.some((d) => d.id === second.id), "list --all: the ended one too");
      assert.deepEqual(all.find((d) => d.id === second.id)?.municipalityCodes, [SAPPORO, TOKUSHIMA], "with its municipalities");
    });
  });
}
