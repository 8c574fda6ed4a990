// The routes through which the server holding an embedded database's folder runs the command
// line's operations (cards, seed, check): only for the admin token it wrote into the lock file,
// checked before the body is read; each input checked (E9203, the field named); an operation's
// own refusal answered as a line of the stream; absent from a server given no token.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { ADMIN_OPERATIONS_PATH } from "../../src/services/admin-operations.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { loadFixture, TARO } from "../support/fixture.ts";

const T0 = new Date("2026-04-01T00:30:00Z");
const TOKEN = "admin-token-for-the-test";
const NOW = T0.toISOString();

/** The stream's lines, parsed. */
const lines = (body: string) =>
  body
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

for (const database of testDatabases()) {
  describe(`the admin operations of a server holding the data folder, on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    const build = (adminToken?: string) =>
      buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => T0, characterCode: "0" }, tokens: new TokenService(() => T0), adminToken });
    const call = (name: string, payload: unknown, authorization: string | null = `Bearer ${TOKEN}`) =>
      app.inject({ method: "POST", url: `${ADMIN_OPERATIONS_PATH}/${name}`, headers: authorization === null ? {} : { authorization }, payload: payload as object });

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      app = await build(TOKEN);
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("no token or a wrong one is E9202 (401) before the body is read, whatever the body", async () => {
      for (const authorization of [null, "Bearer wrong", TOKEN, `Bearer ${TOKEN}x`]) {
        const res = await call("cards.list", "{not json", authorization);
        assert.equal(res.statusCode, 401, String(authorization));
        assert.equal(res.json().code, "E9202");
        assert.equal(res.headers.connection, "close");
      }
    });

    test("an input that breaks the operation's schema is E9203 (400) naming the field; nothing is run", async () => {
      for (const [name, payload, field] of [
        ["cards.revoke", { now: NOW }, "cardId"],
        ["cards.issue", { now: NOW, person: "1", certificateExpiry: "2030-12-31" }, "person"],
        ["cards.issue", { now: NOW, person: 1, certificateExpiry: "2030-12-31", pin: "12345" }, "pin"],
        ["cards.reset", {}, "cardId"],
        ["seed", { persons: 10_000_001, seed: 1, referenceDate: "2026-04-01" }, "persons"],
        ["check", { now: "yesterday", characterCode: "0", demo: false, request: { jsonText: "{}" } }, "now"],
      ] as const) {
        const res = await call(name, payload);
        assert.equal(res.statusCode, 400, `${name} ${JSON.stringify(payload)}`);
        assert.equal(res.json().code, "E9203");
        assert.match(res.json().message, new RegExp(`管理操作の入力が不正です。\\(${field}`), name);
      }
      const badJson = await app.inject({ method: "POST", url: `${ADMIN_OPERATIONS_PATH}/cards.list`, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, payload: "{" });
      assert.equal(badJson.statusCode, 400);
      assert.equal(badJson.json().code, "E1001");
      // A date of the right shape that does not exist, checked by the operation itself.
      const feb30 = lines((await call("cards.issue", { now: NOW, person: 1, certificateExpiry: "2030-02-30" })).body).at(-1);
      assert.deepEqual(feb30, { error: { code: "E9203", message: "管理操作の入力が不正です。(certificateExpiry)" } });
      assert.deepEqual(lines((await call("cards.list", {})).body), [{ answer: { cards: [] } }]);
    });

    test("each operation answers as the command would: issue, list, revoke, reset, an unknown card or person, seed with its progress, check", async () => {
      const issued = lines((await call("cards.issue", { now: NOW, person: 1, certificateExpiry: "2030-12-31", pin: "4321" })).body);
      const card = (issued.at(-1)!.answer as { cardId: string; pin: string });
      assert.equal(card.pin, "4321");
      const revoked = lines((await call("cards.revoke", { now: NOW, cardId: card.cardId })).body);
      assert.equal((revoked.at(-1)!.answer as { revoked: boolean }).revoked, true);
      const listed = lines((await call("cards.list", {})).body).at(-1)!.answer as { cards: { cardId: string; revoked: boolean }[] };
      assert.deepEqual(listed.cards.map((c) => [c.cardId, c.revoked]), [[card.cardId, true]]);
      assert.deepEqual(lines((await call("cards.reset", { cardId: card.cardId })).body).at(-1), { answer: { cardId: card.cardId, locks: { pinFailures: 0, faceFailures: 0 } } });
      assert.equal((lines((await call("cards.revoke", { now: NOW, cardId: "0000000000000000" })).body).at(-1)!.error as { code: string }).code, "E7014");
      assert.deepEqual(lines((await call("cards.issue", { now: NOW, person: 999, certificateExpiry: "2030-12-31" })).body).at(-1), {
        error: { code: "E9204", message: "人物が見つかりません。(person_id 999)" },
      });

      const seeded = lines((await call("seed", { persons: 30, seed: 3, referenceDate: "2026-04-01" })).body);
      assert.deepEqual(seeded.at(-2), { progress: 30, total: 30 });
      assert.equal((seeded.at(-1)!.answer as { persons: number }).persons, 30);
      assert.equal(((await db.query<{ n: number }>("select count(*)::int as n from persons"))[0]!.n), 31);

      const tree = {
        XmlMsg: {
          MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: "0110113719" },
          MessageBody: { QualificationConfirmSearchInfo: { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0" } },
        },
      };
      const checked = lines((await call("check", { now: NOW, characterCode: "0", demo: false, request: { tree } })).body).at(-1)!.answer as { message: { XmlMsg: { MessageBody: { QualificationValidity: string } } } };
      assert.equal(checked.message.XmlMsg.MessageBody.QualificationValidity, "1");
    });

    test("a server given no admin token has no such routes", async () => {
      const plain = await build();
      try {
        const res = await plain.inject({ method: "POST", url: `${ADMIN_OPERATIONS_PATH}/cards.list`, headers: { authorization: `Bearer ${TOKEN}` }, payload: {} });
        assert.equal(res.statusCode, 404);
      } finally {
        await plain.close();
      }
    });
  });
}
