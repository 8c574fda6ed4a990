// A database seeded with `onshi seed` (no demo data) used without psql: register a facility
// (facilities add, list: the seed registers the facilities its histories name), find a person (persons find) and check them with the keys it printed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openMigrated } from "../../src/db/open.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import { onshi as run, type CliResult } from "../support/cli.ts";

const CLINIC = withCheckDigit("271234567");

// The tests run in order: the second checks at the facility the first added.
describe("a seeded database without psql", () => {
  let dir: string;
  /** A person of the seeded population with a current qualification, read from the database as the truth to find. */
  let person: { name_kana: string; birthdate: string; insurer_number: string; insured_card_symbol: string | null; insured_identification_number: string; insured_branch_number: string | null };
  // A DATABASE_URL in the caller's environment must not send the test to a real server.
  const onshi = (args: string[]): Promise<CliResult> => run([...args, "--data-dir", dir], { ...process.env, DATABASE_URL: "" });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "onshi-seeded-"));
    const seeded = await onshi(["seed", "--persons", "200", "--seed", "7", "--json"]);
    assert.equal(seeded.code, 0, seeded.stderr);
    const db = await openMigrated({ dataDir: join(dir, "pglite") });
    const [first] = await db.query<typeof person>(
      `select p.name_kana, p.birthdate, q.insurer_number, q.insured_card_symbol, q.insured_identification_number, q.insured_branch_number
       from persons p join qualifications q using (person_id)
       where q.disqualification_date is null and q.insured_card_symbol is not null order by p.person_id limit 1`,
    );
    await db.close();
    assert.ok(first, "the seeded population has a person with a current qualification");
    person = first;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("facilities: the seed's own at first, none able to log in; add prints a generated credential once; list shows the facility, never the credential", async () => {
    const generated = (await onshi(["facilities", "list"])).stdout.trim().split("\n");
    assert.ok(generated.length >= 100, `the seed registers the facilities its histories name: ${generated.length}`);
    assert.ok(generated.every((line) => line.endsWith("(認証情報なし)")), "no generated facility has a WebAPI credential");
    const added = await onshi(["facilities", "add", CLINIC, "--name", "なにわ医院", "--kind", "medical_clinic", "--municipality", "大阪市北区"]);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, new RegExp(`登録しました: ${CLINIC}  医科診療所  大阪府大阪市北区  なにわ医院`));
    const credential = /認証情報: (\S+)/.exec(added.stdout)?.[1];
    assert.match(credential ?? "", /^[A-Za-z0-9_-]{24}$/);
    assert.match(added.stdout, /この一度だけ表示します/);

    const listed = (await onshi(["facilities", "list"])).stdout.trim().split("\n");
    assert.deepEqual(listed.filter((line) => !generated.includes(line)), [`${CLINIC}  医科診療所  大阪府大阪市北区  なにわ医院`]);
    const bad = await onshi(["facilities", "add", "2712345670", "--name", "x", "--kind", "medical_clinic"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^エラー: E9246 医療機関コードが不正です。\(2712345670: 検証番号/);
  });

  test("persons find prints the keys, and `onshi check` at the facility added with those keys finds the person", async () => {
    const birthdate = person.birthdate.replaceAll("-", "");
    const found = await onshi(["persons", "find", "--kana", person.name_kana.split("　")[0]!, "--birthdate", birthdate]);
    assert.equal(found.code, 0, found.stderr);
    const line = found.stdout.split("\n").find((l) => l.includes(`番号 ${person.insured_identification_number} `));
    assert.ok(line, found.stdout);
    const keys = /保険者番号 (\S+)  記号 (\S+)  番号 (\S+)  枝番 (\S+)  生年月日 (\d{8})/.exec(line)!;
    assert.deepEqual(keys.slice(1), [person.insurer_number, person.insured_card_symbol, person.insured_identification_number, person.insured_branch_number, birthdate]);

    const [, insurer, symbol, number, branch] = keys;
    const checked = await onshi(["check", "--facility", CLINIC, "--insurer", insurer!, "--symbol", symbol!, "--number", number!, "--branch", branch!, "--birthdate", birthdate, "--date", "20260401"]);
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stdout, /資格有効性: 1 有効/);
  });

  test("persons find shows a page at most and says when more matched; --json; bad criteria exit 2 with their code", async () => {
    const page = await onshi(["persons", "find", "--insurer", person.insurer_number, "--limit", "1"]);
    assert.equal(page.stdout.split("\n").filter((l) => l.startsWith("保険者番号")).length, 1);
    assert.match(page.stdout, /ほかにも該当があります \(先頭 1 件を表示\)。条件を加えるか、--limit \(最大 100\) で増やしてください。/);
    const json = JSON.parse((await onshi(["persons", "find", "--number", person.insured_identification_number, "--json"])).stdout);
    assert.equal(json.more, false);
    assert.ok(json.matches.some((m: { insurerNumber: string }) => m.insurerNumber === person.insurer_number), "json.matches.some((m: { insurerNumber: string }) => m.insurerNumber === person.insurer_number)");

    const none = await onshi(["persons", "find"]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^エラー: E9240 検索の条件がありません/);
    const bad = await onshi(["persons", "find", "--kana", "abc", "--json"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^エラー: E9241 氏名カナが不正です。.*\(--kana abc\)/);
  });
});
