// The patient's own 閲覧履歴 over HTTP on each database: the card signs the portal's challenge after
// its PIN, the answer is checked by the reader's verifier, and the history answered is the card
// holder's alone (date, facility name, what was viewed, 災害時), newest first, refusals left out.
// Another person's card gets that person's history and never this one's; a forged signature, a
// replayed answer, an answer made for a facility's reader, a face check, no answer, an unregistered
// card and a bad period are each refused with their code.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Authority } from "../../src/card/authority.ts";
import type { IssuedCard } from "../../src/card/issue.ts";
import type { Db } from "../../src/db/client.ts";
import type { AuditEvent } from "../../src/domain/audit.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { PORTAL } from "../../src/services/access-history.ts";
import { appendAudit } from "../../src/store/audit-store.ts";
import { openAuthority } from "../../src/store/card-authority-store.ts";
import { answerChallenge } from "../../src/store/card-chip-store.ts";
import { issueCard } from "../../src/store/card-issue-store.ts";
import { registerCard } from "../../src/store/card-store.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, issueTokens, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2026-04-01T03:00:00Z"); // 12:00 JST
const ISSUED = new Date("2025-01-01T00:00:00Z");

type Json = Record<string, any>;

const view = (personId: number, at: string, facilityCode: string, over: Partial<AuditEvent> = {}): AuditEvent => ({
  at: new Date(at),
  facilityCode,
  actor: { kind: "staff", account: "dr", role: "doctor" },
  channel: "terminal",
  personId,
  categories: ["pharmacists", "diagnosis"],
  basis: { kind: "consent", consTime: new Date(at) },
  result: "shown",
  ...over,
});

for (const database of testDatabases()) {
  describe(`the patient's own 閲覧履歴 on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let oqsRoot: string;
    let authority: Authority;
    let taro: IssuedCard;
    let hanako: IssuedCard;
    let unregistered: IssuedCard;

    const portalChallenge = async () => (await app.inject({ method: "POST", url: "/onshi-api/portal/challenge" })).json().nonce as string;
    /** What the card hands back after its PIN, for `relyingParty`'s challenge. */
    const answer = async (card: IssuedCard, nonce?: string, relyingParty = PORTAL) =>
      answerChallenge(db, card.cardId, { method: "pin", pin: "1234" }, nonce ?? (await portalChallenge()), relyingParty) as Promise<Json>;
    const header = (a: unknown) => `OnshiCard ${Buffer.from(JSON.stringify(a)).toString("base64url")}`;
    const history = async (authorization: string | undefined, query = "") => {
      const res = await app.inject({ method: "GET", url: `/onshi-api/portal/access-history${query}`, headers: authorization === undefined ? {} : { authorization } });
      return { status: res.statusCode, body: res.json() as Json };
    };
    const refused = (res: { status: number; body: Json }, code: string, status: number) => {
      assert.equal(res.body.code, code, JSON.stringify(res.body));
      assert.equal(res.status, status, `HTTP ${status} for ${code}`);
      assert.match(res.body.message, /[ぁ-んァ-ン一-龥]/, "a Japanese message");
      assert.equal(res.body.entries, undefined, "no history with a refusal");
    };

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      await db.query(
        `insert into persons (person_id, name, name_kana, sex, birthdate, address, post_number) values
         (2, '閲覧　花子', 'エツラン　ハナコ', 2, '1975-05-05', '北海道札幌市', '060-0001'), (3, '未登録　次郎', 'ミトウロク　ジロウ', 1, '1990-09-09', '東京都港区', '105-0001')`,
      );
      oqsRoot = await mkdtemp(join(tmpdir(), "onshi-portal-"));
      authority = await openAuthority(db, ISSUED);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens: new TokenService(() => NOW), faceFiles: faceFolder(join(oqsRoot, "face")), simulator: true });
      const issue = (person: number, name: string) =>
        issueCard(db, authority, { face: { name, address: "東京都", birthdate: "1980-01-01", sex: 1, expiry: "2031-01-01" }, certificateExpiry: "2030-12-31", holderPersonId: person, pin: "1234" }, ISSUED);
      taro = await issue(1, "診療　太郎");
      hanako = await issue(2, "閲覧　花子");
      unregistered = await issue(3, "未登録　次郎");
      await registerCard(db, taro.certificateSerial, ISSUED);
      await registerCard(db, hanako.certificateSerial, ISSUED);
      for (const event of [
        view(1, "2026-03-30T01:00:00Z", FACILITY.code),
        view(2, "2026-03-30T02:00:00Z", FACILITY.code, { categories: ["specificHealthCheckups"] }),
        view(1, "2026-03-31T05:00:00Z", OTHER_FACILITY.code, { categories: ["operation"], actor: { kind: "system" }, channel: "file", basis: { kind: "disaster", declarationId: 1, consent: "none" } }),
        view(1, "2026-03-31T06:00:00Z", OTHER_FACILITY.code, { basis: undefined, result: "E8003" }),
        view(1, "2026-03-31T16:30:00Z", FACILITY.code, { categories: ["specificHealthCheckups"] }), // 2026-04-01 01:30 JST
      ]) {
        await db.transaction((tx) => appendAudit(tx, event));
      }
    });
    after(async () => {
      await app.close();
      await db.close();
      await rm(oqsRoot, { recursive: true, force: true });
    });

    test("the card's holder sees their views, newest first: date (Japan time), facility, what was viewed, 災害時; refused views are not listed", async () => {
      const res = await history(header(await answer(taro)));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, {
        from: null,
        to: null,
        more: false,
        entries: [
          { date: "2026-04-01", at: "2026-03-31T16:30:00.000Z", facilityCode: FACILITY.code, facilityName: `テスト病院${FACILITY.code}`, categories: ["特定健診情報"], disaster: false },
          { date: "2026-03-31", at: "2026-03-31T05:00:00.000Z", facilityCode: OTHER_FACILITY.code, facilityName: `テスト病院${OTHER_FACILITY.code}`, categories: ["手術情報"], disaster: true },
          { date: "2026-03-30", at: "2026-03-30T01:00:00.000Z", facilityCode: FACILITY.code, facilityName: `テスト病院${FACILITY.code}`, categories: ["薬剤情報", "診療情報"], disaster: false },
        ],
      });
      // The simulator plays the card at home: PIN in, the signed answer out.
      const simulated = await app.inject({ method: "POST", url: `/onshi-api/simulator/cards/${taro.cardId}/portal-answer`, payload: { nonce: await portalChallenge(), pin: "1234" } });
      assert.equal(simulated.statusCode, 200, simulated.body);
      const march = await history(header(simulated.json().answer), "?from=2026-03-31&to=2026-03-31");
      assert.deepEqual(march.body.entries.map((e: Json) => e.at), ["2026-03-31T05:00:00.000Z"], "from/to are days in Japan time, both included");
    });

    test("another person's card answers with that person's history only, never this one's", async () => {
      const res = await history(header(await answer(hanako)));
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.entries.map((e: Json) => [e.date, e.categories]), [["2026-03-30", ["特定健診情報"]]], "花子's one view, none of 太郎's");
      // 太郎's answer with 花子's certificate in it: the signature is 太郎's key's, so it does not verify.
      const mixed = { ...(await answer(taro)), certificate: (await answer(hanako)).certificate };
      refused(await history(header(mixed)), "E7006", 403);
    });

    test("a forged signature, a replayed answer, and an answer made for a facility's reader are refused", async () => {
      const good = await answer(taro);
      const forged = { ...good, signature: Buffer.from("forged").toString("base64") };
      refused(await history(header(forged)), "E7006", 403);
      assert.equal((await history(header(good))).status, 200, "the refused forgery did not spend the challenge");
      refused(await history(header(good)), "E7002", 409);
      // A reader's challenge, signed for the facility: the portal does not take it, nor the reader the portal's.
      const tokens = await issueTokens(app);
      const readerNonce = (await app.inject({ method: "POST", url: "/onshi-api/reader/challenge", headers: { authorization: tokens[FACILITY.code]! } })).json().nonce as string;
      refused(await history(header(await answer(taro, readerNonce, FACILITY.code))), "E7001", 400);
      const portalAnswer = await answer(taro);
      const atReader = await app.inject({ method: "POST", url: "/onshi-api/reader/verify", headers: { authorization: tokens[FACILITY.code]! }, payload: { answer: portalAnswer } });
      assert.equal(atReader.json().code, "E7001", "the portal's answer is no use at a reader");
    });

    test("no answer, a face check, an unregistered card and a bad period are refused with their codes", async () => {
      refused(await history(undefined), "E7100", 401);
      refused(await history("OnshiCard !!!"), "E7100", 401);
      refused(await history(`Bearer ${Buffer.from("{}").toString("base64url")}`), "E7100", 401);
      refused(await history(header({ ...(await answer(taro)), method: "face" })), "E7101", 403);
      refused(await history(header(await answer(unregistered))), "E7103", 403);
      refused(await history(header(await answer(taro)), "?from=2026-02-30"), "E7104", 400);
      refused(await history(header(await answer(taro)), "?from=2026-04-02&to=2026-04-01"), "E7105", 400);
    });
  });
}
