// The facility profile from onshi's own records (src/services/usage-profile.ts), on both databases:
// the facility's columns, the months the programs read with the figures the records add up to,
// receipts only where uploaded, the JSON Schema's approval, and the same profiles page by page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { errorMessage, OqsError } from "../../src/errors/catalogue.ts";
import { FIRST_PROFILE_MONTH, profileMonths, usageProfile, usageProfilePages } from "../../src/services/usage-profile.ts";
import { calculate } from "../../src/subsidy/engine.ts";
import { loadPrograms } from "../../src/subsidy/program-data.ts";
import { testDatabases } from "../support/databases.ts";
import { addDay as day, addFacility as facility, addPersons as persons, addReceipts as receipts, addTotals as totals } from "./usage-records.ts";

const schema = JSON.parse(readFileSync(new URL("../../src/subsidy/facility-profile.schema.json", import.meta.url), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validSchema = ajv.compile(schema);

test("the months of a profile: 2023-10 to the month before the date, none before the facility opened", () => {
  assert.equal(FIRST_PROFILE_MONTH, "2023-10");
  assert.deepEqual(profileMonths("2023-10-31"), [], "2023-10 is not over on its last day");
  assert.deepEqual(profileMonths("2023-11-01"), ["2023-10"]);
  assert.equal(profileMonths("2025-11-01").length, 25, "2023-10〜2025-10");
  assert.equal(profileMonths("2025-11-01").at(-1), "2025-10");
  assert.deepEqual(profileMonths("2024-03-15", "2024-01-20"), ["2024-01", "2024-02"], "from the opening month");
  assert.deepEqual(profileMonths("2024-03-15", "1999-04-01"), ["2023-10", "2023-11", "2023-12", "2024-01", "2024-02"]);
  assert.deepEqual(profileMonths("2024-03-15", "2024-03-01"), [], "opened in the month of the date: no month over yet");
});

// The programs' months, read off the engine: with no months given, every month a program needs is
// named in `missing`; each must be a month of the profile at that date, or the engine would answer
// "cannot tell" for a month the records could have given.
test("every month a program asks for at a date is a month of the profile at that date", () => {
  const programs = loadPrograms();
  const asked = new Set<string>();
  for (let month = "2023-11"; month <= "2026-06"; month = month.slice(5) === "12" ? `${Number(month.slice(0, 4)) + 1}-01` : `${month.slice(0, 5)}${String(Number(month.slice(5)) + 1).padStart(2, "0")}`) {
    for (const dayOfMonth of ["01", "28"]) {
      const at = `${month}-${dayOfMonth}`;
      const window = new Set(profileMonths(at));
      for (const kind of ["hospital", "medical_clinic", "dental_clinic", "pharmacy"] as const) {
        for (const r of calculate({ kind, months: {} }, at, programs).results) {
          for (const field of r.missing ?? []) {
            const m = /^months\.(\d{4}-\d{2})\./.exec(field);
            if (!m) continue;
            asked.add(m[1]!);
            assert.ok(window.has(m[1]!), `${r.program} at ${at} asks for ${field}, outside the profile's months ${[...window][0]}〜${[...window].at(-1)}`);
          }
        }
      }
    }
  }
  assert.ok(asked.has("2023-10"), "the base month 2023-10 is asked for");
  assert.ok(asked.size > 20, `the programs asked for ${asked.size} months`);
});

for (const database of testDatabases()) {
  test(`${database.name}: a facility's profile from its records`, async () => {
    const db = await database.open();
    try {
      await facility(db, "1310000001", "medical_clinic", { openedOn: "2010-04-01", readersProvided: 2, readersInUse: 1 });
      // 2024-01: checks recorded one by one (two days, two transports, two shards), and 名寄せ.
      await day(db, "1310000001", "2024-01-05", "card_face", 7);
      await day(db, "1310000001", "2024-01-05", "card_face", 3, "webapi", 5);
      await day(db, "1310000001", "2024-01-31", "card_pin", 2, "reader");
      await day(db, "1310000001", "2024-01-31", "card_visual", 1, "folder");
      await day(db, "1310000001", "2024-01-31", "insurance_number", 20, "cli");
      await day(db, "1310000001", "2024-01-31", "reference_number", 4);
      await day(db, "1310000001", "2024-01-31", "bulk_row", 500);
      await day(db, "1310000001", "2024-02-01", "card_face", 1000); // the next month's
      await persons(db, "1310000001", "2024-01", [11, 12, 13, 14, 15, 16]);
      // 2024-01 also has simulated totals: a month's figures are both.
      await totals(db, "1310000001", "2024-01", { face: 100, pin: 10, visual: 1, number: 200, reference: 5, bulk: 9_999, persons: 90 });
      await receipts(db, "1310000001", "2024-01", 400, 350);
      await receipts(db, "1310000001", "2023-12", 300, 280); // receipts, no check
      await receipts(db, "1310000001", "2024-03", 999, 999); // the month of the date: not over
      await totals(db, "1310000001", "2022-12", { face: 5 }); // before the programs' months

      const profile = await usageProfile(db, "1310000001", "2024-03-10");
      assert.deepEqual(profile, {
        name: "施設1310000001",
        kind: "medical_clinic",
        openedOn: "2010-04-01",
        readersProvided: 2,
        readersInUse: 1,
        months: {
          "2023-10": { cardUses: 0, cardPersons: 0, onlineChecks: 0 },
          "2023-11": { cardUses: 0, cardPersons: 0, onlineChecks: 0 },
          "2023-12": { cardUses: 0, cardPersons: 0, onlineChecks: 0, receipts: 300, outpatientReceipts: 280 },
          // card 10 + 2 + 1 + totals 111; online those + 20 + 4 + 200 + 5; bulk rows in neither; persons 6 + 90.
          "2024-01": { cardUses: 124, cardPersons: 96, onlineChecks: 353, receipts: 400, outpatientReceipts: 350 },
          "2024-02": { cardUses: 1000, cardPersons: 0, onlineChecks: 1000 },
        },
      });
      assert.ok(validSchema(profile), JSON.stringify(validSchema.errors));
    } finally {
      await db.close();
    }
  });

  test(`${database.name}: unknown columns are left out, a pharmacy says whether it is a large chain, an unknown facility is E8944`, async () => {
    const db = await database.open();
    try {
      await facility(db, "4310000002", "pharmacy", { largeChain: true, openedOn: "2024-02-10" });
      await facility(db, "1310000003", "hospital");
      const pharmacy = await usageProfile(db, "4310000002", "2024-04-01");
      assert.deepEqual(pharmacy, {
        name: "施設4310000002",
        kind: "pharmacy",
        largeChainPharmacy: true,
        openedOn: "2024-02-10",
        months: { "2024-02": { cardUses: 0, cardPersons: 0, onlineChecks: 0 }, "2024-03": { cardUses: 0, cardPersons: 0, onlineChecks: 0 } },
      });
      const hospital = await usageProfile(db, "1310000003", "2023-10-20");
      assert.deepEqual(hospital, { name: "施設1310000003", kind: "hospital", months: {} }, "no largeChainPharmacy, readers or opening date; no month over yet");
      for (const p of [pharmacy, hospital]) assert.ok(validSchema(p), JSON.stringify(validSchema.errors));
      for (const code of ["9999999999", "131000000", "abc", ""]) {
        await assert.rejects(usageProfile(db, code, "2024-04-01"), (e: unknown) => e instanceof OqsError && e.code === "E8944" && e.message === errorMessage("E8944", code), code);
      }
    } finally {
      await db.close();
    }
  });

  test(`${database.name}: every facility page by page, the same profiles as one by one`, async () => {
    const db = await database.open();
    try {
      const codes = ["0110000001", "0110000002", "1310000005", "1310000007", "2710000009"];
      for (const [i, code] of codes.entries()) {
        await facility(db, code, i % 2 === 0 ? "medical_clinic" : "pharmacy", { openedOn: i === 3 ? "2024-06-01" : undefined });
        await totals(db, code, "2024-05", { face: i + 1, number: 10 * i, persons: i });
        if (i !== 2) await receipts(db, code, "2024-07", 100 + i, 90);
      }
      // Records of a code no facility has, between two facilities' codes: passed over.
      await totals(db, "1310000006", "2024-05", { face: 77 });
      await day(db, "0110000002", "2024-07-15", "card_pin", 3);
      const at = "2024-08-01";
      for (const pageSize of [2, 5, 100]) {
        const pages: { code: string }[][] = [];
        for await (const page of usageProfilePages(db, at, pageSize)) pages.push(page);
        assert.deepEqual(pages.map((p) => p.length), pageSize === 2 ? [2, 2, 1] : [5], `pages of ${pageSize}`);
        const all = pages.flat() as { code: string; profile: unknown }[];
        assert.deepEqual(all.map((p) => p.code), codes);
        for (const { code, profile } of all) assert.deepEqual(profile, await usageProfile(db, code, at), `${code} in pages of ${pageSize}`);
      }
      const second = (await usageProfile(db, "0110000002", at)).months!;
      assert.deepEqual(second["2024-05"], { cardUses: 2, cardPersons: 1, onlineChecks: 12 });
      assert.deepEqual(second["2024-07"], { cardUses: 3, cardPersons: 0, onlineChecks: 3, receipts: 101, outpatientReceipts: 90 });
      assert.equal((await usageProfile(db, "1310000005", at)).months!["2024-07"]!.receipts, undefined, "no upload for that month");
      assert.deepEqual(Object.keys((await usageProfile(db, "1310000007", at)).months!), ["2024-06", "2024-07"], "opened 2024-06");
    } finally {
      await db.close();
    }
  });
}
