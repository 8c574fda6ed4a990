// Recording each answered qualification check (docs/usage.md 「記録」), on each database: the
// counter of each method and transport after checks through each path (個別照会 by the WebAPI
// route, the folder gateway and onshi check, the card reader's completion by face, PIN and eye, 一括照会 rows), 名寄せ of card
// persons per facility and month, the Japanese calendar day at midnight, 100 concurrent checks
// counted exactly, and nothing counted for a refused message or a card check that rolled back.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IdentityCheck } from "../../src/card/answer.ts";
import type { Authority } from "../../src/card/authority.ts";
import type { IssuedCard } from "../../src/card/issue.ts";
import { vouch, type ReaderKey } from "../../src/card/reader-device.ts";
import type { Db } from "../../src/db/client.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";
import { startGateway } from "../../src/gateway/gateway.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { runAdminOperation } from "../../src/services/admin-operations.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { CardReader } from "../../src/services/card-reader.ts";
import type { Caller, OqsContext } from "../../src/services/pipeline/types.ts";
import { openAuthority } from "../../src/store/card-authority-store.ts";
import { answerChallenge } from "../../src/store/card-chip-store.ts";
import { issueCard } from "../../src/store/card-issue-store.ts";
import { registerCard } from "../../src/store/card-store.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { openReader } from "../../src/store/reader-device-store.ts";
import { answerBulkUpload, answerQualificationCheck } from "../support/messages.ts";
import { drain, harness, key, upload } from "../bulk/support.ts";
import { testDatabases } from "../support/databases.ts";
import { checkRequestXml, encodeRequest, waitForFile } from "../gateway/requests.ts";
import { FACILITY, OTHER_FACILITY, TARO, loadFixture } from "../support/fixture.ts";

const T0 = new Date("2026-04-01T00:30:00Z"); // 09:30 JST
const FACE = { name: "診療　太郎", address: "東京都千代田区千代田1-1", birthdate: "1980-01-01", sex: 1 as const, expiry: "2031-01-01" };

function check(facility = FACILITY.code, overrides: Record<string, string> = {}) {
  return {
    XmlMsg: {
      MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: facility },
      MessageBody: { QualificationConfirmSearchInfo: { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0", ...overrides } },
    },
  };
}

type Counts = Record<string, number>;

/** The counters summed over shards, as "facility day method transport" → count. */
async function counters(db: Db): Promise<Counts> {
  const rows = await db.query<{ medical_institution_code: string; day: string; method: string; transport: string; n: number }>(
    `select medical_institution_code, day::text as day, method, transport, sum(count)::int as n from usage_days
     group by 1, 2, 3, 4 order by 1, 2, 3, 4`,
  );
  return Object.fromEntries(rows.map((r) => [`${r.medical_institution_code} ${r.day} ${r.method} ${r.transport}`, r.n]));
}

async function cardPersons(db: Db): Promise<string[]> {
  const rows = await db.query<{ medical_institution_code: string; month: string; person_id: number }>(
    "select medical_institution_code, month::text as month, person_id from usage_card_persons order by 1, 2, 3",
  );
  return rows.map((r) => `${r.medical_institution_code} ${r.month} ${r.person_id}`);
}

for (const database of testDatabases()) {
  describe(`usage recording on ${database.name}`, () => {
    let db: Db;
    let clock = T0;
    let faceDir: string;
    let authority: Authority;
    let readers: Record<string, ReaderKey>;
    let card: IssuedCard;
    const ctx = (more: Partial<OqsContext> = {}): OqsContext => ({ db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0", ...more });
    const ask = (tree: unknown, caller: Partial<Caller>, more: Partial<OqsContext> = {}) => answerQualificationCheck(ctx(more), tree, caller);

    async function reset(): Promise<void> {
      await db.exec("delete from usage_days; delete from usage_card_persons");
    }

    /** A card check at the facility's reader by `check`, completed, through a CardReader over `oqs`. */
    async function cardCheck(identity: IdentityCheck, facility = FACILITY.code, oqs: OqsContext = ctx()) {
      const reader = await CardReader.open({ oqs, faceFiles: faceFolder(faceDir) });
      const { nonce } = reader.challenge(facility);
      const answer = await answerChallenge(db, card.cardId, identity, nonce, facility);
      const vouched = identity.method === "pin" ? answer : { ...answer, reader: vouch(readers[facility]!, nonce, identity.method, card.certificateSerial) };
      const { session } = await reader.verify(facility, { answer: vouched });
      return { reader, session, complete: () => reader.complete(facility, { session, consent: {} }) };
    }

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      faceDir = join(await mkdtemp(join(tmpdir(), "onshi-usage-")), "face");
      authority = await openAuthority(db, new Date("2025-01-01T00:00:00Z"));
      readers = {
        [FACILITY.code]: await openReader(db, authority, FACILITY.code, T0),
        [OTHER_FACILITY.code]: await openReader(db, authority, OTHER_FACILITY.code, T0),
      };
      card = await issueCard(db, authority, { face: FACE, certificateExpiry: "2030-12-31", holderPersonId: 1, pin: "1234" }, new Date("2025-01-01T00:00:00Z"));
      await registerCard(db, card.certificateSerial, new Date("2025-01-01T00:00:00Z"));
    });
    after(async () => {
      await db.close();
      await rm(join(faceDir, ".."), { recursive: true, force: true });
    });

    test("個別照会 counts insurance_number by the transport it came by; a person not found counts too", async () => {
      await reset();
      clock = T0;
      for (const transport of ["webapi", "webapi", "folder", "cli"] as const) {
        const answer = await ask(check(), { transport });
        assert.equal(answer.error, undefined, transport);
      }
      const nobody = await ask(check(FACILITY.code, { InsuredIdentificationNumber: "9999" }), { transport: "webapi" });
      assert.equal(nobody.error, undefined);
      assert.deepEqual(await counters(db), {
        [`${FACILITY.code} 2026-04-01 insurance_number cli`]: 1,
        [`${FACILITY.code} 2026-04-01 insurance_number folder`]: 1,
        [`${FACILITY.code} 2026-04-01 insurance_number webapi`]: 3,
      });
      assert.deepEqual(await cardPersons(db), [], "no card person for a 個別照会");
    });

    test("each way in sets its own transport: the WebAPI route, the folder gateway, onshi check", async () => {
      await reset();
      clock = T0;
      const tokens = new TokenService(() => clock, 600);
      const app = await buildServer({ oqs: ctx(), tokens });
      try {
        const { token } = await tokens.issue(FACILITY.code);
        const res = await app.inject({ method: "POST", url: "/oqs-api-pro/MSA01030/ILI01030SV01/search", headers: { authorization: token }, payload: check() });
        assert.equal(res.statusCode, 200, res.body);
      } finally {
        await app.close();
      }
      const root = await mkdtemp(join(tmpdir(), "onshi-usage-folder-"));
      const gateway = await startGateway({ root, ctx: ctx(), facility: FACILITY.code, settleMs: 200 });
      try {
        const name = "OQSsiquc01req_202604010001.xml";
        await writeFile(join(gateway.folders.req, name), encodeRequest(checkRequestXml(FACILITY.code, { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0" }), "UTF-8"));
        await waitForFile(join(gateway.folders.res, name.replace("req_", "res_")));
      } finally {
        await gateway.close();
        await rm(root, { recursive: true, force: true });
      }
      const cli = await runAdminOperation(db, "check", { now: clock.toISOString(), characterCode: "0", demo: false, request: { tree: check() } });
      assert.equal(cli.error, undefined);
      assert.deepEqual(await counters(db), {
        [`${FACILITY.code} 2026-04-01 insurance_number cli`]: 1,
        [`${FACILITY.code} 2026-04-01 insurance_number folder`]: 1,
        [`${FACILITY.code} 2026-04-01 insurance_number webapi`]: 1,
      });
    });

    test("a refused message counts nothing, nor does a search key refused for its own form", async () => {
      await reset();
      const refused = [
        await ask(check(OTHER_FACILITY.code), { authorizedFacility: FACILITY.code, transport: "webapi" }), // E2005
        await ask(check("1310100019"), { transport: "webapi" }), // E2001: not registered
        await ask({ XmlMsg: { MessageHeader: { MedicalInstitutionCode: FACILITY.code }, MessageBody: {} } }, { transport: "folder" }), // E1xxx
      ];
      assert.deepEqual(
        refused.map((a) => a.error?.slice(0, 2)),
        ["E2", "E2", "E1"],
      );
      const badKey = await ask(check(FACILITY.code, { Birthdate: "19801301" }), { transport: "webapi" });
      assert.equal(badKey.error, undefined, "answered for the person (ProcessingResultStatus 2)");
      assert.deepEqual(await counters(db), {});
    });

    test("recording turned off (only to measure its cost) counts nothing, and the answer is the same", async () => {
      await reset();
      const on = await ask(check(), { transport: "webapi" });
      const off = await ask(check(), { transport: "webapi" }, { recordUsage: false });
      assert.deepEqual(off.message, on.message);
      assert.deepEqual(await counters(db), { [`${FACILITY.code} 2026-04-01 insurance_number webapi`]: 1 });
    });

    test("card checks count card_face, card_pin and card_visual by the reader; one person once per facility and month", async () => {
      await reset();
      clock = T0;
      await (await cardCheck({ method: "face", matched: true })).complete();
      await (await cardCheck({ method: "pin", pin: "1234" })).complete();
      await (await cardCheck({ method: "visual" })).complete();
      await (await cardCheck({ method: "face", matched: true })).complete();
      await (await cardCheck({ method: "face", matched: true }, OTHER_FACILITY.code)).complete();
      clock = new Date("2026-05-07T01:00:00Z");
      await (await cardCheck({ method: "pin", pin: "1234" })).complete();
      assert.deepEqual(await counters(db), {
        [`${FACILITY.code} 2026-04-01 card_face reader`]: 2,
        [`${FACILITY.code} 2026-04-01 card_pin reader`]: 1,
        [`${FACILITY.code} 2026-04-01 card_visual reader`]: 1,
        [`${FACILITY.code} 2026-05-07 card_pin reader`]: 1,
        [`${OTHER_FACILITY.code} 2026-04-01 card_face reader`]: 1,
      });
      assert.deepEqual(
        await cardPersons(db),
        [`${FACILITY.code} 2026-04-01 1`, `${FACILITY.code} 2026-05-01 1`, `${OTHER_FACILITY.code} 2026-04-01 1`],
        "four checks in April at one facility are one person; another facility and another month count again",
      );
    });

    test("a check at 23:59:59 JST counts in that day and month, one at 00:00 JST in the next", async () => {
      await reset();
      clock = new Date("2026-04-30T14:59:59Z"); // 2026-04-30 23:59:59 JST
      await ask(check(), { transport: "webapi" });
      await (await cardCheck({ method: "face", matched: true })).complete();
      clock = new Date("2026-04-30T15:00:00Z"); // 2026-05-01 00:00:00 JST
      await ask(check(), { transport: "webapi" });
      await (await cardCheck({ method: "face", matched: true })).complete();
      assert.deepEqual(await counters(db), {
        [`${FACILITY.code} 2026-04-30 card_face reader`]: 1,
        [`${FACILITY.code} 2026-04-30 insurance_number webapi`]: 1,
        [`${FACILITY.code} 2026-05-01 card_face reader`]: 1,
        [`${FACILITY.code} 2026-05-01 insurance_number webapi`]: 1,
      });
      assert.deepEqual(await cardPersons(db), [`${FACILITY.code} 2026-04-01 1`, `${FACILITY.code} 2026-05-01 1`]);
    });

    test("100 concurrent 個別照会 are counted exactly, however the shards fall", async () => {
      await reset();
      clock = T0;
      const answers = await Promise.all(Array.from({ length: 100 }, () => ask(check(), { transport: "webapi" })));
      assert.deepEqual(answers.filter((a) => a.error !== undefined), []);
      assert.deepEqual(await counters(db), { [`${FACILITY.code} 2026-04-01 insurance_number webapi`]: 100 });
      const shards = await db.query<{ shard: number }>("select shard from usage_days");
      assert.ok(shards.every((r) => r.shard >= 0 && r.shard < 8), `shards ${JSON.stringify(shards)}`);
    });

    test("a card check whose transaction rolls back counts nothing; a session completed twice counts once", async () => {
      await reset();
      clock = T0;
      // The commit fails after the completion's statements ran: the usage record goes with them.
      const failing: Db = {
        kind: db.kind,
        query: (sql, params) => db.query(sql, params),
        exec: (sql) => db.exec(sql),
        copyRows: (table, columns, lines) => db.copyRows(table, columns, lines),
        close: () => db.close(),
        transaction: (fn) =>
          db.transaction(async (tx) => {
            await fn(tx);
            throw new Error("the commit failed");
          }),
      };
      const doomed = await cardCheck({ method: "face", matched: true }, FACILITY.code, ctx({ db: failing }));
      await assert.rejects(doomed.complete(), /the commit failed/);
      assert.deepEqual(await counters(db), {});
      assert.deepEqual(await cardPersons(db), []);

      const twice = await cardCheck({ method: "pin", pin: "1234" });
      const outcomes = await Promise.allSettled([twice.complete(), twice.reader.complete(FACILITY.code, { session: twice.session, consent: {} })]);
      assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, 1);
      const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
      assert.ok(refused.reason instanceof OqsError && refused.reason.code === "E7027", String(refused.reason));
      assert.deepEqual(await counters(db), { [`${FACILITY.code} 2026-04-01 card_pin reader`]: 1 });
    });

    test("一括照会 counts each row answered as bulk_row by its transport; a row refused for its key counts nothing", async () => {
      await reset();
      const h = harness(db);
      const webapi = await answerBulkUpload(h.ctx, upload([key(), key({ InsuredIdentificationNumber: "9999" }), key({ Birthdate: "x" })]));
      assert.equal(webapi.error, undefined);
      const folder = await answerBulkUpload(h.ctx, upload([key()]), { transport: "folder", source: { fileName: "OQSmuquc01req_1.xml", sha256: "0".repeat(64) } });
      assert.equal(folder.error, undefined);
      await drain(h.worker());
      assert.deepEqual(await counters(db), {
        [`${FACILITY.code} 2026-04-01 bulk_row folder`]: 1,
        [`${FACILITY.code} 2026-04-01 bulk_row webapi`]: 2,
      });
    });
  });
}
