// Loads a generated population with COPY. Rows go in batches of whole households, each batch in
// one transaction (persons, then qualifications, then certificates, so the foreign keys are
// checked against rows of the same transaction). On PostgreSQL two batches load at once while
// the next one is generated: the foreign-key checks, not the generator, are the slow part.
import type { Db } from "../db/client.ts";
import { savePopulation } from "../store/medical-history-store.ts";
import { insertFacilityDirectory } from "./facility-directory.ts";
import { seedMedicalTickets } from "./welfare.ts";
import { INSURERS, WELFARE_OFFICES, type Insurer } from "./insurers.ts";
import { insertWelfareOffices } from "../store/welfare-store.ts";
import { DEFAULT_REFERENCE_DATE, generatePopulation } from "./population.ts";
import { copyPopulationDigests } from "./resolution-numbers.ts";
import { COLUMNS, TABLE_ORDER, copyLine, type RowSet, type TableName } from "./rows.ts";

export interface SeedOptions {
  persons: number;
  seed: number;
  referenceDate?: string;
  onProgress?: (personsDone: number, total: number) => void;
  /** Persons per COPY batch (default 25,000). */
  batchPersons?: number;
  /** Batches loading at once (default 2 on PostgreSQL; PGlite runs one). */
  concurrency?: number;
}

export interface SeedSummary {
  persons: number;
  qualifications: number;
  elderlyCertificates: number;
  limitCertificates: number;
  specificDiseaseCertificates: number;
  /** 受給者証 of 医療費助成 (from the entities taking part in PMH on the reference date). */
  subsidyCertificates: number;
  /** 医療券・調剤券 of 医療扶助 recipients for a visit on the reference date. */
  medicalTickets: number;
  /** Ids given to this population: an appended one starts after the rows already there. */
  firstPersonId: number;
  firstQualificationId: number;
  seconds: number;
}

/**
 * COPY text of one batch per table, as flat strings of about 64 KiB: few, large socket writes,
 * and Array.join rather than += so that no long rope strings have to be flattened later.
 */
class Lines {
  private readonly parts: { [T in TableName]: string[] } = { persons: [], qualifications: [], elderly_certificates: [], limit_certificates: [], specific_disease_certificates: [], medical_subsidy_certificates: [] };
  private readonly pending: { [T in TableName]: string[] } = { persons: [], qualifications: [], elderly_certificates: [], limit_certificates: [], specific_disease_certificates: [], medical_subsidy_certificates: [] };
  private readonly size: { [T in TableName]: number } = { persons: 0, qualifications: 0, elderly_certificates: 0, limit_certificates: 0, specific_disease_certificates: 0, medical_subsidy_certificates: 0 };

  add(rows: RowSet): void {
    for (const table of TABLE_ORDER) {
      const list = rows[table];
      if (list.length === 0) continue;
      const pending = this.pending[table];
      let size = this.size[table];
      for (const row of list) {
        const line = copyLine(table, row as never);
        pending.push(line);
        size += line.length;
      }
      if (size >= 65536) {
        this.parts[table].push(pending.join(""));
        pending.length = 0;
        size = 0;
      }
      this.size[table] = size;
    }
  }

  /** The strings of a table, the last one included. */
  of(table: TableName): string[] {
    const pending = this.pending[table];
    return pending.length > 0 ? [...this.parts[table], pending.join("")] : this.parts[table];
  }
}

/** Adds the catalogue insurers that are missing (the table is small: one statement). */
export async function insertInsurers(db: Db, insurers: readonly Insurer[] = INSURERS): Promise<void> {
  const values = insurers.map((_, i) => `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`).join(", ");
  await db.query(
    `insert into insurers (insurer_number, name, kind, prefecture) values ${values} on conflict (insurer_number) do nothing`,
    insurers.flatMap((i) => [i.number, i.name, i.kind, i.prefecture]),
  );
  // The catalogue's 福祉事務所 are offices too (医療扶助, docs/welfare.md).
  await insertWelfareOffices(db, insurers.filter((i) => WELFARE_OFFICES.includes(i)).map((i) => i.number));
}

/** The next free person and qualification ids (appending never reuses an id). */
export async function nextIds(db: Db): Promise<{ personId: number; qualificationId: number }> {
  const [max] = await db.query<{ person: number | null; qualification: number | null }>(
    "select (select max(person_id) from persons) as person, (select max(qualification_id) from qualifications) as qualification",
  );
  return { personId: (max?.person ?? 0) + 1, qualificationId: (max?.qualification ?? 0) + 1 };
}

/** Writes a set of rows, parents first, in the caller's transaction (or none). */
export async function copyRowSet(db: Db, rows: RowSet): Promise<void> {
  const lines = new Lines();
  lines.add(rows);
  await copyLines(db, lines);
}

/** Generates a population and loads it; a second seeding appends after the ids already there. */
export async function seedPopulation(db: Db, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  await insertInsurers(db);
  // The facilities histories name, and the seed they are derived from (nothing per person).
  await insertFacilityDirectory(db);
  const first = await nextIds(db);
  if (options.persons > 0) {
    await savePopulation(db, { firstPersonId: first.personId, lastPersonId: first.personId + options.persons - 1, seed: options.seed, kind: "seeded" });
  }
  const batchPersons = options.batchPersons ?? 25_000;
  const concurrency = db.kind === "pglite" ? 1 : Math.max(1, options.concurrency ?? 2);
  const summary: SeedSummary = {
    persons: 0, qualifications: 0, elderlyCertificates: 0, limitCertificates: 0, specificDiseaseCertificates: 0, subsidyCertificates: 0, medicalTickets: 0,
    firstPersonId: first.personId, firstQualificationId: first.qualificationId, seconds: 0,
  };
  const households = generatePopulation({
    persons: options.persons,
    seed: options.seed,
    referenceDate: options.referenceDate ?? DEFAULT_REFERENCE_DATE,
    firstPersonId: first.personId,
    firstQualificationId: first.qualificationId,
  });

  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let loaded = 0;
  let done = false;
  while (!done && failure === undefined) {
    const batch = new Lines();
    let persons = 0;
    // Generate in slices, letting the event loop feed the COPY streams already under way.
    while (persons < batchPersons) {
      const next = households.next();
      if (next.done) {
        done = true;
        break;
      }
      batch.add(next.value);
      persons += next.value.persons.length;
      count(summary, next.value);
      if (persons % 2000 < next.value.persons.length) await new Promise((resolve) => setImmediate(resolve));
    }
    if (persons === 0) break;
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const load: Promise<void> = db
      .transaction((tx) => copyLines(tx, batch))
      .then(() => {
        loaded += persons;
        options.onProgress?.(loaded, options.persons);
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(load));
    inFlight.add(load);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  // 医療券 of the 医療扶助 recipients for a visit on the reference date (src/seed/welfare.ts).
  summary.medicalTickets = await seedMedicalTickets(db, first.personId, first.personId + summary.persons - 1, options.referenceDate ?? DEFAULT_REFERENCE_DATE);
  // Each person's 個人番号 digest, for municipalities' uploads (src/seed/resolution-numbers.ts).
  await copyPopulationDigests(db, first.personId, first.personId + summary.persons - 1);
  // Fresh statistics, so that the first queries after a large load use the key index.
  await db.exec("analyze persons, qualifications, medical_tickets, elderly_certificates, limit_certificates, specific_disease_certificates, medical_subsidy_certificates, person_resolution_digests");
  summary.seconds = Math.round((performance.now() - started) / 100) / 10;
  return summary;
}

async function copyLines(db: Db, lines: Lines): Promise<void> {
  for (const table of TABLE_ORDER) {
    const parts = lines.of(table);
    if (parts.length > 0) await db.copyRows(table, COLUMNS[table], parts);
  }
}

function count(summary: SeedSummary, rows: RowSet): void {
  summary.persons += rows.persons.length;
  summary.qualifications += rows.qualifications.length;
  summary.elderlyCertificates += rows.elderly_certificates.length;
  summary.limitCertificates += rows.limit_certificates.length;
  summary.specificDiseaseCertificates += rows.specific_disease_certificates.length;
  summary.subsidyCertificates += rows.medical_subsidy_certificates.length;
}
