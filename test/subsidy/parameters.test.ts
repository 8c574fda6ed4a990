// The engine's one parameter shape (src/subsidy/parameters.ts): "value at date" as a table —
// before from, on from, on to, after to, a gap, overlaps with and without priority, unknown — and
// the file checks every program's data file gets (E9105 naming the entry, E9106 naming both values).
import { readdirSync } from "node:fs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { NOT_PUBLISHED, ProgramDataError } from "../../src/subsidy/engine.ts";
import { bandOf, parseParameters, valueAt } from "../../src/subsidy/parameters.ts";
import { readProgramFile } from "../../src/subsidy/program-data.ts";

const SOURCES = { a: { document: "support-measures-2024", line: 1, ref: "A" }, b: { url: "https://example.jp/", ref: "B" } };
/** A file of one parameter, `cap`; its sources those the values name (an unreferred source is refused). */
const file = (values: unknown[], extra: Record<string, unknown> = {}) => ({
  id: "t",
  name: "test",
  sources: Object.fromEntries(Object.entries(SOURCES).filter(([id]) => JSON.stringify(values).includes(`"source":"${id}"`))),
  parameters: { cap: { description: "補助上限", unit: "yen", rounding: "none", values, ...extra } },
});
const cap = (values: unknown[]) => parseParameters(file(values), "t.json").get<number>("cap");

test("value at date: before from, on from, on to, after to, a gap, unknown with its source", () => {
  const p = cap([
    { from: "2024-04-01", to: "2024-06-30", value: 100, source: "a" },
    { from: "2024-08-01", to: null, value: NOT_PUBLISHED, source: "b" },
  ]);
  const table: [string, string, number | string | undefined][] = [
    ["2024-03-31", "not-in-force", undefined], // the day before from
    ["2024-04-01", "value", 100], // on from (inclusive)
    ["2024-06-30", "value", 100], // on to (inclusive)
    ["2024-07-01", "not-in-force", undefined], // after to: the gap
    ["2024-07-31", "not-in-force", undefined],
    ["2024-08-01", "unknown", "https://example.jp/"], // 公表されていない: unknown, with its source
    ["2099-12-31", "unknown", "https://example.jp/"], // to null: open-ended
  ];
  for (const [date, kind, expected] of table) {
    const answer = valueAt(p, date);
    assert.equal(answer.kind, kind, date);
    if (answer.kind === "value") assert.equal(answer.value, expected, date);
    if (answer.kind === "unknown") assert.equal(answer.source.url, expected, date);
  }
});

test("overlapping values: the higher priority wins where both are in force; without a priority the file is refused (E9106 naming both)", () => {
  const p = cap([
    { from: "2020-08-01", to: null, value: 1_050_000, source: "a", id: "base" },
    { from: "2020-08-01", to: "2021-03-31", value: 2_101_000, source: "b", id: "full", priority: 1 },
  ]);
  assert.equal((valueAt(p, "2021-03-31") as { value: number }).value, 2_101_000);
  assert.equal((valueAt(p, "2021-04-01") as { value: number }).value, 1_050_000);
  assert.throws(
    () => cap([
      { from: "2020-08-01", to: null, value: 1, source: "a", id: "base" },
      { from: "2021-03-31", to: "2021-12-31", value: 2, source: "b", id: "later" },
    ]),
    (e: unknown) => e instanceof ProgramDataError && e.code === "E9106" && /cap の base と later/.test(e.message),
  );
  // Meeting on one day is an overlap too (both ends inclusive).
  assert.throws(
    () => cap([
      { from: "2020-08-01", to: "2021-03-31", value: 1, source: "a" },
      { from: "2021-03-31", to: null, value: 2, source: "a" },
    ]),
    (e: unknown) => e instanceof ProgramDataError && e.code === "E9106",
  );
  // Back to back is no overlap.
  assert.equal((valueAt(cap([{ from: "2020-08-01", to: "2021-03-31", value: 1, source: "a" }, { from: "2021-04-01", to: null, value: 2, source: "a" }]), "2021-04-01") as { value: number }).value, 2);
});

test("a band table: each band from its lower bound (inclusive) to the next (exclusive)", () => {
  const params = parseParameters(
    file([{ from: "2024-01", to: "2024-05", value: [{ from: 5, value: 20, source: "a" }, { from: 10, value: 40 }, { from: 20, value: NOT_PUBLISHED }], source: "a" }], {
      bands: { of: "利用率の増加", boundUnit: "percent-points", lowerBound: "inclusive" },
    }),
    "t.json",
  );
  const answer = params.at<{ from: number; value: unknown }[]>("cap", "2024-03");
  assert.equal(answer.kind, "value");
  const bands = (answer as { value: { from: number; value: unknown }[] }).value;
  assert.equal(bandOf(bands, 4.99), undefined);
  assert.equal(bandOf(bands, 5)?.value, 20);
  assert.equal(bandOf(bands, 9.99)?.value, 20);
  assert.equal(bandOf(bands, 10)?.value, 40);
  assert.equal(bandOf(bands, 25)?.value, NOT_PUBLISHED);
});

const refused = (raw: unknown, text: RegExp) =>
  assert.throws(() => parseParameters(raw, "t.json"), (e: unknown) => e instanceof ProgramDataError && e.code === "E9105" && text.test(e.message));

test("a broken parameter is refused at load (E9105), naming the file and the entry", () => {
  refused(file([{ from: "2024-04-01", to: null, value: 1.5, source: "a" }]), /t\.json parameters\.cap\.values\[0\]\.value/);
  refused(file([{ from: "2024-04-01", to: null, value: 1, source: "nowhere" }]), /values\[0\]\.source/);
  refused(file([{ from: "2024-02-30", to: null, value: 1, source: "a" }]), /values\[0\]\.from/);
  refused(file([{ from: "2024-04-01", to: "2024-03-31", value: 1, source: "a" }]), /values\[0\]\.to: not before from/);
  refused({ ...file([{ from: "2024-04-01", to: null, value: 1, source: "a" }]), parameters: { cap: { unit: "yen", rounding: "none", values: [] } } }, /description/);
  refused(file([{ from: "2024-04-01", to: null, value: 1, source: "a" }], { rounding: undefined }), /rounding/);
  refused(file([{ from: "2024-04-01", to: null, value: [3, 2], source: "a" }], { unit: "rate" }), /values\[0\]\.value: "rate"/);
  refused({ ...file([{ from: "2024-04-01", to: null, value: 1, source: "a" }]), sources: { a: { document: "support-measures-2024", line: 1, ref: "A" }, unused: { ref: "C" } } }, /sources\.unused: not referred to/);
  // A source names a public document the citations can show by its title, or an address.
  refused({ ...file([{ from: "2024-04-01", to: null, value: 1, source: "a" }]), sources: { a: { document: "000", line: 1, ref: "A" } } }, /sources\.a\.document/);
  refused({ ...file([{ from: "2024-04-01", to: null, value: 1, source: "a" }]), sources: { a: { line: 1, ref: "A" } } }, /sources\.a\.line: a line of which document/);
});

test("every program data file is in the one shape: each parameter described, with unit, rounding and dated values whose sources are named by id", () => {
  const files = readdirSync(new URL("../../src/subsidy/programs/", import.meta.url)).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5));
  assert.equal(files.length, 8); // the nine programs (support-2024 holds both halves)
  for (const name of files) {
    const raw = readProgramFile(name) as { sources: Record<string, unknown>; parameters: Record<string, { description: string; unit: unknown; rounding: string; values: { source: unknown }[] }> };
    const params = parseParameters(raw, `${name}.json`);
    for (const [key, p] of Object.entries(raw.parameters)) {
      assert.ok(p.description && p.unit && p.rounding, `${name} ${key}`);
      for (const v of p.values) assert.equal(typeof v.source, "string", `${name} ${key}: a source id, not an inline source`);
      assert.ok(params.get(key).values.every((v) => typeof v.source.ref === "string"), `${name} ${key}`);
    }
  }
});
