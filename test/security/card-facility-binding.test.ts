// Issue 10 item 4: every card answer is bound to the facility that asked. A challenge fetched by
// the hospital and answered at its reader (PIN, face or by eye) cannot be verified by the clinic,
// nor can the hospital's session be registered or completed by the clinic: the clinic is told the
// challenge or session does not exist, exactly as for one never issued. The card's signature
// carries the facility too, so a card answer signed for one facility fails at another even under
// that facility's own challenge. Nothing reaches the clinic: no session, face file or 利用者リスト entry.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { openAuthority } from "../../src/store/card-authority-store.ts";
import { type Authority } from "../../src/card/authority.ts";
import { answerChallenge } from "../../src/store/card-chip-store.ts";
import { type CheckMethod, type IdentityCheck } from "../../src/card/answer.ts";
import { issueCard } from "../../src/store/card-issue-store.ts";
import { type IssuedCard } from "../../src/card/issue.ts";
import { openReader } from "../../src/store/reader-device-store.ts";
import { vouch } from "../../src/card/reader-device.ts";
import { VOUCHED_METHODS } from "../../src/card/answer.ts";
import type { Db } from "../../src/db/client.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, issueTokens, loadFixture } from "../support/fixture.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";

const T0 = new Date("2026-04-01T00:30:00Z");
const ISSUED = new Date("2025-01-01T00:00:00Z");
const FACE = { name: "診療　太郎", address: "東京都千代田区千代田1-1", birthdate: "1980-01-01", sex: 1 as const, expiry: "2031-01-01" };
const HOSPITAL = FACILITY.code;
const CLINIC = OTHER_FACILITY.code;
const CHECKS: Record<CheckMethod, IdentityCheck> = { pin: { method: "pin", pin: "1234" }, face: { method: "face", matched: true }, visual: { method: "visual" } };

type Json = Record<string, any>;

for (const database of testDatabases()) {
  describe(`card answers are bound to the facility that asked, on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let oqsRoot: string;
    let authority: Authority;
    let tokens: Record<string, string>;
    let card: IssuedCard;

    const post = async (url: string, payload: unknown, facility: string) => {
      const res = await app.inject({ method: "POST", url, payload: payload as object, headers: { authorization: tokens[facility]! } });
      return { status: res.statusCode, body: res.json() as Json };
    };
    const challenge = async (facility: string) => (await post("/onshi-api/reader/challenge", {}, facility)).body.nonce as string;
    const usersOf = async (facility: string) =>
      (await app.inject({ method: "GET", url: "/onshi-api/card-users", headers: { authorization: tokens[facility]! } })).json().users as Json[];
    const faceFilesOf = async (facility: string) => (await readdir(join(oqsRoot, "face")).catch(() => [])).filter((name) => name.startsWith(`OQSsiquc01res_face_${facility}`));

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      oqsRoot = await mkdtemp(join(tmpdir(), "onshi-binding-"));
      authority = await openAuthority(db, ISSUED);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => T0, characterCode: "0" }, tokens: new TokenService(() => T0), faceFiles: faceFolder(join(oqsRoot, "face")), simulator: true });
      tokens = await issueTokens(app);
      card = await issueCard(db, authority, { face: FACE, certificateExpiry: "2030-12-31", holderPersonId: 1, pin: "1234" }, ISSUED);
      // Registered by a PIN check at the hospital, so the card can complete.
      const nonce = await challenge(HOSPITAL);
      const { answer } = (await post(`/onshi-api/simulator/cards/${card.cardId}/answer`, { nonce, method: "pin", pin: "1234" }, HOSPITAL)).body;
      const v = await post("/onshi-api/reader/verify", { answer }, HOSPITAL);
      assert.equal((await post("/onshi-api/reader/registration", { session: v.body.session }, HOSPITAL)).status, 200);
    });
    after(async () => {
      await app.close();
      await db.close();
      await rm(oqsRoot, { recursive: true, force: true });
    });

    for (const method of ["pin", "face", "visual"] as const) {
      test(`${method}: the hospital's answer is unknown to the clinic (verify, registration, completion), and stays the hospital's`, async () => {
        const nonce = await challenge(HOSPITAL);
        const body = { nonce, method, ...(method === "pin" ? { pin: "1234" } : {}), ...(method === "face" ? { faceMatched: true } : {}) };
        const { answer } = (await post(`/onshi-api/simulator/cards/${card.cardId}/answer`, body, HOSPITAL)).body;

        // The clinic presents the hospital's answer: refused as a challenge that does not exist.
        const stolen = await post("/onshi-api/reader/verify", { answer }, CLINIC);
        const unknown = await post("/onshi-api/reader/verify", { answer: { ...answer, nonce: "0".repeat(64) } }, CLINIC);
        assert.deepEqual(stolen, { status: 400, body: unknown.body });
        assert.equal(stolen.body.code, "E7001");

        // The clinic's attempt spent nothing: the hospital verifies its own answer.
        const v = await post("/onshi-api/reader/verify", { answer }, HOSPITAL);
        assert.equal(v.status, 200, JSON.stringify(v.body));

        // The hospital's session is unknown to the clinic, worded as a session that does not exist.
        const never = await post("/onshi-api/reader/complete", { session: "f".repeat(64), consent: {} }, CLINIC);
        assert.deepEqual(never.body.code, "E7025");
        assert.deepEqual(await post("/onshi-api/reader/complete", { session: v.body.session, consent: {} }, CLINIC), never);
        assert.deepEqual(await post("/onshi-api/reader/registration", { session: v.body.session }, CLINIC), await post("/onshi-api/reader/registration", { session: "f".repeat(64) }, CLINIC));

        // Nothing at the clinic; the hospital completes its own check.
        const done = await post("/onshi-api/reader/complete", { session: v.body.session, consent: {} }, HOSPITAL);
        assert.equal(done.status, 200, JSON.stringify(done.body));
        assert.deepEqual(await usersOf(CLINIC), []);
        assert.deepEqual(await faceFilesOf(CLINIC), []);
        assert.ok((await faceFilesOf(HOSPITAL)).includes(done.body.faceFile), "(await faceFilesOf(HOSPITAL)).includes(done.body.faceFile)");
        assert.equal((await usersOf(HOSPITAL)).at(-1)!.sequence, done.body.user.sequence);
      });

      test(`${method}: what the card signs names the facility — signed for the hospital, it fails under the clinic's own challenge (E7006)`, async () => {
        const nonce = await challenge(CLINIC);
        const signed = await answerChallenge(db, card.cardId, CHECKS[method], nonce, HOSPITAL);
        // Vouched by the clinic's own reader, so only the card's signature is wrong.
        const reader = await openReader(db, authority, CLINIC, T0);
        const answer = VOUCHED_METHODS.includes(method) ? { ...signed, reader: vouch(reader, nonce, method, card.certificateSerial) } : signed;
        const refused = await post("/onshi-api/reader/verify", { answer }, CLINIC);
        assert.equal(refused.body.code, "E7006", JSON.stringify(refused.body));
        assert.equal(refused.status, 403);
        // The same answer signed for the clinic passes.
        const own = await answerChallenge(db, card.cardId, CHECKS[method], nonce, CLINIC);
        const ok = await post("/onshi-api/reader/verify", { answer: VOUCHED_METHODS.includes(method) ? { ...own, reader: vouch(reader, nonce, method, card.certificateSerial) } : own }, CLINIC);
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
      });
    }
  });
}
