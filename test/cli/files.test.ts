// `npx onshi files validate` as a vendor runs it on their request files.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { onshi } from "../support/cli.ts";
import { checkRequestXml, encodeRequest } from "../gateway/requests.ts";

const FACILITY = "1310100019";
const KEY = { InsurerNumber: "01130012", InsuredCardSymbol: "4410", InsuredIdentificationNumber: "8001", InsuredBranchNumber: "00", Birthdate: "19800515", LimitApplicationCertificateRelatedConsFlg: "1" };
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "onshi-files-"));
});
after(() => rm(dir, { recursive: true, force: true }));


// [file name, content, expected problems as [code, element, value]]
const CASES: [string, Buffer, [string, string?, string?][]][] = [
  ["OQSsiquc01req_202604010001.xml", encodeRequest(checkRequestXml(FACILITY, KEY), "Shift_JIS"), []],
  ["OQSsiquc01req_202604010002.xml", encodeRequest(checkRequestXml(FACILITY, KEY), "UTF-8"), []],
  [
    "OQSsiquc01req_202604010003.xml",
    encodeRequest(checkRequestXml("131010001", { ...KEY, InsurerNumber: "01130013" }, "20261301"), "UTF-8"),
    [
      ["E1008", "MessageHeader.QualificationConfirmationDate", "20261301"],
      ["E1006", "MessageHeader.MedicalInstitutionCode", "131010001"],
      ["E3004", "MessageBody.QualificationConfirmSearchInfo.InsurerNumber", "01130013"],
    ],
  ],
  ["OQSsiquc01req_202604010004.xml", encodeRequest(checkRequestXml(FACILITY, { ...KEY, Birthdate: "" }), "UTF-8"), [["E3001", "MessageBody.QualificationConfirmSearchInfo.Birthdate"]]],
  ["OQSsiquc01req_202604010005.xml", encodeRequest("<XmlMsg><MessageHeader/></XmlMsg>", "UTF-8"), [["E1004", "MessageHeader"]]],
  ["OQSsiquc01req_202604010006.xml", Buffer.from('<?xml version="1.0" encoding="UTF-8"?><XmlMsg><MessageHeader>'), [["E1002", "1行目 1列: 文書の終わりまでに閉じられていない要素があります (XmlMsg, MessageHeader)"]]],
  ["OQSsiquc01req_202604010007.xml", Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?>'), iconv.encode(checkRequestXml(FACILITY, { ...KEY, InsuredCardSymbol: "記号" }), "cp932")]), [["E1003"]]],
  ["OQSsiquc01req_202604010008.xml", Buffer.alloc(0), [["E4003"]]],
  ["OQSmuzzz01req_202604010001.xml", encodeRequest(checkRequestXml(FACILITY, KEY), "UTF-8"), [["E4002", "(ファイル名)", "OQSmuzzz01req_202604010001.xml"]]],
  ["request.xml", encodeRequest(checkRequestXml(FACILITY, KEY), "UTF-8"), [["E4001", "(ファイル名)", "request.xml"]]],
];

test("validate --json reports each problem with its code, element and value, in Japanese and English", async () => {
  for (const [name, content] of CASES) await writeFile(join(dir, name), content);
  const { code, stdout } = await onshi(["files", "validate", "--json", ...CASES.map(([name]) => join(dir, name)), join(dir, "missing.xml")]);
  assert.equal(code, 1);
  const reports = JSON.parse(stdout);
  for (const [i, [name, , expected]] of CASES.entries()) {
    const problems = reports[i].problems.map((p: { code: string; element?: string; value?: string }) => [p.code, p.element, p.value].filter((x) => x !== undefined));
    assert.deepEqual(problems, expected, name);
    for (const p of reports[i].problems) assert.ok(p.ja.endsWith("。") && p.en.length > 0, name);
  }
  assert.equal(reports[0].charset, "Shift_JIS");
  assert.equal(reports[0].declared, true);
  assert.equal(reports.at(-1).problems[0].code, "E4004");
});

test("validate exits 0 on a clean file, and 1 with the problems printed readably otherwise", async () => {
  const clean = await onshi(["files", "validate", join(dir, CASES[0]![0])]);
  assert.equal(clean.code, 0);
  assert.match(clean.stdout, /^OK .*OQSsiquc01, Shift_JIS.*問題はありません/);
  const bad = await onshi(["files", "validate", join(dir, CASES[2]![0])]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /E1008 MessageHeader\.QualificationConfirmationDate = "20261301"\n\s+日付が不正です。\n\s+An element is not a valid date/);
});

test("a file that is not well-formed XML: E1002 names the line and the element in Japanese", async () => {
  const path = join(dir, "OQSsiquc01req_202604010021.xml");
  await writeFile(path, '<?xml version="1.0" encoding="UTF-8"?>\n<XmlMsg>\n  <MessageHeader>\n  </MessageBody>\n</XmlMsg>\n');
  const { code, stdout } = await onshi(["files", "validate", path]);
  assert.equal(code, 1);
  assert.match(stdout, /\n {2}E1002 4行目 \d+列: 要素 MessageHeader \(3行目\) の終了タグの位置に MessageBody の終了タグがあります\n\s+XMLの形式が不正です。\n/);
});

test("full-width digits in a 記号 or 番号 are warned about (the answer would be 該当資格なし with no hint); the file is still OK", async () => {
  const path = join(dir, "OQSsiquc01req_202604010022.xml");
  await writeFile(path, encodeRequest(checkRequestXml(FACILITY, { ...KEY, InsuredCardSymbol: "２１", InsuredIdentificationNumber: "8001" }), "UTF-8"));
  const text = await onshi(["files", "validate", path]);
  assert.equal(text.code, 0, "a warning, not a problem");
  assert.match(text.stdout, /^OK .*\n {2}注意 \/ warning MessageBody\.QualificationConfirmSearchInfo\.InsuredCardSymbol = "２１"\n\s+全角数字が含まれています。/);
  const json = JSON.parse((await onshi(["files", "validate", "--json", path])).stdout);
  assert.deepEqual(json[0].warnings.map((w: { element: string }) => w.element), ["MessageBody.QualificationConfirmSearchInfo.InsuredCardSymbol"]);
  const clean = JSON.parse((await onshi(["files", "validate", "--json", join(dir, CASES[0]![0])])).stdout);
  assert.equal(clean[0].warnings, undefined, "no warning for half-width digits");
});

test("validate refuses what the gateway refuses unread: a symbolic link (even to a good file) and a FIFO (without waiting on it)", async () => {
  const good = join(dir, CASES[0]![0]);
  await writeFile(good, CASES[0]![1]);
  const link = join(dir, "OQSsiquc01req_202604010091.xml");
  const fifo = join(dir, "OQSsiquc01req_202604010092.xml");
  await symlink(good, link);
  execFileSync("mkfifo", [fifo]);
  const { code, stdout } = await onshi(["files", "validate", "--json", link, fifo]);
  assert.equal(code, 1);
  const reports = JSON.parse(stdout) as { problems: { code: string; detail: string }[] }[];
  assert.deepEqual(reports.map((r) => r.problems.map((p) => p.code)), [["E4004"], ["E4004"]]);
  assert.match(reports[0]!.problems[0]!.detail, /symbolic link/);
  assert.match(reports[1]!.problems[0]!.detail, /FIFO/);
});
