// Loading generated populations with COPY, on PGlite and (with TEST_DATABASE_URL) PostgreSQL:
// the database holds exactly the generated rows, and a second seeding appends without collisions.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/client.ts";
import { INSURERS } from "../../src/seed/insurers.ts";
import { seedPopulation, type SeedSummary } from "../../src/seed/load.ts";
import { generatePopulation } from "../../src/seed/population.ts";
import { COLUMNS, TABLE_ORDER, emptyRowSet, type RowSet } from "../../src/seed/rows.ts";
import { testDatabases } from "../support/databases.ts";

const count = async (db: Db, table: string) => (await db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;

for (const database of testDatabases()) {
  describe(`seeding ${database.name}`, () => {
    let db: Db;
    let first: SeedSummary;
    const progress: number[] = [];

    before(async () => {
      db = await database.open();
      first = await seedPopulation(db, { persons: 3000, seed: 11, batchPersons: 700, onProgress: (done, total) => {
        assert.equal(total, 3000);
        progress.push(done);
      } });
    });
    after(() => db.close());

    test("the summary counts what the tables hold, and progress reaches the total", async () => {
      assert.equal(first.persons, 3000);
      assert.equal(await count(db, "persons"), first.persons);
      assert.equal(await count(db, "qualifications"), first.qualifications);
      assert.equal(await count(db, "elderly_certificates"), first.elderlyCertificates);
      assert.equal(await count(db, "limit_certificates"), first.limitCertificates);
      assert.equal(await count(db, "specific_disease_certificates"), first.specificDiseaseCertificates);
      assert.equal(await count(db, "medical_subsidy_certificates"), first.subsidyCertificates);
      assert.ok(first.subsidyCertificates > 0, "some persons hold 受給者証");
      assert.equal(await count(db, "insurers"), INSURERS.length);
      assert.ok(first.qualifications > first.persons, "first.qualifications > first.persons");
      assert.deepEqual([...progress].sort((a, b) => a - b), progress, "progress only goes up");
      assert.equal(progress.at(-1), 3000);
      assert.ok(progress.length > 1, "progress.length > 1");
    });

    test("the database holds exactly the generated rows", async () => {
      const expected = emptyRowSet();
      for (const h of generatePopulation({ persons: 3000, seed: 11 })) for (const t of TABLE_ORDER) (expected[t] as object[]).push(...h[t]);
      for (const table of TABLE_ORDER) {
        // 受給者証 are kept in generation order (person, then count); the others by their ids.
        const subsidies = table === "medical_subsidy_certificates";
        const order = table === "persons" ? "person_id" : table === "qualifications" ? "qualification_id" : subsidies ? "person_id, length(history_key), history_key" : `qualification_id, valid_start`;
        const stored = await db.query<Record<string, unknown>>(`select ${COLUMNS[table].join(", ")} from ${table} order by ${order}`);
        const generated = [...(expected[table] as RowSet[typeof table])].sort((a, b) =>
          table === "persons" || table === "qualifications" || subsidies ? 0 : (a as { qualification_id: number }).qualification_id - (b as { qualification_id: number }).qualification_id || ((a as { valid_start: string }).valid_start < (b as { valid_start: string }).valid_start ? -1 : 1),
        );
        assert.equal(stored.length, generated.length, table);
        // timestamptz reads back as a Date: compare the instant.
        const instant = (row: Record<string, unknown>) => (subsidies ? { ...row, updated_at: new Date(row.updated_at as string).toISOString() } : { ...row });
        stored.forEach((row, i) => assert.deepEqual(instant(row), instant({ ...generated[i] }), `${table} row ${i}`));
      }
    });

    test("seeding again appends after the ids present, under numbers of its own", async () => {
      const second = await seedPopulation(db, { persons: 2000, seed: 11 });
      assert.equal(second.firstPersonId, 3001);
      assert.equal(second.firstQualificationId, first.qualifications + 1);
      assert.equal(await count(db, "persons"), 5000);
      assert.equal(await count(db, "qualifications"), first.qualifications + second.qualifications);
      assert.equal(await count(db, "insurers"), INSURERS.length, "insurers are not inserted twice");
      // Same seed, yet no 記号・番号 is shared between the two populations.
      const [shared] = await db.query<{ n: number }>(
        `select count(*)::int as n from (
           select 1 from qualifications group by insurer_number, insured_card_symbol, insured_identification_number
           having min(person_id) <= 3000 and max(person_id) > 3000) s`,
      );
      assert.equal(shared!.n, 0);
    });
  });
}
