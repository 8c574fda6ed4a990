// Issue 10 item 9 (tokens): a token is never taken from a URL (the 利用者リスト stream reads the
// Authorization header like every other route), never written to the request log (the logged URL
// has no query string, headers are not logged), and an open stream ends when its token expires.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, issueTokens, loadFixture } from "../support/fixture.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";

const T0 = new Date("2026-04-01T00:30:00Z");
const LIFETIME_S = 60;

for (const database of testDatabases()) {
  describe(`tokens stay out of URLs and logs, on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let oqsRoot: string;
    let clock = T0;
    let token: string;
    let base: string;
    let log = "";

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      oqsRoot = await mkdtemp(join(tmpdir(), "onshi-tokens-"));
      const stream = new Writable({
        write(chunk, _encoding, done) {
          log += String(chunk);
          done();
        },
      });
      app = await buildServer({
        oqs: { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0" },
        tokens: new TokenService(() => clock, LIFETIME_S),
        faceFiles: faceFolder(join(oqsRoot, "face")),
        logger: { level: "info", stream },
      });
      token = (await issueTokens(app))[FACILITY.code]!;
      base = await app.listen({ port: 0, host: "127.0.0.1" });
    });
    after(async () => {
      await app.close();
      await db.close();
      await rm(oqsRoot, { recursive: true, force: true });
    });

    test("the stream refuses a token in the URL (E2002, as if none were sent); the JSON list too", async () => {
      for (const url of [`/onshi-api/card-users/stream?access_token=${token}`, `/onshi-api/card-users?access_token=${token}`]) {
        const res = await app.inject({ method: "GET", url });
        assert.equal(res.statusCode, 401, url);
        assert.equal(res.json().code, "E2002", url);
      }
    });

    test("the request log holds no token, whether sent in a header or (wrongly) in a URL", async () => {
      log = "";
      await app.inject({ method: "GET", url: "/onshi-api/card-users?date=2026-04-01", headers: { authorization: token } });
      await app.inject({ method: "GET", url: `/onshi-api/card-users/stream?access_token=${token}` });
      await app.inject({ method: "GET", url: `/no-such-page?token=${token}` });
      await app.inject({ method: "POST", url: "/oqs-api-pro/MSA12020/ILI12020SV01/auth", payload: { MedicalInstitutionCode: FACILITY.code, Credential: FACILITY.credential } });
      assert.match(log, /\/onshi-api\/card-users/, "requests are logged at info level");
      assert.ok(!log.includes(token), "no token in the log");
      assert.ok(!log.includes(token.split(".")[2]!), "not even the token's signature");
      assert.ok(!log.includes(FACILITY.credential), "no credential in the log");
    });

    test("an open stream ends when its token expires, saying so (event token-expired, E2003)", async () => {
      clock = T0;
      const fresh = (await issueTokens(app))[FACILITY.code]!;
      let text = "";
      const ended = new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${base}/onshi-api/card-users/stream`, { headers: { authorization: fresh } }, (res) => {
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve(res.statusCode!));
        });
        req.on("error", reject);
        req.end();
      });
      // Open and following: still open after two polls while the token is valid.
      await new Promise((r) => setTimeout(r, 2_200));
      assert.match(text, /^retry: /);
      assert.doesNotMatch(text, /token-expired/);
      const started = Date.now();
      clock = new Date(T0.getTime() + LIFETIME_S * 1000);
      const status = await ended;
      assert.equal(status, 200);
      // It polls every second; the bound only tells "ended at the expiry" from "left open", also on a loaded machine.
      assert.ok(Date.now() - started < 15_000, "ended within a poll of the expiry");
      const event = /event: token-expired\ndata: (.*)\n\n$/.exec(text);
      assert.ok(event, text);
      assert.equal(JSON.parse(event[1]!).code, "E2003");
      clock = T0;
    });
  });
}
