// 薬剤情報 over the WebAPI (YZKsiquc01, FileCategory 2: XML rendered as JSON, three years) and the
// 特定健診 PDF (TKKsiquc01, FileCategory 1) against PostgreSQL with 1,000,000 persons at
// concurrency 16, each patient with a consent in force at the demo hospital, each against a bare
// baseline in the same run (bench/baseline-medical.ts). For 薬剤情報 the baseline reads the same
// patient's rows with one indexed SELECT and JSON.stringify: onshi derives the history from those
// rows (nothing per person is stored), checks the consent, appends the audit record in the same
// transaction and builds the message, so the ratio is what all of that costs. For the PDF the
// baseline is PDFKit drawing the same page count in the same fonts with no database.
import pg from "pg";
import { openDb } from "../src/db/client.ts";
import { DEMO_FACILITIES } from "../src/seed/demo.ts";
import { readMedicalHistory } from "../src/services/medical-history.ts";
import { CHECKUP_INFO_PATH, DRUG_INFO_PATH } from "../src/http/routes/oqs/medical-info.ts";
import { PERSONS, load, preparePopulation, root, startServer, stopServer } from "./support.ts";

const CONNECTIONS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PATIENTS = 2000;
const ONSHI_PORT = 18090;
const BASELINE_PORT = 18091;

interface Patient {
  personId: string;
  insurerNumber: string;
  symbol: string | null;
  number: string;
  branch: string;
}

/**
 * Insured persons aged 40 or more with a drug history (many have none: their answer is an empty
 * body, which would not measure a three-year answer) and a key of their own, each given a consent
 * in force at the facility now.
 */
async function consentingPatients(url: string, facilityCode: string): Promise<Patient[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const db = await openDb({ url, poolSize: 4 });
  try {
    const { rows: candidates } = await client.query<Patient>(
      `select distinct on (q.person_id) q.person_id as "personId", q.insurer_number as "insurerNumber", q.insured_card_symbol as symbol,
              q.insured_identification_number as number, q.insured_branch_number as branch
       from qualifications q tablesample system (2) join persons p on p.person_id = q.person_id
       where q.disqualification_date is null and q.insured_branch_number is not null and p.birthdate <= current_date - interval '40 years'
         -- Not a key the seed gives to two persons (its 複数該当 share): with both consenting, the
         -- answer is E8107, which is right but is not a three-year answer.
         and not exists (select 1 from qualifications o
                         where o.insurer_number = q.insurer_number and o.insured_identification_number = q.insured_identification_number
                           and o.insured_card_symbol is not distinct from q.insured_card_symbol
                           and o.insured_branch_number is not distinct from q.insured_branch_number and o.person_id <> q.person_id)
       limit $1`,
      [PATIENTS * 4],
    );
    const rows: Patient[] = [];
    for (const candidate of candidates) {
      if (rows.length === PATIENTS) break;
      const history = await readMedicalHistory(db, Number(candidate.personId), { at: new Date(), fromMonth: monthBefore(36) });
      if (history.drugs.length > 0) rows.push(candidate);
    }
    await client.query(
      `insert into consents (medical_institution_code, person_id, cons_time, available_time, pharmacists, specific_health_checkups,
                             diagnosis, operation, limit_certificate, specific_diseases, medical_subsidy)
       select $1, id, date_trunc('second', now()), date_trunc('second', now()) + interval '24 hours', true, true, true, true, false, false, false
       from unnest($2::bigint[]) as id
       on conflict (medical_institution_code, person_id) do update set cons_time = excluded.cons_time, available_time = excluded.available_time,
         pharmacists = true, specific_health_checkups = true, diagnosis = true, operation = true`,
      [facilityCode, rows.map((r) => r.personId)],
    );
    return rows;
  } finally {
    await client.end();
    await db.close();
  }
}

/** YYYYMM of the month `back` months before now. */
function monthBefore(back: number): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - back);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The patient's key in the YZK/TKK header (their names differ from the qualification request's). */
function patientHeader(patient: Patient, facilityCode: string) {
  return {
    MedicalInstitutionCode: facilityCode,
    InsurerNumber: patient.insurerNumber.padStart(8, " "),
    ...(patient.symbol ? { InsuranceCardSymbol: patient.symbol } : {}),
    InsuredPersonIdentificationNumber: patient.number,
    BranchNumber: patient.branch,
    ArbitraryFileIdentifier: "bench",
  };
}

function drugRequest(patient: Patient, facilityCode: string): string {
  const body = { StartDate: monthBefore(36), EndDate: monthBefore(0), FileCategory: "2", PrDiInfClassification: "1", MedicalTreatmentFlag: "1" };
  return JSON.stringify({ XmlMsg: { MessageHeader: patientHeader(patient, facilityCode), MessageBody: body } });
}

function checkupPdfRequest(patient: Patient, facilityCode: string): string {
  const body = { FileCategory: "1", PrDiInfClassification: "1", MedicalTreatmentFlag: "1" };
  return JSON.stringify({ XmlMsg: { MessageHeader: patientHeader(patient, facilityCode), MessageBody: body } });
}

const timed = { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: 3 };

export async function benchMedicalInfo() {
  const { url, seedSeconds } = await preparePopulation();
  const facility = DEMO_FACILITIES[0]!;
  const onshi = await startServer([root("bin/onshi.js"), "serve", "--demo", "--port", String(ONSHI_PORT)], ONSHI_PORT, { DATABASE_URL: url, LOG_LEVEL: "error" });
  const onshiUrl = (path: string) => `http://127.0.0.1:${ONSHI_PORT}${path}`;
  let drugs, pdfs, drugBodies: string[], pdfBodies: string[], drugAnswerBytes: number, pdfPages: number;
  try {
    const patients = await consentingPatients(url, facility.code);
    drugBodies = patients.map((p) => drugRequest(p, facility.code));
    pdfBodies = patients.map((p) => checkupPdfRequest(p, facility.code));
    const auth = await fetch(onshiUrl("/oqs-api-pro/MSA12020/ILI12020SV01/auth"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ MedicalInstitutionCode: facility.code, Credential: facility.credential }),
    });
    const headers = { authorization: ((await auth.json()) as { result: { idToken: string } }).result.idToken };
    // One answer of each looked at: a real history and a real PDF, not a refusal, so the load measures what it should.
    const ask = (path: string, body: string) => fetch(onshiUrl(path), { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const drugSample = await ask(DRUG_INFO_PATH, drugBodies[0]!);
    const drugText = await drugSample.text();
    if (!drugSample.ok || !drugText.includes("MeTrMonthInf")) throw new Error(`薬剤情報の応答が想定と違います (${drugSample.status}): ${drugText.slice(0, 300)}`);
    drugAnswerBytes = Buffer.byteLength(drugText);
    const pdfSample = await ask(CHECKUP_INFO_PATH, pdfBodies[0]!);
    const pdf = Buffer.from(await pdfSample.arrayBuffer());
    if (pdfSample.headers.get("content-type") !== "application/pdf") throw new Error(`特定健診 PDF の応答が想定と違います (${pdfSample.status}): ${pdf.toString("utf8", 0, 300)}`);
    pdfPages = pdf.toString("latin1").match(/\/Type \/Page\b/g)?.length ?? 0;
    drugs = await load({ url: onshiUrl(DRUG_INFO_PATH), headers, bodies: drugBodies, ...timed });
    pdfs = await load({ url: onshiUrl(CHECKUP_INFO_PATH), headers, bodies: pdfBodies, ...timed });
  } finally {
    await stopServer(onshi);
  }

  const baseline = await startServer(["--import", "tsx", root("bench/baseline-medical.ts")], BASELINE_PORT, { DATABASE_URL: url, PORT: String(BASELINE_PORT), PAGES: String(pdfPages) });
  let baselineDrugs, baselinePdfs;
  try {
    baselineDrugs = await load({ url: `http://127.0.0.1:${BASELINE_PORT}/drugs`, bodies: drugBodies, ...timed });
    baselinePdfs = await load({ url: `http://127.0.0.1:${BASELINE_PORT}/checkup-pdf`, bodies: pdfBodies, ...timed });
  } finally {
    await stopServer(baseline);
  }

  return {
    name: "medical-info",
    description:
      "薬剤情報 (YZKsiquc01 FileCategory 2, 36 months, JSON) and 特定健診 PDF (TKKsiquc01 FileCategory 1) over the WebAPI against PostgreSQL, consent in force, each view audited. Baselines: bare Fastify + one indexed SELECT of the patient's rows via pg + JSON.stringify; PDFKit drawing the same page count of table text in the same fonts, no database",
    persons: PERSONS,
    patients: drugBodies.length,
    connections: CONNECTIONS,
    seconds: SECONDS,
    seedSeconds,
    drugInfo: { answerBytes: drugAnswerBytes, onshi: drugs, baseline: baselineDrugs, ratio: Number((drugs.requestsPerSecond / baselineDrugs.requestsPerSecond).toFixed(3)) },
    checkupPdf: { pages: pdfPages, onshi: pdfs, baseline: baselinePdfs, ratio: Number((pdfs.requestsPerSecond / baselinePdfs.requestsPerSecond).toFixed(3)) },
  };
}
