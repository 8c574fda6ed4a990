// End to end, as a real client uses the terminal: `onshi serve` runs as its own process, and the
// test writes request files the way OQSDrug2 / MynaReception do (Shift_JIS, their declaration,
// `OQSsiquc01req_<yyyyMMdd><4-digit sequence>.xml`), polls `res` for the answer and parses it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { decodeXml } from "../../src/codec/xml.ts";
import { jstTimestamp } from "../../src/domain/dates.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { DEMO_FACILITIES } from "../../src/seed/demo.ts";
import { startServe } from "../support/onshi-bin.ts";
import { checkRequestXml, encodeRequest, waitForEmptyFolder, waitForFile } from "./requests.ts";

const HOSPITAL = "1310100019"; // the demo hospital
const TARO = { InsurerNumber: "01130012", InsuredCardSymbol: "4410", InsuredIdentificationNumber: "8001", InsuredBranchNumber: "00", Birthdate: "19800515", LimitApplicationCertificateRelatedConsFlg: "1" };
const SUZUKI = { InsurerNumber: "  131037", InsuredCardSymbol: "21", InsuredIdentificationNumber: "900123", InsuredBranchNumber: "00", Birthdate: "19751103", LimitApplicationCertificateRelatedConsFlg: "0" };

let root: string;
let server: ChildProcess;
let banner: string;
/** When the server was started: its --now clock runs on from 09:30:00 JST from about then. */
let startedAt: number;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "onshi-e2e-"));
  startedAt = Date.now();
  ({ child: server, banner } = await startServe(["--memory", "--demo", "--oqs-root", root, "--port", "0", "--now", "2026-04-01T09:30:00+09:00"], {
    ...process.env,
    ONSHI_CHARACTER_CODE: "1",
    DATABASE_URL: "",
  }));
});
after(async () => {
  if (server.exitCode === null) {
    server.kill("SIGKILL");
    await once(server, "exit");
  }
  await rm(root, { recursive: true, force: true });
});

/** OQSDrug2's way: a dated name with a daily sequence, the file written in one go, `res` polled. */
async function ask(sequence: number, info: Record<string, string>): Promise<{ tree: XmlTree; charset: string }> {
  const name = `OQSsiquc01req_20260401${String(sequence).padStart(4, "0")}.xml`;
  await writeFile(join(root, "req", name), encodeRequest(checkRequestXml(HOSPITAL, info), "Shift_JIS"));
  const answer = join(root, "res", name.replace("req", "res"));
  await waitForFile(answer, 10_000, 100);
  return decodeXml(await readFile(answer));
}

test("the banner announces the OQS root and its folders", () => {
  assert.match(banner, new RegExp(`連携フォルダ:\\s+${root}`));
  for (const folder of ["req", "res", "face", "error"]) assert.ok(banner.includes(join(root, folder)), folder);
  assert.match(banner, /文字コード Shift_JIS/);
});

test("the banner announces the subsidy calculation, which answers a profile over HTTP", async () => {
  const url = /補助金の計算:\s+POST (\S+)\?/.exec(banner)?.[1];
  assert.ok(url, banner);
  const profile = readFileSync(new URL("../../docs/examples/subsidy/clinic.json", import.meta.url), "utf8");
  const res = await fetch(`${url}?at=2025-06-01&program=fund-2020`, { method: "POST", headers: { "content-type": "application/json" }, body: profile });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { results: { program: string; amount: number }[] };
  assert.deepEqual(body.results.map((r) => [r.program, r.amount]), [["fund-2020", 429_000]]); // 10/10 up to 42.9万円 (spec §2.2)
});

test("a client's Shift_JIS request files are answered in Shift_JIS from the demo data", async () => {
  const taro = await ask(1, TARO);
  assert.equal(taro.charset, "Shift_JIS");
  const head = (taro.tree.XmlMsg as XmlTree).MessageHeader as XmlTree;
  const body = (taro.tree.XmlMsg as XmlTree).MessageBody as XmlTree;
  assert.equal(head.SegmentOfResult, "1");
  assert.equal(head.CharacterCodeIdentifier, "1");
  // The clock of --now: 09:30:00 JST plus at most the time since the server was started.
  const executed = head.ProcessExecutionTime as string;
  const elapsedSeconds = Math.ceil((Date.now() - startedAt) / 1000);
  assert.ok(executed >= "20260401093000" && executed <= jstTimestamp(new Date(Date.parse("2026-04-01T09:30:00+09:00") + elapsedSeconds * 1000)), `the clock of --now: ${executed}`);
  assert.equal(body.QualificationValidity, "1");
  const result = ((body.ResultList as XmlTree).ResultOfQualificationConfirmation as XmlTree[])[0]!;
  assert.equal(result.Name, "山田　太郎");

  const suzuki = await ask(2, SUZUKI);
  const suzukiResult = (((suzuki.tree.XmlMsg as XmlTree).MessageBody as XmlTree).ResultList as XmlTree).ResultOfQualificationConfirmation as XmlTree[];
  assert.equal(suzukiResult[0]!.InsurerNumber, "  131037", "a 6-digit 国保 number comes back space-padded");
  await waitForEmptyFolder(join(root, "req"));
});

test("the demo's folders are the demo hospital's: the banner says so, and the demo clinic's request file is refused E4005", async () => {
  assert.match(banner, new RegExp(`端末の医療機関: ${HOSPITAL} \\(--demo の既定`));
  const clinic = DEMO_FACILITIES[1].code;
  const name = "OQSsiquc01req_202604010003.xml";
  await writeFile(join(root, "req", name), encodeRequest(checkRequestXml(clinic, TARO), "Shift_JIS"));
  await waitForFile(join(root, "res", name.replace("req", "res")), 10_000, 100);
  const answer = decodeXml(await readFile(join(root, "res", name.replace("req", "res")))).tree;
  assert.equal(((answer.XmlMsg as XmlTree).MessageHeader as XmlTree).ErrorCode, "E4005");
});

test("一括照会 by file: upload, poll while 処理中, then one BulkConfirmUnit per row in input order", async () => {
  const rows = [TARO, SUZUKI, { ...TARO, InsurerNumber: "01130013" }];
  const upload = [
    '<?xml version="1.0" encoding="Shift_JIS" standalone="no"?>',
    `<XmlMsg><MessageHeader><QualificationConfirmationDate>20260401</QualificationConfirmationDate><MedicalInstitutionCode>${HOSPITAL}</MedicalInstitutionCode></MessageHeader><MessageBody>`,
    ...rows.map((info) => `<QualificationConfirmSearchInfo>${Object.entries(info).map(([k, v]) => `<${k}>${v}</${k}>`).join("")}</QualificationConfirmSearchInfo>`),
    "</MessageBody></XmlMsg>",
  ].join("\r\n");
  const received = await exchange("OQSmuquc01req_202604010101.xml", iconv.encode(upload, "cp932"));
  const receptionNumber = (received.MessageBody as XmlTree).ReceptionNumber as string;
  assert.match(receptionNumber, /^[0-9]+$/);
  let result: XmlTree | undefined;
  for (let poll = 1; poll <= 100 && !result; poll++) {
    const download = `<?xml version="1.0" encoding="Shift_JIS" standalone="no"?><XmlMsg><MessageHeader><MedicalInstitutionCode>${HOSPITAL}</MedicalInstitutionCode></MessageHeader><MessageBody><ReceptionNumber>${receptionNumber}</ReceptionNumber></MessageBody></XmlMsg>`;
    const answer = await exchange(`OQSmuquc02req_20260401${String(200 + poll).padStart(4, "0")}.xml`, iconv.encode(download, "cp932"));
    const segment = (answer.MessageHeader as XmlTree).SegmentOfResult;
    if (segment === "1") result = answer;
    else assert.equal(segment, "2", "処理中 until done");
  }
  assert.ok(result, "the job finished");
  const head = result.MessageHeader as XmlTree;
  assert.deepEqual([head.NumberOfProcessingResult, head.NumberOfNormalProcessing, head.NumberOfError], ["3", "2", "1"]);
  const units = (result.MessageBody as XmlTree).BulkConfirmUnit as XmlTree[];
  assert.deepEqual(
    units.map((u) => [(u.QualificationConfirmSearchInfo as XmlTree).InsuredIdentificationNumber, u.ProcessingResultStatus]),
    [["8001", "1"], ["900123", "1"], ["8001", "2"]],
  );
});

/** Writes a request file, polls res for its answer (or a .zip of it) and parses it. */
async function exchange(name: string, bytes: Buffer): Promise<XmlTree> {
  await writeFile(join(root, "req", name), bytes);
  const answer = join(root, "res", name.replace("req_", "res_"));
  await waitForFile(answer, 10_000, 100);
  const { tree, charset } = decodeXml(await readFile(answer), { bulk: true });
  assert.equal(charset, "Shift_JIS");
  return tree.XmlMsg as XmlTree;
}

test("SIGTERM stops the server cleanly", async () => {
  server.kill("SIGTERM");
  const [code] = await once(server, "exit");
  assert.equal(code, 0);
});
