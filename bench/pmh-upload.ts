// A municipality's upload of 100,000 受給者証 on PostgreSQL (issue 14 item 7): the records travel
// as the 自治体→PMH registration API's JSON over onshi's upload route (a real HTTP listener, in
// batches of the route's limit of 10,000), each checked field by field, its 個人番号 hashed and
// looked up, then saved through the 受給者証 store; against a bare COPY of the same rows into the
// same table in the same run (no check, no lookup, no JSON). The same upload sent again (nothing
// changes) is timed too. Aim: ≤ 30 s for the 100,000.
import type { AddressInfo } from "node:net";
import { openDb, type Db } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { buildServer } from "../src/http/server.ts";
import { TokenService } from "../src/http/tokens.ts";
import { seedPopulation } from "../src/seed/load.ts";
import { copyField } from "../src/db/copy-field.ts";
import { syntheticMyNumber } from "../src/seed/resolution-numbers.ts";
import { issueMunicipalityCredential } from "../src/services/municipality-credentials.ts";
import { MAX_UPLOAD_RECORDS } from "../src/services/pmh-upload.ts";
import { FacilityDirectory } from "../src/store/facility-directory.ts";
import { recreateDatabase } from "./support.ts";

const RECORDS = Number(process.env.BENCH_PMH_RECORDS ?? 100_000);
const DB_NAME = "onshi_bench_pmh";
/** 八王子市, with its マル乳 公費負担者番号. */
const ISSUER = { code: "132012", credential: "bench-hachioji-credential" };
const NOW = new Date("2026-04-01T01:00:00Z");

/** Record i of the upload: one 受給者証 for person firstPerson + i, as a municipality would send it. */
function record(i: number, firstPerson: number) {
  return {
    historyKey: `HK-${String(i).padStart(8, "0")}`,
    myNumber: syntheticMyNumber(firstPerson + i),
    basicFiveInfo: { name: "八王子 太郎", nameKana: "ハチオウジ タロウ", dateOfBirth: "2020-05-01", sex: "1" },
    isNotDisclosed: "0",
    programmeType: "children",
    orgSpecificCertificateTypeId: "maru-nyu",
    medicalSubsidyInsurerNumber: "88138243",
    medicalSubsidyRecipientNumber: `R${String(i).padStart(9, "0")}`,
    certificationName: "乳幼児医療証 (マル乳)",
    incomeSegment: i % 3 === 0 ? "A" : "B",
    isAlwaysReimbursement: "0",
    maxCopaymentAmount: i % 2 === 0 ? { monthly: 0 } : { monthly: 2500, perVisit: 500 },
    validFrom: "2026-04-01",
    validTo: "2027-03-31",
    certificationDetail: [{ label: "交付年月日", value: "2026-03-15" }],
  };
}
type UploadRecord = ReturnType<typeof record>;

/** The same rows as COPY text, in the table's columns: what the upload stores, with no work between. */
function* copyLines(records: UploadRecord[], firstPerson: number): Generator<string> {
  const f = copyField;
  for (const [i, r] of records.entries()) {
    const cap = r.maxCopaymentAmount as { monthly?: number; perVisit?: number };
    yield [
      ISSUER.code, f(r.historyKey), firstPerson + i, r.programmeType, f(r.orgSpecificCertificateTypeId), r.medicalSubsidyInsurerNumber,
      f(r.medicalSubsidyRecipientNumber), f(r.certificationName), "\\N", "\\N", f(r.incomeSegment), "\\N", "{}", "f",
      cap.monthly ?? "\\N", cap.perVisit ?? "\\N", r.validFrom, r.validTo, "f", f(JSON.stringify(r.certificationDetail)), NOW.toISOString(),
    ].join("\t") + "\n";
  }
}
const COPY_COLUMNS = [
  "issuer_code", "history_key", "person_id", "programme", "org_certificate_type_id", "insurer_number", "recipient_number",
  "certification_name", "certification_sub_key", "segment", "income_segment", "additional_conditions", "designated_medical_institutions",
  "always_reimbursement", "max_copayment_monthly", "max_copayment_per_visit", "valid_from", "valid_to", "is_deleted", "certification_detail", "updated_at",
];

async function rows(db: Db): Promise<number> {
  const [{ n }] = (await db.query<{ n: number }>("select count(*)::int as n from medical_subsidy_certificates where not is_deleted")) as [{ n: number }];
  return n;
}

export async function benchPmhUpload() {
  const url = await recreateDatabase(DB_NAME);
  const db = await openDb({ url });
  try {
    await migrate(db);
    const seeded = await seedPopulation(db, { persons: RECORDS, seed: 14 });
    await issueMunicipalityCredential(db, ISSUER.code, NOW, ISSUER.credential);
    const records = Array.from({ length: RECORDS }, (_, i) => record(i, seeded.firstPersonId));
    // The seed's own 受給者証 go: both runs start from an empty table.
    await db.exec("truncate medical_subsidy_certificates");
    await db.exec("vacuum analyze medical_subsidy_certificates");

    // The baseline: the same rows, COPY into the same table (its primary key and index included).
    const copyStarted = performance.now();
    await db.copyRows("medical_subsidy_certificates", COPY_COLUMNS, copyLines(records, seeded.firstPersonId));
    const copySeconds = (performance.now() - copyStarted) / 1000;
    if ((await rows(db)) !== RECORDS) throw new Error("the baseline COPY did not store every row");
    await db.exec("truncate medical_subsidy_certificates");
    await db.exec("vacuum analyze medical_subsidy_certificates");

    const app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens: new TokenService(() => NOW) });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const auth = await fetch(`${base}/onshi-api/pmh/auth`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ municipalityCode: ISSUER.code, credential: ISSUER.credential }) });
      const { idToken } = (await auth.json()) as { idToken: string };
      const upload = async () => {
        const started = performance.now();
        const counts: Record<string, number> = {};
        for (let from = 0; from < records.length; from += MAX_UPLOAD_RECORDS) {
          const res = await fetch(`${base}/onshi-api/pmh/certificates`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: idToken },
            body: JSON.stringify({ certificates: records.slice(from, from + MAX_UPLOAD_RECORDS) }),
          });
          if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
          const answer = (await res.json()) as { counts: Record<string, number> };
          for (const [k, v] of Object.entries(answer.counts)) counts[k] = (counts[k] ?? 0) + v;
        }
        return { seconds: Math.round((performance.now() - started) / 10) / 100, counts };
      };
      const first = await upload();
      if (first.counts.registered !== RECORDS || (await rows(db)) !== RECORDS) throw new Error(`the upload did not register every record: ${JSON.stringify(first.counts)}`);
      const again = await upload();
      if (again.counts.unchanged !== RECORDS) throw new Error(`the second upload changed something: ${JSON.stringify(again.counts)}`);
      const perSecond = (seconds: number) => Math.round(RECORDS / seconds);
      return {
        name: "pmh-upload",
        description:
          "A 地方公共団体's upload of 受給者証 on PostgreSQL over onshi's route (real HTTP, batches of 10,000 as JSON with the registration API's fields; every record checked, its 個人番号 hashed and looked up, saved through the 受給者証 store in one transaction per batch), then the same upload again (nothing changes); baseline: a bare COPY of the same rows into the same table, in the same run. ratio = baseline seconds / onshi seconds. Aim: the upload ≤ 30 s.",
        records: RECORDS,
        persons: seeded.persons,
        batch: MAX_UPLOAD_RECORDS,
        onshi: { seconds: first.seconds, recordsPerSecond: perSecond(first.seconds), counts: first.counts },
        onshiAgain: { seconds: again.seconds, recordsPerSecond: perSecond(again.seconds), counts: again.counts },
        baselineCopy: { seconds: Math.round(copySeconds * 100) / 100, recordsPerSecond: perSecond(copySeconds) },
        ratio: Math.round((copySeconds / first.seconds) * 1000) / 1000,
        aimSeconds: 30,
        aimMet: first.seconds <= 30,
      };
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}
