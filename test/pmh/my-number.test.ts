// The 個人番号 check digit (平成26年総務省令第85号 第5条), the synthetic numbers every seeded person
// has, and the digests a population is loaded with (both databases).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { myNumberCheckDigit, myNumberProblem, resolutionDigest } from "../../src/domain/my-number.ts";
import { syntheticMyNumber } from "../../src/seed/resolution-numbers.ts";
import { seedPopulation } from "../../src/seed/load.ts";
import { loadDemo } from "../../src/seed/demo.ts";
import { personsByDigest, resolutionKey } from "../../src/store/person-resolution-store.ts";
import { testDatabases } from "../support/databases.ts";

/** The 算式 as the 省令 writes it, digit by digit, to check the implementation against. */
function byTheLetter(eleven: string): number {
  const p = (n: number) => Number(eleven[11 - n]);
  const q = (n: number) => (n <= 6 ? n + 1 : n - 5);
  let sum = 0;
  for (let n = 1; n <= 11; n++) sum += p(n) * q(n);
  return sum % 11 <= 1 ? 0 : 11 - (sum % 11);
}

describe("the 個人番号 check digit", () => {
  test("the example widely used in guides, 123456789018", () => {
    assert.equal(myNumberCheckDigit("12345678901"), 8);
    assert.equal(myNumberProblem("123456789018"), undefined);
    assert.equal(myNumberProblem("123456789017"), "checkDigit");
  });

  test("remainders 0 and 1 give 0, the others 11 − remainder", () => {
    // 00000000000: sum 0 → remainder 0 → 0. 00000000001: P1 = 1, Q1 = 2 → remainder 2 → 9.
    assert.equal(myNumberCheckDigit("00000000000"), 0);
    assert.equal(myNumberCheckDigit("00000000001"), 9);
    // P1 = 6 → 12 → remainder 1 → 0; P1 = 5 → 10 → remainder 10 → 1.
    assert.equal(myNumberCheckDigit("00000000006"), 0);
    assert.equal(myNumberCheckDigit("00000000005"), 1);
    // The weight of the 7th digit from the right falls back to 2 (Q7 = 7 − 5).
    assert.equal(myNumberCheckDigit("00001000000"), 11 - 2);
    assert.equal(myNumberCheckDigit("10000000000"), 11 - 6);
  });

  test("agrees with the 算式 written out, on many numbers", () => {
    for (let i = 0; i < 5000; i++) {
      const eleven = String((i * 7_919_993_767) % 100_000_000_000).padStart(11, "0");
      assert.equal(myNumberCheckDigit(eleven), byTheLetter(eleven), eleven);
    }
  });

  test("each kind of bad value is told apart, and a check digit catches every single wrong digit", () => {
    assert.equal(myNumberProblem(123456789018), "type");
    assert.equal(myNumberProblem(undefined), "type");
    assert.equal(myNumberProblem("12345678901"), "length");
    assert.equal(myNumberProblem("1234567890188"), "length");
    assert.equal(myNumberProblem("12345678901８"), "digits");
    assert.equal(myNumberProblem("12345678901a"), "digits");
    const good = "123456789018";
    for (let position = 0; position < 11; position++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === good[position]) continue;
        const wrong = good.slice(0, position) + d + good.slice(position + 1);
        assert.equal(myNumberProblem(wrong), "checkDigit", wrong);
      }
    }
  });
});

describe("synthetic 個人番号", () => {
  test("valid, deterministic and distinct", () => {
    const seen = new Set<string>();
    for (let id = 1; id <= 20_000; id++) {
      const n = syntheticMyNumber(id);
      assert.equal(myNumberProblem(n), undefined, `person ${id}: ${n}`);
      assert.ok(!seen.has(n), `person ${id} shares ${n}`);
      seen.add(n);
    }
    assert.equal(syntheticMyNumber(1_000_000), syntheticMyNumber(1_000_000));
    assert.notEqual(syntheticMyNumber(1), syntheticMyNumber(2));
  });

  test("the digest depends on the key and the number", () => {
    // HMAC-SHA-256 itself: RFC 4231 §4.3 (key "Jefe", data "what do ya want for nothing?").
    assert.equal(resolutionDigest(Buffer.from("Jefe"), "what do ya want for nothing?").toString("hex"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    const k1 = Buffer.alloc(32, 1);
    const k2 = Buffer.alloc(32, 2);
    assert.equal(resolutionDigest(k1, "123456789018").length, 32);
    assert.notDeepEqual(resolutionDigest(k1, "123456789018"), resolutionDigest(k2, "123456789018"));
    assert.notDeepEqual(resolutionDigest(k1, "123456789018"), resolutionDigest(k1, syntheticMyNumber(1)));
  });
});

for (const database of testDatabases()) {
  describe(`digests of a loaded population (${database.name})`, () => {
    test("every seeded and demo person is found by the digest of their number, and nobody else", async () => {
      const db = await database.open();
      try {
        await loadDemo(db);
        const summary = await seedPopulation(db, { persons: 300, seed: 7 });
        const [{ count }] = (await db.query<{ count: string }>("select count(*)::text as count from persons")) as [{ count: string }];
        const [{ digests }] = (await db.query<{ digests: string }>("select count(*)::text as digests from person_resolution_digests")) as [{ digests: string }];
        assert.equal(digests, count, "one digest per person");
        const key = await resolutionKey(db);
        const ids = [summary.firstPersonId, summary.firstPersonId + 299];
        const found = await personsByDigest(db, [...ids.map((id) => resolutionDigest(key, syntheticMyNumber(id))), resolutionDigest(key, "123456789018")]);
        assert.deepEqual([...found.values()].sort((a, b) => a - b), ids);
        // Loading the demo again adds nothing.
        await loadDemo(db);
        const [again] = await db.query<{ digests: string }>("select count(*)::text as digests from person_resolution_digests");
        assert.equal(again!.digests, count);
      } finally {
        await db.close();
      }
    });
  });
}
