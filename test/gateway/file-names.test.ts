// The naming rule of request files (spec §1.1) and the answer's name for each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fitName, isTransientName, parseRequestName, zipName } from "../../src/gateway/file-names.ts";

test("request names: kind and answer name", () => {
  const cases: [string, ReturnType<typeof parseRequestName>][] = [
    ["OQSsiquc01req_202604010001.xml", { type: "request", kind: "OQSsiquc01", responseName: "OQSsiquc01res_202604010001.xml" }],
    ["OQSmuquc01req_202604010002.xml", { type: "request", kind: "OQSmuquc01", responseName: "OQSmuquc01res_202604010002.xml" }],
    ["OQSmuquc02req_202604010003.xml", { type: "request", kind: "OQSmuquc02", responseName: "OQSmuquc02res_202604010003.xml" }],
    ["OQSsiimm01req_202609290001.xml", { type: "request", kind: "OQSsiimm01", responseName: "OQSsiimm01res_202609290001.xml" }],
    ["OQSmuimm01req_202609290001.xml", { type: "request", kind: "OQSmuimm01", responseName: "OQSmuimm01res_202609290001.xml" }],
    ["OQSmuimm02req_202609290001.xml", { type: "request", kind: "OQSmuimm02", responseName: "OQSmuimm02res_202609290001.xml" }],
    // Free parts other tools write (OQSDrug's category+date+patient id), and a Windows-style extension.
    ["OQSsiquc01req_012604011030P000123.xml", { type: "request", kind: "OQSsiquc01", responseName: "OQSsiquc01res_012604011030P000123.xml" }],
    ["OQSsiquc01req_202604010001.XML", { type: "request", kind: "OQSsiquc01", responseName: "OQSsiquc01res_202604010001.XML" }],
    // Only the kind's `req` changes, not one in the free part.
    ["OQSsiquc01req_req1.xml", { type: "request", kind: "OQSsiquc01", responseName: "OQSsiquc01res_req1.xml" }],
    // The rule fits but onshi has no such kind.
    ["OQSmuzzz01req_202604010001.xml", { type: "unsupported", kind: "OQSmuzzz01", responseName: "OQSmuzzz01res_202604010001.xml" }],
    // 薬剤・特定健診: the first 3 characters name the system, and the answer keeps them.
    ["YZKsiquc01req_02260401093000001.xml", { type: "request", kind: "YZKsiquc01", responseName: "YZKsiquc01res_02260401093000001.xml" }],
    ["TKKsiquc01req_202604010001.xml", { type: "request", kind: "TKKsiquc01", responseName: "TKKsiquc01res_202604010001.xml" }],
    // Broken names are answered under the name with its first `req` replaced, or <name>.res.xml.
    ["OQSsiquc01req-202604010001.xml", { type: "invalid", responseName: "OQSsiquc01res-202604010001.xml" }],
    ["oqssiquc01req_202604010001.xml", { type: "invalid", responseName: "oqssiquc01res_202604010001.xml" }],
    ["OQSSIQUC01REQ_202604010001.xml", { type: "invalid", responseName: "OQSSIQUC01RES_202604010001.xml" }],
    ["OQSsiquc01req_.xml", { type: "invalid", responseName: "OQSsiquc01res_.xml" }],
    ["OQSsiquc01req_202604010001.txt", { type: "invalid", responseName: "OQSsiquc01res_202604010001.txt" }],
    ["OQSsiquc01req_202604010001", { type: "invalid", responseName: "OQSsiquc01res_202604010001" }],
    ["OQSxxquc01req_202604010001.xml", { type: "invalid", responseName: "OQSxxquc01res_202604010001.xml" }],
    ["OQSsiquc1req_202604010001.xml", { type: "invalid", responseName: "OQSsiquc1res_202604010001.xml" }],
    ["hello.xml", { type: "invalid", responseName: "hello.xml.res.xml" }],
    ["受付.xml", { type: "invalid", responseName: "受付.xml.res.xml" }],
  ];
  for (const [name, expected] of cases) assert.deepEqual(parseRequestName(name), expected, name);
});

test("names a writer is still writing are left alone", () => {
  for (const name of [".OQSsiquc01req_1.xml", "~OQSsiquc01req_1.xml", "OQSsiquc01req_1.xml.tmp", "OQSsiquc01req_1.xml.TMP", "x.part", "x.partial", "x.crdownload", "x.swp", "OQSsiquc01req_1.xml~"]) {
    assert.equal(isTransientName(name), true, name);
  }
  for (const name of ["OQSsiquc01req_1.xml", "hello.txt", "tmp.xml", "OQSsiquc01req_tmp.xml"]) assert.equal(isTransientName(name), false, name);
});

test("a zipped answer is named like the XML", () => {
  assert.equal(zipName("OQSmuquc02res_202604010001.xml"), "OQSmuquc02res_202604010001.zip");
  assert.equal(zipName("OQSmuquc02res_202604010001.XML"), "OQSmuquc02res_202604010001.zip");
});

test("a name too long to take a suffix is cut at a character, never inside one, and tagged by its hash", () => {
  assert.equal(fitName("OQSsiquc01req_1.xml", 244), "OQSsiquc01req_1.xml");
  const long = "あ".repeat(85); // 255 bytes
  const a = fitName(long, 244);
  const b = fitName(`${"あ".repeat(84)}い`, 244);
  for (const fitted of [a, b]) {
    assert.ok(Buffer.byteLength(fitted) <= 244, fitted);
    assert.match(fitted, /^(あ)+_[0-9a-f]{8}$/);
  }
  assert.notEqual(a, b, "two long names sharing a start stay two");
  // A 255-byte name without "req" is answered under a name that fits too.
  const { responseName } = parseRequestName(`${"x".repeat(251)}.xml`);
  assert.ok(Buffer.byteLength(responseName) <= 255 && responseName.endsWith(".res.xml"), responseName);
});
