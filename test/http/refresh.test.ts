// The auth answer's refreshToken and the refresh route: a refresh token buys a new idToken and a
// new refresh token once (single-use, a day), stays bound to the certificate it was issued for, and
// is no idToken; an idToken is no refresh token.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { OqsError } from "../../src/errors/catalogue.ts";
import { REFRESH_PATH } from "../../src/http/routes/oqs/auth.ts";
import { buildServer } from "../../src/http/server.ts";
import { REFRESH_LIFETIME_SECONDS, TokenService } from "../../src/http/tokens.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, loadFixture } from "../support/fixture.ts";

const AUTH = "/oqs-api-pro/MSA12020/ILI12020SV01/auth";
const SEARCH = "/oqs-api-pro/MSA01030/ILI01030SV01/search";
let clock = new Date("2026-04-01T00:30:00Z");
let db: Db;
let app: FastifyInstance;

before(async () => {
  db = await testDatabases()[0]!.open();
  await loadFixture(db);
  const tokens = new TokenService(() => clock, 600);
  app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => clock, characterCode: "0" }, tokens });
});
after(async () => {
  await app.close();
  await db.close();
});

const login = async () =>
  (await app.inject({ method: "POST", url: AUTH, payload: { MedicalInstitutionCode: FACILITY.code, Credential: FACILITY.credential } })).json().result;
const refresh = (refreshToken: unknown) => app.inject({ method: "POST", url: REFRESH_PATH, payload: { refreshToken } });
const searchWith = (token: string) => app.inject({ method: "POST", url: SEARCH, payload: { XmlMsg: {} }, headers: { authorization: token } });

test("auth answers a refreshToken beside accessToken and idToken; refreshing gives a new pair whose idToken works", async () => {
  const first = await login();
  assert.equal(typeof first.refreshToken, "string");
  assert.notEqual(first.refreshToken, first.idToken);
  const res = await refresh(first.refreshToken);
  assert.equal(res.statusCode, 200);
  const second = res.json().result;
  assert.deepEqual(Object.keys(second), ["accessToken", "refreshToken", "idToken", "linkSysCharCd", "expiresAt"]);
  assert.notEqual(second.refreshToken, first.refreshToken);
  // The idToken is accepted (the body's E1004 comes after the token check).
  assert.equal((await searchWith(second.idToken)).json().XmlMsg.MessageHeader.ErrorCode, "E1004");
});

test("a refresh token is single-use: the second use is E2004", async () => {
  const { refreshToken } = await login();
  assert.equal((await refresh(refreshToken)).statusCode, 200);
  const again = await refresh(refreshToken);
  assert.equal(again.statusCode, 401);
  assert.equal(again.json().errorCode, "E2004");
});

test("a refresh token is no idToken, and an idToken no refresh token", async () => {
  const { idToken, refreshToken } = await login();
  assert.equal((await searchWith(refreshToken)).json().XmlMsg.MessageHeader.ErrorCode, "E2004");
  assert.equal((await refresh(idToken)).json().errorCode, "E2004");
  assert.equal((await refresh(undefined)).json().errorCode, "E2002");
});

test("a refresh token expires after a day (E2003)", async () => {
  const { refreshToken } = await login();
  const saved = clock;
  clock = new Date(saved.getTime() + (REFRESH_LIFETIME_SECONDS + 1) * 1000);
  try {
    assert.equal((await refresh(refreshToken)).json().errorCode, "E2003");
  } finally {
    clock = saved;
  }
});

test("a refresh token issued for a certificate is good only with that certificate, and its new tokens stay bound to it", async () => {
  const tokens = new TokenService(() => clock, 600);
  const { token } = await tokens.issueRefresh(FACILITY.code, "thumbprint-a");
  await assert.rejects(tokens.redeem(token, "thumbprint-b"), (e: unknown) => e instanceof OqsError && e.code === "E2004");
  await assert.rejects(tokens.redeem(token, undefined), (e: unknown) => e instanceof OqsError && e.code === "E2004");
  assert.deepEqual(await tokens.redeem(token, "thumbprint-a"), { facility: FACILITY.code, boundTo: "thumbprint-a" });
});
