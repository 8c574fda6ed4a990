// POST /onshi-api/admin/operations/<name>: the command line's operations (`cards …`, `seed`,
// `check`) run by the `onshi serve` that holds the embedded database's folder, for a command that
// cannot open the folder itself (one process per folder, db/folder-lock.ts). Only such a server has
// these routes, and only for the admin token it wrote into the folder's lock file: whoever can read
// that file can read and write the database files themselves, so the token grants nothing more.
// Left out of the OpenAPI page: a client of the CLI's own, not an interface for vendors.
//
// The answer is JSON lines: {"progress": n, "total": t} while a seed loads (which also keeps the
// connection from going idle), then {"answer": …} or {"error": {code, message}}.
import { createHash, timingSafeEqual } from "node:crypto";
import { PassThrough } from "node:stream";
import type { FastifyInstance } from "fastify";
import { isDatabaseUnavailable } from "../../../db/unavailable.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { ADMIN_OPERATIONS, ADMIN_OPERATIONS_PATH, runAdminOperation, type AdminOperationName } from "../../../services/admin-operations.ts";
import type { Db } from "../../../db/client.ts";
import { answerWithErrorBodies, errorBodyOf, sendErrorBody } from "../../error-body.ts";
import { codedViolation } from "../../framework-errors.ts";

const HEARTBEAT_MS = 10_000;

const digest = (text: string) => createHash("sha256").update(text).digest();

export async function registerAdminRoutes(app: FastifyInstance, deps: { db: Db; adminToken: string }): Promise<void> {
  const expected = digest(`Bearer ${deps.adminToken}`);
  await app.register(async (scope) => {
    answerWithErrorBodies(scope);
    // Before the body is read; compared in constant time.
    scope.addHook("onRequest", async (request, reply) => {
      if (timingSafeEqual(digest(request.headers.authorization ?? ""), expected)) return;
      reply.header("connection", "close");
      return sendErrorBody(reply, new OqsError("E9202"));
    });
    for (const name of Object.keys(ADMIN_OPERATIONS) as AdminOperationName[]) {
      scope.post(
        `${ADMIN_OPERATIONS_PATH}/${name}`,
        { schema: { hide: true, body: ADMIN_OPERATIONS[name].input }, schemaErrorFormatter: codedViolation("E9203") },
        async (request, reply) => {
          // A client gone mid-operation: the operation still completes; nothing to tell anyone.
          const lines = new PassThrough().on("error", () => {});
          const write = (line: unknown) => lines.write(`${JSON.stringify(line)}\n`);
          // A line at least every HEARTBEAT_MS, so neither side's idle timeout ends a long seed.
          let latest: unknown = {};
          const heartbeat = setInterval(() => write(latest), HEARTBEAT_MS);
          const progress = (done: number, total: number) => write((latest = { progress: done, total }));
          runAdminOperation(deps.db, name, request.body as never, progress)
            .then((answer) => write({ answer }))
            .catch((error: unknown) => {
              if (error instanceof OqsError) return write({ error: errorBodyOf(error) });
              const code = isDatabaseUnavailable(error) ? "E9002" : "E9001";
              request.log.error({ err: error, operation: name }, "コマンドラインの操作でエラーが発生しました");
              write({ error: errorBodyOf(new OqsError(code)) });
            })
            .finally(() => {
              clearInterval(heartbeat);
              lines.end();
            });
          return reply.type("application/x-ndjson; charset=utf-8").send(lines);
        },
      );
    }
  });
}
