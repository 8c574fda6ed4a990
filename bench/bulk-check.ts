// 一括照会 on PostgreSQL with the 1,000,000-person population: 10,000 and 100,000 rows from the
// upload file's bytes to the encoded result file (decode, store, background lookup in chunks,
// download, encode), against a bare set-based SQL join of the same keys in the same run.
import pg from "pg";
import { encodeXml } from "../src/codec/xml.ts";
import { openDb, type Db } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { parseInsurerNumber } from "../src/domain/insurer-number.ts";
import type { XmlTree } from "../src/oqs/message-tree.ts";
import { loadDemo, DEMO_FACILITIES } from "../src/seed/demo.ts";
import { bulkSettingsFromEnv } from "../src/services/bulk-settings.ts";
import { BulkWorker } from "../src/services/bulk-worker.ts";
import { handle } from "../src/services/pipeline/index.ts";
import type { OqsContext } from "../src/services/pipeline/types.ts";
import { FacilityDirectory } from "../src/store/facility-directory.ts";
import { CONFIRMATION_DATE, PERSONS, preparePopulation, sampleSearchKeys, type SearchKeyRow } from "./support.ts";

const SIZES = (process.env.BENCH_BULK_ROWS ?? "10000,100000").split(",").map(Number);
const TARGET_SECONDS: Record<number, number> = { 10_000: 2, 100_000: 15 };
const POLL_MS = 20;

// The same keys as one statement over the same indexes, returning the matched rows: the least
// any set-based lookup has to do.
const BASELINE = `
select k.i, q.qualification_id, q.insured_card_classification, q.qualification_date, q.disqualification_date,
  p.name, p.name_kana, p.birthdate
from unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality as k(ins, num, sym, br, i)
join qualifications q on q.insurer_number = k.ins and q.insured_identification_number = k.num
  and (k.sym is null or q.insured_card_symbol = k.sym) and (k.br is null or q.insured_branch_number = k.br)
join persons p on p.person_id = q.person_id`;

async function baselineSeconds(url: string, keys: SearchKeyRow[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    await client.query(BASELINE, [
      keys.map((k) => (parseInsurerNumber(k.InsurerNumber!) as { value: string }).value),
      keys.map((k) => k.InsuredIdentificationNumber),
      keys.map((k) => k.InsuredCardSymbol ?? null),
      keys.map((k) => k.InsuredBranchNumber ?? null),
    ]);
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

/** From the upload file's bytes to the result file's bytes, polling as a client would. */
async function onshiSeconds(ctx: OqsContext, facility: string, keys: SearchKeyRow[]) {
  const file = encodeXml(
    { XmlMsg: { MessageHeader: { QualificationConfirmationDate: CONFIRMATION_DATE, MedicalInstitutionCode: facility }, MessageBody: { QualificationConfirmSearchInfo: keys } } },
    "UTF-8",
  );
  const started = performance.now();
  const upload = await handle("OQSmuquc01", { xml: file, file: true }, { transport: "folder" }, ctx);
  if (upload.error) throw new Error(`upload failed: ${upload.error}`);
  const receptionNumber = ((upload.message.XmlMsg as XmlTree).MessageBody as XmlTree).ReceptionNumber as string;
  const uploadedAt = performance.now();
  const request = { XmlMsg: { MessageHeader: { MedicalInstitutionCode: facility }, MessageBody: { ReceptionNumber: receptionNumber } } };
  for (;;) {
    const answer = await handle("OQSmuquc02", { tree: request }, { transport: "folder" }, ctx);
    const header = (answer.message.XmlMsg as XmlTree).MessageHeader as XmlTree;
    if (header.SegmentOfResult === "1") {
      const processedAt = performance.now();
      const bytes = encodeXml(answer.message, "UTF-8");
      const done = performance.now();
      return {
        receptionNumber,
        seconds: (done - started) / 1000,
        uploadSeconds: (uploadedAt - started) / 1000,
        processingSeconds: (processedAt - uploadedAt) / 1000,
        downloadSeconds: (done - processedAt) / 1000,
        resultBytes: bytes.length,
        rows: Number(header.NumberOfProcessingResult),
        errors: Number(header.NumberOfError),
      };
    }
    if (header.SegmentOfResult !== "2") throw new Error(`download failed: ${header.ErrorCode}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export async function benchBulkCheck() {
  const { url } = await preparePopulation();
  const db: Db = await openDb({ url });
  await migrate(db);
  await loadDemo(db);
  const settings = { ...bulkSettingsFromEnv(), processingDelaySeconds: 0, rowLimit: Math.max(...SIZES) };
  const ctx: OqsContext = { db, facilities: new FacilityDirectory(db), now: () => new Date(), characterCode: "0", bulk: settings };
  const worker = new BulkWorker({ db, now: ctx.now, settings, pollMs: POLL_MS });
  worker.start();
  const runs = [];
  try {
    for (const size of SIZES) {
      const keys = await sampleSearchKeys(url, size);
      if (keys.length < size) throw new Error(`only ${keys.length} keys sampled for ${size}`);
      const baseline = await baselineSeconds(url, keys);
      const onshi = await onshiSeconds(ctx, DEMO_FACILITIES[0].code, keys);
      await db.query("delete from receptions where reception_number = $1", [onshi.receptionNumber]);
      const { receptionNumber: _, ...figures } = onshi;
      runs.push({
        rows: size,
        onshi: { ...figures, rowsPerSecond: Math.round(size / onshi.seconds) },
        baselineSeconds: Number(baseline.toFixed(3)),
        ratio: Number((baseline / onshi.seconds).toFixed(3)),
        targetSeconds: TARGET_SECONDS[size],
        met: TARGET_SECONDS[size] === undefined ? null : onshi.seconds <= TARGET_SECONDS[size]!,
      });
    }
  } finally {
    await worker.stop();
    await db.close();
  }
  return {
    name: "bulk-check",
    description:
      "一括照会 (OQSmuquc01 → worker → OQSmuquc02) from the upload XML bytes to the encoded result XML, on PostgreSQL; " +
      "baseline: one bare set-based SQL join (unnest of the same keys → qualifications → persons) via pg. ratio = baseline / onshi.",
    persons: PERSONS,
    chunkSize: settings.chunkSize,
    runs,
  };
}
