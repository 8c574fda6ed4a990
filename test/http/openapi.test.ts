// The OpenAPI page works: every OQS message route has its request schema (from the message
// schemas), the idToken security scheme the Authorize button fills, a tag, and an example that
// succeeds against the demo data when sent as the page would send it. Every route that takes input
// has its request schema, and Fastify checks it: a violation is the route family's coded error.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../src/db/client.ts";
import { OPENAPI_TAGS } from "../../src/http/message-route.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";
import { DEMO_FACILITIES, loadDemo } from "../../src/seed/demo.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { BulkWorker } from "../../src/services/bulk-worker.ts";
import { DEFAULT_BULK_SETTINGS } from "../../src/services/bulk-settings.ts";
import { testDatabases } from "../support/databases.ts";

const NOW = new Date("2026-04-01T00:30:00Z");
let db: Db;
let app: FastifyInstance;
let token: string;
let oqsRoot: string;
let doc: { paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> }; tags: { name: string }[] };

interface Operation {
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: { example?: unknown; properties?: object } }> };
  parameters?: { in: string; name: string; schema?: object }[];
  responses?: Record<string, { content?: Record<string, { schema: { type?: string; properties?: object } }> }>;
}

before(async () => {
  db = await testDatabases()[0]!.open();
  await loadDemo(db);
  const tokens = new TokenService(() => NOW, 600);
  // With the card reader and the simulator, so that their routes are in the document too.
  oqsRoot = await mkdtemp(join(tmpdir(), "onshi-openapi-"));
  const faceFiles = faceFolder(join(oqsRoot, "face"));
  app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => NOW, characterCode: "0" }, tokens, faceFiles, simulator: true });
  token = (await tokens.issue(DEMO_FACILITIES[0].code)).token;
  doc = (await app.inject({ method: "GET", url: "/docs/json" })).json();
});
after(async () => {
  await app.close();
  await db.close();
  await rm(oqsRoot, { recursive: true, force: true });
});

const MESSAGE_ROUTES = () => Object.entries(doc.paths).filter(([path]) => path.startsWith("/oqs-api-pro/MSA01030") || /^\/onshi-api\/(reference-numbers|bulk-check|remote-bulk|medical-info)/.test(path));

test("the document has the tags and an idToken security scheme in the Authorization header", () => {
  assert.deepEqual(doc.tags.map((t) => t.name), [...OPENAPI_TAGS]);
  assert.deepEqual(doc.components.securitySchemes.idToken, { type: "apiKey", in: "header", name: "Authorization", description: "auth で得た idToken" });
});

test("every message route has a request schema with an example, the idToken security requirement and a tag", () => {
  assert.equal(MESSAGE_ROUTES().length, 14);
  for (const [path, { post }] of MESSAGE_ROUTES()) {
    const schema = post!.requestBody?.content["application/json"]?.schema;
    assert.ok(schema?.properties && "XmlMsg" in schema.properties, path);
    assert.ok(schema.example, path);
    assert.deepEqual(post!.security, [{ idToken: [] }], path);
    assert.ok(post!.tags?.length === 1 && (OPENAPI_TAGS as readonly string[]).includes(post!.tags[0]!), path);
  }
});

test("each example succeeds against the demo data as it stands (a download names a demo reception)", async () => {
  // What the server's worker does at start: answer the demo receptions.
  const worker = new BulkWorker({ db, now: () => NOW, settings: DEFAULT_BULK_SETTINGS });
  while (await worker.step());
  for (const [path, { post }] of MESSAGE_ROUTES()) {
    const example = post!.requestBody!.content["application/json"]!.schema.example as object;
    const res = await app.inject({ method: "POST", url: path, payload: example, headers: { authorization: token } });
    assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
    const { MessageHeader: header, MessageBody: body } = res.json().XmlMsg;
    assert.equal(header.SegmentOfResult, "1", `${path}: ${res.body}`);
    if (body.ProcessingResultStatus !== undefined) assert.equal(body.ProcessingResultStatus, "1", `${path}: ${JSON.stringify(body).slice(0, 400)}`);
    if (path.endsWith("/result")) {
      const units = Object.values(body).find(Array.isArray) as { ProcessingResultStatus: string }[] | undefined;
      assert.ok(units?.length && units.every((u) => u.ProcessingResultStatus === "1"), `${path}: ${JSON.stringify(body).slice(0, 400)}`);
    }
  }
});

test("every route in the document has a tag, and those that take a token the idToken requirement", () => {
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      assert.ok(operation.tags?.length === 1 && (OPENAPI_TAGS as readonly string[]).includes(operation.tags[0]!), `${method} ${path}`);
      // The 閲覧履歴 and 居宅同意 routes are the patient's: the card's own answer, not a facility's token; the
      // 医療券 route is a 福祉事務所's, with its own credential.
      const welfare = path.startsWith("/onshi-api/welfare/");
      // The マイナ保険証利用率 page's data are published statistics: no token.
      const takesToken = !welfare && !/\/auth(\/refresh)?$|\/api\/subsidy\/calc$|^\/onshi-api\/(portal|home-consent)\/|\/(portal|home)-answer$|^\/usage\/api\//.test(path);
      assert.deepEqual(operation.security, welfare ? [{ welfareOffice: [] }] : takesToken ? [{ idToken: [] }] : undefined, `${method} ${path}`);
    }
  }
});

// Routes whose only input is the idToken (the 閲覧履歴's challenge: none at all; the 居宅同意's: the facility in the path).
const TOKEN_ONLY = new Set(["post /onshi-api/reader/challenge", "post /onshi-api/portal/challenge", "post /onshi-api/home-consent/{facilityCode}/challenge", "get /onshi-api/simulator/cards", "get /onshi-api/card-users/stream"]);

test("every route that takes input has a request schema naming its fields, and a 200 answer schema naming its fields", () => {
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [`${method} ${path}`, op] as const));
  assert.ok(operations.some(([route]) => route === "post /onshi-api/reader/verify"), "the reader's routes are in the document");
  for (const [route, op] of operations) {
    for (const name of route.match(/\{(\w+)\}/g) ?? []) {
      assert.ok(op.parameters?.some((p) => p.in === "path" && `{${p.name}}` === name), `${route}: path parameter ${name}`);
    }
    if (route.startsWith("post ") && !TOKEN_ONLY.has(route)) {
      const schema = op.requestBody?.content["application/json"]?.schema;
      assert.ok(schema?.properties && Object.keys(schema.properties).length > 0, `${route}: request body schema`);
    }
    if (route === "get /onshi-api/card-users") assert.ok(op.parameters?.some((p) => p.in === "query" && p.name === "date"), route);
    if (route.endsWith("/card-users/stream")) continue; // server-sent events, not JSON
    const ok = op.responses?.["200"]?.content?.["application/json"]?.schema;
    assert.ok(ok?.properties && Object.keys(ok.properties).length > 0, `${route}: 200 answer schema`);
  }
});

// A schema violation on each JSON route family, and the coded answer in that family's shape.
const VIOLATIONS: [string, { method: "GET" | "POST"; url: string; payload?: unknown; token?: boolean }, number, Record<string, unknown>][] = [
  ["reader verify: answer not an object", { method: "POST", url: "/onshi-api/reader/verify", payload: { answer: "x" }, token: true }, 400, { code: "E7032" }],
  ["reader registration: session missing", { method: "POST", url: "/onshi-api/reader/registration", payload: {}, token: true }, 400, { code: "E7032" }],
  ["reader complete: a consent that is not true/false", { method: "POST", url: "/onshi-api/reader/complete", payload: { session: "s", consent: { pharmacists: "yes" } }, token: true }, 400, { code: "E7032" }],
  ["simulator: nonce not text", { method: "POST", url: "/onshi-api/simulator/cards/x/answer", payload: { nonce: 1, method: "visual" }, token: true }, 400, { code: "E7032" }],
  ["simulator: unknown method", { method: "POST", url: "/onshi-api/simulator/cards/x/answer", payload: { nonce: "n", method: "telepathy" }, token: true }, 400, { code: "E7015" }],
  ["利用者リスト: a date not YYYY-MM-DD", { method: "GET", url: "/onshi-api/card-users?date=2026-4-1", token: true }, 400, { code: "E1008" }],
  ["auth: a code that is not text", { method: "POST", url: "/oqs-api-pro/MSA12020/ILI12020SV01/auth", payload: { MedicalInstitutionCode: 1310000001, Credential: "x" } }, 400, { status: "NG", errorCode: "E1005" }],
  ["auth: credential missing", { method: "POST", url: "/oqs-api-pro/MSA12020/ILI12020SV01/auth", payload: { MedicalInstitutionCode: "1310000001" } }, 400, { status: "NG", errorCode: "E1005" }],
  ["refresh: a token that is not text", { method: "POST", url: "/onshi-api/auth/refresh", payload: { refreshToken: 5 } }, 401, { status: "NG", errorCode: "E2002" }],
  ["subsidy: a kind outside its list", { method: "POST", url: "/api/subsidy/calc", payload: { kind: 5 } }, 400, { code: "E9102", field: "kind" }],
  ["subsidy: an unknown program", { method: "POST", url: "/api/subsidy/calc?program=fund-1999", payload: { kind: "pharmacy" } }, 400, { code: "E9103", field: "program" }],
  ["subsidy: a date not YYYY-MM-DD", { method: "POST", url: "/api/subsidy/calc?at=2026-4-1", payload: { kind: "pharmacy" } }, 400, { code: "E9104", field: "at" }],
  ["利用率の表: a month given twice", { method: "GET", url: "/usage/api/prefectures?month=2025-01&month=2025-02" }, 400, { code: "E8990" }],
];
for (const [name, request, status, expected] of VIOLATIONS) {
  test(`a schema violation is the family's coded error, never Fastify's generic 400: ${name}`, async () => {
    const res = await app.inject({ ...request, payload: request.payload as object, headers: request.token ? { authorization: token } : {} });
    assert.equal(res.statusCode, status, res.body);
    const body = res.json();
    for (const [key, value] of Object.entries(expected)) assert.equal(body[key], value, res.body);
    assert.ok(!("error" in body) && !("statusCode" in body) && !res.body.includes("FST_ERR_VALIDATION"), res.body);
  });
}

test("the 利用者リスト checks the token before the query: no token and a bad date is E2002", async () => {
  const res = await app.inject({ method: "GET", url: "/onshi-api/card-users?date=bad" });
  assert.deepEqual([res.statusCode, res.json().code], [401, "E2002"]);
});
