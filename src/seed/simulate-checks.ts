// The simulated nation's small runs, visit by visit through the real check code: each card use is
// the card reader service's challenge → the card's answer → verify → complete, with the clock at
// the visit's time, and each other check is a 個別照会 through the pipeline, so the records are
// what onshi's own recording writes (usage_days, usage_card_persons). The same plan as the
// national-scale totals (nation-plan.ts), so both ways give the same figures; a test holds that.
//
// The patients are a seeded population's (persons whose one qualification runs through the
// months); each card user gets a card registered for 保険証利用. The cards share one key pair:
// a fresh RSA key is about 0.1 s a card, and a shared key changes nothing the records count.
import { X509Certificate } from "node:crypto";
import type { Db } from "../db/client.ts";
import type { Authority } from "../card/authority.ts";
import { generateRsaKeys } from "../card/x509.ts";
import type { IdentityCheck } from "../card/answer.ts";
import { vouch } from "../card/reader-device.ts";
import { OqsError } from "../errors/catalogue.ts";
import type { XmlTree } from "../oqs/message-tree.ts";
import { CardReader, type FaceFileSink } from "../services/card-reader.ts";
import { handle } from "../services/pipeline/index.ts";
import { uploadReceipts } from "../services/usage-receipts.ts";
import type { OqsContext } from "../services/pipeline/types.ts";
import { openAuthority } from "../store/card-authority-store.ts";
import { answerChallenge } from "../store/card-chip-store.ts";
import { issueCard } from "../store/card-issue-store.ts";
import { registerCard } from "../store/card-store.ts";
import { FacilityDirectory } from "../store/facility-directory.ts";
import { openReader } from "../store/reader-device-store.ts";
import { dayNumber, isoOf } from "./calendar.ts";
import { seedPopulation } from "./load.ts";
import { expectedChecks, planFacilities, planMonths, SIMULATED_NAME_PREFIX, type PlannedMonth, type SimulatedFacility } from "./nation-plan.ts";
import { Random } from "./random.ts";
import { monthFit, SIMULATED_CODES, startSimulation, summaryOf, type MonthFit, type SimulateOptions, type SimulateProgress, type SimulateSummary } from "./simulate.ts";
import { dateInJapan } from "../subsidy/engine.ts";
import { addMonths } from "../subsidy/usage-rate.ts";

/** Checks a run through the check code may take: a few checks a second on one machine's PGlite. */
export const MAX_THROUGH_CHECKS = 20_000;

/** A patient as the checks name them: the person and the key of their qualification. */
interface Patient {
  personId: number;
  key: Record<string, string>;
  cardId?: string;
}

interface Visit {
  at: Date;
  facility: SimulatedFacility;
  patient: Patient;
  method: "face" | "pin" | "visual" | "insurance_number";
}

/** The checks of a plan: the number a through-checks run makes. */
export function plannedChecks(months: readonly PlannedMonth[]): number {
  return months.reduce((sum, m) => sum + m.rows.reduce((s, r) => s + r.cardFace + r.cardPin + r.cardVisual + r.insuranceNumber, 0), 0);
}

/**
 * Writes the simulated nation visit by visit (usage records by the check code itself; facilities
 * and receipts as simulateNation writes them). Refused (E8927) over MAX_THROUGH_CHECKS checks.
 */
export async function simulateThroughChecks(db: Db, options: SimulateOptions, progress: SimulateProgress = () => {}): Promise<SimulateSummary> {
  const started = performance.now();
  // Refused from the targets before the plan is made: a national plan held whole would not fit in memory.
  const expected = expectedChecks(options);
  if (expected > MAX_THROUGH_CHECKS) throw new OqsError("E8927", `--through-checks: ${expected.toLocaleString("ja-JP")} 件 (上限 ${MAX_THROUGH_CHECKS.toLocaleString("ja-JP")} 件)`);
  const facilities = planFacilities(options);
  const months = [...planMonths(facilities, options)];
  const total = plannedChecks(months);
  if (total > MAX_THROUGH_CHECKS) throw new OqsError("E8927", `--through-checks: ${total.toLocaleString("ja-JP")} 件 (上限 ${MAX_THROUGH_CHECKS.toLocaleString("ja-JP")} 件)`);
  progress(0, total);
  const replaced = await db.transaction((tx) => startSimulation(tx, facilities, options.replace === true));
  const firstDay = `${options.from}-01`;
  let clock = new Date(`${firstDay}T00:00:00+09:00`);
  // Cards are issued (by an authority made then, if there is none yet) a month before the first visit.
  const issuedAt = new Date(clock.getTime() - 30 * 86_400_000);
  const authority = await openAuthority(db, issuedAt);
  const pools = await patientPools(db, authority, facilities, months, options.seed, firstDay, issuedAt);
  const oqs: OqsContext = { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0" };
  const reader = await CardReader.open({ oqs, faceFiles: DISCARDED_FACE_FILES });
  let done = 0;
  const fit: MonthFit[] = [];
  for (const planned of months) {
    for (const visit of visitsOf(planned, facilities, pools, options.seed)) {
      clock = visit.at;
      const code = visit.facility.code;
      if (visit.method === "insurance_number") {
        const answer = await handle("OQSsiquc01", { tree: checkRequest(code, visit) }, { transport: "webapi" }, oqs);
        if (answer.error !== undefined) throw new Error(`模擬の個別照会が拒否されました: ${code} ${answer.error}`);
      } else {
        const { nonce } = reader.challenge(code);
        const identity: IdentityCheck = visit.method === "pin" ? { method: "pin", pin: CARD_PIN } : visit.method === "face" ? { method: "face", matched: true } : { method: "visual" };
        const answer = await answerChallenge(db, visit.patient.cardId!, identity, nonce, code);
        const vouched = visit.method === "pin" ? answer : { ...answer, reader: vouch(await openReader(db, authority, code, clock), nonce, visit.method, serialOf(answer.certificate)) };
        const { session } = await reader.verify(code, { answer: vouched });
        await reader.complete(code, { session, consent: {} });
      }
      progress(++done, total);
    }
    // The month's receipts go in as each facility would upload them, when they are fixed two months on.
    const uploadedAt = new Date(`${addMonths(planned.target.month, 2)}-01T00:00:00+09:00`);
    for (const r of planned.rows) {
      const code = facilities[r.facility]!.code;
      const months = [{ month: planned.target.month, receipts: r.receipts, outpatientReceipts: r.outpatientReceipts }];
      const answer = await uploadReceipts(db, oqs.facilities, code, { json: { months } }, uploadedAt);
      if (answer.counts.refused > 0) throw new Error(`模擬のレセプト件数が拒否されました: ${code} ${JSON.stringify(answer.results)}`);
    }
    fit.push(monthFit(planned.target, planned.rows));
  }
  const rows = async (table: string) =>
    (await db.query<{ n: number }>(`select count(*)::int as n from ${table} where medical_institution_code in (${SIMULATED_CODES})`, [SIMULATED_NAME_PREFIX]))[0]!.n;
  const written = { facilities: facilities.length, usage_days: await rows("usage_days"), usage_card_persons: await rows("usage_card_persons"), usage_receipts: await rows("usage_receipts") };
  return summaryOf(options, facilities, { way: "through-checks", replaced, rows: written, fit }, started);
}

const CARD_PIN = "1234";
const CARD_EXPIRY = "2030-12-31";

/** The simulation keeps no face result files (no terminal reads them). */
const DISCARDED_FACE_FILES: FaceFileSink = { ready: async () => {}, nameFor: (code, at) => `simulated-${code}-${at.getTime()}`, write: async () => {} };

function serialOf(certificateBase64: string): string {
  return new X509Certificate(Buffer.from(certificateBase64, "base64")).serialNumber.toLowerCase();
}

/** Each facility's card users and other patients: as many as its busiest month has, distinct persons. */
async function patientPools(db: Db, authority: Authority, facilities: readonly SimulatedFacility[], months: readonly PlannedMonth[], seed: number, firstDay: string, issuedAt: Date) {
  const size = facilities.map(() => ({ card: 0, other: 0 }));
  for (const m of months) for (const r of m.rows) {
    size[r.facility]!.card = Math.max(size[r.facility]!.card, r.cardPersons);
    size[r.facility]!.other = Math.max(size[r.facility]!.other, r.otherPersons);
  }
  const needed = size.reduce((s, p) => s + p.card + p.other, 0);
  // About half of a seeded population has one qualification running since before the first month.
  const seeded = await seedPopulation(db, { persons: needed * 3 + 10, seed });
  const rows = await db.query<{ person_id: number; name: string; address: string | null; birthdate: string; sex: 1 | 2 | 3; insurer_number: string; insured_card_symbol: string | null; insured_identification_number: string; insured_branch_number: string | null }>(
    `select p.person_id, p.name, p.address, p.birthdate, p.sex, q.insurer_number, q.insured_card_symbol, q.insured_identification_number, q.insured_branch_number
     from persons p join qualifications q using (person_id)
     where p.person_id >= $1 and q.qualification_date <= $2::date and q.disqualification_date is null
       and (select count(*) from qualifications o where o.person_id = p.person_id) = 1
     order by p.person_id limit $3`,
    [seeded.firstPersonId, firstDay, needed],
  );
  if (rows.length < needed) throw new Error(`模擬の患者が足りません: ${rows.length} / ${needed}`);
  const keys = await generateRsaKeys();
  let next = 0;
  const pools: { card: Patient[]; other: Patient[] }[] = [];
  for (const s of size) {
    const take = async (n: number, card: boolean) => {
      const out: Patient[] = [];
      for (let i = 0; i < n; i++) {
        const r = rows[next++]!;
        const key: Record<string, string> = { InsurerNumber: r.insurer_number, InsuredIdentificationNumber: r.insured_identification_number, Birthdate: r.birthdate.replaceAll("-", "") };
        if (r.insured_card_symbol) key.InsuredCardSymbol = r.insured_card_symbol;
        if (r.insured_branch_number) key.InsuredBranchNumber = r.insured_branch_number;
        const patient: Patient = { personId: r.person_id, key };
        if (card) {
          const issued = await issueCard(db, authority, { face: { name: r.name, address: r.address ?? "", birthdate: r.birthdate, sex: r.sex, expiry: CARD_EXPIRY }, certificateExpiry: CARD_EXPIRY, holderPersonId: r.person_id, pin: CARD_PIN, keys }, issuedAt);
          await registerCard(db, issued.certificateSerial, issuedAt);
          patient.cardId = issued.cardId;
        }
        out.push(patient);
      }
      return out;
    };
    pools.push({ card: await take(s.card, true), other: await take(s.other, false) });
  }
  return pools;
}

/**
 * A month's visits in time order: each facility's card uses spread over its card users (each at
 * least once, on different days), the methods in the plan's numbers, the other checks over its
 * other patients; days of the month, 09:00–17:59 in Japan.
 */
function visitsOf(planned: PlannedMonth, facilities: readonly SimulatedFacility[], pools: readonly { card: Patient[]; other: Patient[] }[], seed: number): Visit[] {
  const random = new Random(seed * 1_000_000 + Number(planned.target.month.replace("-", "")) + 500_000);
  const first = dayNumber(`${planned.target.month}-01`);
  const days = dayNumber(`${addMonths(planned.target.month, 1)}-01`) - first;
  const visits: Visit[] = [];
  const at = () => new Date(`${isoOf(first + random.int(0, days - 1))}T${String(random.int(9, 17)).padStart(2, "0")}:${String(random.int(0, 59)).padStart(2, "0")}:00+09:00`);
  for (const r of planned.rows) {
    const facility = facilities[r.facility]!;
    const methods: Visit["method"][] = [...Array<"face">(r.cardFace).fill("face"), ...Array<"pin">(r.cardPin).fill("pin"), ...Array<"visual">(r.cardVisual).fill("visual")];
    methods.forEach((method, i) => visits.push({ at: at(), facility, patient: pools[r.facility]!.card[i % r.cardPersons]!, method }));
    for (let i = 0; i < r.insuranceNumber; i++) visits.push({ at: at(), facility, patient: pools[r.facility]!.other[i % r.otherPersons]!, method: "insurance_number" });
  }
  return visits.sort((a, b) => a.at.getTime() - b.at.getTime());
}

function checkRequest(code: string, visit: Visit): XmlTree {
  const day = dateInJapan(visit.at).replaceAll("-", "");
  return {
    XmlMsg: {
      MessageHeader: { QualificationConfirmationDate: day, MedicalInstitutionCode: code },
      MessageBody: { QualificationConfirmSearchInfo: { ...visit.patient.key, LimitApplicationCertificateRelatedConsFlg: "0" } },
    },
  } as unknown as XmlTree;
}
