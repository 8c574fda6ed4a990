// The HTTP server: the OQS WebAPI (JSON rendering of the XmlMsg tree) and its OpenAPI page.
// Every failure is answered in the protocol's own shape; nothing a client sends yields a 500.
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { frameworkErrorCode } from "./framework-errors.ts";
import { strictJsonBodies } from "./json-body.ts";
import { oqsErrorReply } from "./oqs-reply.ts";
import { OPENAPI_TAGS } from "./message-route.ts";
import { httpsOptions } from "./tls.ts";
import { RequestLog } from "./request-log.ts";
import type { ServerDeps, ServerTimeouts } from "./server-deps.ts";
import { registerAuthRoutes } from "./routes/oqs/auth.ts";
import { registerBulkRoutes } from "./routes/oqs/bulk.ts";
import { registerRemoteBulkRoutes } from "./routes/oqs/remote-bulk.ts";
import { registerMedicalInfoRoutes } from "./routes/oqs/medical-info.ts";
import { registerReferenceNumberRoute } from "./routes/oqs/reference-numbers.ts";
import { registerSearchRoute } from "./routes/oqs/search.ts";
import { registerCardReaderRoutes } from "./routes/card-reader/index.ts";
import { registerSubsidyRoutes } from "./routes/subsidy/calc.ts";
import { registerAdminRoutes } from "./routes/admin/operations.ts";
import { registerTerminalRoutes } from "./routes/terminal/index.ts";
import { registerOfficeRoutes } from "./routes/office/index.ts";
import { registerUsagePageRoutes } from "./routes/usage-page/index.ts";
import { registerUsageRatesRoute } from "./routes/usage/rates.ts";
import { registerPortalRoutes } from "./routes/portal/access-history.ts";
import { registerWelfareRoutes } from "./routes/welfare/medical-tickets.ts";
import { registerPmhUploadRoutes } from "./routes/pmh/upload.ts";
import { registerHomeConsentRoutes } from "./routes/portal/home-consent.ts";
import { registerUsageReceiptsRoute } from "./routes/usage/receipts.ts";

const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * In milliseconds. requestTimeout lets the largest upload (64 MB) arrive at about 0.2 MB/s; the
 * 利用者リスト stream writes a heartbeat every 15 s, well inside connectionTimeout.
 */
export const SERVER_TIMEOUTS: ServerTimeouts = { connectionTimeout: 30_000, requestTimeout: 300_000, headersTimeout: 20_000, keepAliveTimeout: 10_000 };

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { headersTimeout, ...timeouts } = { ...SERVER_TIMEOUTS, ...deps.timeouts };
  // Node checks requestTimeout and headersTimeout this often (its default, 30 s, would let a stalled client linger).
  const http = { headersTimeout, connectionsCheckingInterval: Math.min(1_000, headersTimeout) };
  const app = Fastify({
    logger: deps.logger ?? false,
    // One line per answered request (request-log.ts), in Japanese like the rest.
    logController: new RequestLog(),
    bodyLimit: BODY_LIMIT_BYTES,
    // Request schemas are checked (compiled once) as written: a number is not quietly made a string,
    // and a field a schema does not name is refused, not quietly dropped (Fastify's default).
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    ...timeouts,
    ...(deps.tls ? { https: httpsOptions(deps.tls, http) } : { http }),
  });
  strictJsonBodies(app);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  await app.register(swagger, {
    openapi: {
      info: {
        title: "onshi オンライン資格確認 WebAPI",
        description: "オンライン資格確認等システムの WebAPI を模したもの。エラーコードは docs/error-codes.md を参照。",
        version: "0.1.0",
      },
      tags: OPENAPI_TAGS.map((name) => ({ name })),
      // The real API sends the idToken as the Authorization header itself, without "Bearer".
      components: {
        securitySchemes: {
          idToken: { type: "apiKey", in: "header", name: "Authorization", description: "auth で得た idToken" },
          welfareOffice: { type: "http", scheme: "basic", description: "福祉事務所の公費負担者番号と認証情報 (onshi welfare credential)" },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const code = frameworkErrorCode(error);
    if (code === "E9001") request.log.error(error);
    if (code === "E9002") request.log.warn({ err: String(error) }, "データベースに接続できません (E9002)");
    return oqsErrorReply(reply, deps.oqs, code);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ status: "NG", msg: "指定されたURLは存在しません。", url: request.url }),
  );

  await registerAuthRoutes(app, deps);
  // The message routes' body schemas document them: the pipeline checks each message (JSON or XML,
  // with its compiled schema) and answers the element's own code (E1005, E1006, …) in the envelope.
  await app.register(async (messages) => {
    messages.setValidatorCompiler(() => () => true);
    registerSearchRoute(messages, deps);
    registerReferenceNumberRoute(messages, deps);
    registerBulkRoutes(messages, deps);
    registerRemoteBulkRoutes(messages, deps);
    registerMedicalInfoRoutes(messages, deps);
  });
  await registerCardReaderRoutes(app, deps);
  await registerPortalRoutes(app, { db: deps.oqs.db, now: deps.oqs.now });
  await registerWelfareRoutes(app, { db: deps.oqs.db, now: deps.oqs.now });
  await registerPmhUploadRoutes(app, deps);
  await registerHomeConsentRoutes(app, { db: deps.oqs.db, facilities: deps.oqs.facilities, now: deps.oqs.now });
  await registerUsageReceiptsRoute(app, deps);
  await registerSubsidyRoutes(app, { now: deps.oqs.now });
  await registerTerminalRoutes(app, deps);
  await registerOfficeRoutes(app, deps);
  await registerUsagePageRoutes(app, { db: deps.oqs.db, now: deps.oqs.now });
  await registerUsageRatesRoute(app, { db: deps.oqs.db, now: deps.oqs.now, tokens: deps.tokens });
  if (deps.adminToken !== undefined) await registerAdminRoutes(app, { db: deps.oqs.db, adminToken: deps.adminToken });
  return app;
}
