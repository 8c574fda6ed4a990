// Issue 10 item 1, "the database may go away; onshi may not": a PostgreSQL cluster of the test's
// own is restarted (pg_ctl restart -m fast) and its postmaster killed (kill -9, then started
// again) while the bulk worker holds chunks inside transactions and card readers run checks. The
// test process must stay alive (a client's connection error unhandled would end it), every answer
// a client gets must be a normal one or E9002 (503 with Retry-After), and once the database is
// back every bulk unit is answered exactly once and every completed card check has its 利用者リスト
// entry, its consent record and its face file, none twice.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { spawn } from "node:child_process";
import { once } from "node:events";
import type { FastifyInstance } from "fastify";
import { openAuthority } from "../../src/store/card-authority-store.ts";
import { answerChallenge } from "../../src/store/card-chip-store.ts";
import { issueCard } from "../../src/store/card-issue-store.ts";
import { type IssuedCard } from "../../src/card/issue.ts";
import { openDb, type Db } from "../../src/db/client.ts";
import { CATEGORY_NAMES } from "../../src/domain/consent.ts";
import { migrate } from "../../src/db/migrate.ts";
import { isDatabaseUnavailable } from "../../src/db/unavailable.ts";
import { CARD_USERS_PATH } from "../../src/http/routes/cards/card-users.ts";
import { BULK_RESULT_PATH, BULK_UPLOAD_PATH } from "../../src/http/routes/oqs/bulk.ts";
import { READER_PATHS } from "../../src/http/routes/card-reader/card-reader-routes.ts";
import { DATABASE_RETRY_AFTER_SECONDS } from "../../src/http/retry-after.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { processQualificationChunk } from "../../src/services/bulk-check.ts";
import { BulkWorker } from "../../src/services/bulk-worker.ts";
import { registerCard } from "../../src/store/card-store.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { download, key, NOW, upload } from "../bulk/support.ts";
import { FACILITY, issueTokens, loadFixture, TARO } from "../support/fixture.ts";
import { BIN, onshi } from "../support/onshi-bin.ts";
import { postgresBinaries, startOwnPostgres, type OwnPostgres } from "../support/own-postgres.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";

const bin = postgresBinaries();
if (!bin && process.env.CI) throw new Error("CI では PostgreSQL (initdb, pg_ctl) が必須です: /usr/lib/postgresql/*/bin にありません。");
const skip = !bin && "PostgreSQL のバイナリ (initdb, pg_ctl) が /usr/lib/postgresql/*/bin にないため、障害試験を skip します。";

const RECEPTIONS = 3;
const ROWS = 300;
const CHUNK = 10;
/** Each chunk holds its transaction open this long between its queries, so restarts land inside one. */
const CHUNK_HOLD_MS = 40;
/** One reader per card, each checking its card again and again. */
const CARDS = 4;
/** The categories the factory consent settings offer. */
const OFFERED = ["pharmacists", "specificHealthCheckups", "limitCertificate", "specificDiseases"] as const;

type Json = Record<string, any>;
interface Seen {
  route: string;
  status: number;
  code?: string;
  retryAfter?: string;
}

let pg: OwnPostgres;
let db: Db;
let app: FastifyInstance;
let worker: BulkWorker;
let root: string;
let tokens: Record<string, string>;
const cards: IssuedCard[] = [];
const seen: Seen[] = [];
const workerErrors: unknown[] = [];

before(async () => {
  if (skip) return;
  pg = await startOwnPostgres(bin!);
  db = await openDb({ url: pg.url, poolSize: 4 });
  await migrate(db);
  await loadFixture(db);
  // One card per person, so each person's consent record belongs to that card's checks alone.
  for (let id = 2; id <= CARDS; id++) {
    await db.query(`insert into persons (person_id, name, name_kana, sex, birthdate, address, post_number)
      values ($1, '診療　次郎', 'シンリョウ　ジロウ', 1, '1980-01-01', '東京都千代田区', '100-0001')`, [id]);
    await db.query(
      `insert into qualifications (qualification_id, person_id, insurer_number, insured_card_classification, insured_card_symbol,
         insured_identification_number, insured_branch_number, personal_family_classification, insured_name, qualification_date)
       values ($1, $1, '01130012', '01', '1234', $2, '00', 1, '診療　次郎', '2020-04-01')`,
      [id, `90${id}`],
    );
  }
  const authority = await openAuthority(db, NOW);
  const face = { name: "診療　太郎", address: "東京都千代田区千代田1-1", birthdate: "1980-01-01", sex: 1 as const, expiry: "2031-01-01" };
  for (let id = 1; id <= CARDS; id++) {
    const card = await issueCard(db, authority, { face, certificateExpiry: "2030-12-31", holderPersonId: id, pin: "1234" }, NOW);
    await registerCard(db, card.certificateSerial, NOW);
    cards.push(card);
  }
  root = await mkdtemp(join(tmpdir(), "onshi-outage-"));
  const oqs = { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" as const };
  app = await buildServer({ oqs, tokens: new TokenService(() => NOW, 3600), faceFiles: faceFolder(join(root, "face")) });
  tokens = await issueTokens(app);
  worker = new BulkWorker({
    db,
    now: () => NOW,
    settings: { chunkSize: CHUNK },
    processors: { muquc: async (tx, reception, rows) => (await sleep(CHUNK_HOLD_MS), processQualificationChunk(tx, reception, rows)) },
    pollMs: 20,
    retryMs: { first: 100, max: 500 },
    onError: (error) => workerErrors.push(error),
  });
});

after(async () => {
  if (skip) return;
  await worker?.stop();
  await app?.close();
  await db?.close();
  await pg?.remove();
  if (root) await rm(root, { recursive: true, force: true });
});

/** A request as a client makes it; every answer is kept for the final check. */
async function post(route: string, payload: unknown, method: "POST" | "GET" = "POST"): Promise<{ status: number; body: Json }> {
  const res = await app.inject({ method, url: route, ...(method === "POST" ? { payload: payload as object } : {}), headers: { authorization: tokens[FACILITY.code]! } });
  const body = res.json() as Json;
  const code = body.code ?? body.errorCode ?? body.XmlMsg?.MessageHeader?.ErrorCode;
  seen.push({ route: route.split("?")[0]!, status: res.statusCode, code, retryAfter: res.headers["retry-after"] as string | undefined });
  return { status: res.statusCode, body };
}

const unavailable = (res: { status: number; body: Json }) => res.status === 503;

/** Uploads until accepted, waiting between tries as Retry-After says (shortened: the test has no 5 s to spare). */
async function uploadRows(rows: XmlTree[]): Promise<string> {
  for (;;) {
    const res = await post(BULK_UPLOAD_PATH, upload(rows));
    if (res.status === 200) return res.body.XmlMsg.MessageBody.ReceptionNumber as string;
    assert.ok(unavailable(res), JSON.stringify(res.body));
    await sleep(100);
  }
}

/** A reader checking one card again and again, as patients come, starting over after any E9002. */
async function reader(card: IssuedCard, personId: number, running: () => boolean, completed: Map<number, number>): Promise<void> {
  let n = 0;
  while (running()) {
    const challenge = await post(READER_PATHS.challenge, {});
    if (unavailable(challenge)) {
      await sleep(50);
      continue;
    }
    let answer;
    try {
      // The card itself (its chip) is simulated in this process.
      answer = await answerChallenge(db, card.cardId, { method: "pin", pin: "1234" }, challenge.body.nonce, FACILITY.code);
    } catch (error) {
      assert.ok(isDatabaseUnavailable(error), String(error));
      await sleep(50);
      continue;
    }
    const verified = await post(READER_PATHS.verify, { answer });
    if (unavailable(verified)) continue;
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    n++;
    const consent = Object.fromEntries(OFFERED.map((c, i) => [c, ((n + personId) >> i) % 2 === 1]));
    // The patient's retry of the same session after E9002 must work: a failed commit left it usable.
    for (;;) {
      const done = await post(READER_PATHS.complete, { session: verified.body.session, consent });
      if (done.status === 200) {
        completed.set(personId, (completed.get(personId) ?? 0) + 1);
        break;
      }
      assert.ok(unavailable(done), JSON.stringify(done.body));
      await sleep(50);
    }
    await sleep(10);
  }
}

/** Other clients meanwhile: a 個別照会 and the 利用者リスト, over and over. */
async function browse(running: () => boolean): Promise<void> {
  const search = {
    XmlMsg: {
      MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: FACILITY.code },
      MessageBody: { QualificationConfirmSearchInfo: { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0" } },
    },
  };
  while (running()) {
    await post("/oqs-api-pro/MSA01030/ILI01030SV01/search", search);
    await post(`${CARD_USERS_PATH}?date=2026-04-01`, undefined, "GET");
    await sleep(20);
  }
}

test("a PostgreSQL restart and a killed postmaster during bulk work and card checks: onshi stays up, answers E9002, loses and doubles nothing", { skip, timeout: 240_000 }, async () => {
  const rowsOf = (r: number) =>
    Array.from({ length: ROWS }, (_, i) => key({ Birthdate: (i + r) % 3 === 0 ? "19800101" : "19800102", InsuredBranchNumber: (i + r) % 7 === 0 ? "0x" : "00" }));
  const expectedOf = (r: number) => rowsOf(r).map((_, i) => ((i + r) % 7 === 0 ? "E3003" : (i + r) % 3 === 0 ? "1" : "4"));

  let clientsRunning = true;
  const completed = new Map<number, number>();
  const receptions: string[] = [await uploadRows(rowsOf(0)), await uploadRows(rowsOf(1))];
  worker.start();
  const clients = [...cards.map((card, i) => reader(card, i + 1, () => clientsRunning, completed)), browse(() => clientsRunning)];
  const unfinished = async () => (await db.query<{ n: number }>("select count(*)::int as n from receptions where finished_at is null"))[0]!.n;
  try {
    await sleep(600);
    assert.ok((await unfinished()) > 0, "bulk work is still going on when the server restarts");
    await pg.restart();
    await sleep(800);
    await pg.kill();
    const third = uploadRows(rowsOf(2)); // tried while connections are refused, accepted once the server is back
    await sleep(1000);
    await pg.start();
    receptions.push(await third);
    await sleep(800);
  } finally {
    clientsRunning = false;
    await Promise.allSettled(clients);
  }
  await Promise.all(clients); // a client's own assertion failed: report it

  const deadline = Date.now() + 120_000;
  while ((await unfinished()) > 0) {
    assert.ok(Date.now() < deadline, "the bulk worker did not finish after the database came back");
    await sleep(50);
  }

  // The outage was felt, and only as E9002.
  assert.ok(workerErrors.length > 0, "a chunk's transaction was cut by the restart");
  for (const error of workerErrors) assert.ok(isDatabaseUnavailable(error), `worker error not an outage: ${String(error)}`);
  const refused = seen.filter((s) => s.status !== 200);
  assert.ok(refused.length > 0, "clients asked while the database was down");
  for (const s of refused) {
    assert.deepEqual(s, { ...s, status: 503, code: "E9002", retryAfter: String(DATABASE_RETRY_AFTER_SECONDS) }, `an answer during the outage: ${JSON.stringify(s)}`);
  }
  assert.ok(refused.some((s) => s.route === BULK_UPLOAD_PATH), "an upload was refused while the database was down");

  // Bulk: every unit answered exactly once, in input order, nothing else stored.
  for (const [r, number] of receptions.entries()) {
    const res = await post(BULK_RESULT_PATH, download(number));
    assert.equal(res.status, 200);
    const units = res.body.XmlMsg.MessageBody.BulkConfirmUnit as XmlTree[];
    assert.equal(res.body.XmlMsg.MessageHeader.NumberOfProcessingResult, String(ROWS));
    assert.deepEqual(units.map((u) => u.QualificationConfirmSearchInfo), rowsOf(r));
    assert.deepEqual(units.map((u) => u.ProcessingResultCode ?? u.QualificationValidity), expectedOf(r));
  }
  const [stored] = await db.query<{ receptions: number; results: number }>(
    "select (select count(*)::int from receptions) as receptions, (select count(*)::int from reception_results) as results",
  );
  assert.deepEqual(stored, { receptions: RECEPTIONS, results: RECEPTIONS * ROWS });

  // Card checks: one 利用者リスト entry and one face file per completed check; the consent record
  // of each person is the one its last completed check chose.
  const total = [...completed.values()].reduce((a, b) => a + b, 0);
  assert.ok(total > 0, "card checks completed");
  const entries = await db.query<{ person_id: number; entry: Json }>("select person_id, entry from card_users order by sequence");
  assert.equal(entries.length, total, "one 利用者リスト entry per completed check");
  for (let id = 1; id <= CARDS; id++) assert.equal(entries.filter((e) => e.person_id === id).length, completed.get(id) ?? 0, `person ${id}'s entries`);
  const faceFiles = (await readdir(join(root, "face"))).sort();
  assert.deepEqual(faceFiles, entries.map((e) => e.entry.faceFile as string).sort(), "one face file per entry, no other file");
  const consents = await db.query<Json>("select * from consents order by person_id");
  assert.deepEqual(consents.map((c) => c.person_id), [...completed.keys()].sort((a, b) => a - b), "a consent record for each person checked, no other");
  for (const row of consents) {
    const last = entries.filter((e) => e.person_id === row.person_id).at(-1)!.entry.consent as Record<string, boolean>;
    const stored = Object.fromEntries(CATEGORY_NAMES.map((c) => [c, row[c.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)]]));
    assert.deepEqual(stored, last, `person ${row.person_id}'s consent is that of the last check`);
  }
});

test("onshi serve keeps answering while its PostgreSQL is down: E9002 with Retry-After, then normal answers once it is back", { skip, timeout: 240_000 }, async () => {
  await db.exec("create database serve_outage");
  const url = pg.url.replace(/\/postgres$/, "/serve_outage");
  const child = spawn(process.execPath, [BIN, "serve", "--demo", "--port", "0", "--oqs-root", join(root, "serve")], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "fatal" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    let banner = "";
    child.stdout!.on("data", (chunk) => (banner += chunk));
    const deadline = Date.now() + 120_000;
    while (!/POST (http:\/\/\S+)\/oqs-api-pro\/MSA12020/.test(banner)) {
      assert.ok(Date.now() < deadline && child.exitCode === null, `onshi serve did not start: ${banner}`);
      await sleep(50);
    }
    const base = /POST (http:\/\/\S+)\/oqs-api-pro\/MSA12020/.exec(banner)![1];
    const auth = async () => {
      const res = await fetch(`${base}/oqs-api-pro/MSA12020/ILI12020SV01/auth`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ MedicalInstitutionCode: FACILITY.code, Credential: "wrong" }),
      });
      const body = (await res.json()) as Json;
      return { status: res.status, code: body.errorCode, retryAfter: res.headers.get("retry-after") };
    };
    assert.deepEqual(await auth(), { status: 401, code: "E2006", retryAfter: null });
    await pg.kill();
    assert.deepEqual(await auth(), { status: 503, code: "E9002", retryAfter: String(DATABASE_RETRY_AFTER_SECONDS) });
    await pg.start();
    assert.deepEqual(await auth(), { status: 401, code: "E2006", retryAfter: null }, "recovered without a restart of onshi");
    assert.equal(child.exitCode, null, "onshi serve is still running");
  } finally {
    child.kill("SIGKILL");
    if (child.exitCode === null) await once(child, "exit");
  }
});

test("a command started while the database cannot be reached ends with the Japanese E9002 message and exit code 75, no stack trace", { timeout: 120_000 }, async () => {
  const env = { ...process.env, DATABASE_URL: "postgres://postgres@127.0.0.1:1/onshi" };
  for (const args of [["serve", "--port", "0"], ["seed", "--persons", "1"]]) {
    const { code, stdout, stderr } = await onshi(args, env);
    assert.equal(code, 75, `${args[0]}: ${stderr}`);
    assert.match(stderr, /^エラー: E9002 データベースに接続できません。/, args[0]);
    assert.doesNotMatch(stderr, /\n\s+at /, `${args[0]}: no stack trace`);
    assert.equal(stdout, "", `${args[0]} announced nothing`);
  }
});
