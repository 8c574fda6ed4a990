// Issue 10 item 3: the credential check cannot stall the server, cannot be guessed at speed and
// does not tell which facility codes (or another facility's ReceptionNumbers) exist.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import { hashCredential } from "../../src/domain/credential.ts";
import { CLIENT_ADDRESS_LIMITS, FACILITY_CODE_LIMITS } from "../../src/http/login-throttle.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, TARO, loadFixture } from "../support/fixture.ts";

const AUTH = "/oqs-api-pro/MSA12020/ILI12020SV01/auth";
const SEARCH = "/oqs-api-pro/MSA01030/ILI01030SV01/search";
const NOW = new Date("2026-04-01T00:30:00Z");
const TRIES = 9;

/** A well-formed facility code (Tokyo, 医科) numbered `n`. */
const codeNumbered = (n: number) => withCheckDigit(`131${String(n).padStart(6, "0")}`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

for (const database of testDatabases()) {
  describe(`credential check on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let clock = NOW;
    let address = 0;
    /** Each login from its own address unless told otherwise, so the per-address lock stays out of the way. */
    const login = (code: string, credential: string, remoteAddress = `10.0.${Math.floor(++address / 250)}.${address % 250}`) =>
      app.inject({ method: "POST", url: AUTH, payload: { MedicalInstitutionCode: code, Credential: credential }, remoteAddress });

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      // Facilities that exist, one per timing try: each takes one wrong credential, below its lock.
      for (let i = 0; i < TRIES; i++) {
        await db.query("insert into facilities (medical_institution_code, name, kind, prefecture, credential_hash) values ($1, $2, 'hospital', 13, $3)", [
          codeNumbered(i),
          `計時病院${i}`,
          hashCredential(`right-${i}`),
        ]);
      }
      app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0" }, tokens: new TokenService(() => clock, 3600) });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test("an unknown facility code is answered like a wrong credential: same code, same message, same time (both run scrypt)", async () => {
      const wrong: number[] = [];
      const unknown: number[] = [];
      let first: string | undefined;
      for (let i = 0; i < TRIES; i++) {
        for (const [code, times] of [
          [codeNumbered(i), wrong],
          [codeNumbered(500_000 + i), unknown],
        ] as const) {
          const started = performance.now();
          const res = await login(code, "wrong");
          times.push(performance.now() - started);
          assert.equal(res.statusCode, 401);
          const { errorCode, msg } = res.json();
          assert.equal(errorCode, "E2006");
          first ??= msg;
          assert.equal(msg, first);
        }
      }
      // Before: 1.5 ms against 90 ms. Both now cost one scrypt (tens of ms); medians over several
      // interleaved tries keep scheduling noise out of the comparison.
      const [w, u] = [median(wrong), median(unknown)];
      assert.ok(u > w / 2 && u < w * 2, `median wrong credential ${w.toFixed(1)} ms, unknown code ${u.toFixed(1)} ms`);
    });

    test(`a facility code is locked after ${FACILITY_CODE_LIMITS.freeFailures} failures (E2007 with Retry-After, even for the right credential), with back-off`, async () => {
      const code = codeNumbered(1_000);
      await db.query("insert into facilities (medical_institution_code, name, kind, prefecture, credential_hash) values ($1, 'ロック病院', 'hospital', 13, $2)", [code, hashCredential("right")]);
      for (let i = 0; i < FACILITY_CODE_LIMITS.freeFailures; i++) assert.equal((await login(code, "wrong")).json().errorCode, "E2006");
      const locked = await login(code, "right");
      assert.equal(locked.statusCode, 429);
      assert.equal(locked.json().errorCode, "E2007");
      assert.equal(locked.headers["retry-after"], String(FACILITY_CODE_LIMITS.firstLockSeconds));

      clock = new Date(clock.getTime() + FACILITY_CODE_LIMITS.firstLockSeconds * 1000);
      assert.equal((await login(code, "wrong")).json().errorCode, "E2006", "one more try once the lock has passed");
      const longer = await login(code, "right");
      assert.equal(longer.statusCode, 429);
      assert.equal(longer.headers["retry-after"], String(FACILITY_CODE_LIMITS.firstLockSeconds * 2), "each further failure doubles the lock");

      clock = new Date(clock.getTime() + FACILITY_CODE_LIMITS.firstLockSeconds * 2 * 1000);
      assert.equal((await login(code, "right")).statusCode, 200);
      assert.equal((await login(code, "wrong")).json().errorCode, "E2006", "a success starts the count afresh");
    });

    test("an outage at login is E9002 with Retry-After in the auth route's own shape, and does not count towards a lockout", async () => {
      let down = true;
      const outage = Object.assign(new Error("Connection terminated unexpectedly"), { code: "57P01" });
      const flaky: Db = { ...db, query: (sql, params) => (down ? Promise.reject(outage) : db.query(sql, params)) };
      const server = await buildServer({ oqs: { db, facilities: new FacilityDirectory(flaky), now: () => clock, characterCode: "0" }, tokens: new TokenService(() => clock, 3600) });
      try {
        const attempt = () =>
          server.inject({ method: "POST", url: AUTH, payload: { MedicalInstitutionCode: FACILITY.code, Credential: FACILITY.credential }, remoteAddress: "192.0.2.50" });
        for (let i = 0; i < FACILITY_CODE_LIMITS.freeFailures + 2; i++) {
          const res = await attempt();
          assert.equal(res.statusCode, 503);
          assert.ok(Number(res.headers["retry-after"]) > 0, "Number(res.headers[\"retry-after\"]) > 0");
          assert.deepEqual({ status: res.json().status, errorCode: res.json().errorCode }, { status: "NG", errorCode: "E9002" });
        }
        down = false;
        assert.equal((await attempt()).statusCode, 200, "the facility is not locked out by the outage");
      } finally {
        await server.close();
      }
    });

    test(`one client address is locked after ${CLIENT_ADDRESS_LIMITS.freeFailures} failures across any codes; other addresses are not`, async () => {
      const guesser = "192.0.2.7";
      for (let i = 0; i < CLIENT_ADDRESS_LIMITS.freeFailures; i++) assert.equal((await login(codeNumbered(600_000 + i), "guess", guesser)).json().errorCode, "E2006");
      const locked = await login(FACILITY.code, FACILITY.credential, guesser);
      assert.equal(locked.statusCode, 429);
      assert.equal(locked.json().errorCode, "E2007");
      assert.ok(Number(locked.headers["retry-after"]) > 0, "Number(locked.headers[\"retry-after\"]) > 0");
      assert.equal((await login(FACILITY.code, FACILITY.credential, "192.0.2.8")).statusCode, 200);
    });

    test("parallel logins are counted as they start: 16 at once against one code get at most the free failures' scrypt", async () => {
      const code = codeNumbered(2_000);
      const answers = await Promise.all(Array.from({ length: 16 }, () => login(code, "wrong")));
      const codes = answers.map((res) => res.json().errorCode);
      assert.equal(codes.filter((c) => c === "E2006").length, FACILITY_CODE_LIMITS.freeFailures);
      assert.equal(codes.filter((c) => c === "E2007").length, 16 - FACILITY_CODE_LIMITS.freeFailures);
    });

    test("a search answers while 16 wrong credentials are being checked (scrypt runs off the event loop)", async () => {
      const token = (await login(FACILITY.code, FACILITY.credential)).json().result.idToken;
      const search = () =>
        app.inject({
          method: "POST",
          url: SEARCH,
          headers: { authorization: token },
          payload: {
            XmlMsg: {
              MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: FACILITY.code },
              MessageBody: { QualificationConfirmSearchInfo: { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0" } },
            },
          },
        });
      assert.equal((await search()).statusCode, 200, "warm: the token is verified once, before the load");
      let finished = 0;
      const logins = Array.from({ length: 16 }, (_, i) => login(codeNumbered(700_000 + i), "wrong").then(() => finished++));
      const answer = await search();
      const stillChecking = 16 - finished;
      await Promise.all(logins);
      assert.equal(answer.statusCode, 200);
      // With scrypt on the event loop the search waited for every one of them.
      assert.ok(stillChecking >= 8, `${stillChecking} of 16 logins still in flight when the search answered`);
    });
  });
}
