// The 取りまとめ者's routes on each database, in process as a browser or a vendor's program meets
// them: registration and its list, a batch as CSV and as JSON Lines with its per-line results and
// read back, a retry under the same Idempotency-Key answered again; refused before the body is read
// without a vendor's session (none, an examiner's, no CSRF token), and each kind of bad request
// with its own code: no key, another Content-Type, a bad mode, a body over the bound.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import { VENDOR_PATHS } from "../../src/http/routes/office/vendor.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { addOfficeAccount } from "../../src/services/office-accounts.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { MAX_BATCH_BYTES } from "../../src/subsidy/batch-lines.ts";
import { testDatabases } from "../support/databases.ts";

const NOW = new Date("2021-10-15T03:00:00Z");
const PASSWORD = "correct-horse-battery";
const CLINIC = withCheckDigit("131000101");
const HOSPITAL = withCheckDigit("131000102");
type Json = Record<string, any>;
interface Session {
  cookie: string;
  csrf: string;
}

const line = (facilityCode: string, kind: string) =>
  JSON.stringify({ facilityCode, program: "fund-2020", profile: { kind, projects: [{ program: "fund-2020", cost: 429_000, readerAppliedOn: "2021-02-01", completedOn: "2021-08-31" }] } });

for (const database of testDatabases()) {
  describe(`the 取りまとめ者's routes on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let address = 1;
    let vendor: Session;
    let examiner: Session;
    let keys = 0;

    const signIn = async (loginId: string): Promise<Session> => {
      const res = await app.inject({ method: "POST", url: "/office/api/sign-in", payload: { loginId, password: PASSWORD }, remoteAddress: `10.8.0.${address++}` });
      assert.equal(res.statusCode, 200, res.body);
      return { cookie: (res.headers["set-cookie"] as string).split(";")[0]!, csrf: res.json().csrfToken };
    };
    const send = (who: Session | undefined, url: string, payload: string, contentType: string, options: { key?: string | null; csrf?: boolean } = {}) => {
      const key = options.key === undefined ? `key-${++keys}` : options.key;
      return app.inject({
        method: "POST",
        url,
        payload,
        headers: {
          "content-type": contentType,
          ...(who ? { cookie: who.cookie } : {}),
          ...(who && options.csrf !== false ? { "x-csrf-token": who.csrf } : {}),
          ...(key !== null ? { "idempotency-key": key } : {}),
        },
      });
    };
    const get = (who: Session | undefined, url: string) => app.inject({ method: "GET", url, headers: who ? { cookie: who.cookie } : {} });
    const refused = (res: { statusCode: number; body: string; headers: Record<string, unknown> }, code: string, status: number) => {
      const body = JSON.parse(res.body) as Json;
      assert.equal(body.code, code, res.body);
      assert.equal(res.statusCode, status, code);
      assert.match(body.message, /[ぁ-んァ-ン一-龥]/, "a Japanese message");
    };

    before(async () => {
      db = await database.open();
      for (const [code, kind] of [[CLINIC, "medical_clinic"], [HOSPITAL, "hospital"]]) {
        await db.query("insert into facilities (medical_institution_code, name, kind, prefecture) values ($1, $2, $3, 13)", [code, `施設${code}`, kind]);
      }
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens: new TokenService(() => NOW) });
      await addOfficeAccount(db, { loginId: "vendor", role: "vendor", displayName: "取りまとめ株式会社", password: PASSWORD }, NOW);
      await addOfficeAccount(db, { loginId: "shinsa", role: "examiner", displayName: "審査 一郎", password: PASSWORD }, NOW);
      vendor = await signIn("vendor");
      examiner = await signIn("shinsa");
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("register, then a batch: per-line results, 201 when any case opened, read back by its id; a retry answered again", async () => {
      const registration = await send(vendor, VENDOR_PATHS.facilities, JSON.stringify({ facilities: [CLINIC, HOSPITAL, "0000000000"] }), "application/json");
      assert.equal(registration.statusCode, 200, registration.body);
      const answer = registration.json() as Json;
      assert.deepEqual([answer.registered, answer.refused.map((r: Json) => r.code)], [[CLINIC, HOSPITAL], ["E9246"]]);
      assert.deepEqual((await get(vendor, VENDOR_PATHS.facilities)).json().facilities.map((f: Json) => f.code), [CLINIC, HOSPITAL]);

      const text = [line(CLINIC, "medical_clinic"), "{oops", line(HOSPITAL, "medical_clinic")].join("\n");
      const key = "batch-2021-10-15-a";
      const res = await send(vendor, `${VENDOR_PATHS.batches}?mode=partial`, text, "application/x-ndjson", { key });
      assert.equal(res.statusCode, 201, res.body);
      const batch = res.json() as Json;
      assert.deepEqual([batch.accepted, batch.refused, batch.outcome], [1, 2, "partly_accepted"]);
      assert.deepEqual(batch.errors.map((e: Json) => [e.line, e.field, e.code]), [[2, "(行全体)", "E9536"], [3, "profile.kind", "E9513"]]);
      assert.deepEqual((await get(vendor, VENDOR_PATHS.batch.replace(":id", String(batch.batchId)))).json(), batch);
      assert.deepEqual((await get(vendor, VENDOR_PATHS.batches)).json().batches.map((b: Json) => b.batchId), [batch.batchId]);

      const retry = await send(vendor, `${VENDOR_PATHS.batches}?mode=partial`, text, "application/x-ndjson", { key });
      assert.deepEqual([retry.statusCode, retry.json()], [201, batch], "the first answer again");
      refused(await send(vendor, `${VENDOR_PATHS.batches}?mode=all_or_nothing`, text, "application/x-ndjson", { key }), "E9508", 409);
      const rows = await db.query<{ n: number }>("select count(*)::int as n from subsidy_cases");
      assert.equal(Number(rows[0]!.n), 1, "one case, however often the batch was sent");

      const csv = await send(vendor, `${VENDOR_PATHS.batches}?mode=all_or_nothing`, `facilityCode,program,facilityKind,cost,completedOn\r\n${HOSPITAL},fund-2020,hospital,2000000,2021-08-31\r\n`, "text/csv; charset=utf-8");
      assert.equal(csv.statusCode, 201, csv.body);
      assert.deepEqual([csv.json().format, csv.json().outcome], ["csv", "accepted"]);
      const none = await send(vendor, `${VENDOR_PATHS.batches}?mode=all_or_nothing`, line(CLINIC, "medical_clinic"), "application/jsonl");
      assert.equal(none.statusCode, 422, "no case opened");
      assert.deepEqual([none.json().code, none.json().errors[0].code], ["E9539", "E9506"]);
    });

    test("only a vendor's session, checked before the body: none, an examiner's, no CSRF token; another vendor's batch is no batch", async () => {
      const body = line(CLINIC, "medical_clinic");
      for (const [who, csrf, code, status] of [[undefined, true, "E9650", 401], [examiner, true, "E9651", 403], [vendor, false, "E2104", 403]] as const) {
        const res = await send(who, VENDOR_PATHS.batches, body, "application/x-ndjson", { csrf });
        refused(res, code, status);
        assert.equal(res.headers.connection, "close", "the unread body is not received");
        refused(await send(who, VENDOR_PATHS.facilities, JSON.stringify({ facilities: [CLINIC] }), "application/json", { csrf }), code, status);
      }
      refused(await get(examiner, VENDOR_PATHS.facilities), "E9651", 403);
      refused(await get(undefined, VENDOR_PATHS.batch.replace(":id", "1")), "E9650", 401);
      await addOfficeAccount(db, { loginId: "vendor2", role: "vendor", displayName: "別の取りまとめ者", password: PASSWORD }, NOW);
      const other = await signIn("vendor2");
      refused(await get(other, VENDOR_PATHS.batch.replace(":id", "1")), "E9538", 404);
      refused(await get(other, VENDOR_PATHS.batch.replace(":id", "999999")), "E9538", 404);
      refused(await get(other, VENDOR_PATHS.batch.replace(":id", "abc")), "E9538", 404);
    });

    test("each kind of bad request: no key, another Content-Type, a bad mode, an unreadable batch, a body over the bound", async () => {
      const body = line(CLINIC, "medical_clinic");
      const batches = async () => Number((await db.query<{ n: number }>("select count(*)::int as n from subsidy_batches"))[0]!.n);
      const before = await batches();
      refused(await send(vendor, VENDOR_PATHS.batches, body, "application/x-ndjson", { key: null }), "E9507", 400);
      refused(await send(vendor, VENDOR_PATHS.facilities, JSON.stringify({ facilities: [CLINIC] }), "application/json", { key: null }), "E9507", 400);
      refused(await send(vendor, VENDOR_PATHS.batches, body, "application/json"), "E9533", 415);
      refused(await send(vendor, VENDOR_PATHS.batches, body, "text/plain"), "E9533", 415);
      refused(await send(vendor, `${VENDOR_PATHS.batches}?mode=some`, body, "application/x-ndjson"), "E9537", 400);
      refused(await send(vendor, VENDOR_PATHS.batches, "", "application/x-ndjson"), "E9535", 400);
      refused(await send(vendor, VENDOR_PATHS.batches, "facilityCode\n1", "text/csv"), "E9534", 400);
      refused(await send(vendor, VENDOR_PATHS.facilities, "{", "application/json"), "E1001", 400);
      refused(await send(vendor, VENDOR_PATHS.facilities, JSON.stringify({ codes: [] }), "application/json"), "E9541", 400);
      const huge = await send(vendor, VENDOR_PATHS.batches, "x".repeat(MAX_BATCH_BYTES + 1), "application/x-ndjson");
      refused(huge, "E1011", 413);
      assert.equal(await batches(), before, "no refused request stored a batch");
    });
  });
}
