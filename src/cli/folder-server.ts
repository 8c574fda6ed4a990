// Runs an admin operation (services/admin-operations.ts) where the data is: through the
// `onshi serve` that holds the embedded database's folder (its lock file names the URL and the
// admin token), or on the database this command opens. With DATABASE_URL there is no folder to
// hold: every process opens the PostgreSQL server itself.
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { createInterface } from "node:readline";
import type { DbOptions } from "../db/client.ts";
import { describeHolder, liveHolder, type LockHolder, type LockServer } from "../db/folder-lock.ts";
import { openMigrated } from "../db/open.ts";
import { ERROR_CODES, errorMessage, OqsError, type ErrorCode } from "../errors/catalogue.ts";
import { ADMIN_OPERATIONS_PATH, runAdminOperation, type AdminAnswer, type AdminInput, type AdminOperationName, type Progress } from "../services/admin-operations.ts";
import type { CliRun } from "./io.ts";

/** A socket silent this long is given up (the server writes a line at least every 10 s while it works). */
const IDLE_TIMEOUT_MS = 60_000;

/** The server holding the folder did not answer (E9201): nothing was run. */
class ServerUnreachable extends Error {
  readonly exitCode = 1;
  constructor(holder: LockHolder, cause: string) {
    super(`E9201 ${errorMessage("E9201")}\n  使用中のプロセス: ${describeHolder(holder)}\n  (${cause})`);
  }
}

export async function perform<N extends AdminOperationName>(cli: CliRun, options: DbOptions, name: N, input: AdminInput<N>, progress?: Progress): Promise<AdminAnswer<N>> {
  const holder = options.dataDir === undefined ? undefined : await liveHolder(options.dataDir);
  if (holder?.server) {
    cli.warn(`データフォルダを使用中のサーバを通して実行します: ${describeHolder(holder)}`);
    return (await callServer(holder, holder.server, name, input, progress)) as AdminAnswer<N>;
  }
  // A folder held by anything else is refused here, with its holder named (FolderInUse, E9200).
  const db = await openMigrated(options);
  try {
    return await runAdminOperation(db, name, input, progress);
  } finally {
    await db.close();
  }
}

async function callServer(holder: LockHolder, server: LockServer, name: AdminOperationName, input: unknown, progress?: Progress): Promise<unknown> {
  const url = new URL(`${ADMIN_OPERATIONS_PATH}/${name}`, server.url);
  const body = JSON.stringify(input);
  try {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = (url.protocol === "https:" ? https : http).request(url, {
        method: "POST",
        ca: server.ca,
        headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        timeout: IDLE_TIMEOUT_MS,
      });
      request.on("response", resolve).on("error", reject);
      request.on("timeout", () => request.destroy(new Error(`${IDLE_TIMEOUT_MS / 1000} 秒応答がありません`)));
      request.end(body);
    });
    let last: { answer?: unknown; error?: { code: string; message: string } } = {};
    for await (const line of createInterface({ input: response, crlfDelay: Infinity })) {
      if (line.trim() === "") continue;
      const item = JSON.parse(line) as typeof last & { progress?: number; total?: number; code?: string; message?: string };
      if (item.progress !== undefined) progress?.(item.progress, item.total ?? item.progress);
      else if ("answer" in item || "error" in item) last = item;
      // A refusal before the operation ran (token, input) is one error body, with its HTTP status.
      else if (item.code !== undefined) last = { error: { code: item.code, message: item.message ?? "" } };
    }
    if ("answer" in last) return last.answer;
    if (last.error && last.error.code in ERROR_CODES) throw Object.assign(new OqsError(last.error.code as ErrorCode), { message: last.error.message });
    throw new Error(`HTTP ${response.statusCode}: 応答が途中で終わりました`);
  } catch (error) {
    if (error instanceof OqsError) throw error;
    throw new ServerUnreachable(holder, error instanceof Error ? error.message : String(error));
  }
}
