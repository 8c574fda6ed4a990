// `npx onshi subsidy calc PROFILE.json` as a user runs it (the bin's run(), in process).
// Figures: seed 002 l.1517–1519 別表3 (補助率3/4, 限度額32.1万円), l.1187 1,000円未満切り捨て;
// seed 002 has no page markers, so lines are cited.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { documentName } from "../../src/subsidy/documents.ts";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onshi } from "../support/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "onshi-calc-"));
after(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const clinic = file("clinic.json", {
  name: "さくら内科", kind: "medical_clinic",
  projects: [{ program: "fund-2020", cost: 429000, readerAppliedOn: "2021-06-01", completedOn: "2021-09-01", appliedOn: "2021-10-01" }],
});

test("a readable table with the reasons and sources", async () => {
  const { code, stdout } = await onshi(["subsidy", "calc", clinic, "--at", "2021-12-01"]);
  assert.equal(code, 0);
  assert.match(stdout, /さくら内科 \(医科診療所\)  基準日 2021-12-01/);
  assert.match(stdout, /fund-2020\s+#0\s+対象\s+321,000円/);
  assert.match(stdout, /429,000円 × 3\/4 = 321,750円/);
  assert.ok(stdout.includes(`${documentName("online-shikaku-2020")} l.1517`), "the 実施要領's 別表3 by its title and line");
});

test("--json gives { at, results } and --program keeps one program", async () => {
  const { code, stdout } = await onshi(["subsidy", "calc", clinic, "--at", "2021-12-01", "--program", "fund-2020", "--json"]);
  assert.equal(code, 0);
  const out = JSON.parse(stdout);
  assert.equal(out.at, "2021-12-01");
  assert.deepEqual(out.results.map((r: { program: string; eligible: boolean; amount: number }) => [r.program, r.eligible, r.amount]), [["fund-2020", true, 321000]]);
});

const refusals: [string, string[], string, RegExp][] = [
  ["a profile breaking a rule names the field and the rule", [file("bad.json", { kind: "clinic" })], "E9102", /kind: hospital \/ medical_clinic/],
  ["a project field", [file("bad2.json", { kind: "hospital", projects: [{ program: "fund-2020", cost: -1 }] })], "E9102", /projects\[0\]\.cost: 0以上の整数/],
  ["not JSON", [file("bad3.json", "{ kind: ")], "E9101", /JSONとして読めません/],
  ["no such file", [join(dir, "missing.json")], "E9101", /missing\.json/],
  ["a bad --at", [clinic, "--at", "2023-02-29"], "E9104", /--at: 2023-02-29/],
  ["an unknown --program", [clinic, "--program", "fund-1999"], "E9103", /--program: fund-1999/],
];
for (const [name, args, codeText, message] of refusals) {
  test(`exit 2: ${name}`, async () => {
    const plain = await onshi(["subsidy", "calc", ...args]);
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, new RegExp(codeText));
    assert.match(plain.stderr, message);
    const json = await onshi(["subsidy", "calc", ...args, "--json"]);
    assert.equal(json.code, 2);
    const body = JSON.parse(json.stdout);
    assert.equal(body.code, codeText);
    assert.match(body.message, message);
  });
}

test("an unknown flag exits 2 too", async () => {
  const { code, stderr } = await onshi(["subsidy", "calc", clinic, "--bogus"]);
  assert.equal(code, 2);
  assert.match(stderr, /--bogus/);
});

test("--batch: JSON Lines in, one answer a line out in order; bad lines answered, the rest go on, exit 2", async () => {
  const good = { kind: "medical_clinic", projects: [{ program: "fund-2020", cost: 429000, readerAppliedOn: "2021-06-01", completedOn: "2021-09-01", appliedOn: "2021-10-01" }] };
  const batch = file("batch.jsonl", [JSON.stringify(good), '{"kind":"dentist"}', "", "nope", JSON.stringify({ ...good, kind: "dental_clinic" })].join("\n") + "\n");
  const { code, stdout, stderr } = await onshi(["subsidy", "calc", "--batch", batch, "--at", "2021-12-01"]);
  assert.equal(code, 2);
  const answers = stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(answers.map((a) => a.line), [1, 2, 4, 5]);
  assert.equal(answers[0].results[0].amount, 321000); // seed 002 l.1517 別表3
  assert.equal(answers[1].code, "E9102");
  assert.equal(answers[1].field, "kind");
  assert.equal(answers[2].code, "E9101");
  assert.equal(answers[3].results[0].amount, 321000);
  assert.match(stderr, /4 件を計算しました \(うち 2 件は不正な入力\)/);
  const clean = file("clean.jsonl", JSON.stringify(good) + "\n");
  assert.equal((await onshi(["subsidy", "calc", "--batch", clean, "--at", "2021-12-01"])).code, 0);
});

test("--batch in worker threads: a file of many chunks answers in input order, the same as in one thread", async () => {
  // 1,600 example profiles (≈ 5.6 MB: enough chunks for the workers) with bad lines among them.
  const example = readFileSync(new URL("../../docs/examples/subsidy/clinic.json", import.meta.url), "utf8");
  const lines = Array.from({ length: 1_600 }, (_, i) => (i === 700 ? "{broken" : i === 1_234 ? '{"kind":"clinic"}' : JSON.stringify({ ...JSON.parse(example), name: `施設${i}` })));
  const batch = file("many.jsonl", lines.join("\n") + "\n");
  const pooled = await onshi(["subsidy", "calc", "--batch", batch, "--at", "2025-06-01", "--jobs", "2"]);
  const inline = await onshi(["subsidy", "calc", "--batch", batch, "--at", "2025-06-01", "--jobs", "0"]);
  assert.equal(pooled.code, 2);
  assert.equal(pooled.stdout, inline.stdout);
  const answers = pooled.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(answers.map((a) => a.line), lines.map((_, i) => i + 1));
  assert.deepEqual([answers[700].code, answers[1_234].code, answers[1_234].field], ["E9101", "E9102", "kind"]);
  assert.equal(answers[1_599].results.find((r: { program: string }) => r.program === "support-2024-h1").amount, 31_600); // as the README's clinic
  assert.match(pooled.stderr, /1600 件を計算しました \(うち 2 件は不正な入力\)/);
  assert.equal((await onshi(["subsidy", "calc", "--batch", batch, "--jobs", "two"])).code, 2);
});

test("a profile file and --batch together, or neither, exit 2", async () => {
  assert.equal((await onshi(["subsidy", "calc"])).code, 2);
  assert.equal((await onshi(["subsidy", "calc", clinic, "--batch", clinic])).code, 2);
});

test("an unknown amount shows its floor in the table", async () => {
  // spec §2.3: 病院3台 2022 rate unpublished; seed 002 l.1489–1491 別表1-3 gives the floor 951,000円
  const hospital = file("hospital.json", { kind: "hospital", readersProvided: 3, projects: [{ program: "fund-2020", cost: 4000000, readerAppliedOn: "2022-07-01", contractedOn: "2022-08-01", completedOn: "2023-01-20" }] });
  const { code, stdout } = await onshi(["subsidy", "calc", hospital, "--at", "2023-02-15"]);
  assert.equal(code, 0);
  assert.match(stdout, /fund-2020\s+#0\s+対象\s+951,000円以上/);
  assert.match(stdout, /補助率は公表されていない/);
});
