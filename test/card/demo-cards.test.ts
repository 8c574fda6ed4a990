// The demo cards on each database: each in its documented state on the demo date, loaded once.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { issueChallenge } from "../../src/store/card-challenge-store.ts";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { DEMO_CARDS, DEMO_CARD_IDS, DEMO_PIN } from "../../src/seed/demo-cards.ts";
import { DEMO_FACILITIES, loadDemo } from "../../src/seed/demo.ts";
import { CardReader } from "../../src/services/card-reader.ts";
import { listSimulatedCards, simulateAnswer } from "../../src/services/card-simulator.ts";
import { openAuthority } from "../../src/store/card-authority-store.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";

const DEMO_NOW = new Date("2026-04-01T09:30:00+09:00");
const HOSPITAL = DEMO_FACILITIES[0].code;

for (const database of testDatabases()) {
  describe(`demo cards on ${database.name}`, () => {
    let db: Db;
    let faceDir: string;
    let reader: CardReader;

    /** A PIN check of a demo card at the demo hospital on the demo date: verify's answer, or the refusal's code. */
    async function pinCheck(cardId: string) {
      const { nonce } = await issueChallenge(db, HOSPITAL, DEMO_NOW);
      const answer = await simulateAnswer(db, await openAuthority(db, DEMO_NOW), HOSPITAL, cardId, { nonce, method: "pin", pin: DEMO_PIN }, DEMO_NOW);
      return reader.verify(HOSPITAL, { answer }).catch((e: unknown) => (e instanceof OqsError ? e.code : Promise.reject(e)));
    }

    before(async () => {
      db = await database.open();
      assert.equal(await loadDemo(db), true);
      assert.equal(await loadDemo(db), false);
      faceDir = await mkdtemp(join(tmpdir(), "onshi-demo-cards-"));
      reader = await CardReader.open({ oqs: { db, facilities: new FacilityDirectory(db), now: () => DEMO_NOW, characterCode: "0" }, faceFiles: faceFolder(faceDir) });
    });
    after(async () => {
      await db.close();
      await rm(faceDir, { recursive: true, force: true });
    });

    test("loaded once, listed by the simulator as demo cards, registered and revoked as documented", async () => {
      const cards = await listSimulatedCards(db, DEMO_CARD_IDS);
      assert.deepEqual(cards.map((c) => c.cardId), DEMO_CARDS.map((c) => c.cardId));
      for (const [i, card] of cards.entries()) {
        const demo = DEMO_CARDS[i]!;
        assert.equal(card.face.name, demo.name);
        assert.equal(card.demo, true);
        assert.equal(card.certificateExpiry, demo.certificateExpiry);
        assert.equal(card.registered, demo.state !== "unregistered", demo.cardId);
        assert.equal(card.revoked, demo.state === "revoked", demo.cardId);
      }
    });

    test("on the demo date: registered, unregistered, in the grace (E7050), revoked (E7007)", async () => {
      const [registered, unregistered, grace, revoked] = await Promise.all(DEMO_CARDS.slice(0, 4).map((c) => pinCheck(c.cardId)));
      assert.deepEqual([typeof registered === "object" && registered.registered, typeof registered === "object" && registered.holder.name], [true, "山田　太郎"]);
      assert.equal(typeof unregistered === "object" && unregistered.registered, false);
      assert.deepEqual(typeof grace === "object" && [grace.scope, grace.warning?.code], ["qualification-only", "E7050"]);
      assert.equal(revoked, "E7007");
    });

    test("the twin's card answers the twin alone (QualificationValidity 1, not 5)", async () => {
      const twin = await pinCheck(DEMO_CARDS[5]!.cardId);
      assert.ok(typeof twin === "object", "typeof twin === \"object\"");
      const done = await reader.complete(HOSPITAL, { session: twin.session, consent: {} });
      assert.equal(done.user.qualificationValidity, "1");
      assert.equal(done.user.name, "中村　優");
    });
  });
}
