// `npx onshi check` as a user runs it (the bin's run(), in process; the README's example through the
// real bin) on a PGlite data folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { decodeXml } from "../../src/codec/xml.ts";
import { openMigrated } from "../../src/db/open.ts";
import { onshi as run } from "../support/cli.ts";
import { FACILITY, TARO, loadFixture } from "../support/fixture.ts";
import { onshi as spawnOnshi } from "../support/onshi-bin.ts";

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "onshi-check-"));
  const db = await openMigrated({ dataDir: join(dir, "pglite") });
  await loadFixture(db);
  await db.close();
});
after(() => rm(dir, { recursive: true, force: true }));

async function onshi(args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const { code, stdoutBytes, stderr } = await run([...args, "--data-dir", dir]);
  return { code, stdout: stdoutBytes, stderr };
}

const keyFlags = ["--facility", FACILITY.code, "--insurer", TARO.InsurerNumber, "--number", TARO.InsuredIdentificationNumber, "--date", "20260401"];

test("check prints a readable answer", async () => {
  const { code, stdout } = await onshi(["check", ...keyFlags, "--birthdate", TARO.Birthdate]);
  assert.equal(code, 0);
  assert.match(stdout.toString(), /資格有効性: 1 有効/);
  assert.match(stdout.toString(), /診療　太郎 \(ｼﾝﾘｮｳ ﾀﾛｳ\)/);
});

test("check --json gives the WebAPI's JSON and --xml the XML in the chosen charset", async () => {
  const json = JSON.parse((await onshi(["check", ...keyFlags, "--birthdate", TARO.Birthdate, "--json"])).stdout.toString());
  assert.equal(json.XmlMsg.MessageBody.QualificationValidity, "1");
  const xml = await onshi(["check", ...keyFlags, "--birthdate", "19800102", "--xml", "--charset", "shift_jis"]);
  const { tree, charset } = decodeXml(xml.stdout);
  assert.equal(charset, "Shift_JIS");
  assert.equal((tree.XmlMsg as any).MessageBody.QualificationValidity, "4");
  assert.equal((tree.XmlMsg as any).MessageHeader.CharacterCodeIdentifier, "1");
});

test("check --request answers a request file in Shift_JIS", async () => {
  const file = join(dir, "OQSsiquc01req_202604010001.xml");
  const xml = `<?xml version="1.0" encoding="Shift_JIS" standalone="no"?><XmlMsg><MessageHeader>
<QualificationConfirmationDate>20260401</QualificationConfirmationDate><MedicalInstitutionCode>${FACILITY.code}</MedicalInstitutionCode>
</MessageHeader><MessageBody><QualificationConfirmSearchInfo><InsurerNumber>${TARO.InsurerNumber}</InsurerNumber>
<InsuredIdentificationNumber>${TARO.InsuredIdentificationNumber}</InsuredIdentificationNumber><Birthdate>${TARO.Birthdate}</Birthdate>
<LimitApplicationCertificateRelatedConsFlg>1</LimitApplicationCertificateRelatedConsFlg></QualificationConfirmSearchInfo></MessageBody></XmlMsg>`;
  await writeFile(file, iconv.encode(xml, "cp932"));
  const { code, stdout } = await onshi(["check", "--request", file, "--json"]);
  assert.equal(code, 0);
  const r = JSON.parse(stdout.toString()).XmlMsg.MessageBody.ResultList[0].ResultOfQualificationConfirmation;
  assert.equal(r.LimitApplicationCertificateRelatedInfo.LimitApplicationCertificateClassificationFlag, "A03");
});

test("a bad key or a malformed request file is answered with its error code (exit 1); missing flags and unreadable files are usage errors (exit 2)", async () => {
  const bad = await onshi(["check", ...keyFlags, "--birthdate", "19801301"]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout.toString(), /エラー E3005: 生年月日が不正です。\(Birthdate\)/);

  const missing = await onshi(["check", "--insurer", TARO.InsurerNumber]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--facility, --number, --birthdate/);

  const absent = await onshi(["check", "--request", join(dir, "nothing.xml")]);
  assert.equal(absent.code, 2);
  assert.match(absent.stderr, /要求ファイルを読めません/);

  const garbage = join(dir, "garbage.xml");
  await writeFile(garbage, "<XmlMsg><oops></XmlMsg>");
  const malformed = await onshi(["check", "--request", garbage]);
  assert.equal(malformed.code, 1);
  assert.match(malformed.stderr, /XMLの形式が不正です/);
});

test("check --demo answers the README's example on a fresh data folder", async () => {
  const fresh = await mkdtemp(join(tmpdir(), "onshi-check-demo-"));
  try {
    const args = ["check", "--demo", "--facility", "1310100019", "--insurer", "06131015", "--symbol", "700", "--number", "8002",
      "--branch", "00", "--birthdate", "19680229", "--date", "20260401", "--limit-consent", "--json", "--data-dir", fresh];
    const { code, stdout, stderr } = await spawnOnshi(args);
    assert.equal(code, 0, stderr);
    const body = JSON.parse(stdout).XmlMsg.MessageBody;
    assert.equal(body.QualificationValidity, "1");
    assert.equal(body.ResultList[0].ResultOfQualificationConfirmation.Name, "佐藤　健一");
    assert.equal(body.ResultList[0].ResultOfQualificationConfirmation.LimitApplicationCertificateRelatedInfo.LimitApplicationCertificateClassificationFlag, "A03");
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
});

test("check's text shows what the JSON has: the date checked, 通称, 本人/家族, 高齢受給者 割合, 限度額 区分, 特定疾病 with its 自己負担", async () => {
  const demo = await mkdtemp(join(tmpdir(), "onshi-check-text-"));
  const check = async (insurer: string, symbol: string, number: string, branch: string, birthdate: string) => {
    const args = ["check", "--demo", "--facility", "1310100019", "--insurer", insurer, "--symbol", symbol, "--number", number, "--branch", branch, "--birthdate", birthdate];
    const { code, stdout, stderr } = await run([...args, "--date", "20260401", "--limit-consent", "--data-dir", demo]);
    assert.equal(code, 0, stderr);
    return stdout;
  };
  try {
    const limit = await check("06131015", "700", "8002", "00", "19680229");
    assert.match(limit, /^資格確認日: 2026-04-01\n資格有効性: 1 有効\n/);
    assert.match(limit, /記号 700 番号 8002 枝番 00 本人\n/);
    assert.match(limit, /限度額適用認定 区分ウ \(A03, 2025-08-01〜2026-07-31\)/);
    assert.match(await check("  131037", "21", "900124", "00", "19620707"), /特定疾病 人工透析を必要とする慢性腎不全 自己負担限度額 月 10,000円 \(2024-10-01〜/);
    assert.match(await check("01130012", "4410", "8003", "00", "19530910"), /高齢受給者 2割 \(2025-08-01〜2026-07-31\)/);
    assert.match(await check("01130012", "4410", "8007", "00", "19701010"), /金　英洙 \(ｷﾑ ﾖﾝｽ\) 通称 金田　英夫 \(ｶﾈﾀﾞ ﾋﾃﾞｵ\) 生年月日 1970-10-10/);
    assert.match(await check("01130012", "4410", "8001", "01", "19820820"), /枝番 01 家族\n/);
  } finally {
    await rm(demo, { recursive: true, force: true });
  }
});
