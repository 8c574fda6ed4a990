// Card checks with 医療費助成 consent against the same checks without it, in one run, on the
// card-check bench's PostgreSQL population and cards: the demo clinic (医療費助成情報 利用する), each
// bench card's holder holding 1–3 受給者証 of issuers taking part on the bench's day. The two kinds
// of check alternate in rounds on one server, so a load that drifts during the run (the machine is
// shared) weighs on both alike. Every check with consent is checked to carry exactly its holder's
// 受給者証 (a check that does not is an error), so the figure is of the answer asked for.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReaderClient } from "../src/cli/card-reader-client.ts";
import { tap, type TapRequest } from "../src/cli/commands/reader-tap.ts";
import type { ConsentCategory } from "../src/domain/consent.ts";
import type { SubsidyCertificate } from "../src/domain/medical-subsidy.ts";
import { openMigrated } from "../src/db/open.ts";
import { DEMO_FACILITIES, DEMO_MEDICAL_SUBSIDY_FACILITY } from "../src/seed/demo.ts";
import { setMedicalSubsidyUse } from "../src/services/medical-subsidy-use.ts";
import { saveCertificates } from "../src/store/medical-subsidy-store.ts";
import { closedLoop, keepAliveTransport, type LoopResult } from "./card-check-load.ts";
import { CONNECTIONS, ensureCards, loadCards, PIN, registerCards, SECONDS, SERVER_NOW, signChallenge, WARMUP_SECONDS, type BenchCard } from "./card-check.ts";
import { PERSONS, preparePopulation, root, startServer, stopServer } from "./support.ts";

const ONSHI_PORT = 18084;
const ROUNDS = 3;
const CLINIC = DEMO_FACILITIES.find((f) => f.code === DEMO_MEDICAL_SUBSIDY_FACILITY)!;
/** What the clinic's reader offers by default, all agreed; the PMH run adds 医療費助成. */
const PLAIN: ReadonlySet<ConsentCategory> = new Set(["pharmacists", "specificHealthCheckups", "limitCertificate", "specificDiseases"]);
const WITH_SUBSIDY: ReadonlySet<ConsentCategory> = new Set([...PLAIN, "medicalSubsidy"]);

/** The bench's 受給者証 kinds: issuers in the registry that take part on the bench's day (2026-04-01). */
const KINDS: readonly Omit<SubsidyCertificate, "personId" | "historyKey">[] = [
  {
    issuerCode: "130001", programme: "intractableDisease", orgCertificateTypeId: null, insurerNumber: "54136015", recipientNumber: "0000018",
    certificationName: "特定医療費（指定難病）受給者証", certificationSubKey: null, segment: null, incomeSegment: "一般所得Ⅰ", additionalConditions: null,
    designatedMedicalInstitutions: [], alwaysReimbursement: false, maxCopayment: { monthly: 10_000 }, validFrom: "2025-10-01", validTo: "2026-09-30",
    isDeleted: false, certificationDetail: [],
  },
  {
    issuerCode: "132012", programme: "children", orgCertificateTypeId: null, insurerNumber: "88138243", recipientNumber: "1234566",
    certificationName: "乳幼児医療証（マル乳）", certificationSubKey: null, segment: null, incomeSegment: null, additionalConditions: null,
    designatedMedicalInstitutions: [], alwaysReimbursement: false, maxCopayment: { monthly: 0 }, validFrom: "2026-04-01", validTo: "2027-03-31",
    isDeleted: false, certificationDetail: [],
  },
  {
    issuerCode: "131121", programme: "disabilities", orgCertificateTypeId: null, insurerNumber: "80137011", recipientNumber: "S-20417",
    certificationName: "心身障害者医療費助成 受給者証（マル障）", certificationSubKey: null, segment: null, incomeSegment: null, additionalConditions: null,
    designatedMedicalInstitutions: [], alwaysReimbursement: false, maxCopayment: { perVisit: 0 }, validFrom: "2025-08-01", validTo: "2026-07-31",
    isDeleted: false, certificationDetail: [],
  },
];

/** 1, 2 or 3 受給者証 by the holder's id. */
const heldBy = (card: BenchCard) => 1 + (card.personId % 3);

/** The clinic uses 医療費助成, and each card's holder holds its 受給者証 (idempotent: the same rows again change nothing). */
async function prepare(url: string, cards: BenchCard[]): Promise<void> {
  const db = await openMigrated({ url });
  try {
    await setMedicalSubsidyUse(db, { facilityCode: CLINIC.code, inUse: true, by: "bench pmh-card-check" }, SERVER_NOW);
    const rows = cards.flatMap((card) => KINDS.slice(0, heldBy(card)).map((kind, n) => ({ ...kind, personId: card.personId, historyKey: `bench-${card.personId}-${n + 1}` })));
    await saveCertificates(db, rows, SERVER_NOW);
  } finally {
    await db.close();
  }
}

/** The PublicExpenseCertificateList of a completion's result (the WebAPI's JSON: an array of its items). */
function certificatesIn(result: unknown): number {
  const list = (result as { XmlMsg?: { MessageBody?: { ResultList?: { ResultOfQualificationConfirmation?: { PublicExpenseCertificateList?: unknown[] } }[] } } })
    .XmlMsg?.MessageBody?.ResultList?.[0]?.ResultOfQualificationConfirmation?.PublicExpenseCertificateList;
  return Array.isArray(list) ? list.length : 0;
}

function combine(rounds: LoopResult[]) {
  const checks = rounds.reduce((n, r) => n + r.checks, 0);
  return {
    checksPerSecond: Math.round(checks / (rounds.length * (SECONDS / ROUNDS))),
    checks,
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    errorSamples: [...new Set(rounds.flatMap((r) => r.errorSamples))].slice(0, 5),
    rounds: rounds.map(({ checksPerSecond, p50Ms, p99Ms }) => ({ checksPerSecond, p50Ms, p99Ms })),
  };
}

export async function benchPmhCardCheck() {
  const { url, seedSeconds } = await preparePopulation();
  await ensureCards(url);
  const oqsRoot = await mkdtemp(join(tmpdir(), "onshi-bench-pmh-"));
  const onshi = await startServer(
    [root("bin/onshi.js"), "serve", "--demo", "--port", String(ONSHI_PORT), "--now", SERVER_NOW.toISOString(), "--oqs-root", oqsRoot],
    ONSHI_PORT,
    { DATABASE_URL: url, LOG_LEVEL: "error" },
  );
  const http = keepAliveTransport(CONNECTIONS);
  const plain: LoopResult[] = [];
  const withSubsidy: LoopResult[] = [];
  let cards: BenchCard[] = [];
  try {
    const client = await ReaderClient.login(`http://127.0.0.1:${ONSHI_PORT}`, CLINIC.code, CLINIC.credential, http.transport);
    await registerCards(client, url);
    cards = await loadCards(url);
    if (cards.length === 0) throw new Error("no registered bench cards");
    await prepare(url, cards);
    const loop = (consent: ReadonlySet<ConsentCategory>) =>
      closedLoop({
        workers: CONNECTIONS,
        seconds: SECONDS / ROUNDS,
        warmupSeconds: WARMUP_SECONDS,
        check: async (w, i) => {
          const card = cards[(w * 7919 + i) % cards.length]!;
          const request: TapRequest = { cardId: card.cardId, check: { method: "pin", pin: PIN }, consent, prescriptionIssueSelect: "1", register: false };
          const outcome = await tap(client, CLINIC.code, request, async (nonce) => signChallenge(card, nonce, CLINIC.code));
          const expected = consent.has("medicalSubsidy") ? heldBy(card) : 0;
          if (certificatesIn(outcome.result) !== expected) throw new Error(`${card.cardId}: ${certificatesIn(outcome.result)} 受給者証, expected ${expected}`);
        },
      });
    for (let round = 0; round < ROUNDS; round++) {
      // Alternating which goes first, so neither always runs on a cache the other warmed.
      if (round % 2 === 0) plain.push(await loop(PLAIN)), withSubsidy.push(await loop(WITH_SUBSIDY));
      else withSubsidy.push(await loop(WITH_SUBSIDY)), plain.push(await loop(PLAIN));
    }
  } finally {
    http.close();
    await stopServer(onshi);
    await rm(oqsRoot, { recursive: true, force: true });
  }
  const baseline = combine(plain);
  const subsidy = combine(withSubsidy);
  const held = [1, 2, 3].map((n) => cards.filter((c) => heldBy(c) === n).length);
  return {
    name: "pmh-card-check",
    description:
      "マイナ保険証 card checks end to end over HTTP at the demo clinic (医療費助成情報 利用する) against PostgreSQL, with 医療費助成 consent (the answer carries the holder's 1–3 受給者証, each answer checked) against the same checks without it, alternating in rounds on one server",
    timed: "Each check: the reader's three requests and the card's RSA-2048 signature (the chip's work, done by the load generator), as in the card-check bench.",
    persons: PERSONS,
    cards: cards.length,
    cardsHolding: { one: held[0], two: held[1], three: held[2] },
    connections: CONNECTIONS,
    seconds: SECONDS,
    rounds: ROUNDS,
    seedSeconds,
    onshi: subsidy,
    baseline,
    ratio: Number((subsidy.checksPerSecond / baseline.checksPerSecond).toFixed(3)),
    targets: { ratio: 0.8 },
  };
}
