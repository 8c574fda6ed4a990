// マイナ保険証 card checks end to end, per second, against PostgreSQL with the bench population:
// the reader's challenge, the card's signature, the server's verification (challenge spent,
// chain, signature, revocation, validity), the lookup of the registered person's qualification,
// the consent write, the face result file and the 利用者リスト entry; at concurrency 32, against
// a bare baseline in the same run (RSA-2048 verification plus the same indexed lookup, no HTTP);
// and what recording each check costs (docs/usage.md): onshi with usage recording on and off,
// alternating, in the same run.
//
// What is timed: each check is `onshi reader tap`'s flow (src/cli/commands/reader-tap.ts): POST
// challenge → the card signs → POST verify → POST complete. The card's signing is the physical
// chip's work, so the load generator does it (with the card's key, bypassing the simulator's PIN
// check and lock counters, which are the chip's too); it runs inside the timed loop on the same
// two cores, and the baseline's loop signs the same way, so the ratio compares like with like.
import { createPrivateKey, randomBytes, sign, verify, X509Certificate, type KeyObject } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openAuthority } from "../src/store/card-authority-store.ts";
import { signedMessage } from "../src/card/challenges.ts";
import { issueCard } from "../src/store/card-issue-store.ts";
import { tap, type TapRequest } from "../src/cli/commands/reader-tap.ts";
import { ReaderClient, type CardAnswer } from "../src/cli/card-reader-client.ts";
import { openMigrated } from "../src/db/open.ts";
import { parseNow } from "../src/clock.ts";
import { DEMO_FACILITIES } from "../src/seed/demo.ts";
import { closedLoop, keepAliveTransport } from "./card-check-load.ts";
import { CONFIRMATION_DATE, PERSONS, preparePopulation, recordingCost, recordingEnv, root, startServer, stopServer } from "./support.ts";

export const CONNECTIONS = 32;
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
export const WARMUP_SECONDS = 3;
const CARDS = Number(process.env.BENCH_CARDS ?? 500);
const ONSHI_PORT = 18083;
export const PIN = "1234";
/** The server runs from the day the other benches confirm on; cards are issued before it. */
export const SERVER_NOW = parseNow(CONFIRMATION_DATE);
const ISSUED_AT = new Date(SERVER_NOW.getTime() - 90 * 24 * 60 * 60 * 1000);
const CERTIFICATE_EXPIRY = "2030-12-31";

/** A card as the load generator holds it: what its chip would sign with. */
export interface BenchCard {
  cardId: string;
  /** The registered holder. */
  personId: number;
  serial: string;
  certificate: string;
  key: KeyObject;
  publicKey: KeyObject;
}

/** The bench's facility: the demo hospital, whose reader asks for every challenge. */
const FACILITY = DEMO_FACILITIES[0];

/** The card's chip: signs the reader's challenge for the facility's reader (its PIN check passed, as the chip would decide). */
export function signChallenge(card: BenchCard, nonce: string, facilityCode: string = FACILITY.code): CardAnswer {
  return { nonce, method: "pin", certificate: card.certificate, signature: sign("sha256", signedMessage(nonce, facilityCode, "pin"), card.key).toString("base64") };
}

/**
 * Issues the bench's cards to random persons of the population once (RSA key generation takes
 * about 0.1 s a card); the bench's own table remembers them across runs.
 */
export async function ensureCards(url: string): Promise<void> {
  const db = await openMigrated({ url });
  try {
    await db.exec("create table if not exists bench_cards (card_id text primary key references cards (card_id))");
    const count = (await db.query<{ count: number }>("select count(*)::int as count from bench_cards"))[0]!.count;
    if (count >= CARDS) return;
    const authority = await openAuthority(db, ISSUED_AT);
    const persons = await db.query<{ person_id: number; name: string; address: string | null; birthdate: string; sex: 1 | 2 | 3 }>(
      `select p.person_id, p.name, p.address, p.birthdate, p.sex from persons p tablesample system ($2)
       where p.person_id <= $3 and not exists (select 1 from card_holders h where h.person_id = p.person_id)
         and exists (select 1 from qualifications q where q.person_id = p.person_id and q.disqualification_date is null)
       limit $1`,
      [CARDS - count, Math.min(100, Math.max(1, ((CARDS - count) / PERSONS) * 300)), PERSONS],
    );
    console.error(`bench: issuing ${persons.length} cards …`);
    let next = 0;
    const issueWorker = async () => {
      while (next < persons.length) {
        const p = persons[next++]!;
        const card = await issueCard(
          db,
          authority,
          {
            face: { name: p.name, address: p.address ?? "", birthdate: p.birthdate, sex: p.sex, expiry: "2035-12-31" },
            certificateExpiry: CERTIFICATE_EXPIRY,
            holderPersonId: p.person_id,
            pin: PIN,
          },
          ISSUED_AT,
        );
        await db.query("insert into bench_cards (card_id) values ($1)", [card.cardId]);
      }
    };
    await Promise.all(Array.from({ length: 4 }, issueWorker));
  } finally {
    await db.close();
  }
}

/** Registers (保険証利用登録, by PIN, through the simulator) the bench cards not registered yet. */
export async function registerCards(client: ReaderClient, url: string): Promise<{ registered: number; refused: Record<string, number> }> {
  const db = await openMigrated({ url });
  const refused: Record<string, number> = {};
  let registered = 0;
  try {
    const ids = (await db.query<{ card_id: string }>("select b.card_id from bench_cards b join cards c using (card_id) where c.person_id is null")).map((r) => r.card_id);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const cardId = ids[next++]!;
        try {
          await tap(client, DEMO_FACILITIES[0].code, { cardId, check: { method: "pin", pin: PIN }, register: true });
          registered++;
        } catch (error) {
          // A card the server refuses (say its person's key answers 複数該当) is left out of the run.
          const code = (error as { refusal?: { code: string } }).refusal?.code;
          if (code === undefined) throw error;
          refused[code] = (refused[code] ?? 0) + 1;
          await db.query("delete from bench_cards where card_id = $1", [cardId]);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return { registered, refused };
  } finally {
    await db.close();
  }
}

export async function loadCards(url: string): Promise<BenchCard[]> {
  const db = await openMigrated({ url });
  try {
    const rows = await db.query<{ card_id: string; person_id: number; certificate_serial: string; certificate_pem: string; private_key_pem: string }>(
      `select c.card_id, c.person_id, c.certificate_serial, c.certificate_pem, k.private_key_pem
       from bench_cards b join cards c using (card_id) join card_chips k using (card_id) where c.person_id is not null order by c.card_id`,
    );
    return rows.map((r) => {
      const certificate = new X509Certificate(r.certificate_pem);
      return {
        cardId: r.card_id,
        personId: Number(r.person_id),
        serial: r.certificate_serial,
        certificate: certificate.raw.toString("base64"),
        key: createPrivateKey(r.private_key_pem),
        publicKey: certificate.publicKey,
      };
    });
  } finally {
    await db.close();
  }
}

/** The bare baseline's lookup: the registered card's person and qualifications, by certificate serial. */
const BASELINE_LOOKUP = `select p.*, q.* from cards c join persons p on p.person_id = c.person_id
  join qualifications q on q.person_id = c.person_id where c.certificate_serial = $1`;

async function baselineRun(url: string, cards: BenchCard[]) {
  const pool = new pg.Pool({ connectionString: url, max: 16 });
  try {
    return await closedLoop({
      workers: CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      check: async (w, i) => {
        const card = cards[(w * 7919 + i) % cards.length]!;
        const nonce = randomBytes(32).toString("hex");
        const answer = signChallenge(card, nonce);
        if (!verify("sha256", signedMessage(nonce, FACILITY.code, "pin"), card.publicKey, Buffer.from(answer.signature, "base64"))) throw new Error("signature");
        const { rows } = await pool.query({ name: "card-baseline", text: BASELINE_LOOKUP, values: [card.serial] });
        if (rows.length === 0) throw new Error(`no person for ${card.cardId}`);
      },
    });
  } finally {
    await pool.end();
  }
}

/** The card's signing alone, one core: what the load generator spends per check on the chip's work. */
export function signaturesPerSecond(card: BenchCard): number {
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < 1000) signChallenge(card, randomBytes(32).toString("hex")), n++;
  return n;
}

/**
 * onshi's card checks per second with usage recording on or off: a server of its own, the bench
 * cards registered on the first run (the server's simulator), then the closed loop.
 */
async function onshiRun(url: string, recording: boolean) {
  const oqsRoot = await mkdtemp(join(tmpdir(), "onshi-bench-cards-"));
  const onshi = await startServer(
    [root("bin/onshi.js"), "serve", "--demo", "--port", String(ONSHI_PORT), "--now", SERVER_NOW.toISOString(), "--oqs-root", oqsRoot],
    ONSHI_PORT,
    { DATABASE_URL: url, LOG_LEVEL: "error", ...recordingEnv(recording) },
  );
  const http = keepAliveTransport(CONNECTIONS);
  try {
    const client = await ReaderClient.login(`http://127.0.0.1:${ONSHI_PORT}`, FACILITY.code, FACILITY.credential, http.transport);
    const setup = await registerCards(client, url);
    const cards = await loadCards(url);
    if (cards.length === 0) throw new Error("no registered bench cards");
    const result = await closedLoop({
      workers: CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      check: async (w, i) => {
        const card = cards[(w * 7919 + i) % cards.length]!;
        const request: TapRequest = { cardId: card.cardId, check: { method: "pin", pin: PIN }, prescriptionIssueSelect: "1", register: false };
        await tap(client, FACILITY.code, request, async (nonce) => signChallenge(card, nonce));
      },
    });
    return { ...result, setup, cards };
  } finally {
    http.close();
    await stopServer(onshi);
    await rm(oqsRoot, { recursive: true, force: true });
  }
}

export async function benchCardCheck() {
  const { url, seedSeconds } = await preparePopulation();
  await ensureCards(url);
  const measured = await recordingCost((on) => onshiRun(url, on), (run) => run.checksPerSecond);
  // The figures of a run, without the cards it loaded.
  const figures = ({ setup: _setup, cards: _cards, ...run }: Awaited<ReturnType<typeof onshiRun>>) => run;
  const { cards } = measured.runs.on[0]!;
  const onshiResult = figures(measured.runs.on[0]!);
  const recording = { ...measured, runs: { on: measured.runs.on.map(figures), off: measured.runs.off.map(figures) } };
  const baselineResult = await baselineRun(url, cards);

  return {
    name: "card-check",
    description:
      "マイナ保険証 card check end to end over HTTP (POST challenge → card signs → POST verify → POST complete: consent write, face file, 利用者リスト) against PostgreSQL; baseline: RSA-2048 verification plus the same indexed lookup (card serial → person → qualifications) via pg, no HTTP",
    timed:
      "Each check: the reader's three requests and the card's RSA-2048 signature. The signature is the card chip's work, done by the load generator inside the timed loop (the simulator's PIN check and lock counters, also the chip's, are skipped); the baseline's loop signs the same way.",
    method: "pin",
    persons: PERSONS,
    cards: cards.length,
    cardSetup: measured.runs.off[0]!.setup, // the first run registers the cards
    connections: CONNECTIONS,
    seconds: SECONDS,
    seedSeconds,
    cardSignaturesPerSecondOneCore: signaturesPerSecond(cards[0]!),
    onshi: onshiResult,
    baseline: baselineResult,
    recording,
    ratio: Number((onshiResult.checksPerSecond / baselineResult.checksPerSecond).toFixed(3)),
    targets: { ratio: 0.5, checksPerSecond: 1000 },
  };
}
