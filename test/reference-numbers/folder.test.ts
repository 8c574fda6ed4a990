// End to end through the folder gateway, playing the public 照会番号 client (YUKI-ENT/MynaReception):
// it writes OQSsiimm01req in Shift_JIS in a work folder and moves it into req, polls res for the
// answer and accepts it only as that client's parser does; the same facility's next 個別照会 file
// (UTF-8, as sanox writes it) then carries the number.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { startGateway, type Gateway } from "../../src/gateway/gateway.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { checkRequestXml, encodeRequest, waitForFile } from "../gateway/requests.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, TARO, loadFixture } from "../support/fixture.ts";

const NOW = new Date("2026-04-01T00:30:00Z");

/** The request as MynaReception's ReferenceNumberRequestBuilder lays it out (indented, CRLF). */
function registrationXml(facility: string, identifier: string, referenceNumber: string): string {
  return [
    "<XmlMsg>",
    "  <MessageHeader>",
    `    <MedicalInstitutionCode>${facility}</MedicalInstitutionCode>`,
    `    <ArbitraryFileIdentifier>${identifier}</ArbitraryFileIdentifier>`,
    "  </MessageHeader>",
    "  <MessageBody>",
    "    <ReferenceNumberRegistrationInfo>",
    `      <ReferenceNumber>${referenceNumber}</ReferenceNumber>`,
    `      <InsurerNumber>${TARO.InsurerNumber}</InsurerNumber>`,
    `      <InsuredCardSymbol>${TARO.InsuredCardSymbol}</InsuredCardSymbol>`,
    `      <InsuredIdentificationNumber>${TARO.InsuredIdentificationNumber}</InsuredIdentificationNumber>`,
    `      <InsuredBranchNumber>${TARO.InsuredBranchNumber}</InsuredBranchNumber>`,
    "    </ReferenceNumberRegistrationInfo>",
    "  </MessageBody>",
    "</XmlMsg>",
  ].join("\r\n");
}

/** Every value of an element anywhere below `tree` (XDocument.Descendants). */
function descendants(tree: XmlTree, name: string): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(tree)) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (typeof item === "string") {
        if (key === name) found.push(item);
      } else found.push(...descendants(item, name));
    }
  }
  return found;
}

/** The acceptance rules of MynaReception's SingleReferenceRegistrationService.ParseResult. */
function acceptRegistration(answer: XmlTree, facility: string, identifier: string, referenceNumber: string): "Completed" | "Failed" {
  const one = (name: string) => {
    const values = descendants(answer, name);
    assert.ok(values.length <= 1, `${name} appears once at most`);
    return values[0]?.trim() ?? "";
  };
  assert.equal(one("MedicalInstitutionCode"), facility);
  assert.equal(one("ArbitraryFileIdentifier"), identifier);
  assert.ok(["", referenceNumber].includes(one("ReferenceNumber")), "[\"\", referenceNumber].includes(one(\"ReferenceNumber\"))");
  if (one("SegmentOfResult") !== "1" || one("ErrorCode") !== "") return "Failed";
  assert.ok(["1", "2"].includes(one("ProcessingResultStatus")), "[\"1\", \"2\"].includes(one(\"ProcessingResultStatus\"))");
  return one("ProcessingResultStatus") === "1" ? "Completed" : "Failed";
}

for (const database of testDatabases()) {
  describe(`照会番号 by file on ${database.name}`, () => {
    let db: Db;
    let root: string;
    let work: string;
    let theirRoot: string;
    let gateway: Gateway;
    /** The other facility's terminal: a gateway belongs to one facility. */
    let theirGateway: Gateway;
    before(async () => {
      db = await database.open();
      await loadFixture(db);
      root = await mkdtemp(join(tmpdir(), "onshi-imm-"));
      theirRoot = await mkdtemp(join(tmpdir(), "onshi-imm-theirs-"));
      work = await mkdtemp(join(tmpdir(), "onshi-imm-work-"));
      const ctx = { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "1" } as const;
      gateway = await startGateway({ root, ctx, facility: FACILITY.code });
      theirGateway = await startGateway({ root: theirRoot, ctx, facility: OTHER_FACILITY.code });
    });
    after(async () => {
      await gateway.close();
      await theirGateway.close();
      await rm(root, { recursive: true, force: true });
      await rm(theirRoot, { recursive: true, force: true });
      await rm(work, { recursive: true, force: true });
      await db.close();
    });

    /** Completes a file in the work folder, moves it into req, and waits for its answer. */
    async function send(name: string, bytes: Buffer, terminal = gateway): Promise<XmlTree> {
      await writeFile(join(work, name), bytes);
      await rename(join(work, name), join(terminal.folders.req, name));
      const answer = join(terminal.folders.res, name.replace("req_", "res_"));
      await waitForFile(answer);
      return decodeXml(await readFile(answer)).tree;
    }

    test("register by file, accepted by the client's rules, then the next 個別照会 file carries the number", async () => {
      const identifier = "20260401093000123-1a2b3c4d";
      const answer = await send("OQSsiimm01req_202604010001.xml", encodeRequest(registrationXml(FACILITY.code, identifier, "24434"), "Shift_JIS"));
      assert.equal(acceptRegistration(answer, FACILITY.code, identifier, "24434"), "Completed");

      const info = { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0" };
      const mine = await send("OQSsiquc01req_202604010002.xml", encodeRequest(checkRequestXml(FACILITY.code, info), "UTF-8"));
      assert.deepEqual(descendants(mine, "ReferenceNumber"), ["24434"]);
      const theirs = await send("OQSsiquc01req_202604010003.xml", encodeRequest(checkRequestXml(OTHER_FACILITY.code, info), "UTF-8"), theirGateway);
      assert.equal(descendants(theirs, "QualificationValidity")[0], "1");
      assert.deepEqual(descendants(theirs, "ReferenceNumber"), []);
    });

    test("a refused registration by file is a failure to the client, with the code and a Japanese message", async () => {
      const identifier = "20260401093000456-5e6f7a8b";
      const answer = await send("OQSsiimm01req_202604010004.xml", encodeRequest(registrationXml(FACILITY.code, identifier, "２４４３４"), "Shift_JIS"));
      assert.equal(acceptRegistration(answer, FACILITY.code, identifier, "２４４３４"), "Failed");
      assert.deepEqual(descendants(answer, "ProcessingResultCode"), ["E6003"]);
      assert.match(descendants(answer, "ProcessingResultMessage")[0]!, /^照会番号に使用できない文字/);
    });
  });
}
