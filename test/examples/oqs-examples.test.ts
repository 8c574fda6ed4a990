// docs/examples/oqs/ holds a request file of every message kind onshi reads, in UTF-8 and in
// Shift_JIS, as a vendor would copy them: each is answered normally against the demo data, both
// through the message pipeline and dropped into the 連携フォルダ. A download (…02req) names the
// demo's own finished 受付, so it works as it stands; sent with the ReceptionNumber the upload example
// was answered (as its comment tells the reader to do), it gives that upload's rows.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeXml, type Charset } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { parseRequestName } from "../../src/gateway/file-names.ts";
import { startGateway, type Gateway } from "../../src/gateway/gateway.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { DEFAULT_BULK_SETTINGS } from "../../src/services/bulk-settings.ts";
import { BulkWorker } from "../../src/services/bulk-worker.ts";
import { handle, MESSAGE_KINDS, type MessageKind } from "../../src/services/pipeline/index.ts";
import type { OqsContext } from "../../src/services/pipeline/types.ts";
import { DEMO_FACILITIES, DEMO_RECEPTIONS, DEMO_REFERENCE_NUMBERS, loadDemo } from "../../src/seed/demo.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { waitForFile } from "../gateway/requests.ts";
import { DEMO_RECIPIENT } from "../../src/seed/demo-welfare.ts";

const EXAMPLES = new URL("../../docs/examples/oqs/", import.meta.url);
const FOLDERS: Record<string, Charset> = { "utf-8": "UTF-8", shift_jis: "Shift_JIS" };
const NOW = new Date("2026-04-01T00:30:00Z"); // 09:30 in Japan on the demo's date
const HOSPITAL = DEMO_FACILITIES[0].code;

interface Example {
  name: string;
  kind: MessageKind;
  bytes: Buffer;
}

function examplesIn(folder: string): Example[] {
  return readdirSync(new URL(`${folder}/`, EXAMPLES))
    .sort()
    .map((name) => {
      const parsed = parseRequestName(name);
      assert.equal(parsed.type, "request", `${folder}/${name} is a request file name the terminal answers`);
      return { name, kind: (parsed as { kind: MessageKind }).kind, bytes: readFileSync(new URL(`${folder}/${name}`, EXAMPLES)) };
    });
}

const parts = (message: XmlTree) => {
  const root = message.XmlMsg as XmlTree;
  return { header: root.MessageHeader as Record<string, string>, body: root.MessageBody as XmlTree };
};
const list = (value: unknown): XmlTree[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]) as XmlTree[];

/** Sends one request's bytes and gives back the answer's tree. */
type Send = (example: Example, bytes: Buffer) => Promise<XmlTree>;

/**
 * Sends every example of a folder in the order a client would (single messages, then each upload
 * followed, once the worker is done, by its download) and checks each answer is a normal one.
 */
async function sendAll(examples: Example[], send: Send, drain: () => Promise<void>): Promise<void> {
  const byKind = new Map(examples.map((e) => [e.kind, e]));
  const ok = (message: XmlTree, label: string) => {
    const { header } = parts(message);
    assert.equal(header.SegmentOfResult, "1", `${label}: ${header.ErrorCode ?? ""} ${header.ErrorMessage ?? ""}`);
    return parts(message);
  };

  const single = ok(await send(byKind.get("OQSsiquc01")!, byKind.get("OQSsiquc01")!.bytes), "OQSsiquc01");
  assert.equal(single.body.ProcessingResultStatus, "1");
  assert.equal(single.body.QualificationValidity, "1");
  const [taro] = list((single.body.ResultList as XmlTree).ResultOfQualificationConfirmation);
  assert.equal(taro!.Name, DEMO_REFERENCE_NUMBERS[0].name);
  assert.equal(taro!.ReferenceNumber, DEMO_REFERENCE_NUMBERS[0].referenceNumber, "the hospital's own 照会番号 comes back");

  // 佐藤 健一 consented at the demo hospital at 09:00 (the demo's card check): his drugs with 診療 and 手術, his check-ups.
  for (const kind of ["YZKsiquc01", "TKKsiquc01"] as const) {
    const { header, body } = ok(await send(byKind.get(kind)!, byKind.get(kind)!.bytes), kind);
    assert.equal(header.ResultCode, "1", `${kind}: ${header.MessageContents ?? ""}`);
    assert.ok(body[kind === "YZKsiquc01" ? "MeTrMonthInf" : "SpecificHealthCheckupInfo"], `${kind} answers the history`);
  }

  const registered = ok(await send(byKind.get("OQSsiimm01")!, byKind.get("OQSsiimm01")!.bytes), "OQSsiimm01");
  assert.equal(registered.body.ProcessingResultStatus, "1", String(registered.body.ProcessingResultCode ?? ""));

  for (const [upload, download, unit] of [
    ["OQSmuimm01", "OQSmuimm02", "BulkRegistrationUnit"],
    ["OQSmuquc01", "OQSmuquc02", "BulkConfirmUnit"],
  ] as const) {
    const rows = list(parts(decodeXml(byKind.get(upload)!.bytes, { bulk: true }).tree).body[upload === "OQSmuquc01" ? "QualificationConfirmSearchInfo" : "ReferenceNumberRegistrationInfo"]);
    const accepted = ok(await send(byKind.get(upload)!, byKind.get(upload)!.bytes), upload);
    const receptionNumber = accepted.body.ReceptionNumber as string;
    assert.match(receptionNumber, /^[0-9]{20}$/);
    await drain();
    const example = byKind.get(download)!;
    const demo = DEMO_RECEPTIONS.find((r) => `OQS${r.kind}02` === download)!;
    const text = example.bytes.toString("latin1");
    const element = (n: string) => `<ReceptionNumber>${n}</ReceptionNumber>`;
    assert.ok(text.includes(element(demo.receptionNumber)), `${download} names the demo's 受付`);
    const asItStands = ok(await send(example, example.bytes), `${download} as it stands`);
    assert.equal(asItStands.header.NumberOfProcessingResult, String(demo.rows.length));
    assert.equal(asItStands.header.NumberOfError, "0");
    const result = ok(await send(example, Buffer.from(text.replace(element(demo.receptionNumber), element(receptionNumber)), "latin1")), download);
    assert.equal(result.header.NumberOfProcessingResult, String(rows.length));
    assert.equal(result.header.NumberOfError, "0");
    const units = list(result.body[unit]);
    assert.deepEqual(units.map((u) => u.ProcessingResultStatus), rows.map(() => "1"));
    if (unit === "BulkConfirmUnit") {
      // 山田 太郎 (the demo's 照会番号), 鈴木 一郎 and 佐藤 健一 (the examples' registrations above), 吉田 茂 (lost)
      assert.deepEqual(units.map((u) => u.QualificationValidity), ["1", "1", "1", "2"]);
      assert.deepEqual(units.map((u) => u.ReferenceNumber), ["0012345", "0012347", "0012346", undefined]);
    }
  }

  // オンライン診療・訪問診療: each search lists the demo hospital's patients who consented at home (src/seed/demo.ts DEMO_REMOTE_CONSENTS).
  for (const [upload, download, names] of [
    ["OQSmuonq01", "OQSmuonq02", ["山田　太郎"]],
    ["OQSmuhvq01", "OQSmuhvq02", ["佐藤　健一"]],
    ["OQSmutic01", "OQSmutic02", [DEMO_RECIPIENT.name]], // the demo 医療扶助 recipient's 医療券 of April 2026 for the hospital (src/seed/demo-welfare.ts)
  ] as const) {
    const receptionNumber = ok(await send(byKind.get(upload)!, byKind.get(upload)!.bytes), upload).body.ReceptionNumber as string;
    await drain();
    const example = byKind.get(download)!;
    const demo = DEMO_RECEPTIONS.find((r) => `OQS${r.kind}02` === download)!;
    const text = example.bytes.toString("latin1");
    const element = (n: string) => `<ReceptionNumber>${n}</ReceptionNumber>`;
    assert.ok(text.includes(element(demo.receptionNumber)), `${download} names the demo's 受付`);
    for (const bytes of [example.bytes, Buffer.from(text.replace(element(demo.receptionNumber), element(receptionNumber)), "latin1")]) {
      const result = ok(await send(example, bytes), download);
      assert.equal(result.header.NumberOfError, "0");
      const units = list(result.body.BulkConfirmUnit);
      assert.deepEqual(units.map((u) => list(u.ResultOfQualificationConfirmation)[0]?.Name), [...names], download);
    }
  }
}

test("docs/examples/oqs has a request file of every kind in each encoding, the Shift_JIS one saying what the UTF-8 one says", () => {
  const [utf8, sjis] = [examplesIn("utf-8"), examplesIn("shift_jis")];
  assert.deepEqual(Object.keys(FOLDERS).sort(), readdirSync(EXAMPLES).sort());
  assert.deepEqual(utf8.map((e) => e.kind).sort(), [...MESSAGE_KINDS].sort());
  assert.deepEqual(sjis.map((e) => e.name), utf8.map((e) => e.name));
  for (const [i, e] of sjis.entries()) {
    const [a, b] = [decodeXml(utf8[i]!.bytes, { bulk: true }), decodeXml(e.bytes, { bulk: true })];
    assert.deepEqual([a.charset, b.charset], ["UTF-8", "Shift_JIS"], e.name);
    assert.deepEqual(b.tree, a.tree, e.name);
    assert.match(e.bytes.toString("latin1"), /[\x80-\xff]/, `${e.name} holds Japanese text in Shift_JIS`);
  }
});

for (const database of testDatabases()) {
  describe(`the request examples against the demo data on ${database.name}`, () => {
    let db: Db;
    let ctx: OqsContext;
    let worker: BulkWorker;
    const drain = async () => {
      while (await worker.step());
    };
    before(async () => {
      db = await database.open();
      await loadDemo(db);
      ctx = { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0", bulk: DEFAULT_BULK_SETTINGS };
      worker = new BulkWorker({ db, now: () => NOW, settings: DEFAULT_BULK_SETTINGS, expiryCheckMs: 0 });
    });
    after(async () => db.close());

    for (const [folder, charset] of Object.entries(FOLDERS)) {
      test(`${folder}: each is answered normally through the pipeline, in its own charset`, async () => {
        await sendAll(examplesIn(folder), async (example, bytes) => {
          const answer = await handle(example.kind, { xml: bytes, file: true }, { authorizedFacility: HOSPITAL, otherFacility: "E4005", transport: "folder" }, ctx);
          assert.equal(answer.charset, charset);
          return answer.message;
        }, drain);
      });
    }

    describe("dropped into the demo hospital's 連携フォルダ", () => {
      let root: string;
      let gateway: Gateway;
      before(async () => {
        root = await mkdtemp(join(tmpdir(), "onshi-examples-"));
        gateway = await startGateway({ root, ctx, facility: HOSPITAL, settleMs: 100, stableMs: 20 });
      });
      after(async () => {
        await gateway.close();
        await rm(root, { recursive: true, force: true });
      });

      for (const folder of Object.keys(FOLDERS)) {
        test(`${folder}: each file is answered normally in res under its real name`, async () => {
          await sendAll(examplesIn(folder), async (example, bytes) => {
            const answer = join(gateway.folders.res, example.name.replace("req_", "res_"));
            await rm(answer, { force: true }); // the other folder's run answered the same name
            await writeFile(join(gateway.folders.req, example.name), bytes);
            await waitForFile(answer);
            return decodeXml(await readFile(answer), { bulk: false }).tree;
          }, drain);
        });
      }
    });
  });
}
