// The OpenAPI page works: every OQS message route has its request schema (from the message
// schemas), the idToken security scheme the Authorize button fills, a tag, and an example that
// succeeds against the demo data when sent as the page would send it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { OPENAPI_TAGS } from "../../src/http/message-route.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { DEMO_FACILITIES, loadDemo } from "../../src/seed/demo.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { testDatabases } from "../support/databases.ts";

const NOW = new Date("2026-04-01T00:30:00Z");
let db: Db;
let app: FastifyInstance;
let token: string;
let doc: { paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> }; tags: { name: string }[] };

interface Operation {
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: { example?: unknown; properties?: object } }> };
}

before(async () => {
  db = await testDatabases()[0]!.open();
  await loadDemo(db);
  const tokens = new TokenService(() => NOW, 600);
  // With the simulator, so that its routes are in the document too.
  app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens, simulator: true });
  token = (await tokens.issue(DEMO_FACILITIES[0].code)).token;
  doc = (await app.inject({ method: "GET", url: "/docs/json" })).json();
});
after(async () => {
  await app.close();
  await db.close();
});

const MESSAGE_ROUTES = () => Object.entries(doc.paths).filter(([path]) => path.startsWith("/oqs-api-pro/MSA01030") || /^\/onshi-api\/(reference-numbers|bulk-check)/.test(path));

test("the document has the tags and an idToken security scheme in the Authorization header", () => {
  assert.deepEqual(doc.tags.map((t) => t.name), [...OPENAPI_TAGS]);
  assert.deepEqual(doc.components.securitySchemes.idToken, { type: "apiKey", in: "header", name: "Authorization", description: "auth で得た idToken" });
});

test("every message route has a request schema with an example, the idToken security requirement and a tag", () => {
  assert.equal(MESSAGE_ROUTES().length, 6);
  for (const [path, { post }] of MESSAGE_ROUTES()) {
    const schema = post!.requestBody?.content["application/json"]?.schema;
    assert.ok(schema?.properties && "XmlMsg" in schema.properties, path);
    assert.ok(schema.example, path);
    assert.deepEqual(post!.security, [{ idToken: [] }], path);
    assert.ok(post!.tags?.length === 1 && (OPENAPI_TAGS as readonly string[]).includes(post!.tags[0]!), path);
  }
});

test("each example succeeds against the demo data (a download's ReceptionNumber taken from its upload's answer)", async () => {
  const examples = Object.fromEntries(MESSAGE_ROUTES().map(([path, { post }]) => [path, post!.requestBody!.content["application/json"]!.schema.example]));
  const send = (path: string, payload: unknown) => app.inject({ method: "POST", url: path, payload: payload as object, headers: { authorization: token } });
  const received: Record<string, string> = {};
  for (const path of Object.keys(examples).sort((a, b) => Number(a.endsWith("/result")) - Number(b.endsWith("/result")))) {
    let payload = examples[path] as { XmlMsg: { MessageBody: Record<string, unknown> } };
    if (path.endsWith("/result")) {
      payload = structuredClone(payload);
      payload.XmlMsg.MessageBody.ReceptionNumber = received[path.replace(/result$/, "upload")];
    }
    const res = await send(path, payload);
    assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
    const { MessageHeader: header, MessageBody: body } = res.json().XmlMsg;
    assert.notEqual(header.SegmentOfResult, "9", `${path}: ${res.body}`);
    if (body.ProcessingResultStatus !== undefined) assert.equal(body.ProcessingResultStatus, "1", `${path}: ${JSON.stringify(body).slice(0, 400)}`);
    if (body.ReceptionNumber) received[path] = body.ReceptionNumber;
  }
});

test("every route in the document has a tag, and those that take a token the idToken requirement", () => {
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      assert.ok(operation.tags?.length === 1 && (OPENAPI_TAGS as readonly string[]).includes(operation.tags[0]!), `${method} ${path}`);
      const takesToken = !/\/auth(\/refresh)?$|\/api\/subsidy\/calc$/.test(path);
      assert.deepEqual(operation.security, takesToken ? [{ idToken: [] }] : undefined, `${method} ${path}`);
    }
  }
});
