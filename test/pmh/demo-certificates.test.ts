// The demo's 医療費助成 family on each database: their 受給者証 as the README and docs/pmh.md say,
// valid on the demo date at the facilities each is designated for, from entities taking part on
// that date, with numbers and caps that pass the rules and tables; loading again changes nothing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import type { Db } from "../../src/db/client.ts";
import { capOf, CERTIFICATE_RULES } from "../../src/domain/medical-subsidy-rules.ts";
import { participationOn, type PmhProgrammeKey } from "../../src/domain/pmh-participation.ts";
import { parsePublicExpenseInsurerNumber, parseRecipientNumber } from "../../src/domain/public-expense-number.ts";
import { DEMO_DATE, DEMO_FACILITIES, DEMO_SUBSIDY_CERTIFICATES, loadDemo } from "../../src/seed/demo.ts";
import { certificatesValidOn } from "../../src/store/medical-subsidy-store.ts";
import { testDatabases } from "../support/databases.ts";

const [HOSPITAL, CLINIC, PHARMACY] = DEMO_FACILITIES.map((f) => f.code) as [string, string, string];

test("the demo's 受給者証 pass the number rules and carry the tables' caps", () => {
  for (const c of DEMO_SUBSIDY_CERTIFICATES) {
    const rule = CERTIFICATE_RULES[c.programme as PmhProgrammeKey];
    const insurer = parsePublicExpenseInsurerNumber(c.insurerNumber);
    assert.ok(insurer.ok, c.insurerNumber);
    if (rule.lawNumbers) assert.ok(rule.lawNumbers.includes(insurer.value.lawNumber), c.insurerNumber);
    assert.ok(parseRecipientNumber(c.recipientNumber!, rule.scope).ok, c.recipientNumber!);
    assert.equal(participationOn(c.issuerCode, DEMO_DATE).answer, "yes", `${c.issuerCode} takes part on the demo date`);
    assert.notEqual(participationOn(c.issuerCode, DEMO_DATE, c.programme as PmhProgrammeKey).answer, "no", `${c.issuerCode} ${c.programme}`);
  }
  const cap = (key: string) => DEMO_SUBSIDY_CERTIFICATES.find((c) => c.historyKey === key)!.maxCopayment;
  assert.deepEqual(cap("DEMO-0002"), capOf("pediatricChronic", "一般所得Ⅰ"), "小児慢性 一般所得Ⅰ");
  assert.deepEqual(cap("DEMO-0003"), capOf("mentalOutpatient", "中間所得層2", "severe"), "精神通院 中間所得層2 重度かつ継続");
});

for (const database of testDatabases()) {
  describe(`the demo's 受給者証 on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await loadDemo(db);
    });
    after(async () => db.close());

    const personOf = async (name: string) =>
      (await db.query<{ person_id: number }>("select person_id from persons where name = $1", [name])).map((r) => Number(r.person_id));

    test("each facility sees what it is designated for", async () => {
      const [mother] = await personOf("高橋　美咲");
      const [child] = await personOf("高橋　陽菜");
      assert.ok(mother !== undefined && child !== undefined, "the family is loaded");
      const names = async (person: number, facility: string) => (await certificatesValidOn(db, [person], DEMO_DATE, facility)).map((c) => c.certificationName);
      assert.deepEqual(await names(child!, HOSPITAL), ["乳幼児医療証（マル乳）", "小児慢性特定疾病医療受給者証"]);
      assert.deepEqual(await names(child!, CLINIC), ["乳幼児医療証（マル乳）"], "小児慢性 is not designated for the clinic");
      assert.deepEqual(await names(mother!, PHARMACY), ["ひとり親家庭等医療証（マル親）", "自立支援医療受給者証（精神通院）"]);
      assert.deepEqual(await names(mother!, CLINIC), ["ひとり親家庭等医療証（マル親）"], "精神通院 is not designated for the clinic");
      assert.deepEqual(await names(mother!, HOSPITAL), await names(mother!, PHARMACY), "the hospital as the pharmacy");
    });

    test("loading the demo again changes nothing", async () => {
      const before = await db.query("select * from medical_subsidy_certificates order by issuer_code, history_key");
      const persons = await db.query<{ n: number }>("select count(*)::int as n from persons");
      await loadDemo(db);
      assert.deepEqual(await db.query("select * from medical_subsidy_certificates order by issuer_code, history_key"), before);
      assert.deepEqual(await db.query<{ n: number }>("select count(*)::int as n from persons"), persons);
      assert.equal(before.length, DEMO_SUBSIDY_CERTIFICATES.length);
    });
  });
}

test("the README's table of the demo's 受給者証 is DEMO_SUBSIDY_CERTIFICATES", async () => {
  const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
  const table = readme.split("| 氏名 | 受給者証 | 公費負担者番号 | 上限額 (月額) | 使える医療機関 |")[1]!.split("\n\n")[0]!;
  const rows = table.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("|---")).map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim()));
  const facilityNames: Record<string, string> = { [HOSPITAL]: "総合病院", [CLINIC]: "クリニック", [PHARMACY]: "薬局" };
  const expected = DEMO_SUBSIDY_CERTIFICATES.map((c) => [
    c.name,
    c.certificationName,
    `\`${c.insurerNumber}\``,
    c.maxCopayment.monthly === undefined ? "—" : `${c.maxCopayment.monthly.toLocaleString("ja-JP")}円`,
    c.designatedMedicalInstitutions.length === 0 ? "どこでも" : c.designatedMedicalInstitutions.map((f) => facilityNames[f]).join("・"),
  ]);
  assert.deepEqual(rows, expected);
});
