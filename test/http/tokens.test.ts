import assert from "node:assert/strict";
import { test } from "node:test";
import { TokenService } from "../../src/http/tokens.ts";
import { OqsError } from "../../src/errors/catalogue.ts";

const START = new Date("2026-04-01T00:00:00Z");

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "accepted";
  } catch (error) {
    assert.ok(error instanceof OqsError, "error instanceof OqsError");
    return error.code;
  }
}

test("a token names its facility until the second it expires, whether seen before or not", async () => {
  let now = START;
  const tokens = new TokenService(() => now, 60);
  const seen = (await tokens.issue("1310100019")).token;
  const unseen = (await tokens.issue("1310123458")).token;
  assert.equal(await tokens.verify(`Bearer ${seen}`), "1310100019");
  now = new Date(START.getTime() + 59_999);
  assert.equal(await tokens.verify(seen), "1310100019");
  now = new Date(START.getTime() + 60_000);
  assert.equal(await codeOf(tokens.verify(seen)), "E2003");
  assert.equal(await codeOf(tokens.verify(unseen)), "E2003");
});

test("a missing, tampered or foreign token is refused", async () => {
  const tokens = new TokenService(() => START, 60);
  const other = new TokenService(() => START, 60, "another secret");
  const token = (await tokens.issue("1310100019")).token;
  const tampered = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
  assert.equal(await codeOf(tokens.verify(undefined)), "E2002");
  assert.equal(await codeOf(tokens.verify("Bearer ")), "E2002");
  assert.equal(await codeOf(tokens.verify(tampered)), "E2004");
  assert.equal(await codeOf(tokens.verify((await other.issue("1310100019")).token)), "E2004");
  assert.equal(await codeOf(tokens.verify("not-a-jwt")), "E2004");
});
