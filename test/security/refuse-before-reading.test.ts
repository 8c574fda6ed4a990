// Issue 10 item 2: the token before the body, bounded bodies, nesting and time. A caller without a
// valid token never has its body parsed (or even received whole); a client that stalls mid-body
// is cut off; a deeply nested message is E1004, not a stack overflow.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { MAX_NESTING } from "../../src/codec/characters.ts";
import { jsonToTree } from "../../src/codec/json.ts";
import { decodeXml } from "../../src/codec/xml.ts";
import type { Db } from "../../src/db/client.ts";
import { BULK_UPLOAD_PATH } from "../../src/http/routes/oqs/bulk.ts";
import { READER_PATHS } from "../../src/http/routes/card-reader/card-reader-routes.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, loadFixture } from "../support/fixture.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";

const AUTH = "/oqs-api-pro/MSA12020/ILI12020SV01/auth";
const SEARCH = "/oqs-api-pro/MSA01030/ILI01030SV01/search";
const NOW = new Date("2026-04-01T00:30:00Z");
const STALL_TIMEOUT_MS = 300;

/** A message nested `levels` elements deep (XmlMsg and the leaf included). */
function nestedJson(levels: number): unknown {
  let value: unknown = "x";
  for (let i = 0; i < levels - 1; i++) value = { A: value };
  return { XmlMsg: value };
}
const nestedXml = (levels: number) => `<XmlMsg>${"<A>".repeat(levels - 1)}x${"</A>".repeat(levels - 1)}</XmlMsg>`;

/** Opens a socket, sends the head of a request and `bodyBytes` of its body; resolves on what the server does. */
function partialRequest(port: number, path: string, headers: Record<string, string>, declaredLength: number, bodyBytes: number) {
  const socket: Socket = connect(port, "127.0.0.1");
  let received = "";
  const closed = new Promise<{ received: string; ms: number }>((resolve) => {
    const started = Date.now();
    socket.on("data", (chunk) => (received += chunk.toString("latin1")));
    socket.on("error", () => {}); // a reset while we still write is one way of being cut off
    socket.on("close", () => resolve({ received, ms: Date.now() - started }));
  });
  const head = [`POST ${path} HTTP/1.1`, "Host: 127.0.0.1", `Content-Length: ${declaredLength}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.write(`${head.join("\r\n")}\r\n\r\n`);
  socket.write(Buffer.alloc(bodyBytes, 0x20));
  return { socket, closed };
}

for (const database of testDatabases()) {
  describe(`refuse before reading on ${database.name}`, () => {
    let db: Db;
    let app: FastifyInstance;
    let oqsRoot: string;
    let token: string;
    let port: number;

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      oqsRoot = await mkdtemp(join(tmpdir(), "onshi-refuse-"));
      const tokens = new TokenService(() => NOW, 600);
      app = await buildServer({
        oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" },
        tokens,
        faceFiles: faceFolder(join(oqsRoot, "face")),
        timeouts: { connectionTimeout: STALL_TIMEOUT_MS },
      });
      await app.listen({ host: "127.0.0.1", port: 0 });
      port = (app.server.address() as AddressInfo).port;
      token = (await tokens.issue(FACILITY.code)).token;
    });
    after(async () => {
      await app.close();
      await db.close();
      await rm(oqsRoot, { recursive: true, force: true });
    });

    test("without a token the body is not parsed: malformed XML is E2002, not E1002; with one it is E1002", async () => {
      const xml = { "content-type": "application/xml" };
      const stranger = await app.inject({ method: "POST", url: SEARCH, payload: "<XmlMsg><oops>", headers: xml });
      assert.equal(stranger.statusCode, 401);
      assert.equal(((decodeXml(stranger.rawPayload).tree.XmlMsg as any).MessageHeader as any).ErrorCode, "E2002", "answered as XML, as it was sent");
      assert.equal(stranger.headers.connection, "close", "the unread body is not received");
      const known = await app.inject({ method: "POST", url: SEARCH, payload: "<XmlMsg><oops>", headers: { ...xml, authorization: token } });
      assert.equal(known.statusCode, 400);
      assert.match(known.body, /<ErrorCode>E1002<\/ErrorCode>/);
    });

    test("a 63 MB bulk upload without a token is refused without decoding it", async () => {
      const rows = "<QualificationConfirmSearchInfo><InsurerNumber>01130012</InsurerNumber></QualificationConfirmSearchInfo>".repeat(600_000);
      // Ill-formed at its very end: decoding it (9 s here) would answer E1002; refusing it first answers E2004.
      const body = `<?xml version="1.0" encoding="UTF-8"?><XmlMsg><MessageHeader></MessageHeader><MessageBody>${rows}</MessageBody><oops>`;
      assert.ok(body.length > 60_000_000, "body.length > 60_000_000");
      const res = await app.inject({ method: "POST", url: BULK_UPLOAD_PATH, payload: body, headers: { "content-type": "application/xml", authorization: "Bearer forged" } });
      assert.equal(res.statusCode, 401);
      assert.match(res.body, /<ErrorCode>E2004<\/ErrorCode>/);
      assert.equal(res.headers.connection, "close", "the unread body is not received");
    });

    test("over a socket, a stranger's 60 MB upload is answered 401 after its head, before the body is sent", async () => {
      const { socket, closed } = partialRequest(port, BULK_UPLOAD_PATH, { "Content-Type": "application/json" }, 60_000_000, 64 * 1024);
      const { received } = await closed;
      socket.destroy();
      assert.match(received, /^HTTP\/1\.1 401/);
      assert.match(received, /E2002/);
    });

    test("a JSON route of the card reader refuses a stranger before reading the body too (problem E2002)", async () => {
      const res = await app.inject({ method: "POST", url: READER_PATHS.verify, payload: "{not json", headers: { "content-type": "application/json" } });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, "E2002");
      assert.equal(res.headers.connection, "close");
    });

    test("an authorised client that sends part of a 60 MB body and stalls is cut off by connectionTimeout", async () => {
      const { socket, closed } = partialRequest(port, BULK_UPLOAD_PATH, { "Content-Type": "application/json", Authorization: token }, 60_000_000, 1024 * 1024);
      const { ms } = await closed;
      socket.destroy();
      assert.ok(ms >= STALL_TIMEOUT_MS - 50 && ms < STALL_TIMEOUT_MS + 5_000, `closed after ${ms} ms`);
    });

    test("the auth route, which takes no token, reads at most 4 KB", async () => {
      const res = await app.inject({ method: "POST", url: AUTH, payload: { MedicalInstitutionCode: FACILITY.code, Credential: "x".repeat(5_000) } });
      assert.equal(res.statusCode, 413);
      assert.equal(res.json().errorCode, "E1011", "in the auth route's own {status, errorCode, msg} shape");
    });

    test("a 15 KB JSON body nested 2,500 deep is E1004, not a stack overflow", async () => {
      const payload = JSON.stringify(nestedJson(2_500));
      assert.ok(payload.length < 16_000, "payload.length < 16_000");
      const res = await app.inject({ method: "POST", url: SEARCH, payload, headers: { "content-type": "application/json", authorization: token } });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().XmlMsg.MessageHeader.ErrorCode, "E1004");
    });

    test("XML nested 2,500 deep is E1004 too", async () => {
      const res = await app.inject({ method: "POST", url: SEARCH, payload: nestedXml(2_500), headers: { "content-type": "application/xml", authorization: token } });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /<ErrorCode>E1004<\/ErrorCode>/);
    });
  });
}

test(`both codecs take ${MAX_NESTING} nested elements (4 times the deepest real message) and refuse one more`, () => {
  assert.doesNotThrow(() => jsonToTree(nestedJson(MAX_NESTING)));
  assert.doesNotThrow(() => decodeXml(Buffer.from(nestedXml(MAX_NESTING))));
  assert.throws(() => jsonToTree(nestedJson(MAX_NESTING + 1)), { code: "TOO_DEEP" });
  assert.throws(() => decodeXml(Buffer.from(nestedXml(MAX_NESTING + 1))), { code: "TOO_DEEP" });
});
