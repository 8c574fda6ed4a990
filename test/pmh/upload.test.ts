// A municipality's upload of 受給者証 (issue 14 item 3) on each database, through the routes: its
// own credential and token, register / update (historyKey) / delete in bulk, idempotent, each bad
// field refused with its code while the other records are stored, another municipality's records
// out of reach (answered as not found), and no 12-digit number in any table, log line or answer.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import { myNumberCheckDigit } from "../../src/domain/my-number.ts";
import { serverLogger } from "../../src/http/log-output.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { seedPopulation } from "../../src/seed/load.ts";
import { syntheticMyNumber } from "../../src/seed/resolution-numbers.ts";
import { issueMunicipalityCredential } from "../../src/services/municipality-credentials.ts";
import { MAX_UPLOAD_RECORDS } from "../../src/services/pmh-upload.ts";
import { UPLOAD_BODY_LIMIT_BYTES } from "../../src/http/routes/pmh/upload.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { findCertificate } from "../../src/store/medical-subsidy-store.ts";
import { Captured } from "../support/cli.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2026-04-01T01:00:00Z");
type Json = Record<string, any>;
/** 八王子市 and 千代田区 (both 東京都, so both may use 13 as 都道府県番号), and 大阪市. */
const HACHIOJI = { code: "132012", credential: "hachioji-credential" };
const CHIYODA = { code: "131016", credential: "chiyoda-credential!" };
const OSAKA = { code: "271004", credential: "osaka-credential-x" };
const NAMBYO_INSURER = withCheckDigit("5413001");
const NAMBYO_RECIPIENT = withCheckDigit("123456");

for (const database of testDatabases()) {
  describe(`PMH upload on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let firstPerson: number;
    const log = new Captured();
    const answers: string[] = [];
    const sentNumbers = new Set<string>();
    let remote = 1;
    let clock = NOW;

    const login = async (m: { code: string; credential: string }) => {
      const res = await app.inject({ method: "POST", url: "/onshi-api/pmh/auth", payload: { municipalityCode: m.code, credential: m.credential }, remoteAddress: `10.9.0.${remote++}` });
      answers.push(res.body);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().idToken as string;
    };
    const tokens: Record<string, string> = {};
    const upload = async (who: string, payload: unknown, headers: Record<string, string> = {}) => {
      const res = await app.inject({ method: "POST", url: "/onshi-api/pmh/certificates", payload: payload as Json, headers: { authorization: tokens[who]!, ...headers } });
      answers.push(res.body);
      return res;
    };
    const record = (personOffset: number, historyKey: string, extra: Json = {}): Json => {
      const myNumber = syntheticMyNumber(firstPerson + personOffset);
      sentNumbers.add(myNumber);
      return {
        historyKey,
        myNumber,
        basicFiveInfo: { name: "八王子 花子", nameKana: "ハチオウジ ハナコ", dateOfBirth: "2025-05-01", sex: "2", address: "東京都八王子市元本郷町三丁目24番1号" },
        isNotDisclosed: "0",
        programmeType: "children",
        medicalSubsidyInsurerNumber: "88138243",
        medicalSubsidyRecipientNumber: "H-000123",
        certificationName: "乳幼児医療証 (マル乳)",
        isAlwaysReimbursement: "0",
        maxCopaymentAmount: { monthly: 0 },
        validFrom: "2026-04-01",
        validTo: "2027-03-31",
        certificationDetail: [{ label: "交付年月日", value: "2026-03-15" }],
        ...extra,
      };
    };

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      firstPerson = (await seedPopulation(db, { persons: 30, seed: 14 })).firstPersonId;
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0" }, tokens: new TokenService(() => clock), logger: serverLogger("debug", "json", log) });
      for (const m of [HACHIOJI, CHIYODA, OSAKA]) await issueMunicipalityCredential(db, m.code, NOW, m.credential);
      for (const m of [HACHIOJI, CHIYODA, OSAKA]) tokens[m.code] = await login(m);
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    test("auth: a wrong credential, an unknown code and a malformed one get one answer; fields not text are E8573", async () => {
      for (const payload of [
        { municipalityCode: HACHIOJI.code, credential: "wrong-credential" },
        { municipalityCode: "011002", credential: HACHIOJI.credential },
        { municipalityCode: "13201", credential: HACHIOJI.credential },
      ]) {
        const res = await app.inject({ method: "POST", url: "/onshi-api/pmh/auth", payload, remoteAddress: `10.9.1.${remote++}` });
        assert.deepEqual([res.statusCode, res.json().code], [401, "E8551"], res.body);
      }
      const res = await app.inject({ method: "POST", url: "/onshi-api/pmh/auth", payload: { municipalityCode: 132012, credential: "x" } });
      assert.deepEqual([res.statusCode, res.json().code], [400, "E8573"], res.body);
    });

    test("auth: failures lock the code for a while, the right credential too (E2007 with Retry-After)", async () => {
      const attempt = (credential: string) =>
        app.inject({ method: "POST", url: "/onshi-api/pmh/auth", payload: { municipalityCode: OSAKA.code, credential }, remoteAddress: `10.9.2.${remote++}` });
      for (let i = 0; i < 5; i++) assert.equal((await attempt(`wrong-credential-${i}`)).json().code, "E8551");
      const locked = await attempt(OSAKA.credential);
      assert.deepEqual([locked.statusCode, locked.json().code], [429, "E2007"], locked.body);
      assert.ok(Number(locked.headers["retry-after"]) > 0, `Retry-After: ${locked.headers["retry-after"]}`);
    });

    test("the token first: none, a facility's, and a forged one are refused before the body; a municipality's token opens no facility route", async () => {
      const none = await app.inject({ method: "POST", url: "/onshi-api/pmh/certificates", payload: "{not json" , headers: { "content-type": "application/json" } });
      assert.deepEqual([none.statusCode, none.json().code], [401, "E2002"], none.body);
      const facility = await app.inject({ method: "POST", url: "/oqs-api-pro/MSA12020/ILI12020SV01/auth", payload: { MedicalInstitutionCode: FACILITY.code, Credential: FACILITY.credential } });
      const facilityToken = facility.json().result.idToken as string;
      const asFacility = await app.inject({ method: "POST", url: "/onshi-api/pmh/certificates", payload: { certificates: [] }, headers: { authorization: facilityToken } });
      assert.deepEqual([asFacility.statusCode, asFacility.json().code], [401, "E2004"], asFacility.body);
      const forged = await app.inject({ method: "POST", url: "/onshi-api/pmh/certificates", payload: { certificates: [] }, headers: { authorization: `${tokens[HACHIOJI.code]}x` } });
      assert.deepEqual([forged.statusCode, forged.json().code], [401, "E2004"], forged.body);
      const search = await app.inject({ method: "POST", url: "/oqs-api-pro/MSA01030/ILI01030SV01/search", payload: {}, headers: { authorization: tokens[HACHIOJI.code]! } });
      assert.equal(search.statusCode, 401, search.body);
      assert.ok(search.body.includes("E2004"), search.body);
    });

    test("register, the same again (nothing changes), update by historyKey, delete, delete again", async () => {
      const first = await upload(HACHIOJI.code, { certificates: [record(0, "H-1"), record(1, "H-2")] });
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(first.json().counts, { registered: 2, updated: 0, unchanged: 0, deleted: 0, refused: 0 });
      const stored = await findCertificate(db, HACHIOJI.code, "H-1");
      assert.equal(stored?.personId, firstPerson, "found by the 個人番号's digest");
      assert.deepEqual([stored?.programme, stored?.insurerNumber, stored?.recipientNumber, stored?.maxCopayment], ["children", "88138243", "H-000123", { monthly: 0 }]);

      const lastWrite = async () => ((await db.query<{ at: string }>("select max(updated_at)::text as at from medical_subsidy_certificates")) as [{ at: string }])[0].at;
      const written = await lastWrite();
      clock = new Date(NOW.getTime() + 60_000);
      const again = await upload(HACHIOJI.code, { certificates: [record(0, "H-1"), record(1, "H-2")] });
      assert.deepEqual(again.json().counts, { registered: 0, updated: 0, unchanged: 2, deleted: 0, refused: 0 });
      assert.equal(await lastWrite(), written, "the same upload again writes nothing");

      const changed = await upload(HACHIOJI.code, { certificates: [record(0, "H-1", { maxCopaymentAmount: { monthly: 2500 } }), record(1, "H-2")] });
      assert.deepEqual(changed.json().results.map((r: Json) => r.result), ["updated", "unchanged"]);
      assert.deepEqual((await findCertificate(db, HACHIOJI.code, "H-1"))?.maxCopayment, { monthly: 2500 });

      const deleted = await upload(HACHIOJI.code, { certificates: [{ historyKey: "H-2", isDeleted: "1" }] });
      assert.deepEqual(deleted.json().results, [{ index: 0, historyKey: "H-2", result: "deleted" }]);
      assert.equal((await findCertificate(db, HACHIOJI.code, "H-2"))?.isDeleted, true);
      const twice = await upload(HACHIOJI.code, { certificates: [{ historyKey: "H-2", isDeleted: "1" }] });
      assert.deepEqual(twice.json().results, [{ index: 0, historyKey: "H-2", result: "unchanged" }]);
      const never = await upload(HACHIOJI.code, { certificates: [{ historyKey: "H-never", isDeleted: "1" }] });
      assert.deepEqual([never.json().results[0].result, never.json().results[0].code], ["refused", "E8568"]);
    });

    test("another municipality cannot touch them: its delete is answered as for a key nobody has, its register makes its own record", async () => {
      await upload(HACHIOJI.code, { certificates: [record(2, "SHARED-1")] });
      const foreign = await upload(CHIYODA.code, { certificates: [{ historyKey: "SHARED-1", isDeleted: "1" }] });
      const nobody = await upload(CHIYODA.code, { certificates: [{ historyKey: "NOBODY-1", isDeleted: "1" }] });
      const strip = (r: Json) => ({ ...r, historyKey: undefined });
      assert.deepEqual(strip(foreign.json().results[0]), strip(nobody.json().results[0]), "one answer for another's key and for no key");
      assert.equal(foreign.json().results[0].code, "E8568");
      assert.equal((await findCertificate(db, HACHIOJI.code, "SHARED-1"))?.isDeleted, false, "八王子市's record is untouched");

      const own = await upload(CHIYODA.code, { certificates: [record(2, "SHARED-1", { maxCopaymentAmount: { monthly: 999 } })] });
      assert.equal(own.json().results[0].result, "registered", "a record of its own");
      assert.deepEqual((await findCertificate(db, HACHIOJI.code, "SHARED-1"))?.maxCopayment, { monthly: 0 }, "八王子市's record is untouched");
      // A 公費負担者番号 of another prefecture is not Osaka's to register.
      const osaka = await upload(OSAKA.code, { certificates: [record(3, "O-1")] });
      assert.deepEqual([osaka.json().results[0].result, osaka.json().results[0].code], ["refused", "E8559"]);
    });

    // Each kind of bad field, one record each, sent together with a good record that is stored.
    const BAD: [string, (n: number) => Json, string][] = [
      ["not an object", () => ["x"] as unknown as Json, "E8555"],
      ["an unknown field", (n) => record(4, `B-${n}`, { shoeSize: "27" }), "E8555"],
      ["no historyKey", (n) => { const r = record(4, `B-${n}`); delete r.historyKey; return r; }, "E8555"],
      ["historyKey too long", () => record(4, "K".repeat(101)), "E8565"],
      ["historyKey with a control character", () => record(4, "K\u0007"), "E8565"],
      ["isDeleted not 0/1", (n) => record(4, `B-${n}`, { isDeleted: "yes" }), "E8564"],
      ["isAlwaysReimbursement a number", (n) => record(4, `B-${n}`, { isAlwaysReimbursement: 1 }), "E8564"],
      ["isNotDisclosed not 0/1", (n) => record(4, `B-${n}`, { isNotDisclosed: "2" }), "E8564"],
      ["no myNumber", (n) => { const r = record(4, `B-${n}`); delete r.myNumber; return r; }, "E8555"],
      ["myNumber a number", (n) => record(4, `B-${n}`, { myNumber: 123456789018 }), "E8555"],
      ["myNumber of 11 digits", (n) => record(4, `B-${n}`, { myNumber: "12345678901" }), "E8556"],
      ["myNumber with a wrong check digit", (n) => record(4, `B-${n}`, { myNumber: "123456789017" }), "E8556"],
      ["myNumber full-width", (n) => record(4, `B-${n}`, { myNumber: "１２３４５６７８９０１８" }), "E8556"],
      ["myNumber valid but nobody's", (n) => record(4, `B-${n}`, { myNumber: `99999999999`.slice(0, 11) + myNumberCheckDigit("99999999999") }), "E8557"],
      ["basicFiveInfo sex 4", (n) => record(4, `B-${n}`, { basicFiveInfo: { sex: "4" } }), "E8570"],
      ["basicFiveInfo a bad birthday", (n) => record(4, `B-${n}`, { basicFiveInfo: { dateOfBirth: "2025-02-30" } }), "E8570"],
      ["basicFiveInfo an unknown field", (n) => record(4, `B-${n}`, { basicFiveInfo: { age: "1" } }), "E8570"],
      ["programmeType unknown", (n) => record(4, `B-${n}`, { programmeType: "pets" }), "E8572"],
      ["no 公費負担者番号", (n) => { const r = record(4, `B-${n}`); delete r.medicalSubsidyInsurerNumber; return r; }, "E8555"],
      ["公費負担者番号 of 7 digits", (n) => record(4, `B-${n}`, { medicalSubsidyInsurerNumber: "8813824" }), "E8558"],
      ["公費負担者番号 with a wrong 検証番号", (n) => record(4, `B-${n}`, { medicalSubsidyInsurerNumber: "88138244" }), "E8558"],
      ["公費負担者番号 of prefecture 48", (n) => record(4, `B-${n}`, { medicalSubsidyInsurerNumber: withCheckDigit("8848824") }), "E8558"],
      ["公費負担者番号 of another prefecture", (n) => record(4, `B-${n}`, { medicalSubsidyInsurerNumber: withCheckDigit("8827001") }), "E8559"],
      ["受給者番号 of a national programme not 7 digits", (n) => record(4, `B-${n}`, { programmeType: "intractableDisease", medicalSubsidyInsurerNumber: NAMBYO_INSURER, medicalSubsidyRecipientNumber: "123456" }), "E8560"],
      ["受給者番号 of a national programme with a wrong check digit", (n) => record(4, `B-${n}`, { programmeType: "intractableDisease", medicalSubsidyInsurerNumber: NAMBYO_INSURER, medicalSubsidyRecipientNumber: NAMBYO_RECIPIENT.slice(0, 6) + ((Number(NAMBYO_RECIPIENT[6]) + 1) % 10) }), "E8560"],
      ["受給者番号 of a local programme over 30 characters", (n) => record(4, `B-${n}`, { medicalSubsidyRecipientNumber: "A".repeat(31) }), "E8560"],
      ["no certificationName", (n) => { const r = record(4, `B-${n}`); delete r.certificationName; return r; }, "E8555"],
      ["certificationName over 100 characters", (n) => record(4, `B-${n}`, { certificationName: "証".repeat(101) }), "E8566"],
      ["segment empty", (n) => record(4, `B-${n}`, { segment: "" }), "E8566"],
      ["incomeSegment with a newline", (n) => record(4, `B-${n}`, { incomeSegment: "a\nb" }), "E8566"],
      ["additionalConditions malformed", (n) => record(4, `B-${n}`, { additionalConditions: "01;02" }), "E8567"],
      ["designatedMedicalInstitutions not an array", (n) => record(4, `B-${n}`, { designatedMedicalInstitutions: FACILITY.code }), "E8563"],
      ["designatedMedicalInstitutions a bad code", (n) => record(4, `B-${n}`, { designatedMedicalInstitutions: ["0110113710"] }), "E8563"],
      ["maxCopaymentAmount a negative amount", (n) => record(4, `B-${n}`, { maxCopaymentAmount: { monthly: -1 } }), "E8562"],
      ["maxCopaymentAmount a fraction", (n) => record(4, `B-${n}`, { maxCopaymentAmount: { perVisit: 10.5 } }), "E8562"],
      ["maxCopaymentAmount an unknown key", (n) => record(4, `B-${n}`, { maxCopaymentAmount: { yearly: 10 } }), "E8562"],
      ["no validFrom", (n) => { const r = record(4, `B-${n}`); delete r.validFrom; return r; }, "E8555"],
      ["validFrom not a date", (n) => record(4, `B-${n}`, { validFrom: "20260401" }), "E8561"],
      ["validTo before validFrom", (n) => record(4, `B-${n}`, { validTo: "2026-03-31" }), "E8561"],
      ["certificationDetail an item without a label", (n) => record(4, `B-${n}`, { certificationDetail: [{ value: "x" }] }), "E8571"],
      ["certificationDetail too many items", (n) => record(4, `B-${n}`, { certificationDetail: Array.from({ length: 51 }, () => ({ label: "l", value: "v" })) }), "E8571"],
      ["orgSpecificCertificateTypeId a number", (n) => record(4, `B-${n}`, { orgSpecificCertificateTypeId: 7 }), "E8555"],
    ];
    test("every kind of bad field is refused with its code in its place, never echoing a 個人番号, and the good record beside it is stored", async () => {
      const res = await upload(HACHIOJI.code, { certificates: [...BAD.map(([, make], i) => make(i)), record(5, "GOOD-1")] });
      assert.equal(res.statusCode, 200, res.body);
      const results = res.json().results as Json[];
      BAD.forEach(([name], i) => {
        assert.equal(results[i]!.result, "refused", `${name}: ${JSON.stringify(results[i])}`);
        assert.equal(results[i]!.code, BAD[i]![2], `${name}: ${JSON.stringify(results[i])}`);
        assert.equal(results[i]!.index, i, name);
      });
      assert.equal(results.at(-1)!.result, "registered", JSON.stringify(results.at(-1)));
      assert.ok(!res.body.includes("12345678901"), "no 個人番号 (nor part of one) is echoed");
      const [{ n }] = (await db.query<{ n: number }>("select count(*)::int as n from medical_subsidy_certificates where history_key like 'B-%'")) as [{ n: number }];
      assert.equal(n, 0, "no refused record was stored");
    });

    test("a key twice in one upload: both refused, nothing stored", async () => {
      const res = await upload(HACHIOJI.code, { certificates: [record(6, "DUP"), record(7, "DUP")] });
      assert.deepEqual(res.json().results.map((r: Json) => r.code), ["E8569", "E8569"]);
      assert.equal(await findCertificate(db, HACHIOJI.code, "DUP"), undefined);
    });

    test("the upload as a whole: no certificates array, another field, none, too many, not JSON", async () => {
      const cases: [unknown, number, string][] = [
        [[record(8, "X")], 400, "E8553"],
        [{ certificates: record(8, "X") }, 400, "E8553"],
        [{ certificates: [record(8, "X")], municipality: "x" }, 400, "E8553"],
        [{ certificates: [] }, 413, "E8554"],
        [{ certificates: Array.from({ length: MAX_UPLOAD_RECORDS + 1 }, (_, i) => ({ historyKey: `D${i}`, isDeleted: "1" })) }, 413, "E8554"],
      ];
      for (const [payload, status, code] of cases) {
        const res = await upload(HACHIOJI.code, payload);
        assert.deepEqual([res.statusCode, res.json().code], [status, code], res.body.slice(0, 200));
      }
      const broken = await upload(HACHIOJI.code, "{\"certificates\": [", { "content-type": "application/json" });
      assert.equal(broken.statusCode, 400, broken.body);
      assert.equal(await findCertificate(db, HACHIOJI.code, "X"), undefined, "nothing stored");
    });

    test("bounded: the auth route reads at most 4 KB, an upload at most 32 MB, and a value nested 2,500 deep is one bad field", async () => {
      const auth = await app.inject({ method: "POST", url: "/onshi-api/pmh/auth", payload: { municipalityCode: HACHIOJI.code, credential: "x".repeat(5000) } });
      assert.deepEqual([auth.statusCode, auth.json().code], [413, "E1011"], auth.body);
      const huge = await upload(HACHIOJI.code, JSON.stringify({ certificates: [{ historyKey: "HUGE", isDeleted: "1", pad: "x".repeat(UPLOAD_BODY_LIMIT_BYTES) }] }), { "content-type": "application/json" });
      assert.deepEqual([huge.statusCode, huge.json().code], [413, "E1011"], huge.body.slice(0, 200));
      const deep = record(9, "DEEP", { certificationDetail: JSON.parse(`${"[".repeat(2500)}${"]".repeat(2500)}`) });
      const res = await upload(HACHIOJI.code, { certificates: [deep] });
      assert.deepEqual([res.statusCode, res.json().results[0].code], [200, "E8571"], res.body.slice(0, 300));
    });

    test("after all of it: no 12-digit number in any table, log line or answer", async () => {
      assert.ok(sentNumbers.size >= 5, "numbers were sent");
      const twelve = /(?<![0-9])[0-9]{12}(?![0-9])/;
      const columns = await db.query<{ table_name: string; column_name: string; data_type: string }>(
        "select table_name, column_name, data_type from information_schema.columns where table_schema = current_schema() order by table_name, ordinal_position",
      );
      assert.ok(columns.some((c) => c.table_name === "person_resolution_digests"), "the schema is read");
      for (const c of columns) {
        if (c.data_type === "bytea") {
          // Digests and keys: raw bytes, never a number's ASCII.
          for (const number of sentNumbers) {
            const [hit] = await db.query(`select 1 from ${c.table_name} where position($1::bytea in ${c.column_name}) > 0 limit 1`, [Buffer.from(number, "ascii")]);
            assert.equal(hit, undefined, `${c.table_name}.${c.column_name} holds a 個人番号`);
          }
          continue;
        }
        // Any sent number anywhere; any 12-digit run outside hex digests and hashes (whose random hex may hold one).
        const hits = await db.query<{ v: string }>(
          `select v from (select ${c.column_name}::text as v from ${c.table_name}) t
           where v like any($1::text[]) or (v ~ '(^|[^0-9])[0-9]{12}([^0-9]|$)' and v !~ '^[0-9a-f:]{32,}$') limit 3`,
          [[...sentNumbers].map((n) => `%${n}%`)],
        );
        assert.deepEqual(hits, [], `${c.table_name}.${c.column_name}`);
      }
      const logged = log.text();
      assert.ok(logged.includes("/onshi-api/pmh/certificates"), "the uploads were logged");
      for (const number of sentNumbers) assert.ok(!logged.includes(number), "a 個人番号 in the log");
      const inLog = twelve.exec(logged);
      assert.equal(inLog, null, `a 12-digit number in the log: ${inLog ? logged.slice(Math.max(0, inLog.index - 200), inLog.index + 40) : ""}`);
      for (const answer of answers) assert.doesNotMatch(answer, twelve, `an answer: ${answer.slice(0, 200)}`);
    });
  });
}
