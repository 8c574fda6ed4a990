// The consent at home (居宅同意取得型) over HTTP on each database: the card signs the facility's home
// challenge after its PIN, the answer is checked by the reader's verifier before the body is read,
// and the consent is recorded for the card's holder alone, with its period; the facility's bulk
// search then lists the holder. A forged, replayed or another facility's answer, one made for the
// reader or the 閲覧履歴, a face check, an unregistered card, an unknown facility and every bad field
// are refused with their codes and record nothing; a withdrawal ends the consent.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Authority } from "../../src/card/authority.ts";
import type { IssuedCard } from "../../src/card/issue.ts";
import type { Db } from "../../src/db/client.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { PORTAL } from "../../src/services/access-history.ts";
import { homeRelyingParty } from "../../src/services/remote-consent.ts";
import { openAuthority } from "../../src/store/card-authority-store.ts";
import { answerChallenge } from "../../src/store/card-chip-store.ts";
import { issueCard } from "../../src/store/card-issue-store.ts";
import { registerCard } from "../../src/store/card-store.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { searchRemoteConsents } from "../../src/store/remote-consent-store.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, issueTokens, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2026-04-01T03:00:00Z"); // 12:00 JST
const ISSUED = new Date("2025-01-01T00:00:00Z");

type Json = Record<string, any>;

for (const database of testDatabases()) {
  describe(`the consent at home on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let oqsRoot: string;
    let authority: Authority;
    let taro: IssuedCard;
    let unregistered: IssuedCard;

    const challenge = async (facility = FACILITY.code) => app.inject({ method: "POST", url: `/onshi-api/home-consent/${facility}/challenge` });
    const nonceFor = async (facility = FACILITY.code) => (await challenge(facility)).json().nonce as string;
    const answer = async (card: IssuedCard, facility = FACILITY.code, nonce?: string, relyingParty = homeRelyingParty(facility)) =>
      answerChallenge(db, card.cardId, { method: "pin", pin: "1234" }, nonce ?? (await nonceFor(facility)), relyingParty) as Promise<Json>;
    const header = (a: unknown) => `OnshiCard ${Buffer.from(JSON.stringify(a)).toString("base64url")}`;
    const send = async (authorization: string | undefined, payload: unknown, facility = FACILITY.code, method: "POST" | "DELETE" = "POST", query = "") => {
      const res = await app.inject({
        method,
        url: `/onshi-api/home-consent/${facility}${query}`,
        headers: authorization === undefined ? {} : { authorization },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      return { status: res.statusCode, body: res.json() as Json };
    };
    const refused = (res: { status: number; body: Json }, code: string, status: number) => {
      assert.equal(res.body.code, code, JSON.stringify(res.body));
      assert.equal(res.status, status, `HTTP ${status} for ${code}`);
      assert.match(res.body.message, /[ぁ-んァ-ン一-龥]/, "a Japanese message");
    };
    const count = async () => Number((await db.query<{ n: string }>("select count(*) as n from remote_consents"))[0]!.n);
    const visit = { treatment: "2", categories: ["pharmacists", "diagnosis"] };

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      await db.query(`insert into persons (person_id, name, name_kana, sex, birthdate) values (3, '未登録　次郎', 'ミトウロク　ジロウ', 1, '1990-09-09')`);
      oqsRoot = await mkdtemp(join(tmpdir(), "onshi-home-"));
      authority = await openAuthority(db, ISSUED);
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens: new TokenService(() => NOW), faceFiles: faceFolder(join(oqsRoot, "face")), simulator: true });
      const issue = (person: number, name: string) =>
        issueCard(db, authority, { face: { name, address: "東京都", birthdate: "1980-01-01", sex: 1, expiry: "2031-01-01" }, certificateExpiry: "2030-12-31", holderPersonId: person, pin: "1234" }, ISSUED);
      taro = await issue(1, "診療　太郎");
      unregistered = await issue(3, "未登録　次郎");
      await registerCard(db, taro.certificateSerial, ISSUED);
    });
    after(async () => {
      await app.close();
      await db.close();
      await rm(oqsRoot, { recursive: true, force: true });
    });

    test("a 訪問診療 consent is recorded for the card's holder for 365 days, and the facility's search lists him", async () => {
      const res = await send(header(await answer(taro)), visit);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, {
        facilityCode: FACILITY.code,
        facilityName: `テスト病院${FACILITY.code}`,
        treatment: "2",
        consentDate: "20260401",
        examinationDate: null,
        validFrom: "20260401",
        validTo: "20270331",
        categories: ["pharmacists", "diagnosis"],
      });
      const listed = await searchRemoteConsents(db, FACILITY.code, { treatment: "2", by: "consent", from: "20260401", to: "20260401" }, "20260401");
      assert.deepEqual(listed.map((c) => c.personId), [1]);
      assert.equal((await searchRemoteConsents(db, OTHER_FACILITY.code, { treatment: "2", by: "consent", from: "20260401", to: "20260401" }, "20260401")).length, 0);
    });

    test("an オンライン診療 consent holds to its booked day; the simulator plays the card at home", async () => {
      const simulated = await app.inject({
        method: "POST",
        url: `/onshi-api/simulator/cards/${taro.cardId}/home-answer`,
        payload: { nonce: await nonceFor(), pin: "1234", facilityCode: FACILITY.code },
      });
      assert.equal(simulated.statusCode, 200, simulated.body);
      const res = await send(header(simulated.json().answer), { treatment: "3", examinationDate: "20260405", categories: [] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.examinationDate, res.body.validTo, res.body.categories], ["20260405", "20260405", []]);
    });

    test("the challenge names the facility, and an unknown or malformed facility is one answer", async () => {
      const res = await challenge();
      assert.equal(res.json().facilityName, `テスト病院${FACILITY.code}`);
      refused({ status: (await challenge("1310100019")).statusCode, body: (await challenge("1310100019")).json() }, "E8804", 404);
      refused({ status: (await challenge("abc")).statusCode, body: (await challenge("abc")).json() }, "E8804", 404);
    });

    test("forged, replayed, another facility's, the reader's (signed for it, or on its challenge) and the 閲覧履歴's answers are refused and record nothing", async () => {
      const before = await count();
      const good = await answer(taro);
      refused(await send(header({ ...good, signature: Buffer.from("forged").toString("base64") }), visit), "E7006", 403);
      assert.equal((await send(header(good), visit)).status, 200, "the refused forgery did not spend the challenge");
      refused(await send(header(good), visit), "E7002", 409);
      refused(await send(header(await answer(taro, OTHER_FACILITY.code)), visit), "E7001", 400);
      refused(await send(header(await answer(taro, FACILITY.code, await nonceFor(), FACILITY.code)), visit), "E7006", 403);
      const tokens = await issueTokens(app);
      const readerNonce = (await app.inject({ method: "POST", url: "/onshi-api/reader/challenge", headers: { authorization: tokens[FACILITY.code]! } })).json().nonce as string;
      refused(await send(header(await answer(taro, FACILITY.code, readerNonce, FACILITY.code)), visit), "E7001", 400);
      const atReader = await app.inject({ method: "POST", url: "/onshi-api/reader/verify", headers: { authorization: tokens[FACILITY.code]! }, payload: { answer: await answer(taro) } });
      assert.equal(atReader.json().code, "E7001", "a home answer is no use at the facility's reader");
      const portalNonce = (await app.inject({ method: "POST", url: "/onshi-api/portal/challenge" })).json().nonce as string;
      refused(await send(header(await answer(taro, FACILITY.code, portalNonce, PORTAL)), visit), "E7001", 400);
      assert.equal(await count(), before + 1, "only the one good answer recorded a consent");
    });

    test("no answer, a face check, an unregistered card and an unknown facility are refused with their codes", async () => {
      const before = await count();
      refused(await send(undefined, visit), "E8800", 401);
      refused(await send("OnshiCard !!!", visit), "E8800", 401);
      refused(await send(header({ ...(await answer(taro)), method: "face" }), visit), "E8801", 403);
      refused(await send(header(await answer(unregistered)), visit), "E8803", 403);
      refused(await send(header(await answer(taro)), visit, "1310100019"), "E8804", 404);
      assert.equal(await count(), before);
    });

    test("each bad field is refused with its code after the card, and records nothing", async () => {
      const before = await count();
      const cases: [unknown, string][] = [
        [{ treatment: "1", categories: [] }, "E8805"],
        [{ categories: [] }, "E8805"],
        [{ treatment: "3", categories: [] }, "E8806"],
        [{ treatment: "3", examinationDate: "20260431", categories: [] }, "E8806"],
        [{ treatment: "3", examinationDate: 20260405, categories: [] }, "E8806"],
        [{ treatment: "3", examinationDate: "20260502", categories: [] }, "E8807"],
        [{ treatment: "3", examinationDate: "20260331", categories: [] }, "E8807"],
        [{ treatment: "2", examinationDate: "20260405", categories: [] }, "E8808"],
        [{ treatment: "2", categories: ["limitCertificate"] }, "E8809"],
        [{ treatment: "2", categories: ["pharmacists", "pharmacists"] }, "E8809"],
        [{ treatment: "2", categories: "pharmacists" }, "E8809"],
        [{ treatment: "2", categories: [], personId: 2 }, "E8817"],
        [[1, 2], "E8817"],
      ];
      for (const [payload, code] of cases) refused(await send(header(await answer(taro)), payload), code, 400);
      assert.equal(await count(), before);
    });

    test("a withdrawal ends the holder's consents of that kind from today, and a second finds none", async () => {
      const withdrawn = await send(header(await answer(taro)), undefined, FACILITY.code, "DELETE", "?treatment=2");
      assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
      assert.ok(withdrawn.body.withdrawn >= 1, `withdrawn ${withdrawn.body.withdrawn}`);
      assert.equal((await searchRemoteConsents(db, FACILITY.code, { treatment: "2", by: "consent", from: "20260401", to: "20260401" }, "20260401")).length, 0);
      refused(await send(header(await answer(taro)), undefined, FACILITY.code, "DELETE", "?treatment=2"), "E8816", 404);
      refused(await send(header(await answer(taro)), undefined, FACILITY.code, "DELETE", "?treatment=9"), "E8805", 400);
    });
  });
}
