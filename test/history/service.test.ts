// readMedicalHistory on each database: the demo's rich history (佐藤 健一, the README's person),
// a seeded population's histories naming only registered facilities of fitting kinds, the same
// history on every read, and the coded refusals of a bad request.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Db } from "../../src/db/client.ts";
import type { FacilityRef, MedicalHistory } from "../../src/domain/medical-history.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { DEMO_FACILITIES, loadDemo } from "../../src/seed/demo.ts";
import { seedPopulation } from "../../src/seed/load.ts";
import { readMedicalHistory } from "../../src/services/medical-history.ts";
import { testDatabases } from "../support/databases.ts";

const AT = new Date("2026-04-11T00:00:00+09:00");

/** The README's table of demo histories: 氏名, 薬剤 (毎月), 特定健診, 診療・手術. */
function readmeHistoryRows(): string[][] {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const start = readme.indexOf("| 氏名 | 薬剤 (毎月) | 特定健診 | 診療・手術 |");
  assert.ok(start >= 0, "the README has the demo histories table");
  const lines = readme.slice(start).split("\n").slice(2);
  return lines.slice(0, lines.findIndex((l) => !l.startsWith("|"))).map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
}
const refusal = (code: string, element?: string) => (error: unknown) =>
  error instanceof OqsError && error.code === code && (element === undefined || error.element === element);

/** Every facility a history names, with the kinds the rules allow it to be. */
function namedFacilities(h: MedicalHistory): { ref: FacilityRef; kinds: string[]; what: string }[] {
  return [
    ...h.drugs.flatMap((r) => [
      { ref: r.facility, kinds: r.prescriber ? ["pharmacy"] : ["hospital", "medical_clinic"], what: `drugs ${r.month}` },
      ...(r.prescriber ? [{ ref: r.prescriber, kinds: ["hospital", "medical_clinic"], what: `prescriber ${r.month}` }] : []),
    ]),
    ...h.checkups.map((c) => ({ ref: c.facility, kinds: ["hospital", "medical_clinic"], what: `checkup ${c.date}` })),
    ...h.treatments.map((t) => ({ ref: t.facility, kinds: ["hospital", "medical_clinic"], what: `treatment ${t.date}` })),
    ...h.operations.map((o) => ({ ref: o.facility, kinds: ["hospital"], what: `operation ${o.date}` })),
  ];
}

async function assertRegistered(db: Db, h: MedicalHistory, who: string): Promise<void> {
  const rows = await db.query<{ code: string; name: string; kind: string }>("select medical_institution_code as code, name, kind from facilities");
  const registered = new Map(rows.map((r) => [r.code, r]));
  for (const { ref, kinds, what } of namedFacilities(h)) {
    const row = registered.get(ref.code);
    assert.ok(row, `${who}: ${what} names ${ref.code}, which is not registered`);
    assert.equal(row.name, ref.name, `${who}: ${what} shows the registered name`);
    assert.ok(kinds.includes(row.kind), `${who}: ${what} is at a ${row.kind}, expected ${kinds.join(" or ")}`);
  }
}

for (const database of testDatabases()) {
  describe(`medical histories on ${database.name}`, () => {
    let db: Db;
    let sato: number;
    let seeded: { first: number; count: number };
    before(async () => {
      db = await database.open();
      await loadDemo(db);
      const [row] = await db.query<{ person_id: number }>("select person_id from persons where name = '佐藤　健一'");
      sato = row!.person_id;
      const summary = await seedPopulation(db, { persons: 200, seed: 5 });
      seeded = { first: summary.firstPersonId, count: summary.persons };
    });
    after(async () => db.close());

    test("佐藤 健一 (demo) has all four categories, at the demo's facilities", async () => {
      const h = await readMedicalHistory(db, sato, { at: AT });
      assert.ok(h.drugs.length >= 30, `about one dispensing a month over 3 years, got ${h.drugs.length}`);
      assert.ok(h.checkups.length >= 4, `a check-up every year, got ${h.checkups.length}`);
      assert.ok(h.treatments.length >= 30, `monthly 特定疾患療養管理料 and more, got ${h.treatments.length}`);
      assert.deepEqual(h.operations.map((o) => [o.date, o.code]), [["20231114", "K721"], ["20250610", "K549"]]);
      const demoCodes = new Set<string>(DEMO_FACILITIES.map((f) => f.code));
      for (const { ref, what } of namedFacilities(h)) assert.ok(demoCodes.has(ref.code), `${what} is at a demo facility, not ${ref.code}`);
      await assertRegistered(db, h, "佐藤 健一");
      const hba1c = h.checkups.map((c) => Number(c.items.find((i) => i.name.startsWith("ＨｂＡ１ｃ"))!.value));
      assert.ok(hba1c.every((v) => v >= 6.5), `a treated diabetic's HbA1c stays raised: ${hba1c.join(", ")}`);
    });

    test("the README's demo histories are what readMedicalHistory answers on 2026-04-01", async () => {
      const rows = readmeHistoryRows();
      assert.ok(rows.length >= 3, "three demo persons described");
      for (const [name, drugs, checkups, treatments] of rows) {
        const [person] = await db.query<{ person_id: number }>("select person_id from persons where name = $1", [name]);
        const h = await readMedicalHistory(db, person!.person_id, { at: new Date("2026-04-01T09:00:00+09:00") });
        const months = new Map<string, Set<string>>();
        for (const r of h.drugs) for (const d of r.drugs) months.set(d.name, (months.get(d.name) ?? new Set()).add(r.month));
        const monthly = [...months].filter(([, m]) => m.size >= 12).map(([n]) => n);
        const listed = drugs!.split(", ").map((d) => d.replace(/ \(.*\)$/, ""));
        assert.equal(monthly.length, listed.length, `${name}: the drugs of at least 12 months are ${monthly.join(", ")}`);
        for (const word of listed) assert.ok(monthly.some((n) => n.includes(word)), `${name}: ${word} every month`);
        for (const [, date, operation] of treatments!.matchAll(/(\d{4}-\d{2}-\d{2}) ([^,;]+)/g)) {
          assert.ok(h.operations.some((o) => o.date === date!.replaceAll("-", "") && o.name === operation!.trim()), `${name}: ${date} ${operation}`);
        }
        if (checkups!.startsWith("every year")) assert.deepEqual(h.checkups.map((c) => c.date.slice(0, 4)), ["2021", "2022", "2023", "2024", "2025"], `${name}: a check-up every year`);
        const dialysis = /人工腎臓 .* from (\d{4})-(\d{2})/.exec(treatments!);
        if (dialysis) assert.equal(h.treatments.find((t) => t.code === "J038")?.month, dialysis[1]! + dialysis[2]!, `${name}: 人工腎臓 from ${dialysis[1]}-${dialysis[2]}`);
      }
    });

    test("reading twice, or on another day with the same months visible, gives the same history", async () => {
      const once = await readMedicalHistory(db, sato, { at: AT });
      const again = await readMedicalHistory(db, sato, { at: new Date("2026-04-30T23:59:59+09:00") });
      assert.deepEqual(again, once);
    });

    test("a seeded population's histories name only registered facilities of fitting kinds", async () => {
      let withDrugs = 0;
      for (let id = seeded.first; id < seeded.first + seeded.count; id++) {
        const h = await readMedicalHistory(db, id, { at: AT });
        if (h.drugs.length > 0) withDrugs++;
        await assertRegistered(db, h, `person ${id}`);
      }
      assert.ok(withDrugs > seeded.count / 3, `most persons had some medicine in 3 years: ${withDrugs} of ${seeded.count}`);
    });

    test("StartDate and EndDate narrow the answer to their months", async () => {
      const h = await readMedicalHistory(db, sato, { at: AT, fromMonth: "202501", toMonth: "202506" });
      assert.ok(h.drugs.length > 0, "months of 2025 have dispensings");
      assert.ok(h.drugs.every((r) => r.month >= "202501" && r.month <= "202506"), "drug months within the request");
      assert.ok(h.treatments.every((t) => t.month >= "202501" && t.month <= "202506"), "treatment months within the request");
      assert.ok(h.checkups.every((c) => c.date >= "20250101" && c.date <= "20250630"), "check-ups within the request");
      assert.deepEqual(h.operations.map((o) => o.date), ["20250610"]);
    });

    test("a bad month, a start after the end and an unknown person are coded refusals", async () => {
      for (const month of ["202613", "202600", "2026-1", "20261", "２０２６０１"]) {
        await assert.rejects(readMedicalHistory(db, sato, { at: AT, fromMonth: month }), refusal("E9310", "StartDate"), month);
        await assert.rejects(readMedicalHistory(db, sato, { at: AT, toMonth: month }), refusal("E9310", "EndDate"), month);
      }
      await assert.rejects(readMedicalHistory(db, sato, { at: AT, fromMonth: "202502", toMonth: "202501" }), refusal("E9311"));
      await assert.rejects(readMedicalHistory(db, 987654321, { at: AT }), refusal("E9204", "987654321"));
    });
  });
}
