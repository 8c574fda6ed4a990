import assert from "node:assert/strict";
import { test } from "node:test";
import { drawReceptionNumber } from "../../src/domain/reception-number.ts";

test("a ReceptionNumber is 20 digits: the JST time of the upload, then 6 random digits", () => {
  const at = new Date("2026-04-01T00:30:05Z"); // 09:30:05 JST
  const drawn = new Set(Array.from({ length: 50 }, () => drawReceptionNumber(at)));
  for (const number of drawn) assert.match(number, /^20260401093005[0-9]{6}$/);
  assert.ok(drawn.size > 1, "the last 6 digits are drawn, not fixed");
});
