// The reader flow in the service layer on each database: verify → session → 保険証利用登録 (PIN
// only) → completion (consent, face file, 利用者リスト), and the session's refusals.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { openAuthority } from "../../src/store/card-authority-store.ts";
import { type Authority } from "../../src/card/authority.ts";
import { issueChallenge } from "../../src/store/card-challenge-store.ts";
import { answerChallenge } from "../../src/store/card-chip-store.ts";
import { type IdentityCheck } from "../../src/card/answer.ts";
import { issueCard } from "../../src/store/card-issue-store.ts";
import { type IssuedCard } from "../../src/card/issue.ts";
import { openReader } from "../../src/store/reader-device-store.ts";
import { vouch, type ReaderKey } from "../../src/card/reader-device.ts";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { FACE_FILE_NAME, faceFolder } from "../../src/gateway/face-file.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import type { CharacterCode } from "../../src/oqs/response-builder.ts";
import { CardReader, SESSION_LIFETIME_MS } from "../../src/services/card-reader.ts";
import { findConsent } from "../../src/store/consent-store.ts";
import { listCardUsers } from "../../src/store/card-user-store.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, loadFixture } from "../support/fixture.ts";

const T0 = new Date("2026-04-01T00:30:00Z"); // 09:30 JST
const FACE = { name: "診療　太郎", address: "東京都千代田区千代田1-1", birthdate: "1980-01-01", sex: 1 as const, expiry: "2031-01-01" };

async function refusedWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => e instanceof OqsError && e.code === code, `expected ${code}`);
}

for (const database of testDatabases()) {
  describe(`reader flow (services) on ${database.name}`, () => {
    let db: Db;
    let faceDir: string;
    let clock = T0;
    let authority: Authority;
    let readers: Record<string, ReaderKey>;
    const opened: Partial<Record<CharacterCode, CardReader>> = {};

    async function service(characterCode: CharacterCode = "0"): Promise<CardReader> {
      opened[characterCode] ??= await CardReader.open({ oqs: { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode }, faceFiles: faceFolder(faceDir) });
      return opened[characterCode]!;
    }

    /** The reader's call to verify after the card answered a fresh challenge. */
    async function verified(card: IssuedCard, check: IdentityCheck, facility = FACILITY.code, characterCode: CharacterCode = "0") {
      const reader = await service(characterCode);
      const { nonce } = reader.challenge(facility);
      const answer = await answerChallenge(db, card.cardId, check, nonce, facility);
      const vouched = check.method === "pin" ? answer : { ...answer, reader: vouch(readers[facility]!, nonce, check.method, card.certificateSerial) };
      return reader.verify(facility, { answer: vouched });
    }

    const issue = (certificateExpiry = "2030-12-31", holderPersonId = 1) =>
      issueCard(db, authority, { face: FACE, certificateExpiry, holderPersonId, pin: "1234" }, new Date("2025-01-01T00:00:00Z"));

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      faceDir = join(await mkdtemp(join(tmpdir(), "onshi-reader-")), "face");
      authority = await openAuthority(db, new Date("2025-01-01T00:00:00Z"));
      readers = {
        [FACILITY.code]: await openReader(db, authority, FACILITY.code, T0),
        [OTHER_FACILITY.code]: await openReader(db, authority, OTHER_FACILITY.code, T0),
      };
    });
    after(async () => {
      await db.close();
      await rm(join(faceDir, ".."), { recursive: true, force: true });
    });

    test("an unregistered card: the face is shown, completion is refused (E7031), registration needs a PIN session (E7029)", async () => {
      const card = await issue();
      const face = await verified(card, { method: "face", matched: true });
      assert.equal(face.registered, false);
      assert.deepEqual(face.holder, { name: FACE.name, birthdate: FACE.birthdate });
      assert.equal(face.scope, "full");
      assert.deepEqual(
        face.consent.offered.map((o) => o.category),
        ["pharmacists", "specificHealthCheckups", "limitCertificate", "specificDiseases"],
        "the factory settings",
      );
      assert.match(face.session, /^[0-9a-f]{64}$/);
      assert.equal(face.expiresAt, new Date(T0.getTime() + SESSION_LIFETIME_MS).toISOString());
      const reader = await service();
      await refusedWith(reader.complete(FACILITY.code, { session: face.session, consent: {} }), "E7031");
      await refusedWith(reader.register(FACILITY.code, { session: face.session }), "E7029");
      const visual = await verified(card, { method: "visual" });
      await refusedWith(reader.register(FACILITY.code, { session: visual.session }), "E7029");
      assert.equal((await db.query("select person_id from cards where card_id = $1", [card.cardId]))[0]!.person_id, null);
    });

    test("registration with a PIN links the card to its holder; the next check resolves to the person and consent, face file and list entry follow", async () => {
      const card = await issue();
      const pin = await verified(card, { method: "pin", pin: "1234" });
      const reader = await service();
      assert.deepEqual(await reader.register(FACILITY.code, { session: pin.session }), { registered: true, holder: { name: "診療　太郎", birthdate: "1980-01-01" } });
      await refusedWith(reader.register(FACILITY.code, { session: pin.session }), "E7030");

      const face = await verified(card, { method: "face", matched: true });
      assert.equal(face.registered, true);
      const done = await reader.complete(FACILITY.code, { session: face.session, consent: { pharmacists: true, specificHealthCheckups: false }, prescriptionIssueSelect: "1" });
      const match = FACE_FILE_NAME.exec(done.faceFile);
      assert.ok(match, done.faceFile);
      assert.equal(match[1], FACILITY.code);
      assert.equal(match[3], "20260401093000");
      const file = decodeXml(await readFile(join(faceDir, done.faceFile)));
      assert.equal(file.charset, "UTF-8");
      const body = (file.tree.XmlMsg as any).MessageBody;
      assert.equal((file.tree.XmlMsg as any).MessageHeader.ReferenceClassification, "1");
      assert.equal(body.QualificationValidity, "1");
      assert.equal(body.PrescriptionIssueSelect, "1");
      const r = body.ResultList.ResultOfQualificationConfirmation[0];
      assert.equal(r.Name, "診療　太郎");
      assert.equal(r.PharmacistsInfoConsFlg, "1");
      assert.equal(r.PharmacistsInfoConsTime, "20260401093000");
      assert.equal(r.PharmacistsInfoAvailableTime, "20260402093000");
      assert.equal(r.SpecificHealthCheckupsInfoConsFlg, "0");
      assert.deepEqual(done.result, file.tree, "the answer is the file's content");

      const consent = await findConsent(db, FACILITY.code, 1);
      assert.deepEqual([...consent!.agreed], ["pharmacists"]);
      assert.equal(consent!.consTime.toISOString(), "2026-04-01T00:30:00.000Z");
      assert.equal(consent!.prescriptionIssue, "1");

      assert.equal(done.user.name, "診療　太郎");
      assert.equal(done.user.method, "face");
      assert.equal(done.user.insurerNumber, "01130012");
      assert.equal(done.user.qualificationValidity, "1");
      assert.equal(done.user.consent.pharmacists, true);
      assert.equal(done.user.consent.specificHealthCheckups, false);
      assert.equal(done.user.faceFile, done.faceFile);
      assert.deepEqual(await listCardUsers(db, FACILITY.code, "2026-04-01"), [done.user]);
      assert.deepEqual(await listCardUsers(db, OTHER_FACILITY.code, "2026-04-01"), [], "another facility's list is its own");

      // Single use: the session is spent.
      await refusedWith(reader.complete(FACILITY.code, { session: face.session, consent: {} }), "E7027");
    });

    test("the face file in Shift_JIS when the terminal says 1", async () => {
      const card = await issue();
      const reader = await service("1");
      const pin = await verified(card, { method: "pin", pin: "1234" }, FACILITY.code, "1");
      await reader.register(FACILITY.code, { session: pin.session }).catch(() => undefined);
      const again = await verified(card, { method: "pin", pin: "1234" }, FACILITY.code, "1");
      const done = await reader.complete(FACILITY.code, { session: again.session, consent: { pharmacists: true } });
      const bytes = await readFile(join(faceDir, done.faceFile));
      assert.match(bytes.subarray(0, 60).toString("latin1"), /encoding="Shift_JIS"/);
      assert.ok(bytes.includes(iconv.encode("診療　太郎", "cp932")), "bytes.includes(iconv.encode(\"診療　太郎\", \"cp932\"))");
    });

    test("a refused completion stores nothing and leaves the session usable", async () => {
      const card = await issue();
      const reader = await service();
      const pin = await verified(card, { method: "pin", pin: "1234" });
      await reader.register(FACILITY.code, { session: pin.session });
      const filesBefore = (await readdir(faceDir)).length;
      const listBefore = await listCardUsers(db, FACILITY.code, "2026-04-01");
      for (const [body, code] of [
        [{ session: pin.session, consent: { operation: true } }, "E8001"],
        [{ session: pin.session, consent: { pharmacists: true }, prescriptionIssueSelect: "3" }, "E8004"],
        [{ session: pin.session, consent: { fingerprints: true } }, "E7033"],
        [{ session: pin.session, consent: { pharmacists: "yes" } }, "E7032"],
        [{ session: pin.session, consent: [] }, "E7032"],
        [{ session: 42 }, "E7032"],
        [{ session: "f".repeat(64) }, "E7025"],
        [{ session: "not-a-session" }, "E7025"],
      ] as const) {
        await refusedWith(reader.complete(FACILITY.code, body), code);
      }
      await refusedWith(reader.complete(OTHER_FACILITY.code, { session: pin.session }), "E7025"); // not yours = does not exist
      assert.equal((await readdir(faceDir)).length, filesBefore);
      assert.deepEqual(await listCardUsers(db, FACILITY.code, "2026-04-01"), listBefore);
      const done = await reader.complete(FACILITY.code, { session: pin.session, consent: {} });
      assert.deepEqual(done.user.consent.pharmacists, false);
    });

    test("a session expires after its lifetime (E7026), exactly at expiry still usable", async () => {
      const card = await issue();
      const reader = await service();
      const first = await verified(card, { method: "pin", pin: "1234" });
      const second = await verified(card, { method: "pin", pin: "1234" });
      clock = new Date(T0.getTime() + SESSION_LIFETIME_MS + 1);
      await refusedWith(reader.register(FACILITY.code, { session: first.session }), "E7026");
      clock = new Date(T0.getTime() + SESSION_LIFETIME_MS);
      await reader.register(FACILITY.code, { session: second.session });
      clock = T0;
    });

    test("in the 3-month grace: qualification only, no consent asked or stored, E7050 in the result and the entry", async () => {
      const card = await issue("2026-03-15");
      const reader = await service();
      const pin = await verified(card, { method: "pin", pin: "1234" });
      assert.equal(pin.scope, "qualification-only");
      assert.equal(pin.warning?.code, "E7050");
      assert.deepEqual(pin.consent, { offered: [], prescription: false });
      await reader.register(FACILITY.code, { session: pin.session });
      const consentBefore = await findConsent(db, FACILITY.code, 1);
      await refusedWith(reader.complete(FACILITY.code, { session: pin.session, consent: { pharmacists: true } }), "E7034");
      await refusedWith(reader.complete(FACILITY.code, { session: pin.session, prescriptionIssueSelect: "1" }), "E7034");
      const done = await reader.complete(FACILITY.code, { session: pin.session, consent: { pharmacists: false } });
      const body = (done.result.XmlMsg as any).MessageBody;
      assert.deepEqual(Object.keys(body).slice(0, 4), ["ProcessingResultStatus", "ProcessingResultCode", "ProcessingResultMessage", "QualificationValidity"]);
      assert.equal(body.ProcessingResultStatus, "1");
      assert.equal(body.ProcessingResultCode, "E7050");
      assert.match(body.ProcessingResultMessage, /3か月/);
      const r = body.ResultList.ResultOfQualificationConfirmation[0];
      assert.equal(r.LimitApplicationCertificateRelatedConsFlg, "0");
      assert.equal(r.LimitApplicationCertificateRelatedInfo, undefined);
      assert.equal(r.PharmacistsInfoConsFlg, undefined, "no viewing consent asked: no flags, as on the 被保険者証 route");
      assert.equal(body.PrescriptionIssueSelect, undefined);
      assert.deepEqual(await findConsent(db, FACILITY.code, 1), consentBefore, "no consent recorded");
      assert.equal(done.user.warning?.code, "E7050");
      assert.deepEqual(done.user.consent, {});
    });

    test("a card whose holder has no qualification on record completes with E8002 refused", async () => {
      await db.query(`insert into persons (person_id, name, name_kana, sex, birthdate) values (50, '無資格　花子', 'ムシカク　ハナコ', 2, '1990-01-01')`);
      const card = await issue("2030-12-31", 50);
      const reader = await service();
      const pin = await verified(card, { method: "pin", pin: "1234" });
      await reader.register(FACILITY.code, { session: pin.session });
      await refusedWith(reader.complete(FACILITY.code, { session: pin.session, consent: {} }), "E8002");
    });

    test("verify refuses a missing answer (E7032) and passes the verifier's codes through", async () => {
      const reader = await service();
      await refusedWith(reader.verify(FACILITY.code, {}), "E7032");
      await refusedWith(reader.verify(FACILITY.code, null), "E7032");
      await refusedWith(reader.verify(FACILITY.code, { answer: { nonce: "0".repeat(64) } }), "E7001");
      const card = await issue();
      const { nonce } = reader.challenge(OTHER_FACILITY.code);
      const answer = await answerChallenge(db, card.cardId, { method: "face", matched: true }, nonce, OTHER_FACILITY.code);
      await refusedWith(reader.verify(OTHER_FACILITY.code, { answer: { ...answer, reader: vouch(readers[FACILITY.code]!, nonce, "face", card.certificateSerial) } }), "E7021");
    });
  });
}
