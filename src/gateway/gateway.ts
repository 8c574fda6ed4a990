// The folder gateway: onshi as the 資格確認端末's 連携アプリ (spec §0, §1). It watches `req`,
// answers each request file into `res` under the same name with `req` replaced by `res`, and
// only then removes the request. Files already waiting at start are answered too. The terminal
// belongs to one facility: a request naming another is refused. While the database cannot be
// reached, requests wait in `req` and are answered once it is back.
import { createHash } from "node:crypto";
import { lstat, readdir, unlink } from "node:fs/promises";
import { basename, join } from "node:path";
import chokidar, { type FSWatcher } from "chokidar";
import { zipSync } from "fflate";
import { charsetOf, decodeXml } from "../codec/xml.ts";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { errorMessage, OqsError, type ErrorCode } from "../errors/catalogue.ts";
import { encodeAnswer } from "../oqs/answer-encoding.ts";
import type { XmlTree } from "../oqs/message-tree.ts";
import { MESSAGE_KINDS, type MessageKind } from "../oqs/messages/index.ts";
import { failureMessage, handle, type MessageInput, type PipelineAnswer } from "../services/pipeline/index.ts";
import type { Caller, OqsContext } from "../services/pipeline/types.ts";
import { removeStaleTemps, writeDurably } from "../files/durable-write.ts";
import { moveAside } from "./error-folder.ts";
import { isTransientName, parseRequestName, pdfName, zipName } from "./file-names.ts";
import { createOqsFolders, type OqsFolders } from "./oqs-folders.ts";
import { kindOfFile } from "./read-request.ts";
import { isSameFile, readRequestEntry } from "./request-entry.ts";

/** Where the gateway logs: one line per request file answered (info), or moved to error (warn, with the reason). */
export interface GatewayLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface GatewayOptions {
  root: string;
  /** The terminal: its database, clock and CharacterCodeIdentifier (the charset of answers). */
  ctx: OqsContext;
  /**
   * The 医療機関コード the terminal belongs to: a request file naming any other is refused (E4005),
   * whether that facility exists or not.
   */
  facility: string;
  /** The kinds the terminal answers and how (tests replace one); every kind through the pipeline by default. */
  handlers?: Partial<Record<MessageKind, MessageHandle>>;
  logger?: GatewayLogger;
  /**
   * A file is read once its size has not changed for this long. Short, for latency: a writer that
   * pauses longer mid-file is caught by `settleMs` below.
   */
  stableMs?: number;
  /**
   * A file whose content cannot be read (truncated XML, empty) may still be being written: it is
   * only answered as an error once unchanged for this long.
   */
  settleMs?: number;
  /** Larger files are refused (E1011) without being read. */
  maxFileBytes?: number;
  /** Poll instead of using OS events (for folders on a network mount). */
  usePolling?: boolean;
  /** How many files are answered at once. */
  concurrency?: number;
  /**
   * While the database cannot be reached, a request is tried again after `first` ms, doubling up
   * to `max` ms; it stays in req meanwhile, unanswered.
   */
  outageRetryMs?: { first: number; max: number };
  /**
   * How often req is listed, for entries the watcher does not report (a dangling symbolic link)
   * and files whose events were missed.
   */
  rescanMs?: number;
}

export type MessageHandle = (input: MessageInput, caller: Caller, ctx: OqsContext) => Promise<PipelineAnswer>;

const PIPELINE: Record<MessageKind, MessageHandle> = Object.fromEntries(
  MESSAGE_KINDS.map((kind) => [kind, (input: MessageInput, caller: Caller, ctx: OqsContext) => handle(kind, input, caller, ctx)]),
) as Record<MessageKind, MessageHandle>;

export interface Gateway {
  folders: OqsFolders;
  close(): Promise<void>;
}

export const GATEWAY_DEFAULTS = {
  stableMs: 40,
  settleMs: 1500,
  // 100,000 一括照会 rows of about 400 bytes each, with room to spare.
  maxFileBytes: 128 * 2 ** 20,
  concurrency: 4,
  outageRetryMs: { first: 200, max: 10_000 },
  rescanMs: 2_000,
};

/** What became of a file: done (undefined), try again in a while, or wait out the database. */
type Outcome = { retryInMs: number } | { outage: true } | undefined;

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const settings = { ...GATEWAY_DEFAULTS, ...stripUndefined(options) };
  const handlers = options.handlers ?? PIPELINE;
  const kinds = new Set(Object.keys(handlers) as MessageKind[]);
  const { ctx, logger } = options;
  const folders = await createOqsFolders(options.root);
  // Temp files of a write cut short by a crash: clients never read them, but they would pile up.
  for (const dir of [folders.res, folders.face, folders.error]) {
    const removed = await removeStaleTemps(dir);
    if (removed.length > 0) logger?.info({ folder: dir, files: removed }, "書きかけの一時ファイルを削除しました");
  }
  const slots = limiter(settings.concurrency);

  // One entry per file being answered or waiting for a retry; a change while it is being answered
  // is handled after. `outages` counts the tries that found the database unreachable, in a row.
  const files = new Map<string, { running: boolean; again: boolean; outages: number; timer?: NodeJS.Timeout }>();
  const running = new Set<Promise<void>>();
  const unreadableSince = new Map<string, number>();
  let closed = false;

  const schedule = (name: string) => {
    if (closed) return;
    let entry = files.get(name);
    if (!entry) files.set(name, (entry = { running: false, again: false, outages: 0 }));
    clearTimeout(entry.timer);
    if (entry.running) {
      entry.again = true;
      return;
    }
    entry.running = true;
    const job = slots(() => answerFile(name))
      .catch((error: unknown): Outcome => {
        // Writing into res or error failed (disk full, permissions): keep the request, try again.
        logger?.error({ err: error, file: name }, "要求ファイルを処理できませんでした");
        return { retryInMs: settings.settleMs };
      })
      .then((outcome) => {
        entry.running = false;
        entry.outages = outcome && "outage" in outcome ? entry.outages + 1 : 0;
        if (entry.again) {
          entry.again = false;
          schedule(name);
        } else if (outcome && !closed) {
          const { first, max } = settings.outageRetryMs;
          const delay = "outage" in outcome ? Math.min(max, first * 2 ** (entry.outages - 1)) : outcome.retryInMs;
          entry.timer = setTimeout(() => schedule(name), delay);
        } else {
          files.delete(name);
        }
      });
    running.add(job);
    void job.finally(() => running.delete(job));
  };

  async function answerFile(name: string): Promise<Outcome> {
    const started = performance.now();
    const path = join(folders.req, name);
    let entry;
    try {
      entry = await readRequestEntry(path, settings.maxFileBytes);
      unreadableSince.delete(name);
    } catch (error) {
      // A Windows share may hold the file locked while it is written: give it the settle time.
      const since = unreadableSince.get(name) ?? Date.now();
      unreadableSince.set(name, since);
      if (Date.now() - since < settings.settleMs) return { retryInMs: settings.stableMs * 4 };
      unreadableSince.delete(name);
      return reject(name, started, undefined, { code: "E4004", detail: String((error as NodeJS.ErrnoException).code ?? error) });
    }
    switch (entry.type) {
      case "gone":
        return undefined; // taken back by its writer
      case "changed":
        return { retryInMs: settings.stableMs * 4 };
      case "special":
        // Refused as it is, unread: what a link points to is none of the terminal's business.
        return reject(name, started, undefined, { code: "E4004", detail: `${entry.what}, not a regular file; refused without being read` });
      case "tooLarge":
        return reject(name, started, undefined, { code: "E1011", detail: `${entry.size} bytes; the limit is ${settings.maxFileBytes}` });
    }
    const { bytes, stats: before } = entry;
    const named = kindOfFile(name, kinds);
    if (!named.ok) return reject(name, started, bytes, named);
    // The file's name and content hash let a bulk upload re-read after a crash continue under
    // the reception it already made.
    const source = { fileName: name, sha256: createHash("sha256").update(bytes).digest("hex") };
    const caller: Caller = { authorizedFacility: options.facility, otherFacility: "E4005", source, channel: "file", transport: "folder" };
    const answer = await handlers[named.kind]!({ xml: bytes, file: true }, caller, ctx).catch(
      (error: unknown): PipelineAnswer => ({ message: failure(bytes, "E9001"), error: "E9001", cause: error }),
    );
    if (answer.failedAt === "decode") {
      // Content that cannot be read may still be being written.
      const age = Date.now() - before.mtimeMs;
      if (age < settings.settleMs) return { retryInMs: settings.settleMs - age + settings.stableMs };
      return refuse(name, started, named, answer.message, { code: answer.error!, element: answer.element, detail: answer.detail ?? "" });
    }
    if (answer.error === "E4005") {
      return refuse(name, started, named, answer.message, { code: "E4005", element: "MedicalInstitutionCode", detail: `this terminal serves ${options.facility}` });
    }
    if (answer.error === "E9002" || isDatabaseUnavailable(answer.cause)) {
      // Nothing was done: keep the request in req, unanswered, and try again when the database may be back.
      logger?.error({ err: answer.cause, file: name }, "データベースに接続できないため、要求ファイルを req に残して再試行します");
      return { outage: true };
    }
    if (answer.cause) logger?.error({ err: answer.cause, file: name }, "要求ファイルへの応答でエラーが発生しました");
    // The PDF first: a client that sees the XML (ResultCode 1) finds the PDF already there.
    if (answer.pdf) await writeDurably(folders.res, pdfName(named.responseName), answer.pdf);
    await writeAnswer(named.responseName, answer.message, answer.zip ?? false);
    if (answer.error === "E9001") {
      // Our own failure: the client was told to try again, and the request is kept.
      const why = { code: "E9001", detail: String(answer.cause) } as const;
      logMoved(name, started, named.kind, why, await moveAside(folders, name, { ...why, responseName: named.responseName }, ctx.now()));
      return undefined;
    } else if (await isSameFile(path, before)) {
      await unlink(path);
    } else {
      return undefined; // rewritten meanwhile: its change event answers the new content
    }
    logger?.info(answerLine(name, started, named.kind, answer.error ?? "OK"), "要求ファイルに応答しました");
    return undefined;
  }

  /** The answer's fields, as the server's log shows them (http/log-output.ts, AnswerFields). */
  function answerLine(file: string, started: number, kind: MessageKind | undefined, result: string) {
    return { facility: options.facility, kind: kind ?? "-", file, result, ms: Math.round(performance.now() - started) };
  }

  /** A file in error/ is always told, at warn, with its reason (the same as the reason file's). */
  function logMoved(name: string, started: number, kind: MessageKind | undefined, why: { code: ErrorCode; detail: string; element?: string }, moved: string) {
    const reason = `${errorMessage(why.code, why.element)}${why.detail ? ` (${why.detail})` : ""}`;
    logger?.warn({ ...answerLine(name, started, kind, why.code), movedTo: `error/${moved}`, reason }, "要求ファイルを error に移しました");
  }

  /** Answers with SegmentOfResult 9 and moves the request to the error folder. */
  async function reject(name: string, started: number, bytes: Buffer | undefined, why: { code: ErrorCode; detail: string; element?: string }): Promise<Outcome> {
    const { responseName } = parseRequestName(name);
    const element = why.code === "E4001" || why.code === "E4002" ? name : why.element;
    return refuse(name, started, { responseName }, failure(bytes, why.code, element), { ...why, element });
  }

  /** Writes a refusal and moves the request to the error folder with the reason. */
  async function refuse(
    name: string,
    started: number,
    { responseName, kind }: { responseName: string; kind?: MessageKind },
    message: XmlTree,
    why: { code: ErrorCode; detail: string; element?: string },
  ): Promise<Outcome> {
    await writeAnswer(responseName, message, false);
    logMoved(name, started, kind, why, await moveAside(folders, name, { ...why, responseName }, ctx.now()));
    return undefined;
  }

  /** A SegmentOfResult 9 answer, echoing the request's header when its XML can be read. */
  function failure(bytes: Buffer | undefined, code: ErrorCode, element?: string): XmlTree {
    let request: XmlTree | undefined;
    if (bytes) {
      try {
        request = decodeXml(bytes).tree;
      } catch {
        request = undefined;
      }
    }
    return failureMessage(undefined, ctx, ctx.now(), new OqsError(code, element), request);
  }

  async function writeAnswer(responseName: string, message: XmlTree, zip: boolean) {
    const { bytes } = encodeAnswer(message, charsetOf(ctx.characterCode));
    if (zip) await writeDurably(folders.res, zipName(responseName), zipSync({ [responseName]: bytes }));
    else await writeDurably(folders.res, responseName, bytes);
  }

  const watcher: FSWatcher = chokidar.watch(folders.req, {
    depth: 0,
    ignoreInitial: false,
    usePolling: settings.usePolling ?? false,
    // Links are reported as entries of their own (and refused), never followed.
    followSymlinks: false,
    ignored: (path) => path !== folders.req && isTransientName(basename(path)),
    awaitWriteFinish: { stabilityThreshold: settings.stableMs, pollInterval: Math.max(5, Math.floor(settings.stableMs / 4)) },
  });
  watcher.on("add", (path) => schedule(basename(path)));
  watcher.on("change", (path) => schedule(basename(path)));
  watcher.on("addDir", (path) => {
    if (path !== folders.req) schedule(basename(path));
  });
  watcher.on("error", (error) => logger?.error({ err: error }, "req フォルダの監視でエラーが発生しました"));
  await new Promise<void>((resolve) => watcher.once("ready", resolve));

  // The watcher stats what it reports, so a dangling link never reaches it: list req now and then
  // for entries it did not report (a regular file only once past the settle time, so that the
  // watcher's wait for a writer to finish still decides when a file is complete).
  const rescan = async () => {
    for (const dirent of await readdir(folders.req, { withFileTypes: true })) {
      if (files.has(dirent.name) || isTransientName(dirent.name)) continue;
      if (dirent.isFile()) {
        const stats = await lstat(join(folders.req, dirent.name)).catch(() => undefined);
        if (!stats || Date.now() - stats.mtimeMs < settings.settleMs) continue;
      }
      schedule(dirent.name);
    }
  };
  const rescanTimer = setInterval(() => {
    rescan().catch((error: unknown) => logger?.error({ err: error }, "req フォルダの一覧でエラーが発生しました"));
  }, settings.rescanMs);
  rescanTimer.unref();

  return {
    folders,
    async close() {
      closed = true;
      clearInterval(rescanTimer);
      await watcher.close();
      for (const entry of files.values()) clearTimeout(entry.timer);
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

/** Runs at most `n` tasks at once, the others in arrival order. */
function limiter(n: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
