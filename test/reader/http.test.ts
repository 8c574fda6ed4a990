// The card reader, the simulator and the 利用者リスト over HTTP on each database: the full flow,
// every refusal as a problem body with its code, and the live stream (a real socket: fastify on
// port 0 and a plain http client reading the event stream).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { openAuthority, revokeCertificate } from "../../src/store/card-authority-store.ts";
import { type Authority } from "../../src/card/authority.ts";
import { issueCard } from "../../src/store/card-issue-store.ts";
import { type IssuedCard } from "../../src/card/issue.ts";
import type { Db } from "../../src/db/client.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { CardReader } from "../../src/services/card-reader.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, issueTokens, loadFixture } from "../support/fixture.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";

const T0 = new Date("2026-04-01T00:30:00Z"); // 09:30 JST
const ISSUED = new Date("2025-01-01T00:00:00Z");
const FACE = { name: "診療　太郎", address: "東京都千代田区千代田1-1", birthdate: "1980-01-01", sex: 1 as const, expiry: "2031-01-01" };

type Json = Record<string, any>;

for (const database of testDatabases()) {
  describe(`card reader over HTTP on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let oqsRoot: string;
    let clock = T0;
    let authority: Authority;
    let tokens: Record<string, string>;
    let registered: IssuedCard;
    let unregistered: IssuedCard;

    const post = async (url: string, payload: unknown, facility = FACILITY.code) => {
      const res = await app.inject({ method: "POST", url, payload: payload as object, headers: { authorization: tokens[facility]! } });
      return { status: res.statusCode, body: res.json() as Json };
    };
    const challenge = async (facility = FACILITY.code) => (await post("/onshi-api/reader/challenge", {}, facility)).body.nonce as string;
    /** The simulator's answer for a card, under a fresh challenge. */
    const answer = async (card: IssuedCard, check: Json, facility = FACILITY.code) =>
      (await post(`/onshi-api/simulator/cards/${card.cardId}/answer`, { nonce: await challenge(facility), ...check }, facility)).body.answer as Json;
    const verify = (a: unknown, facility = FACILITY.code) => post("/onshi-api/reader/verify", { answer: a }, facility);
    const refused = (res: { status: number; body: Json }, code: string, status: number) => {
      assert.equal(res.body.code, code, JSON.stringify(res.body));
      assert.equal(res.status, status);
      assert.equal(typeof res.body.message, "string");
      assert.match(res.body.message, /[ぁ-んァ-ン一-龥]/, "a Japanese message");
    };
    const issue = (certificateExpiry = "2030-12-31") => issueCard(db, authority, { face: FACE, certificateExpiry, holderPersonId: 1, pin: "1234" }, ISSUED);

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      oqsRoot = await mkdtemp(join(tmpdir(), "onshi-reader-http-"));
      authority = await openAuthority(db, ISSUED);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0" }, tokens: new TokenService(() => clock), faceFiles: faceFolder(join(oqsRoot, "face")), simulator: true });
      tokens = await issueTokens(app);
      registered = await issue();
      unregistered = await issue();
      const pin = await verify(await answer(registered, { method: "pin", pin: "1234" }));
      assert.equal((await post("/onshi-api/reader/registration", { session: pin.body.session })).status, 200);
    });
    after(async () => {
      await app.close();
      await db.close();
      await rm(oqsRoot, { recursive: true, force: true });
    });

    test("the whole flow: challenge, simulator, verify, complete; the face file lands in <root>/face and the entry in the list", async () => {
      const a = await answer(registered, { method: "face", faceMatched: true });
      assert.deepEqual(Object.keys(a.reader), ["certificate", "signature"]);
      const v = await verify(a);
      assert.equal(v.status, 200);
      assert.equal(v.body.registered, true);
      assert.equal(v.body.holder.name, "診療　太郎");
      const done = await post("/onshi-api/reader/complete", { session: v.body.session, consent: { pharmacists: true }, prescriptionIssueSelect: "2" });
      assert.equal(done.status, 200);
      assert.ok((await readdir(join(oqsRoot, "face"))).includes(done.body.faceFile), "(await readdir(join(oqsRoot, \"face\"))).includes(done.body.faceFile)");
      assert.equal(done.body.result.XmlMsg.MessageHeader.ReferenceClassification, "1");
      // The WebAPI's JSON rendering: ResultList an array of {ResultOfQualificationConfirmation} wrappers.
      assert.equal(done.body.result.XmlMsg.MessageBody.ResultList[0].ResultOfQualificationConfirmation.Name, "診療　太郎");
      assert.equal(done.body.user.prescriptionIssueSelect, "2");
      const list = await app.inject({ method: "GET", url: "/onshi-api/card-users?date=2026-04-01", headers: { authorization: tokens[FACILITY.code]! } });
      assert.deepEqual(list.json().users.at(-1), done.body.user);
      const today = await app.inject({ method: "GET", url: "/onshi-api/card-users", headers: { authorization: tokens[FACILITY.code]! } });
      assert.equal(today.json().date, "2026-04-01");
      const other = await app.inject({ method: "GET", url: "/onshi-api/card-users", headers: { authorization: tokens[OTHER_FACILITY.code]! } });
      assert.deepEqual(other.json().users, []);
    });

    test("the unregistered card: registration with a PIN session, then completion", async () => {
      const face = await verify(await answer(unregistered, { method: "face", faceMatched: true }));
      assert.equal(face.body.registered, false);
      refused(await post("/onshi-api/reader/complete", { session: face.body.session, consent: {} }), "E7031", 403);
      refused(await post("/onshi-api/reader/registration", { session: face.body.session }), "E7029", 403);
      const pin = await verify(await answer(unregistered, { method: "pin", pin: "1234" }));
      const reg = await post("/onshi-api/reader/registration", { session: pin.body.session });
      assert.deepEqual(reg.body, { registered: true, holder: { name: "診療　太郎", birthdate: "1980-01-01" } });
      refused(await post("/onshi-api/reader/registration", { session: pin.body.session }), "E7030", 409);
      assert.equal((await post("/onshi-api/reader/complete", { session: pin.body.session, consent: {} })).status, 200);
    });

    test("simulator refusals: wrong PIN with the tries left, lock, unknown card, bad method, malformed PIN, bad body, no token", async () => {
      const card = await issue();
      const wrong = await post(`/onshi-api/simulator/cards/${card.cardId}/answer`, { nonce: await challenge(), method: "pin", pin: "0000" });
      refused(wrong, "E7010", 401);
      assert.equal(wrong.body.remaining, 2);
      await post(`/onshi-api/simulator/cards/${card.cardId}/answer`, { nonce: await challenge(), method: "pin", pin: "0000" });
      const locked = await post(`/onshi-api/simulator/cards/${card.cardId}/answer`, { nonce: await challenge(), method: "pin", pin: "0000" });
      refused(locked, "E7011", 423);
      assert.equal(locked.body.remaining, 0);
      const miss = await post(`/onshi-api/simulator/cards/${card.cardId}/answer`, { nonce: await challenge(), method: "face", faceMatched: false });
      refused(miss, "E7012", 401);
      assert.equal(miss.body.remaining, 9);
      refused(await post("/onshi-api/simulator/cards/0000000000000000/answer", { nonce: await challenge(), method: "visual" }), "E7014", 404);
      refused(await post(`/onshi-api/simulator/cards/${card.cardId}/answer`, { nonce: await challenge(), method: "iris" }), "E7015", 400);
      refused(await post(`/onshi-api/simulator/cards/${card.cardId}/answer`, { nonce: await challenge(), method: "pin", pin: "12" }), "E7016", 400);
      refused(await post(`/onshi-api/simulator/cards/${card.cardId}/answer`, { nonce: await challenge(), method: "face" }), "E7032", 400);
      refused(await post(`/onshi-api/simulator/cards/${card.cardId}/answer`, { method: "visual" }), "E7032", 400);
      const anonymous = await app.inject({ method: "POST", url: `/onshi-api/simulator/cards/${card.cardId}/answer`, payload: { nonce: "x", method: "visual" } });
      assert.equal(anonymous.json().code, "E2002");
      const cards = (await app.inject({ method: "GET", url: "/onshi-api/simulator/cards", headers: { authorization: tokens[FACILITY.code]! } })).json().cards as Json[];
      const listed = cards.find((c) => c.cardId === card.cardId)!;
      assert.deepEqual(listed.locks, { pinFailures: 3, faceFailures: 1 });
      assert.equal(listed.demo, false, "not a demo card");
    });

    test("verify refusals: replay, expired challenge, another authority, tampered signature, missing and forged vouching, revoked, beyond grace", async () => {
      const good = await answer(registered, { method: "pin", pin: "1234" });
      assert.equal((await verify(good)).status, 200);
      refused(await verify(good), "E7002", 409);

      const late = await answer(registered, { method: "pin", pin: "1234" });
      clock = new Date(T0.getTime() + 61_000);
      refused(await verify(late), "E7003", 410);
      clock = T0;

      const other = await testDatabases()[0]!.open(); // a schema of its own: another authority's tables
      await loadFixture(other);
      const foreign = await issueCard(other, await openAuthority(other, ISSUED), { face: FACE, certificateExpiry: "2030-12-31", holderPersonId: 1, pin: "1234" }, ISSUED);
      const { answerChallenge } = await import("../../src/store/card-chip-store.ts");
      refused(await verify(await answerChallenge(other, foreign.cardId, { method: "pin", pin: "1234" }, await challenge(), FACILITY.code)), "E7005", 403);
      await other.close();

      const tampered = await answer(registered, { method: "pin", pin: "1234" });
      const signature = Buffer.from(tampered.signature, "base64");
      signature[0] = signature[0]! ^ 0xff;
      refused(await verify({ ...tampered, signature: signature.toString("base64") }), "E7006", 403);

      const face = await answer(registered, { method: "face", faceMatched: true });
      refused(await verify({ ...face, reader: undefined }), "E7017", 403);
      const forged = await answer(registered, { method: "visual" });
      const readerSignature = Buffer.from(forged.reader.signature, "base64");
      readerSignature[5] = readerSignature[5]! ^ 0x01;
      refused(await verify({ ...forged, reader: { ...forged.reader, signature: readerSignature.toString("base64") } }), "E7022", 403);
      // Another facility's answer (its challenge, its reader's vouching): the challenge is not ours.
      refused(await verify(await answer(registered, { method: "visual" }, OTHER_FACILITY.code)), "E7001", 400);

      const doomed = await issue();
      const doomedAnswer = await answer(doomed, { method: "pin", pin: "1234" });
      await revokeCertificate(db, authority, doomed.certificateSerial, T0);
      refused(await verify(doomedAnswer), "E7007", 403);

      const old = await issue("2025-12-31");
      refused(await verify(await answer(old, { method: "pin", pin: "1234" })), "E7008", 403);
      const grace = await verify(await answer(await issue("2026-01-01"), { method: "pin", pin: "1234" }));
      assert.equal(grace.body.scope, "qualification-only");
      assert.deepEqual(grace.body.warning.code, "E7050");
    });

    test("session and body refusals: unknown, another facility's, used, expired; bad JSON, a wrong body, unknown consent; no or bad token", async () => {
      const v = await verify(await answer(registered, { method: "pin", pin: "1234" }));
      refused(await post("/onshi-api/reader/complete", { session: "0".repeat(64), consent: {} }), "E7025", 404);
      refused(await post("/onshi-api/reader/complete", { session: v.body.session, consent: {} }, OTHER_FACILITY.code), "E7025", 404); // not yours = does not exist
      refused(await post("/onshi-api/reader/complete", { session: v.body.session, consent: { dna: true } }), "E7033", 400);
      refused(await post("/onshi-api/reader/complete", { session: v.body.session, consent: { operation: true } }), "E8001", 400);
      refused(await post("/onshi-api/reader/complete", { session: v.body.session, consent: {}, prescriptionIssueSelect: "9" }), "E8004", 400);
      assert.equal((await post("/onshi-api/reader/complete", { session: v.body.session, consent: {} })).status, 200);
      refused(await post("/onshi-api/reader/complete", { session: v.body.session, consent: {} }), "E7027", 409);
      const stale = await verify(await answer(registered, { method: "pin", pin: "1234" }));
      clock = new Date(T0.getTime() + 5 * 60_000 + 1);
      refused(await post("/onshi-api/reader/complete", { session: stale.body.session, consent: {} }), "E7026", 410);
      clock = T0;

      const raw = await app.inject({ method: "POST", url: "/onshi-api/reader/verify", headers: { authorization: tokens[FACILITY.code]!, "content-type": "application/json" }, payload: "{not json" });
      refused({ status: raw.statusCode, body: raw.json() }, "E1001", 400);
      refused(await post("/onshi-api/reader/verify", ["answer"]), "E7032", 400);
      refused(await post("/onshi-api/reader/verify", { answer: "yes" }), "E7032", 400);
      refused(await post("/onshi-api/reader/registration", {}), "E7032", 400);
      const anonymous = await app.inject({ method: "POST", url: "/onshi-api/reader/challenge" });
      refused({ status: anonymous.statusCode, body: anonymous.json() }, "E2002", 401);
      const bad = await app.inject({ method: "GET", url: "/onshi-api/card-users", headers: { authorization: "Bearer nonsense" } });
      refused({ status: bad.statusCode, body: bad.json() }, "E2004", 401);
      const badDate = await app.inject({ method: "GET", url: "/onshi-api/card-users?date=2026-02-30", headers: { authorization: tokens[FACILITY.code]! } });
      refused({ status: badDate.statusCode, body: badDate.json() }, "E1008", 400);
    });

    test("no 個人番号 anywhere: no column for one in the schema, no 12-digit value or My Number key in any answer", async () => {
      const columns = await db.query<{ table_name: string; column_name: string }>(
        "select table_name, column_name from information_schema.columns where table_schema = current_schema()",
      );
      assert.ok(columns.some((c) => c.table_name === "cards"), "the schema is read");
      const suspicious = /my_?number|kojin|individual_?number|personal_?number/i;
      assert.deepEqual(columns.filter((c) => suspicious.test(c.column_name) || suspicious.test(c.table_name)), []);
      const answers: unknown[] = [];
      const a = await answer(registered, { method: "face", faceMatched: true });
      const v = await verify(a);
      answers.push(a, v.body, (await post("/onshi-api/reader/complete", { session: v.body.session, consent: { pharmacists: true } })).body);
      answers.push((await app.inject({ method: "GET", url: "/onshi-api/simulator/cards", headers: { authorization: tokens[FACILITY.code]! } })).json());
      answers.push((await app.inject({ method: "GET", url: "/onshi-api/card-users", headers: { authorization: tokens[FACILITY.code]! } })).json());
      const walk = (value: unknown, path: string): void => {
        if (typeof value === "string") assert.doesNotMatch(value, /^\d{12}$/, path);
        else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) {
          assert.doesNotMatch(k, suspicious, path);
          walk(v, `${path}.${k}`);
        }
      };
      answers.forEach((answer, i) => walk(answer, `answer${i}`));
    });

    describe("the live 利用者リスト (server-sent events on a real socket)", () => {
      let base: string;
      before(async () => {
        base = await app.listen({ port: 0, host: "127.0.0.1" });
      });

      /** Opens the stream; events are collected as they arrive. */
      function openStream(headers: Record<string, string> = {}) {
        const events: Json[] = [];
        let res: IncomingMessage | undefined;
        let text = "";
        let ended: () => void;
        const body = new Promise<string>((resolve) => (ended = () => resolve(text)));
        const waiters: (() => void)[] = [];
        const ready = new Promise<IncomingMessage>((resolve, reject) => {
          const req = httpRequest(`${base}/onshi-api/card-users/stream`, { headers }, (r) => {
            res = r;
            r.setEncoding("utf8");
            let buffer = "";
            r.on("end", () => ended());
            r.on("data", (chunk: string) => {
              text += chunk;
              buffer += chunk;
              let end: number;
              while ((end = buffer.indexOf("\n\n")) >= 0) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                const fields = Object.fromEntries(block.split("\n").filter((l) => !l.startsWith(":") && l.includes(":")).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]));
                if (fields.event === "card-user") events.push({ id: fields.id, entry: JSON.parse(fields.data!) });
                for (const w of waiters.splice(0)) w();
              }
            });
            resolve(r);
          });
          req.on("error", reject);
          req.end();
        });
        const until = async (n: number, ms = 5000) => {
          const deadline = Date.now() + ms;
          while (events.length < n) {
            if (Date.now() > deadline) assert.fail(`expected ${n} events, got ${events.length}`);
            await new Promise<void>((r) => {
              waiters.push(r);
              setTimeout(r, 100);
            });
          }
          return events;
        };
        return { ready, events, until, body, close: () => res?.destroy() };
      }

      test("today's entries on connect, then a new completion as event card-user with its sequence as id", async () => {
        const stream = openStream({ authorization: tokens[FACILITY.code]! });
        const res = await stream.ready;
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers["content-type"]), /^text\/event-stream/);
        const today = (await app.inject({ method: "GET", url: "/onshi-api/card-users", headers: { authorization: tokens[FACILITY.code]! } })).json().users as Json[];
        await stream.until(today.length);
        const v = await verify(await answer(registered, { method: "face", faceMatched: true }));
        const done = await post("/onshi-api/reader/complete", { session: v.body.session, consent: { specificHealthCheckups: true } });
        const events = await stream.until(today.length + 1);
        assert.deepEqual(events.at(-1), { id: String(done.body.user.sequence), entry: done.body.user });
        assert.deepEqual(events.map((e) => Number(e.id)), [...today.map((u) => u.sequence), done.body.user.sequence]);
        stream.close();
      });

      test("Last-Event-ID resumes after it; a check completed by another process (no in-process wake-up) arrives by the poll", async () => {
        const today = (await app.inject({ method: "GET", url: "/onshi-api/card-users", headers: { authorization: tokens[FACILITY.code]! } })).json().users as Json[];
        const last = today.at(-1)!.sequence as number;
        const stream = openStream({ authorization: tokens[FACILITY.code]!, "last-event-id": String(last - 1) });
        await stream.ready;
        await stream.until(1);
        assert.deepEqual(stream.events.map((e) => Number(e.id)), [last]);
        // Another server process on the same database: its own CardReader, which wakes no stream here.
        const elsewhere = await CardReader.open({ oqs: { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0" }, faceFiles: faceFolder(join(oqsRoot, "face")) });
        const v = await verify(await answer(registered, { method: "pin", pin: "1234" }));
        const done = await elsewhere.complete(FACILITY.code, { session: v.body.session, consent: {} });
        const events = await stream.until(2);
        assert.deepEqual(events[1], { id: String(done.user.sequence), entry: done.user });
        stream.close();
      });

      test("the stream refuses a missing or bad token with a problem body", async () => {
        for (const [headers, code] of [[{}, "E2002"], [{ authorization: "nonsense" }, "E2004"]] as const) {
          const stream = openStream(headers);
          const res = await stream.ready;
          assert.equal(res.statusCode, 401);
          assert.equal(JSON.parse(await stream.body).code, code);
        }
      });
    });
  });
}
