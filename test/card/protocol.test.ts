import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey, X509Certificate } from "node:crypto";
import type { Db } from "../../src/db/client.ts";
import { openAuthority, revokeCertificate } from "../../src/store/card-authority-store.ts";
import { type Authority } from "../../src/card/authority.ts";
import { issueCard } from "../../src/store/card-issue-store.ts";
import { type IssuedCard } from "../../src/card/issue.ts";
import { issueChallenge } from "../../src/store/card-challenge-store.ts";
import { answerChallenge, cardLocks, resetCardLocks } from "../../src/store/card-chip-store.ts";
import { CardCheckRefused } from "../../src/card/chip.ts";
import { type IdentityCheck } from "../../src/card/answer.ts";
import { CardVerifier } from "../../src/store/card-verifier-store.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { openReader } from "../../src/store/reader-device-store.ts";
import { vouch, type ReaderKey } from "../../src/card/reader-device.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const T0 = new Date("2026-04-01T09:00:00+09:00");
const at = (iso: string) => new Date(iso);
const FACE = { name: "診療　太郎", address: "東京都千代田区千代田1-1", birthdate: "1980-01-01", sex: 1 as const, expiry: "2031-01-01" };

async function refusedWith(promise: Promise<unknown>, code: string): Promise<OqsError> {
  const error = await promise.then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof OqsError, String(error));
  assert.equal(error.code, code);
  return error;
}

for (const database of testDatabases()) {
  describe(`card authority and reader protocol on ${database.name}`, () => {
    let db: Db;
    let authority: Authority;
    let verifier: CardVerifier;
    let card: IssuedCard;
    let reader: ReaderKey;

    /** The card's answer, with the facility reader's vouching for a face or eye check. */
    async function answerAt(c: IssuedCard, identity: IdentityCheck, now = T0) {
      const challenge = await issueChallenge(db, FACILITY.code, now);
      const answer = await answerChallenge(db, c.cardId, identity, challenge.nonce, FACILITY.code);
      return identity.method === "pin" ? answer : { ...answer, reader: vouch(reader, answer.nonce, answer.method, c.certificateSerial) };
    }

    /** One full round: challenge at `now`, the card's answer, verification at `verifyAt`. */
    async function check(c: IssuedCard, identity: IdentityCheck, now = T0, verifyAt = now) {
      return verifier.verify(await answerAt(c, identity, now), verifyAt, FACILITY.code);
    }

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      authority = await openAuthority(db, T0);
      reader = await openReader(db, authority, FACILITY.code, T0);
      verifier = await CardVerifier.open(db);
      card = await issueCard(db, authority, { face: FACE, certificateExpiry: "2030-12-31", holderPersonId: 1, pin: "1234" }, T0);
    });
    after(async () => db.close());

    test("an issued card carries a real certificate from the authority and a face without 個人番号", async () => {
      assert.match(card.cardId, /^[0-9A-F]{16}$/);
      assert.match(card.face.securityCode, /^[0-9]{4}$/);
      assert.equal(card.pin, "1234");
      const [chip] = await db.query<Record<string, unknown>>("select * from card_chips where card_id = $1", [card.cardId]);
      assert.notEqual(chip!.pin_hash, "1234");
      assert.equal(chip!.face_name, FACE.name);
      // The subject names no one; the authority is the issuer.
      assert.match(card.certificatePem, /BEGIN CERTIFICATE/);
      const again = await openAuthority(db, at("2027-01-01T00:00:00Z"));
      assert.equal(again.certificate.serialNumber, authority.certificate.serialNumber, "the authority is made once and kept");
    });

    test("a PIN check verifies end to end: signature, chain, validity; unregistered cards have no person", async () => {
      const verified = await check(card, { method: "pin", pin: "1234" });
      assert.deepEqual(verified, { certificateSerial: card.certificateSerial, method: "pin", scope: "full", personId: null });
      assert.equal((await check(card, { method: "face", matched: true })).method, "face");
      assert.equal((await check(card, { method: "visual" })).method, "visual");
    });

    test("challenge refusals: unknown, malformed, replayed, expired (exactly at expiry still accepted)", async () => {
      const challenge = await issueChallenge(db, FACILITY.code, T0);
      const answer = await answerChallenge(db, card.cardId, { method: "pin", pin: "1234" }, challenge.nonce, FACILITY.code);
      await refusedWith(verifier.verify({ ...answer, nonce: "f".repeat(64) }, T0, FACILITY.code), "E7001");
      await refusedWith(verifier.verify({ ...answer, nonce: "not-hex" }, T0, FACILITY.code), "E7001");
      await refusedWith(verifier.verify({ ...answer, nonce: 42 }, T0, FACILITY.code), "E7001");
      await verifier.verify(answer, challenge.expiresAt, FACILITY.code);
      await refusedWith(verifier.verify(answer, challenge.expiresAt, FACILITY.code), "E7002");
      const late = await issueChallenge(db, FACILITY.code, T0);
      const lateAnswer = await answerChallenge(db, card.cardId, { method: "pin", pin: "1234" }, late.nonce, FACILITY.code);
      await refusedWith(verifier.verify(lateAnswer, new Date(late.expiresAt.getTime() + 1), FACILITY.code), "E7003");
      // The expiry is part of the MAC'd challenge: pushed later, the challenge is no longer ours.
      const pushed = late.nonce.slice(0, 20) + "ffffffffffff" + late.nonce.slice(32);
      await refusedWith(verifier.verify({ ...lateAnswer, nonce: pushed }, T0, FACILITY.code), "E7001");
      // A refused answer does not spend its challenge: answered properly in time, it is accepted, once.
      await refusedWith(verifier.verify({ ...lateAnswer, signature: answer.signature }, T0, FACILITY.code), "E7006");
      await verifier.verify(lateAnswer, T0, FACILITY.code);
      await refusedWith(verifier.verify(lateAnswer, T0, FACILITY.code), "E7002");
    });

    test("challenges cost no database work until accepted, and spent ones are deleted once expired", async () => {
      const spent = async () => (await db.query<{ count: number }>("select count(*)::int as count from card_challenges"))[0]!.count;
      const before = await spent();
      const challenge = await issueChallenge(db, FACILITY.code, T0);
      assert.equal(await spent(), before);
      await verifier.verify(await answerChallenge(db, card.cardId, { method: "pin", pin: "1234" }, challenge.nonce, FACILITY.code), T0, FACILITY.code);
      assert.equal(await spent(), before + 1);
      // A new verifier purges on its first answer: an hour on, every challenge so far has expired.
      const later = new Date(T0.getTime() + 60 * 60_000);
      const next = await issueChallenge(db, FACILITY.code, later);
      await (await CardVerifier.open(db)).verify(await answerChallenge(db, card.cardId, { method: "pin", pin: "1234" }, next.nonce, FACILITY.code), later, FACILITY.code);
      assert.deepEqual(await db.query("select nonce from card_challenges"), [{ nonce: next.nonce }]);
    });

    test("certificate and signature refusals: unreadable, another authority's, tampered, wrong method, revoked", async () => {
      const answerFor = async (c: IssuedCard) => answerChallenge(db, c.cardId, { method: "pin", pin: c.pin }, (await issueChallenge(db, FACILITY.code, T0)).nonce, FACILITY.code);
      for (const bad of ["", "%%%", Buffer.from("not a certificate").toString("base64"), 7]) {
        await refusedWith(verifier.verify({ ...(await answerFor(card)), certificate: bad }, T0, FACILITY.code), "E7004");
      }
      // A card of another authority (its own database), signing a challenge of ours.
      const other = await testDatabases()[0]!.open(); // a schema of its own: another authority's tables
      await loadFixture(other);
      const foreign = await issueCard(other, await openAuthority(other, T0), { face: FACE, certificateExpiry: "2030-12-31", holderPersonId: 1, pin: "1234" }, T0);
      const nonce = (await issueChallenge(db, FACILITY.code, T0)).nonce;
      await refusedWith(verifier.verify(await answerChallenge(other, foreign.cardId, { method: "pin", pin: "1234" }, nonce, FACILITY.code), T0, FACILITY.code), "E7005");
      await other.close();

      const good = await answerFor(card);
      const signature = Buffer.from(good.signature, "base64");
      signature[10] = signature[10]! ^ 0x01;
      await refusedWith(verifier.verify({ ...good, signature: signature.toString("base64") }, T0, FACILITY.code), "E7006");
      const faceSigned = await answerAt(card, { method: "face", matched: true });
      await refusedWith(verifier.verify({ ...faceSigned, method: "pin" }, T0, FACILITY.code), "E7006");
      await refusedWith(verifier.verify({ ...(await answerFor(card)), signature: undefined }, T0, FACILITY.code), "E7006");
      await refusedWith(verifier.verify({ ...(await answerFor(card)), method: "fingerprint" }, T0, FACILITY.code), "E7015");

      const doomed = await issueCard(db, authority, { face: FACE, certificateExpiry: "2030-12-31", holderPersonId: 1 }, T0);
      assert.equal((await check(doomed, { method: "visual" })).scope, "full");
      await revokeCertificate(db, authority, doomed.certificateSerial, T0);
      await refusedWith(check(doomed, { method: "visual" }), "E7007");
      await refusedWith(revokeCertificate(db, authority, "0abc", T0), "E7014");
      assert.equal((await check(card, { method: "visual" })).scope, "full", "other cards stay usable");
    });

    test("the 3-month grace: full through expiry, qualification only with E7050 to the last day, refused the day after", async () => {
      const expiring = await issueCard(db, authority, { face: FACE, certificateExpiry: "2026-04-30", holderPersonId: 1 }, T0);
      const pinCheck = { method: "visual" } as const;
      await refusedWith(check(expiring, pinCheck, at("2026-04-01T08:59:59+09:00")), "E7009");
      assert.equal((await check(expiring, pinCheck, at("2026-04-30T23:59:59+09:00"))).scope, "full");
      const first = await check(expiring, pinCheck, at("2026-05-01T00:00:00+09:00"));
      assert.deepEqual([first.scope, first.warning], ["qualification-only", "E7050"]);
      const last = await check(expiring, pinCheck, at("2026-07-30T23:59:59+09:00"));
      assert.deepEqual([last.scope, last.warning], ["qualification-only", "E7050"]);
      await refusedWith(check(expiring, pinCheck, at("2026-07-31T00:00:00+09:00")), "E7008");
    });

    test("locks on the card: PIN at 3 (2 still works), face at 10 (9 still works), eye check resets neither, 市区町村 reset unlocks", async () => {
      const c = await issueCard(db, authority, { face: FACE, certificateExpiry: "2030-12-31", holderPersonId: 1, pin: "4321" }, T0);
      const wrong = { method: "pin", pin: "0000" } as const;
      const e1 = await refusedWith(check(c, wrong), "E7010");
      assert.equal((e1 as CardCheckRefused).remaining, 2);
      await refusedWith(check(c, wrong), "E7010");
      await check(c, { method: "pin", pin: "4321" });
      assert.deepEqual(await cardLocks(db, c.cardId), { pinFailures: 0, faceFailures: 0 }, "a good PIN resets the PIN count");
      await refusedWith(check(c, wrong), "E7010");
      await refusedWith(check(c, wrong), "E7010");
      await refusedWith(check(c, wrong), "E7011");
      await refusedWith(check(c, { method: "pin", pin: "4321" }), "E7011");
      await refusedWith(check(c, { method: "pin", pin: "12a4" }), "E7016");
      for (let i = 0; i < 9; i++) await refusedWith(check(c, { method: "face", matched: false }), "E7012");
      await check(c, { method: "visual" });
      assert.deepEqual(await cardLocks(db, c.cardId), { pinFailures: 3, faceFailures: 9 }, "eye check resets nothing");
      await refusedWith(check(c, { method: "face", matched: false }), "E7013");
      await refusedWith(check(c, { method: "face", matched: true }), "E7013");
      assert.equal((await check(c, { method: "visual" })).method, "visual", "eye check still works when both are locked");
      assert.deepEqual(await cardLocks(db, c.cardId), { pinFailures: 3, faceFailures: 10 });
      await resetCardLocks(db, c.cardId);
      assert.equal((await check(c, { method: "pin", pin: "4321" })).method, "pin");
      assert.equal((await check(c, { method: "face", matched: true })).method, "face");
      await refusedWith(resetCardLocks(db, "0000000000000000"), "E7014");
      await refusedWith(check({ ...c, cardId: "0000000000000000" }, { method: "visual" }), "E7014");
    });
  });
}

for (const database of testDatabases()) {
  describe(`特定機関認証 (reader vouching) on ${database.name}`, () => {
    let db: Db;
    let authority: Authority;
    let verifier: CardVerifier;
    let card: IssuedCard;
    let reader: ReaderKey;
    const face = { method: "face", matched: true } as const;

    async function faceAnswer(method: "face" | "visual" = "face", facility = FACILITY.code) {
      const challenge = await issueChallenge(db, facility, T0);
      return answerChallenge(db, card.cardId, method === "face" ? face : { method }, challenge.nonce, facility);
    }

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      authority = await openAuthority(db, T0);
      verifier = await CardVerifier.open(db);
      card = await issueCard(db, authority, { face: FACE, certificateExpiry: "2030-12-31", holderPersonId: 1, pin: "1234" }, T0);
      reader = await openReader(db, authority, FACILITY.code, T0);
    });
    after(async () => db.close());

    test("each facility's reader has its own certificate from the authority, with the reader profile, kept across opens", async () => {
      const again = await openReader(db, authority, FACILITY.code, at("2027-01-01T00:00:00Z"));
      assert.equal(again.certificateDer, reader.certificateDer);
      const other = await openReader(db, authority, OTHER_FACILITY.code, T0);
      assert.notEqual(other.certificateDer, reader.certificateDer);
      const cert = new X509Certificate(Buffer.from(reader.certificateDer, "base64"));
      assert.match(cert.subject, new RegExp(`CN=${FACILITY.code}`));
      assert.match(cert.subject, /OU=Tokutei Kikan Reader/);
      assert.ok(cert.checkIssued(new X509Certificate(authority.certificate.toString("pem"))), "cert.checkIssued(new X509Certificate(authority.certificate.toString(\"pem\")))");
    });

    test("a face or eye answer verifies with the facility reader's vouching; a PIN answer needs none", async () => {
      for (const method of ["face", "visual"] as const) {
        const answer = await faceAnswer(method);
        const verified = await verifier.verify({ ...answer, reader: vouch(reader, answer.nonce, method, card.certificateSerial) }, T0, FACILITY.code);
        assert.equal(verified.method, method);
      }
      const pin = await answerChallenge(db, card.cardId, { method: "pin", pin: "1234" }, (await issueChallenge(db, FACILITY.code, T0)).nonce, FACILITY.code);
      assert.equal((await verifier.verify(pin, T0, FACILITY.code)).method, "pin");
    });

    test("refusals: missing (E7017), unreadable (E7018), another authority's (E7019), a card's certificate (E7020), another facility's reader (E7021), forged (E7022)", async () => {
      const vouched = async (make: (answer: Awaited<ReturnType<typeof faceAnswer>>) => unknown, facility = FACILITY.code) => {
        const answer = await faceAnswer("face", facility);
        return verifier.verify({ ...answer, reader: make(answer) } as never, T0, facility);
      };
      await refusedWith(vouched(() => undefined), "E7017");
      await refusedWith(vouched(() => "yes"), "E7017");
      await refusedWith(vouched((a) => ({ ...vouch(reader, a.nonce, "face", card.certificateSerial), certificate: "%%%" })), "E7018");

      const other = await testDatabases()[0]!.open(); // a schema of its own: another authority's tables
      await loadFixture(other);
      const foreignReader = await openReader(other, await openAuthority(other, T0), FACILITY.code, T0);
      await other.close();
      await refusedWith(vouched((a) => vouch(foreignReader, a.nonce, "face", card.certificateSerial)), "E7019");

      // The card cannot vouch for itself: its own certificate and key are not a reader's.
      const [chip] = await db.query<{ private_key_pem: string }>("select private_key_pem from card_chips where card_id = $1", [card.cardId]);
      const asReader: ReaderKey = { facilityCode: FACILITY.code, certificateDer: (await faceAnswer()).certificate, key: createPrivateKey(chip!.private_key_pem) };
      await refusedWith(vouched((a) => vouch(asReader, a.nonce, "face", card.certificateSerial)), "E7020");

      await refusedWith(vouched((a) => vouch(reader, a.nonce, "face", card.certificateSerial), OTHER_FACILITY.code), "E7021");
      // Signed for another card, another challenge, another method, or bit-flipped.
      await refusedWith(vouched((a) => vouch(reader, a.nonce, "face", "0abc")), "E7022");
      await refusedWith(vouched(() => vouch(reader, "f".repeat(64), "face", card.certificateSerial)), "E7022");
      await refusedWith(vouched((a) => vouch(reader, a.nonce, "visual", card.certificateSerial)), "E7022");
      await refusedWith(vouched((a) => ({ ...vouch(reader, a.nonce, "face", card.certificateSerial), signature: undefined })), "E7022");
    });

    test("a revoked reader (E7023) is refused, and the facility's next reader key is a new certificate", async () => {
      const serial = new X509Certificate(Buffer.from(reader.certificateDer, "base64")).serialNumber.toLowerCase();
      await revokeCertificate(db, authority, serial, T0);
      const answer = await faceAnswer();
      await refusedWith(verifier.verify({ ...answer, reader: vouch(reader, answer.nonce, "face", card.certificateSerial) }, T0, FACILITY.code), "E7023");
      const renewed = await openReader(db, authority, FACILITY.code, T0);
      assert.notEqual(renewed.certificateDer, reader.certificateDer);
      const next = await faceAnswer();
      assert.equal((await verifier.verify({ ...next, reader: vouch(renewed, next.nonce, "face", card.certificateSerial) }, T0, FACILITY.code)).method, "face");
      reader = renewed;
    });

    test("a reader certificate outside its validity (E7024): five years on, the facility gets a new one", async () => {
      const later = at("2031-04-02T09:00:00+09:00");
      const longCard = await issueCard(db, authority, { face: FACE, certificateExpiry: "2035-12-31", holderPersonId: 1 }, T0);
      const challenge = await issueChallenge(db, FACILITY.code, later);
      const answer = await answerChallenge(db, longCard.cardId, face, challenge.nonce, FACILITY.code);
      await refusedWith(verifier.verify({ ...answer, reader: vouch(reader, answer.nonce, "face", longCard.certificateSerial) }, later, FACILITY.code), "E7024");
      const renewed = await openReader(db, authority, FACILITY.code, later);
      const next = await answerChallenge(db, longCard.cardId, face, (await issueChallenge(db, FACILITY.code, later)).nonce, FACILITY.code);
      assert.equal((await verifier.verify({ ...next, reader: vouch(renewed, next.nonce, "face", longCard.certificateSerial) }, later, FACILITY.code)).method, "face");
    });
  });
}
